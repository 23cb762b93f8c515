"""Readers: print, a 360 px phone, tables of prose, chart text, page meta (axe-core: test_axe.py)."""

from __future__ import annotations

import collections
import io
import os
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.data import load as data
from macros.charts.catalog import CHARTS

from .browser import chromium_path, require_chart_font
from .conftest import ROOT

DATA = data.load(ROOT / "data")


def pages_of(site: Path) -> list[str]:
    """Every page of the site, as paths relative to its root ('' is the home page)."""
    out = []
    for p in sorted(site.rglob("index.html")):
        rel = p.parent.relative_to(site).as_posix()
        if not rel.startswith("assets"):
            out.append("" if rel == "." else rel + "/")
    return out


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_360px(chromium, served):
    base, site = served.base, served.site
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    wide = []
    for rel in pages_of(site):
        page.goto(base + rel)  # once loaded: its scripts have run and its fonts are in
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"/{rel}: {width}px")
        for box in page.locator("figure.chart .chart__canvas > svg").all():
            b = box.bounding_box()
            assert b is None or b["width"] <= 360, f"/{rel}: chart {b['width']}px wide"
            # The phone's own drawing shows at its own size: not scaled down, so its text is not either.
            natural = float(box.get_attribute("width"))
            assert b is None or b["width"] >= natural - 0.5, f"/{rel}: chart only {b['width']}px wide of {natural}"
        # Tables scroll inside their own box, which the page's width never shows: open
        # every chart's data table and look at each box.
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        wide += page.evaluate("""(rel) => Array.from(document.querySelectorAll('.md-typeset__scrollwrap'))
            .filter((el) => el.scrollWidth > el.clientWidth)
            .map((el) => `/${rel}: a table in #${(el.closest('[id]') || {id: 'page'}).id} is ${el.scrollWidth}px in ${el.clientWidth}px`)""",
                              rel)
    context.close()
    assert not wide, wide


@pytest.mark.browser
def test_a_chapter_prints_with_its_charts_and_sources(chromium, served, tmp_path):
    from pypdf import PdfReader

    base = served.base
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "stimulus/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert page.locator(".md-sidebar--primary").first.is_hidden()
    assert page.locator("header.md-header").is_hidden()
    pdf = page.pdf(format="A4", print_background=False)
    context.close()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert CHARTS["stimulus_allocation"].title in text.replace("\n", " ")
    assert "Billion yen" in text            # axis title: the static SVG printed as vector text
    assert "AI models, data, physical AI" in text
    assert "Sources:" in text and "Jiji Press" in text and "As of" in text
    assert "Table of contents" not in text  # no navigation chrome


