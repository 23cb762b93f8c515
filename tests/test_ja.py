"""The Japanese edition: built by the same command into site/ja/, from the same data/.

The real edition (docs/ja/, data/ja/) is checked on the session's one build of the real site
(conftest: ``site``; its byte-identical rebuild is tests/test_build.py's, both editions and all).
The failure tests break a copy of the real project, one fault each; the overlay's own tests run in
process on a stand-in edition (tests/ja_fixture.py: every text marked "訳:"), with no build.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from .conftest import ROOT, build, copy_project
from .ja_fixture import MARK, write_edition

PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
SEARCH_TERM = "一般会計"  # a Japanese word only the Japanese stimulus page has (docs/ja/stimulus.md)


def url_of(stem: str) -> str:
    return "" if stem == "index" else f"{stem}/"


@pytest.fixture(scope="session")
def ja_project(tmp_path_factory) -> Path:
    """A copy of the project with the stand-in edition, for the in-process overlay tests (never built)."""
    project = copy_project(tmp_path_factory.mktemp("ja") / "project", editions=True)
    write_edition(project)
    return project


@pytest.fixture(scope="session")
def base(site) -> str:
    """The address the session's site is built for (mkdocs.yml: site_url), from its canonical link."""
    html = (site.site / "index.html").read_text(encoding="utf-8")
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def _html(site: Path, edition: str, stem: str) -> str:
    prefix = "ja/" if edition == "ja" else ""
    return (site / prefix / url_of(stem) / "index.html").read_text(encoding="utf-8")


def test_every_japanese_page_is_built_and_only_those(site):
    assert sorted(p.stem for p in (ROOT / "docs" / "ja").glob("*.md")) == PAGES


@pytest.mark.parametrize("stem", PAGES)
def test_every_english_page_has_its_japanese_page(site, stem):
    html = _html(site.site, "ja", stem)
    assert re.search(r'<html lang="ja"', html)
    assert re.search(r'<html lang="en"', _html(site.site, "en", stem))
    assert "explainer-error" not in html and "{{" not in html and "{#" not in html and "{: #" not in html


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("stem", PAGES)
def test_hreflang_both_ways(site, base, edition, stem):
    """Each page links its counterparts in its head (every edition and x-default, the English page), and
    the root sitemap lists them (Google's sitemap form of hreflang).  The head's links say rel=" alternate"
    (one token, a space before it): Material's script fetches "sitemap.xml" beside every element matching
    link[rel=alternate], a 404 beside a page's counterpart (test_no_sitemap_is_fetched_beside_a_page)."""
    head = _html(site.site, edition, stem).split("</head>")[0]
    expected = {"en": base + url_of(stem), "ja": base + "ja/" + url_of(stem), "x-default": base + url_of(stem)}
    links = re.findall(r'<link rel="([^"]*)" hreflang="([a-z-]+)" href="([^"]+)">', head)
    assert {lang: href for _, lang, href in links} == expected and len(links) == 3, links
    assert all(rel.split() == ["alternate"] and rel != "alternate" for rel, _, _ in links)
    assert len(re.findall(r"hreflang=", head)) == 3  # and no other (Material's links to the editions' roots)
    assert f'<meta property="og:locale" content="{"ja_JP" if edition == "ja" else "en_US"}">' in head
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    loc = expected[edition]
    entry = re.search(rf"<url>\s*<loc>{re.escape(loc)}</loc>(.*?)</url>", sitemap, re.S)
    assert entry, loc
    links = dict(re.findall(r'<xhtml:link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"/>', entry.group(1)))
    assert links == expected


def test_no_sitemap_is_fetched_beside_a_page(served, chromium):
    """Material's setupAlternate (integrations/alternate/index.ts) fetches new URL("sitemap.xml", href) for
    every link[rel=alternate]: with the counterparts linked as rel="alternate" that was
    ja/stimulus/sitemap.xml, a 404, on every page.  In Chromium the head has the three hreflang links, none
    matches Material's selector, and loading pages of both editions, and moving between them by instant
    navigation and by the language switch, asks for no sitemap but an edition's own and gets no 404."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append((r.status, r.url)))
    try:
        for path in ("ja/stimulus/", "stimulus/", ""):
            page.goto(served.base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.querySelectorAll('link[hreflang]').length") == 3
            assert page.evaluate("document.querySelectorAll('link[rel=alternate][hreflang]').length") == 0
            assert page.evaluate("[...document.querySelectorAll('link[hreflang]')]"
                                 ".every(l => l.relList.contains('alternate'))")
        page.locator('.md-nav__link[href$="rapidus/"]').first.click()  # instant navigation
        page.wait_for_url("**/rapidus/")
        page.wait_for_load_state("networkidle")
        page.goto(served.base + "ja/rapidus/")
        page.locator(".md-header__option--language .md-select__link[hreflang=en]").dispatch_event("click")
        page.wait_for_url(served.base + "rapidus/")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    sitemaps = {u for u in requests if "sitemap.xml" in u}
    assert sitemaps <= {served.base + "sitemap.xml", served.base + "ja/sitemap.xml"}, sitemaps
    assert not failed, failed


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("stem", PAGES)
def test_the_switch_links_to_the_counterpart_page(site, edition, stem):
    html = _html(site.site, edition, stem)
    here = ("ja/" if edition == "ja" else "") + url_of(stem)
    other = "en" if edition == "ja" else "ja"
    href = re.search(rf'<a href="([^"]+)" hreflang="{other}" lang="{other}" target="_self"', html).group(1)
    target = posixpath.normpath(here + href)
    expected = (("ja/" if other == "ja" else "") + url_of(stem)).rstrip("/") or "."
    assert target == expected, href
    assert (site.site / target / "index.html").exists()


def test_the_japanese_pages_show_japanese_data_and_formatting(site):
    html = _html(site.site, "ja", "stimulus")
    assert "億円" in html  # money in the myriad units (format.py, locale ja)
    assert "AI・半導体向けの2026年度当初予算" in html  # a figure's label, from data/ja/stimulus.yml
    assert "2026年度のAI・半導体予算、ほぼ全額がAIとラピダスに" in html  # a chart title, from data/ja/charts.yml
    assert ">Billion yen<" not in html and ">What<" not in html  # chart strings: the chart's and all_charts'
    assert "補正予算は年度の途中で成立する。" in html  # a chart's caption
    assert "We checked" not in html and "記事の主張のうち" in _html(site.site, "ja", "claims")  # verdict_summary
    assert "We checked" in _html(site.site, "en", "claims")


@pytest.mark.parametrize("stem", ["index", "stimulus", "rapidus"])
def test_money_axes_count_in_oku_and_cho(site, stem):
    """An axis of billions of yen once read 0-1,600 under the title 億円, a tenth of the truth: the
    Japanese axes write each tick in 億・兆 (ja_numbers.vega_expr), and their titles name no unit."""
    html = _html(site.site, "ja", stem)
    english = _html(site.site, "en", stem)
    axes = [re.findall(r">([^<]+)</text>", g) for g in re.findall(r'role-axis-label".*?</g>', html, re.S)]
    money = [labels for labels in axes if any(label.endswith("円") for label in labels)]
    assert money and len(money) == sum(1 for g in re.findall(r'role-axis-title".*?</g>', english, re.S)
                                       if re.search(r">(Billion|Trillion) yen", g))
    for labels in money:
        assert all(re.fullmatch(r"0円|(\d+兆)?(\d+億)?円", label) for label in labels), labels
    assert any("兆" in label for labels in money for label in labels)
    titles = re.findall(r'role-axis-title".*?>([^<]+)</text>', html, re.S)
    assert "億円" not in titles and "兆円" not in titles, titles


def _drawn_texts(html: str) -> list[tuple[str, str]]:
    """What the charts' static drawings say: (aria-label or text, the text), every mark's and label's."""
    from html import unescape

    out = []
    for svg in re.findall(r'<svg class="chart__drawing.*?</svg>', html, re.S):
        out += [("aria-label", unescape(a)) for a in re.findall(r'aria-label="([^"]*)"', svg)]
        out += [("text", unescape(a)) for a in re.findall(r">([^<]+)</text>", svg)]
    return out


# Vega's own captions of axes and titles ("X-axis titled '金額' for a linear scale with values from 0 to
# 1,600", "Title text '…'"): written by its renderer in English whatever the chart says (vega-scenegraph:
# axisCaption, AriaGuides), unless the spec labels the guide itself, as the Japanese charts' do
# (macros/charts/aria.py).  In English their quoted titles are the chart's, and checked.
_VEGA_CAPTION = re.compile(r"^(?:[XY]-axis(?: titled '(.*)')? for a \w+ scale with values from .*|Title text '(.*)')$")