@pytest.mark.browser
def test_the_bibliography_prints_each_source_address(chromium, served):
    """A printed link cannot be followed: on paper every source with a URL shows it."""
    from pypdf import PdfReader

    context = chromium.new_context()
    page = context.new_page()
    page.goto(served.base + "sources/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    context.close()
    # Addresses wrap across lines on paper: compare without whitespace.
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    missing = [s.id for s in DATA.sources.values() if s.url and f"<{s.url}>" not in text]
    assert not missing, f"sources printed without their address: {missing}"
    # The site's own links are not addresses to type in (instant navigation makes them absolute).
    assert f"<{served.base}" not in text, "a link within the site printed its address"


@pytest.mark.browser
def test_no_table_is_cut_at_the_right_on_paper(chromium, served):
    """Paper cannot scroll: at the width of A4's text (210 mm less Material's 25 mm margins, 605 px) in print
    media, the audit and the figure index ran a few pixels past it, and lost their right edge."""
    context = chromium.new_context(viewport={"width": 605, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    cut = []
    for rel in pages_of(served.site):
        page.goto(served.base + rel)
        cut += page.evaluate("""(rel) => Array.from(document.querySelectorAll('.md-typeset__scrollwrap'))
            .filter((el) => el.scrollWidth > el.clientWidth)
            .map((el) => `/${rel}: ${el.scrollWidth}px in ${el.clientWidth}px`)""", rel)
    context.close()
    assert not cut, cut


def test_on_paper_the_figure_index_gives_its_sources_room(chromium, served):
    """Printed, the index's Sources column was some 35 px wide: publishers broke mid-word, a letter or
    two a line.  At A4's text width it now has a fifth of the table or more."""
    context = chromium.new_context(viewport={"width": 605, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(served.base + "sources/")
    share = page.evaluate("""() => { const t = document.querySelector('table.figure-index');
        return t.querySelector('th:nth-child(4)').getBoundingClientRect().width / t.getBoundingClientRect().width; }""")
    context.close()
    assert share >= 0.2, f"the Sources column has {share:.0%} of the printed table"


@pytest.mark.browser
@pytest.mark.parametrize("js", [False, True], ids=["no-js", "js"])
def test_the_sources_page_opens_its_long_lists_on_demand_and_links_land_in_them(chromium, served, js):
    """The sources page was thousands of elements, styled and laid out (twice over, once Material's script
    ran) as it loaded: a phone's main thread was busy for a third of a second (Lighthouse TBT about 300 ms,
    performance 92).  The figure index and what each source is cited for are closed disclosures, which the
    browser skips; a link to a figure's row, from another page as a reader follows it from a number's
    provenance, opens the index and lands on the row, with JavaScript (instant navigation) and without."""
    context = chromium.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=js)
    page = context.new_page()
    page.goto(served.base + "sources/")
    state = page.evaluate("""() => {
        const shown = (el) => el.checkVisibility();
        const rows = [...document.querySelectorAll('table.figure-index tbody tr')];
        return {rows: rows.length, rowsShown: rows.filter(shown).length, last: rows[rows.length - 1].id,
                cited: document.querySelectorAll('.sources-list details.source-cited').length,
                citedShown: [...document.querySelectorAll('.sources-list details.source-cited a')].filter(shown).length,
                entries: document.querySelectorAll('.sources-list > li').length};
    }""")
    assert state["rows"] > 50 and state["rowsShown"] == 0, state
    assert state["cited"] > 0.8 * state["entries"] and state["citedShown"] == 0, state
    # From a chapter, as a reader follows a number's link (its provenance's "details" link with JavaScript).
    page.goto(served.base + "stimulus/")
    link = page.locator("a.fig-prov__more" if js else "article a.fig").first
    href = link.get_attribute("href")
    page.evaluate("(href) => { const a = document.createElement('a'); a.href = href.replace(/#.*/, '#%s');"
                  " document.querySelector('article').append(a); a.click(); }" % state["last"], href)
    page.wait_for_url(f"**/sources/#{state['last']}")
    page.wait_for_timeout(400)
    landed = page.evaluate("""(id) => { const tr = document.getElementById(id), r = tr.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, shown: tr.checkVisibility(), open: tr.closest('details').open}; }""",
                           state["last"])
    context.close()
    assert landed["open"] and landed["shown"], landed
    assert 0 <= landed["top"] < 800 and landed["bottom"] > 0, f"the link to {state['last']} did not land on it: {landed}"


# Each text and legend swatch of a static chart a reader sees, as boxes relative to the chart's own box
# (Vega keeps an axis label it leaves out, for overlapping another or the axis' end, at opacity 0).
_CHART_BOXES = """(svg) => {
  const o = svg.getBoundingClientRect();
  const items = Array.from(svg.querySelectorAll('text, .role-legend-symbol path'))
    .filter((el) => el.checkVisibility({opacityProperty: true})).map((el) => {
    const r = el.getBoundingClientRect();
    return {what: el.tagName === 'text' ? el.textContent : 'a legend swatch',
            l: r.left - o.left, t: r.top - o.top, r: r.right - o.left, b: r.bottom - o.top};
  });
  return {w: o.width, h: o.height, items};
}"""


def _fonts_drawn(context, page, selector: str) -> set[str]:
    """The faces Chromium actually drew the matching text nodes in (DevTools protocol)."""
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    return {f["familyName"] for n in nodes for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": n})["fonts"]}


def _chart_layout(chromium, served, cid: str, edition: str = "en") -> tuple[set[str], list[str], list[tuple[str, str]]]:
    """How Chromium drew one chart's static SVGs (the page's at 1280 px, then the phone's at 375 px, in
    one page load): the faces it used, the text past the chart's edge, and the pairs of text (or text
    and legend swatch) drawn over each other."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served.chart_url(cid, edition))
    fonts, outside, clashes = set(), [], []
    for layout, width in (("wide", 1280), ("phone", 375)):
        page.set_viewport_size({"width": width, "height": 900})
        selector = f"#chart-{cid} .chart__canvas > svg.chart__drawing--{layout}"
        fonts |= _fonts_drawn(context, page, f"{selector} text")
        chart = page.locator(selector).evaluate(_CHART_BOXES)
        items, slack = chart["items"], 0.5  # px: anti-aliasing of boxes that merely touch
        assert len(items) > 3
        outside += [f"{layout}: {i['what']}" for i in items if i["l"] < -slack or i["t"] < -slack
                    or i["r"] > chart["w"] + slack or i["b"] > chart["h"] + slack]
        clashes += [(f"{layout}: {a['what']}", b["what"]) for n, a in enumerate(items) for b in items[n + 1:]
                    if min(a["r"], b["r"]) - max(a["l"], b["l"]) > slack
                    and min(a["b"], b["b"]) - max(a["t"], b["t"]) > slack]
    context.close()
    return fonts, outside, clashes


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_chart_text_stays_clear_of_other_text_and_inside_the_chart(chromium, served, cid, edition):
    """Drawn by Chromium in the reader's face: a face wider than the one the layout was measured in ran
    legend labels into the next swatch, the last tick label into the one before, and y labels off the left.
    The Japanese drawings too, in the chart font the site serves them with: their texts are longer."""
    require_chart_font()
    fonts, outside, clashes = _chart_layout(chromium, served, cid, edition)
    # Chromium names IPAexGothic (macros/charts/fonts.py: JA_FAMILY) by the Japanese name in its name table.
    assert fonts == ({"Liberation Sans"} if edition == "en" else {"IPAexゴシック"})
    assert not outside, f"text past the chart's edge: {outside}"
    assert not clashes, f"text drawn over other text: {clashes}"


@pytest.fixture(scope="module")
def dejavu_only_chromium(chromium, tmp_path_factory):
    """A second Chromium, on a machine whose one face is DejaVu Sans (wider than Liberation Sans)."""
    from .browser import ARGS

    dejavu = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))
    if not dejavu:
        pytest.fail("the test needs DejaVu Sans (Debian's fonts-dejavu-core, which Chromium pulls in)")
    fonts = tmp_path_factory.mktemp("fonts")
    shutil.copy(dejavu[0], fonts / dejavu[0].name)
    (fonts / "fonts.conf").write_text(f"<fontconfig><dir>{fonts}</dir></fontconfig>", encoding="utf-8")
    # From the session's Playwright: a second sync_playwright() cannot start in the same thread.
    b = chromium.browser_type.launch(executable_path=chromium_path(), args=ARGS, headless=True,
                                     env={**os.environ, "FONTCONFIG_FILE": str(fonts / "fonts.conf")})
    yield b
    b.close()


@pytest.mark.browser
@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_chart_text_stays_clear_of_other_text_in_a_wider_fallback_face(dejavu_only_chromium, served, cid):
    """Readers with none of the chart faces get DejaVu Sans, some 13% wider: the layout's slack keeps their
    labels and legend entries apart (long y labels may reach into the page's margin, which is allowed)."""
    fonts, _, clashes = _chart_layout(dejavu_only_chromium, served, cid)
    assert fonts == {"DejaVu Sans"}, "the fallback face under test"
    assert not clashes, f"text drawn over other text in DejaVu Sans: {clashes}"


def _ax_roles(context, page, selector: str) -> collections.Counter:
    """The roles in Chromium's accessibility tree (what a screen reader is given) under one element."""
    cdp = context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    roles = collections.Counter()
    for role in ("table", "row", "columnheader", "cell"):
        found = cdp.send("Accessibility.queryAXTree", {"nodeId": node, "role": role})["nodes"]
        roles[role] = sum(1 for n in found if not n.get("ignored"))
    return roles


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 768, 1280])
@pytest.mark.parametrize("rel, table, rows, columns", [
    ("claims/", "table.claims-table", len(DATA.claims), 5),
    ("sources/", "table.figure-index", len(DATA.figures), 5),
])
def test_tables_of_prose_read_without_scrolling_sideways_and_stay_tables(chromium, served, width, rel, table, rows,
                                                                         columns):
    """The audit's five columns and the figure index's (then seven) scrolled sideways on a phone, a few words to a
    column; there each row is a block, and still a table row to a screen reader."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served.base + rel)
    if table == "table.figure-index":
        page.locator(f"details:has({table}) > summary").click()  # it opens on demand
    sizes = page.locator(f".md-typeset__scrollwrap:has({table})").evaluate(
        "(el) => ({scroll: el.scrollWidth, client: el.clientWidth})")
    # The narrowest cell, as a share of its row: a block per row on a phone spans it whole.
    narrowest = page.locator(table).evaluate("""(t) => Math.min(...Array.from(t.querySelectorAll('tbody td'))
        .map((td) => td.getBoundingClientRect().width / td.parentElement.getBoundingClientRect().width))""")
    roles = _ax_roles(context, page, table)
    context.close()
    assert sizes["scroll"] <= sizes["client"], f"/{rel} {table} scrolls sideways at {width}px: {sizes}"
    if width < 720:  # Material's phone layout (44.984375em)
        assert narrowest > 0.9, f"/{rel} {table}: a cell takes {narrowest:.0%} of its row at {width}px"
    assert roles == {"table": 1, "row": rows + 1, "columnheader": columns, "cell": columns * rows}, roles


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("content") is not None:
            key = a.get("property") or a.get("name")
            if key:
                self.meta[key] = a["content"]


def test_every_page_has_description_open_graph_and_twitter_meta(site):
    for rel in pages_of(site.site):
        html = (site.site / rel / "index.html").read_text(encoding="utf-8")
        parser = _Meta()
        parser.feed(html)
        m = parser.meta
        for key in ("description", "og:title", "og:description", "og:type", "og:url", "og:image",
                    "twitter:card", "twitter:title", "twitter:description", "twitter:image"):
            assert m.get(key, "").strip(), f"/{rel}: no {key}"
        # A Japanese sentence says in about half the characters what an English one does.
        shortest = 25 if rel.startswith("ja/") else 50
        assert len(m["description"]) >= shortest, f"/{rel}: description too short"
        assert m["og:image"].startswith("https://") and m["og:image"].endswith(".png")
        path = re.sub(r"^https://[^/]+/[^/]+/", "", m["og:image"])
        image = site.site / path
        assert image.exists(), f"/{rel}: {path} missing"
        png = image.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        size = struct.unpack(">II", png[16:24])
        assert (int(m["og:image:width"]), int(m["og:image:height"])) == size, f"/{rel}: the card is {size}"


def test_descriptions_with_quotes_and_ampersands_reach_the_meta_tags_intact(project_copy, build_copy):
    """Material writes descriptions into attributes unescaped; the site's plugin (macros/build/plugin.py) escapes them first."""
    page_text = 'Chips "made in Japan" & <b>R&D</b> spending, with a description long enough to pass.'
    site_text = 'The site\'s "own" description & <i>more</i>, long enough for the check.'
    md = project_copy / "docs" / "stimulus.md"
    md.write_text(re.sub(r"^description: .*$", "description: '" + page_text.replace("'", "''") + "'",
                         md.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    conf = project_copy / "mkdocs.yml"
    conf.write_text(re.sub(r"^site_description: >-\n(  .*\n)+", "site_description: '" + site_text.replace("'", "''")
                           + "'\n", conf.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode == 0, result.output
    # The 404 page has no front matter: it takes the site's description.
    for rel, text in (("stimulus/index.html", page_text), ("404.html", site_text)):
        parser = _Meta()
        parser.feed((result.site / rel).read_text(encoding="utf-8"))
        assert parser.meta["description"] == text, rel
    assert parser.meta["og:description"] == site_text == parser.meta["twitter:description"]
    parser = _Meta()
    parser.feed(result.page("stimulus"))
    assert parser.meta["og:description"] == page_text == parser.meta["twitter:description"]