@pytest.mark.parametrize("stem", PAGES)
def test_the_japanese_charts_say_no_english_field_name_or_category(site, stem):
    """Each mark's aria-label reads "title: value; ..." in the page's language: the Japanese charts once read
    "series: 中国国内生産; 数字: reported" (a raw field name, an untranslated category) and "Equity, FY2025:
    1000億円".  A word with a lower-case letter left in a Japanese chart's text must be one the Japanese data
    writes itself (a publisher, a name: IC Insights), and every title of a label is Japanese; in English,
    every title is a title, not a field's name."""
    import yaml

    def values(node):  # what the Japanese data writes (its values: charts.yml's keys are the English)
        if isinstance(node, dict):
            return [s for v in node.values() for s in values(v)]
        return [s for v in node for s in values(v)] if isinstance(node, list) else [str(node)]

    own = "\n".join(s for p in sorted((ROOT / "data" / "ja").glob("*.yml"))
                    for s in values(yaml.safe_load(p.read_text(encoding="utf-8"))))
    for edition in ("ja", "en"):
        drawn = _drawn_texts(_html(site.site, edition, stem))
        for kind, text in drawn:
            caption = _VEGA_CAPTION.match(text)
            assert not (caption and edition == "ja"), f"Vega's English caption in a Japanese chart: {text}"
            text = next((g for g in caption.groups() if g), "") if caption else text
            # (a part without ": " goes on the value before it: sources are listed with "; ")
            parts = [p.split(": ", 1) for p in text.split("; ") if ": " in p] if kind == "aria-label" else []
            for part in parts if "; " in text else []:
                assert not re.fullmatch(r"[a-z_0-9]+", part[0]), (edition, text)
                if edition == "ja":
                    assert re.search(r"[\u3000-\u9fff]", part[0]), text  # the encoding's Japanese title
            if edition == "ja":
                for word in re.findall(r"[A-Za-z0-9.&/-]*[a-z][A-Za-z0-9.&/-]*", text):
                    assert word in own, (word, text)
        if edition == "ja" and stem == "china":
            values = {v for _, t in drawn for p in t.split("; ") for k, _, v in [p.partition(": ")] if k == "数字"}
            assert values == {"実績", "予測"}, values  # reported, forecast


# What Vega lets no spec name (vega-scenegraph util/aria.js: AriaGuides, ariaMark): a guide's role and a
# mark container's.  Everything a reader moves through item by item is named in the edition's words.
_VEGA_FIXED_ROLES = re.compile(r"^(?:axis|legend|title|subtitle|\w+ mark container)$")


@pytest.mark.parametrize("stem", PAGES)
def test_a_japanese_chart_names_its_marks_and_labels_its_guides_in_japanese(site, stem):
    """A screen reader heard "bar mark", "X-axis titled '金額' for a linear scale with values from 0 to 1,600"
    and "Title text '…'" in the Japanese charts: their marks are now 棒, 線, 点, their axes 横軸：…, 縦軸：…,
    their legends 凡例：…, their titles 表題：… (macros/charts/aria.py), in the static drawing and the
    Vega that drives the live view alike.  English keeps Vega's own words."""
    from html import unescape

    html = _html(site.site, "ja", stem)
    svgs = re.findall(r'<svg class="chart__drawing.*?</svg>', html, re.S)
    roles = {unescape(r) for svg in svgs for r in re.findall(r'aria-roledescription="([^"]*)"', svg)}
    labels = [unescape(a) for svg in svgs for a in re.findall(r'aria-label="([^"]*)"', svg)]
    if not svgs:
        return
    assert {r for r in roles if not _VEGA_FIXED_ROLES.match(r)} <= {"棒", "線", "点", "文字", "表題", "副題", "面",
                                                                     "四角形", "目盛り", "扇形"}, roles
    assert roles & {"棒", "線", "点"}, roles
    assert any(a.startswith(("横軸", "縦軸")) for a in labels), labels
    titled = [svg for svg in svgs if 'aria-roledescription="title"' in svg]
    assert all('aria-label="表題：' in svg for svg in titled), labels
    # The Vega the live view is drawn from says the same.
    specs = re.findall(r'<template class="chart__spec"[^>]*>(.*?)</template>', html, re.S)
    assert specs and all('"description":"横軸' in t or '"description":"縦軸' in t for t in specs), \
        "a live chart without its axes' labels"
    en_svgs = re.findall(r'<svg class="chart__drawing.*?</svg>', _html(site.site, "en", stem), re.S)
    assert not any("表題" in svg or "横軸" in svg for svg in en_svgs)
    assert any("mark" in r for svg in en_svgs for r in re.findall(r'aria-roledescription="([^"]*)"', svg))


def test_the_japanese_charts_are_drawn_and_served_in_the_face_they_are_measured_in(site):
    """Measured in IPAexGothic at build time (theme.FONT_JA), and served to readers as a WOFF2 of just
    the characters the charts show, named by the edition's stylesheet (a reader without the font saw
    the labels in another face's widths)."""
    from macros.charts.theme import FONT_JA

    html = _html(site.site, "ja", "stimulus")
    faces = set(re.findall(r'<svg class="chart__drawing.*?</svg>', html, re.S))
    assert faces and all("font-family=" in svg for svg in faces)
    named = {f for svg in faces for f in re.findall(r'font-family="([^"]+)"', svg)}
    assert named == {FONT_JA.replace("'", "&#x27;")} or named == {FONT_JA}, named
    overview = "".join(re.findall(r'<svg class="chart__drawing.*?</svg>', _html(site.site, "ja", "index"), re.S))
    assert overview and "Liberation Sans" not in overview
    font = site.site / "ja" / "assets" / "fonts" / "charts-ja.woff2"
    assert font.read_bytes()[:4] == b"wOF2" and 10_000 < font.stat().st_size < 200_000
    css = (site.site / "ja" / "assets" / "fonts-ja.css").read_text(encoding="utf-8")
    assert 'src: url("fonts/charts-ja.woff2") format("woff2")' in css and "font-family: IPAexGothic;" in css
    # Linked off the first paint's path (charts.js applies it once the page has painted), and as it
    # was for a reader without JavaScript (overrides/main.html).
    assert '<link rel="stylesheet" href="../assets/fonts-ja.css" media="print" data-chart-font>' in html
    assert '<noscript><link rel="stylesheet" href="../assets/fonts-ja.css"></noscript>' in html
    assert "fonts-ja.css" not in _html(site.site, "en", "stimulus")


def test_the_root_sitemap_lists_both_editions(site, base):
    locs = re.findall(r"<loc>([^<]+)</loc>", (site.site / "sitemap.xml").read_text(encoding="utf-8"))
    assert all(u.startswith(base) for u in locs)
    assert {u[len(base):] for u in locs} >= {url_of(s) for s in PAGES} | {"ja/" + url_of(s) for s in PAGES}
    import gzip

    assert gzip.decompress((site.site / "sitemap.xml.gz").read_bytes()).decode() == \
        (site.site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_japanese_search_index_finds_a_japanese_term(site):
    index = json.loads((site.site / "ja" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ja"]
    found = [d["location"] for d in index["docs"] if SEARCH_TERM in d["text"]]
    assert found and all(loc.startswith("stimulus/") for loc in found), found
    english = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert english["config"]["lang"] == ["en"] and not any(SEARCH_TERM in d["text"] for d in english["docs"])


@pytest.mark.browser
def test_a_japanese_search_in_the_browser(served, chromium):
    """Material's search, with its Japanese segmenter (lunr.ja, TinySegmenter), finds a Japanese word."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.base + "ja/")
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill(SEARCH_TERM)  # as an input method enters it: at once
    page.locator(".md-search__input").press("End")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15000)
    href = result.get_attribute("href")
    context.close()
    assert "stimulus/" in href, href


@pytest.mark.parametrize("stem", PAGES)
def test_japanese_pages_punctuate_as_japanese_does(site, stem):
    """No space after a full-width colon (「出典：AInvest」, not 「出典： AInvest」), lists run with 「、」,
    not ", ", and no ASCII colon after Japanese text: the labels and lists the build writes, not only
    the prose."""
    from html import unescape

    html = _html(site.site, "ja", stem).split("<article", 1)[1].split("</article>", 1)[0]
    html = re.sub(r"<svg.*?</svg>|<template.*?</template>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    wrong = [text[max(0, m.start() - 12):m.end() + 12] for m in
             re.finditer(r"： |[^\x00-\x7f], [^\x00-\x7f]|[^\x00-\x7f]: ", text)]
    assert not wrong, wrong[:5]


def test_the_japanese_verdict_scale_names_each_verdict_with_the_full_width_colon(site):
    """「正確：根拠が…」, as Japanese writes a term and its definition; "正確: 根拠が…" read as English typed into it."""
    html = _html(site.site, "ja", "claims")
    scale = html.split('<ul class="verdict-scale">', 1)[1].split("</ul>", 1)[0]
    assert scale.count("</span>：") == 5 and "</span>:" not in scale, scale[:400]
    english = _html(site.site, "en", "claims").split('<ul class="verdict-scale">', 1)[1].split("</ul>", 1)[0]
    assert english.count("</span>: ") == 5


@pytest.mark.browser
@pytest.mark.parametrize("width, js", [(1280, True), (1280, False), (375, True)])
def test_the_japanese_audit_sets_type_as_japanese_does(served, chromium, width, js):
    """Quotes in 「」 (a <q>, quoted as its page's language quotes, not “” typed in); a verdict on one line (Japanese breaks
    between any two characters, and a narrow column once set 説明不足 one character to a line); a
    phone's row label ending in its full-width colon with no space added after it."""
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
    page = context.new_page()
    page.goto(served.base + "ja/claims/")
    state = page.evaluate("""() => {
        const rows = [...document.querySelectorAll('table.claims-table tbody tr')];
        const q = rows[0].querySelector('q');
        const label = getComputedStyle(rows[0].lastElementChild, '::before').content;
        // A <q> quotes as its language quotes (CSS quotes: auto): Chromium's Japanese marks are 「」.
        return {rows: rows.length, open: q && [getComputedStyle(q, '::before').content, getComputedStyle(q).quotes,
                                               q.closest('[lang]').lang],
                lines: rows.map((r) => { const v = r.querySelector('.verdict'), style = getComputedStyle(v);
                    const inner = v.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
                        - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
                    return Math.round(inner / parseFloat(style.lineHeight)); }), label};
    }""")
    context.close()
    assert state["rows"] > 20 and state["open"] == ["open-quote", "auto", "ja"], state
    assert set(state["lines"]) == {1}, f"a verdict set on several lines: {state['lines']}"
    if width < 700:  # the rows are stacked, each cell named by its label
        assert state["label"].startswith('"掲載章："') and '"掲載章： "' not in state["label"], state["label"]


@pytest.mark.browser
@pytest.mark.parametrize("stem", ["index", "stimulus", "updates"])
def test_japanese_text_is_drawn_in_a_face_the_page_names(served, chromium, stem):
    """No Japanese character of a page's prose is left to the browser's fallback, which asks the system
    for a face run by run: in Chromium on Linux that made laying out a Japanese page 4-5 times slower
    than an English one, and its first paint later (docs/assets/explainer.css, MAINTAINERS.md).  Every
    face Chromium draws the lede and the first list in is one the page's font-family names (Arial by
    its metric-compatible stand-in on Linux, Liberation Sans), and none is a web font: once charts.js
    has turned the charts' face on (IPAexGothic, cut to the charts' characters), prose named by that
    name was set partly in it, partly in the installed face, and laid out again (105 ms)."""
    context = chromium.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(served.base + "ja/" + url_of(stem))
    page.wait_for_function("() => [...document.querySelectorAll('link[data-chart-font]')].every(l => l.media === 'all')"
                           " && document.fonts.status === 'loaded'")
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    named = [f.strip().strip('"') for f in page.evaluate(
        "() => getComputedStyle(document.querySelector('.md-content__inner > p')).fontFamily").split(",")]
    used = []
    for selector in (".md-content__inner > p", ".md-content__inner li"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used += cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    context.close()
    assert "IPAexゴシック" in named, named  # the Japanese face Debian's chromium has, named
    aliases = {"Liberation Sans": "Arial", "IPAexGothic": "IPAexゴシック"}
    assert used and all(aliases.get(f["familyName"], f["familyName"]) in named for f in used), (used, named)
    assert not [f for f in used if f["isCustomFont"]], f"prose set in a web font: {used}"


# -- faults, each in a copy of the real project ---------------------------------------------------
@pytest.fixture
def broken(tmp_path) -> Path:
    return copy_project(tmp_path / "broken", editions=True)


def _line(path: Path, pattern: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines) if after in text) if after else 0
    return next(n for n, text in enumerate(lines[start:], start + 1) if re.search(pattern, text))


def test_a_missing_or_orphan_translation_fails_at_its_line_and_publishes_nothing(broken, tmp_path, chart_cache):
    ja = broken / "data" / "ja" / "stimulus.yml"
    text = ja.read_text(encoding="utf-8")
    # The Japanese label of one figure goes; a figure English does not have comes.
    text, gone = re.subn(r"(\n  ai_semis_total:\n)    label: [^\n]*\n", r"\1", text, count=1)
    assert gone == 1
    text = text.replace("figures:\n", "figures:\n  no_such_figure:\n    label: なし\n", 1)
    ja.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "published.txt").write_text("the last good site")
    result = build(broken, site, EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode != 0
    english_line = _line(broken / "data" / "stimulus.yml", r"^\s+label:", after="  ai_semis_total:")
    assert f"data/stimulus.yml:{english_line}: figures.ai_semis_total.label: no ja text" in result.output
    assert "data/ja/stimulus.yml under figures: ai_semis_total: label:" in result.output
    orphan_line = _line(ja, r"^  no_such_figure:")
    assert f"data/ja/stimulus.yml:{orphan_line}: figures.no_such_figure:" in result.output
    # Nothing was published: site/ is as it was, and no staging folder is left beside it.
    assert sorted(p.name for p in site.iterdir()) == ["published.txt"]
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-")]


def test_a_chart_string_without_its_translation_fails_at_the_chart_function(broken, tmp_path, chart_cache):
    """And, in the same build, a chart text that no chart shows (a chart changed, its old text left behind)
    fails at its own line of data/ja/charts.yml, as an orphan translation of a figure does."""
    charts = broken / "data" / "ja" / "charts.yml"
    text = charts.read_text(encoding="utf-8")
    gone = '    "Billion yen": "金額"\n'
    assert gone in text
    text = text.replace(gone, "")
    stale = '    "Robots per 10,000": "1万人あたりの台数"\n'  # robot_density's old tooltip title
    text = text.replace('    "Country": "国"\n', '    "Country": "国"\n' + stale, 1)
    assert stale in text
    charts.write_text(text, encoding="utf-8")
    result = build(broken, tmp_path / "site", EXPLAINER_CACHE_DIR=str(chart_cache), SOCIAL_CARDS="false")
    assert result.returncode != 0
    found = re.findall(r"macros/(charts/(?:catalog|linecharts)\.py):(\d+): \w+: the chart failed to render: the chart shows \d+ "
                       r"string\(s\) with no ja text: [^\n]*'Billion yen'", result.output)
    assert found, result.output[-3000:]
    for file, line in found:  # the line of the chart function that writes it
        assert "Billion yen" in (ROOT / "macros" / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    line = _line(charts, r'"Robots per 10,000":')
    assert (f"data/ja/charts.yml:{line}: robot_density.texts.Robots per 10,000: chart 'robot_density' does not "
            f"show 'Robots per 10,000'") in result.output, result.output[-3000:]
    assert result.output.count("does not show") == 1  # the charts that failed are not judged


def test_a_number_typed_into_a_japanese_page_is_reported_at_its_own_file(broken, tmp_path, chart_cache):
    page = broken / "docs" / "ja" / "stimulus.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    page.write_text("".join(lines) + "\n予算は3873億円である。\n", encoding="utf-8")
    result = build(broken, tmp_path / "site", EXPLAINER_CACHE_DIR=str(chart_cache), SOCIAL_CARDS="false")
    assert result.returncode != 0
    assert f"docs/ja/stimulus.md:{len(lines) + 2}: '3873億円' looks like a number typed by hand" in result.output


def test_an_id_in_a_japanese_text_is_reported_at_its_line(tmp_path):
    """An id readers cannot read stops the Japanese build at the Japanese text's line, as in English
    (a note once read 「2023年のデータは robot_density の系列にある」)."""
    import shutil

    from macros.data.load import load
    from macros.errors import DataError
    from macros.pages.overlay import load_overlay, localize

    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data" / "ja" / "risks.yml"
    text = path.read_text(encoding="utf-8")
    assert "国別のロボット密度の図表にある" in text
    path.write_text(text.replace("国別のロボット密度の図表にある", "robot_density の系列にある", 1), encoding="utf-8")
    line = _line(path, "robot_density の系列")
    with pytest.raises(DataError) as caught:
        localize(load(tmp_path / "data"), load_overlay(tmp_path, "ja"), tmp_path)
    assert f"data/ja/risks.yml:{line}" in str(caught.value) and "names the id 'robot_density'" in str(caught.value)


def test_an_interface_string_without_its_translation_is_a_problem_at_its_call():
    from macros.pages import i18n
    from macros.pages.markup import source_short
    from macros.data.model import Origin, Source

    i18n.set_locale("ja", {"source_short": "{publisher}、{date}"})
    try:
        assert source_short(Source("s", "T", "P", None, None, Origin("data/sources.yml", 1))) == "P、undated"
        problems = i18n.drain()
    finally:
        i18n.set_locale("en")
    assert [(p.file, p.key) for p in problems] == [("macros/pages/markup.py", "undated")]
    line = (ROOT / "macros" / "pages" / "markup.py").read_text(encoding="utf-8").splitlines()[problems[0].line - 1]
    assert 't("undated", "undated")' in line and "data/ja/site.yml: undated:" in problems[0].hint
    assert i18n.t("undated", "undated") == "undated" and i18n.drain() == []  # English: as written


def test_an_english_page_without_its_japanese_page_fails_and_so_does_a_page_of_its_own(broken, tmp_path, chart_cache):
    project = broken
    (project / "docs" / "ja" / "risks.md").unlink()
    (project / "docs" / "ja" / "extra.md").write_text("# 追加\n", encoding="utf-8")
    result = build(project, tmp_path / "site", EXPLAINER_CACHE_DIR=str(chart_cache), SOCIAL_CARDS="false")
    assert result.returncode != 0
    assert "docs/risks.md: has no ja page" in result.output and "docs/ja/risks.md" in result.output
    assert "docs/ja/extra.md: has no English page" in result.output


@pytest.mark.parametrize("text", ["{n.__class__}", "{n[0]}", "{n!r}", "{n:>99}", "{0}", "{}", "open {brace", "a } alone"])
def test_an_interface_string_whose_placeholder_is_more_than_a_name_stops_at_its_line(tmp_path, text):
    """The pages fill interface strings in with str.format, which follows attributes and items and applies
    format specs: text from data/ is never evaluated, so only {name} passes (and {{ }} for a brace)."""
    from macros.errors import DataError
    from macros.pages import overlay as overlays

    folder = tmp_path / "data" / "ja"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(f'ok: "全{{n}}件、{{{{括弧}}}}"\nbad: {json.dumps(text)}\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        overlays.load_overlay(tmp_path, "ja")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.key) == ("data/ja/site.yml", 2, "bad"), problem


# -- the overlay's formats, in-process (no build) ---------------------------------------------------
@pytest.fixture(scope="session")
def overlaid(ja_project):
    """The stand-in edition's data, localized, with a glossary term of its own and a chart text naming a figure."""
    import yaml

    from macros.pages import i18n, overlay as overlays
    from macros.data.load import load

    glossary = ja_project / "data" / "ja" / "glossary.yml"
    doc = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    doc["terms"]["METI"] = {"term": "経済産業省", "definition": "日本の省庁。"}
    glossary.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    data = load(ja_project / "data")
    overlay = overlays.load_overlay(ja_project, "ja")
    i18n.set_locale("ja", overlay.ui)
    try:
        local = overlays.localize(data, overlay, ja_project)
    finally:
        i18n.set_locale("en")  # at once: the session's other tests run in English
    return data, overlay, local


def test_every_text_kind_is_replaced_by_the_editions(overlaid):
    data, overlay, local = overlaid
    assert local.figures["stimulus.ai_semis_total"].label == MARK + data.figures["stimulus.ai_semis_total"].label
    revised = local.figures["rapidus.private_partners"].revisions[0]
    assert revised.reason.startswith(MARK) and revised.previous == 30  # a reason, by its place in the list
    derived = next(f for f in local.figures.values() if f.derived)
    assert derived.formula.startswith(MARK) and derived.label.startswith(MARK)  # data/ja/derived.yml, by full id
    density = local.series["risks.robot_density"]
    assert all(name.startswith(MARK) for name in density.names)
    japan = local.figures["risks.robot_density.japan"]
    assert japan.label == overlay.ui["series_point"].format(  # site.yml: series_point
        series=density.label, point=density.names[density.points.index(japan)])
    assert local.glossary["経済産業省"] == "日本の省庁。" and "METI" not in local.glossary
    assert all(s.publisher.startswith(MARK) for s in local.sources.values())
    assert all(s.title == data.sources[s.id].title for s in local.sources.values())  # a title is a name: kept
    assert local.claims["total"].evidence.startswith(MARK)


def test_a_chart_text_may_name_a_figure_and_is_found_within_a_longer_string(overlaid):
    from macros.pages import format as fmt
    from macros.charts.translated import expand, translate_spec

    data = overlaid[0]
    texts = expand({"Rapidus in all: {rapidus.fy2026_parts}": "ラピダス計：{rapidus.fy2026_parts}",
                    "Japan": "日本", "Billion yen": "億円"}, data, "ja")
    value = fmt.value(data.figures["rapidus.fy2026_parts"], locale="ja")
    assert texts[f"Rapidus in all: {value}"] == f"ラピダス計：{value}"
    spec = {"title": "Billion yen", "datasets": {"d": [{"name": "Japan", "note": "Japan: 419", "id": "risks.x"}]},
            "encoding": {"color": {"field": "name", "scale": {"domain": ["Japan"]}}}, "mark": {"color": "currentColor"},
            "transform": [{"filter": "datum.name == 'Japan'"}], "description": "TSMCの熊本",
            "y": {"field": "name", "sort": ["Japan"]}, "x": {"field": "value", "sort": "ascending"}}
    out = translate_spec(spec, texts)
    assert out["title"] == "億円" and out["datasets"]["d"][0] == {"name": "日本", "note": "日本: 419", "id": "risks.x"}
    assert out["encoding"]["color"]["scale"]["domain"] == ["日本"] and out["mark"]["color"] == "currentColor"
    assert out["transform"][0]["filter"] == "datum.name == '日本'"  # the data it compares with is translated too
    assert out["description"] == "TSMCの熊本"  # the edition's words, acronyms and all
    assert out["y"] == {"field": "name", "sort": ["日本"]} and out["x"]["sort"] == "ascending"  # an order of data
    with pytest.raises(KeyError) as missing:
        translate_spec({"title": "Japan: No. 5 in the world", "x": {"title": "日本 in all"}}, texts)
    assert missing.value.args == ("Japan: No. 5 in the world", "日本 in all")


def test_a_category_in_lower_case_and_a_label_beside_japanese_digits_are_translated_and_recorded():
    """"reported" passed for an identifier and "Equity, FY2025: 1000億円" for the edition's own (its
    digits are Japanese): both stayed English in the Japanese charts.  Each English text used is noted
    (charts/translated.py: unused_texts finds those no chart uses)."""
    from macros.charts.translated import translate_spec, unused_texts

    texts = {"reported": "実績", "Equity, FY2025: ": "出資（2025年度）：", "Series": "系列", "Unused": "未使用"}
    spec = {"datasets": {"d": [{"status": "reported", "note": "Equity, FY2025: 1000億円", "id": "risks.x"}]},
            "encoding": {"detail": {"field": "series", "title": "Series"}},
            "transform": [{"filter": "datum.status == 'reported'"}]}
    used: set[str] = set()
    out = translate_spec(spec, texts, (), used)
    assert out["datasets"]["d"][0] == {"status": "実績", "note": "出資（2025年度）：1000億円", "id": "risks.x"}
    assert out["encoding"]["detail"] == {"field": "series", "title": "系列"}  # the field's name stays
    assert out["transform"][0]["filter"] == "datum.status == '実績'"
    assert used == {"reported", "Equity, FY2025: ", "Series"}

    from macros.pages.overlay import Entry, Overlay
    from macros.data.yamlfile import Located

    given = Located(texts)
    given.line, given.key_lines = 3, {k: n for n, k in enumerate(texts, 4)}
    overlay = Overlay("ja", {}, {}, {"some_chart": Entry({"texts": given}, "data/ja/charts.yml", 3, {"texts": 3})})
    problems = unused_texts(overlay, {"some_chart": used})
    assert [(p.file, p.line, p.key) for p in problems] == [("data/ja/charts.yml", 7, "some_chart.texts.Unused")]
    assert unused_texts(overlay, {}) == []  # a chart not drawn is not judged


def test_the_chart_font_is_cut_once_per_set_of_characters(site, tmp_path, monkeypatch):
    """Cutting the Japanese chart face (editions.chart_font) took about 0.6 s of every build of both
    editions: kept in the chart cache by the characters shown, it is cut again only when they change."""
    import shutil

    from macros.build import editions
    from macros.charts import draw as renderer

    calls = []
    real = renderer.web_font
    monkeypatch.setattr(renderer, "web_font", lambda text, lang: calls.append(text) or real(text, lang))
    shutil.copytree(site.site / "ja" / "stimulus", tmp_path / "ja" / "stimulus")
    cache = tmp_path / "cache"
    editions.chart_font(tmp_path / "ja", "ja", cache)
    font = tmp_path / "ja" / editions.CHART_FONT.format(lang="ja")
    first = font.read_bytes()
    font.unlink()
    editions.chart_font(tmp_path / "ja", "ja", cache)
    assert len(calls) == 1 and font.read_bytes() == first and first[:4] == b"wOF2"
    page = tmp_path / "ja" / "stimulus" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</text>", "鬱</text>", 1), encoding="utf-8")
    editions.chart_font(tmp_path / "ja", "ja", cache)
    assert len(calls) == 2 and "鬱" in calls[1]
