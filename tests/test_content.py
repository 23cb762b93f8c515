"""The content of the chapters (issue 4): claims placed where the audit says,
every source and figure used, charts in their chapters, the nav in reading
order, and glossary terms explained wherever they appear."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from macros.data import load as data
from macros.charts.catalog import CHARTS
from macros.data.load import FIG_TOKEN
from macros.pages.html import anchor
from tools.scan_numbers import scan_text

from .chapters import chapters, is_reference, nav
from .conftest import ROOT

DATA = data.load(ROOT / "data")
DOCS = ROOT / "docs"
pytestmark = pytest.mark.slow

# From mkdocs.yml's nav (tests/chapters.py): adding a chapter is a page and its nav line.
CHAPTERS = chapters(ROOT)
READING_ORDER = tuple(nav(ROOT))
# The home page and the chapters: the pages written as prose, each with its own description.
PROSE_PAGES = ("index", *CHAPTERS)
# The reference pages, after every chapter, in this order (each lists the whole site).
REFERENCE_PAGES = (("Claims audit", "claims.md"), ("Updates", "updates.md"), ("Sources and method", "sources.md"))
CALL = re.compile(r"""\b(fig|as_of|chart|claim)\(\s*["']([^"']+)["']""")


def source(page: str) -> str:
    return (DOCS / f"{page}.md").read_text(encoding="utf-8")


def calls(page: str, kind: str) -> list[str]:
    return [ident for k, ident in CALL.findall(source(page)) if k == kind]


def url_dir(page: str) -> str:
    """The built page's name for BuildResult.page ('' is the home page)."""
    return "" if page == "index" else page


# -- Claims -------------------------------------------------------------------------------

@pytest.mark.parametrize("cid", sorted(DATA.claims))
def test_claim_is_in_the_audit_linked_to_its_chapter_and_placed_there_once(site, cid):
    claim = DATA.claims[cid]
    ident = anchor("claim", cid)
    assert ident == "claim-" + cid.replace("_", "-").replace(".", "-")
    assert claim.page in CHAPTERS, f"{cid}: page '{claim.page}' is not a chapter"
    audit = site.page("claims")
    row = re.search(rf'<tr id="{re.escape(ident)}"[^>]*>(.*?)</tr>', audit, re.S)
    assert row, f"{cid} is missing from the claims audit"
    assert f'href="../{claim.page}/#{ident}"' in row.group(1), f"{cid}: the audit does not link to its chapter"
    for chapter in CHAPTERS:
        count = site.page(chapter).count(f'id="{ident}"')
        expected = 1 if chapter == claim.page else 0
        assert count == expected, f"{cid}: id {ident} appears {count} times on {chapter}/, expected {expected}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_places_exactly_its_own_claims(chapter):
    placed = calls(chapter, "claim")
    own = sorted(c.id for c in DATA.claims.values() if c.page == chapter)
    assert own, f"no claim has page: {chapter}"
    assert sorted(placed) == own, f"{chapter}.md places {sorted(placed)}, data/claims.yml assigns {own}"


# -- Sources and figures ------------------------------------------------------------------

def test_every_source_is_cited_by_a_figure_or_a_claim():
    by_events = {sid for e in DATA.events.values() for sid in e.sources}
    uncited = [sid for sid in DATA.sources if not any(DATA.citing(sid)) and sid not in by_events]
    assert not uncited, f"sources cited by no figure, claim or event: {uncited}"


def used_figures() -> set[str]:
    used: set[str] = set()
    for path in DOCS.glob("*.md"):
        used.update(ident for kind, ident in CALL.findall(path.read_text(encoding="utf-8"))
                    if kind in ("fig", "as_of"))
    for c in CHARTS.values():
        for ref in c.uses:
            if ref in DATA.series:
                used.update(p.id for p in DATA.series[ref].points)
            else:
                used.add(ref)
    for c in DATA.claims.values():
        used.update(c.figures)
        used.update(FIG_TOKEN.findall(c.evidence))
    # An event's figures are shown where its chapter places {{ timeline(...) }}.
    timelines = {page for page in CHAPTERS if f'timeline("{page}")' in source(page)}
    for e in DATA.events.values():
        assert e.page in timelines, f"event {e.id}: docs/{e.page}.md places no timeline"
        used.update(FIG_TOKEN.findall(e.text))
    return used


def test_every_figure_is_used_somewhere_or_marked_reference_only():
    used = used_figures()
    unused = sorted(fid for fid, f in DATA.figures.items() if fid not in used and not f.reference_only)
    assert not unused, ("figures no page, chart or claim uses (use them, or mark them "
                        f"reference_only: true): {unused}")


def test_figure_calls_in_pages_name_known_figures():
    for path in DOCS.glob("*.md"):
        for kind, ident in CALL.findall(path.read_text(encoding="utf-8")):
            if kind in ("fig", "as_of"):
                assert ident in DATA.figures, f"{path.name}: {kind}('{ident}') names no figure"


# -- Charts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shows_the_charts_it_places_and_at_least_two(site, chapter):
    placed = calls(chapter, "chart")
    assert len(set(placed)) >= 2, f"{chapter}.md places {placed}"
    html = site.page(chapter)
    for cid in placed:
        assert cid in CHARTS, f"{chapter}.md: unknown chart {cid}"
        assert html.count(f'id="chart-{cid}"') == 1, f"{chapter}/ does not show chart {cid} once"


def test_every_chart_is_placed_on_exactly_one_page():
    """One page a chart: its chapter.  The overview opens with one chapter's chart, its lead (the
    issue "a front door"), and places no other."""
    where = {cid: [p.stem for p in DOCS.glob("*.md") if p.stem != "index" and cid in calls(p.stem, "chart")]
             for cid in CHARTS}
    wrong = {cid: pages for cid, pages in where.items() if len(pages) != 1}
    assert not wrong, f"charts not placed on exactly one page: {wrong}"
    lead = calls("index", "chart")
    assert len(lead) == 1 and where[lead[0]], f"the overview places {lead}: one chapter's chart, its lead"


# -- Front matter ---------------------------------------------------------------------------

@pytest.mark.parametrize("page", PROSE_PAGES)
def test_page_has_a_one_sentence_description_without_digits(page):
    text = source(page)
    front = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert front, f"{page}.md has no front matter"
    description = yaml.safe_load(front.group(1)).get("description", "")
    assert len(description) >= 50, f"{page}.md: description too short"
    assert not re.search(r"\d", description), f"{page}.md: digits in the description"
    assert description.endswith(".") and not re.search(r"[.!?]\s", description), \
        f"{page}.md: the description should be one sentence"


# -- Navigation -----------------------------------------------------------------------------

class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV tags plain YAML does not know."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)


def test_nav_lists_every_chapter_in_reading_order():
    """The overview first, then the chapters, then the reference pages; every page of docs/ in it."""
    conf = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    listed = [next(iter(item.items())) for item in conf["nav"]]
    assert listed[0] == ("Overview", "index.md")
    assert tuple(listed[-len(REFERENCE_PAGES):]) == REFERENCE_PAGES
    assert [path[: -len(".md")] for _, path in listed[1:-len(REFERENCE_PAGES)]] == list(CHAPTERS)
    assert len(CHAPTERS) >= 5, CHAPTERS
    assert all(is_reference(ROOT, path) for _, path in REFERENCE_PAGES)
    for _, path in listed:
        assert (DOCS / path).exists(), path
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(path for _, path in listed)


def test_built_pages_link_to_the_next_chapter_in_reading_order(site):
    """Follow each page's "Next" footer link: the built site keeps the same order."""
    titles = [title for title, _ in READING_ORDER]
    pages = [path[: -len(".md")] for _, path in READING_ORDER]
    for n, page in enumerate(pages):
        html = site.page(url_dir(page))
        nxt = re.search(r'class="md-footer__link md-footer__link--next" aria-label="Next: ([^"]+)"', html)
        if n + 1 == len(pages):
            assert nxt is None, f"{page}: the last page has a next link"
        else:
            assert nxt and nxt.group(1) == titles[n + 1], f"{page}: next is {nxt and nxt.group(1)}"


# -- Glossary -------------------------------------------------------------------------------

_STRIP = re.compile(r"\A---\n.*?\n---\n|\{\{.*?\}\}|\{%.*?%\}|^```.*?^```|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|\{:[^}]*\}",
                    re.S | re.M)


def prose(page: str) -> str:
    """The page's own words: without front matter, macro calls, code, link targets and tags."""
    return _STRIP.sub(" ", source(page))


class _Abbrs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: set[tuple[str, str]] = set()
        self._title: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "abbr":
            self._title, self._text = dict(attrs).get("title"), []

    def handle_data(self, text):
        if self._title is not None:
            self._text.append(text)

    def handle_endtag(self, tag):
        if tag == "abbr" and self._title is not None:
            self.found.add(("".join(self._text), self._title))
            self._title = None


def abbrs(html: str) -> set[tuple[str, str]]:
    parser = _Abbrs()
    parser.feed(html)
    return parser.found


def test_glossary_has_terms():
    assert len(DATA.glossary) >= 10


@pytest.mark.parametrize("page", [path[: -len(".md")] for _, path in READING_ORDER])
def test_glossary_terms_in_a_page_are_explained_there(site, page):
    terms = sorted(DATA.glossary, key=len, reverse=True)  # as the abbr extension matches them
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b")
    occurring = set(pattern.findall(prose(page)))
    shown = abbrs(site.page(url_dir(page)))
    missing = sorted(t for t in occurring if (t, DATA.glossary[t]) not in shown)
    assert not missing, f"{page}/: terms without their <abbr title=...>: {missing}"


def test_chapters_use_the_glossary():
    """The glossary test above means something only if chapters contain terms."""
    terms = sorted(DATA.glossary, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b")
    for chapter in CHAPTERS:
        assert pattern.search(prose(chapter)), f"{chapter}.md uses no glossary term"


@pytest.mark.parametrize("name, link", [("", "sources/"), ("sources", "./")])
def test_overview_and_method_say_where_the_evidence_stops(site, name, link):
    """A reader a year on must see that nothing after the evidence is covered; the date comes from data.
    It is the newest date any figure stands as of, or any source is dated: a figure an undated source
    gives can be newer than every dated source (the Rapidus funding round of February 2026 is)."""
    from macros.pages import format as fmt

    newest = max((s for s in DATA.sources.values() if s.date), key=lambda s: (s.date, s.id))  # ties: last id
    latest = max(DATA.figures.values(), key=lambda f: (f.as_of, f.id))
    page = site.page(name)
    if latest.as_of > newest.date:
        target, shown = anchor("fig", latest.id), fmt.day(latest.as_of)
    else:
        target, shown = anchor("src", newest.id), fmt.day(newest.date)
    assert f'href="{link}#{target}"' in page
    assert re.search(rf'href="{re.escape(link)}#{target}"[^>]*>{re.escape(shown)}</a>', page)
    assert f'id="{target}"' in site.page("sources"), "the link lands on its entry"


def test_evidence_until_prefers_a_figure_newer_than_every_dated_source():
    import dataclasses
    from datetime import timedelta

    from macros.pages import format as fmt
    from macros.pages.markup import Markup

    newest = max(s.date for s in DATA.sources.values() if s.date)
    fig = next(iter(DATA.figures.values()))
    later = dataclasses.replace(fig, as_of=newest + timedelta(days=365))
    html = Markup(dataclasses.replace(DATA, figures={**DATA.figures, fig.id: later})).evidence_until("")
    assert f"#{anchor('fig', fig.id)}" in html and html.endswith(f">{fmt.day(later.as_of)}</a>")
    only_sources = {k: dataclasses.replace(f, as_of=min(f.as_of, newest)) for k, f in DATA.figures.items()}
    html = Markup(dataclasses.replace(DATA, figures=only_sources)).evidence_until("")
    assert "#src-" in html and html.endswith(f">{fmt.day(newest)}</a>")
    assert html == Markup(dataclasses.replace(DATA, figures={})).evidence_until(""), "no figures: the sources say"


def test_evidence_until_without_any_dated_source_says_what_to_fix():
    import dataclasses

    from macros.errors import DataError
    from macros.pages.markup import Markup

    undated = dataclasses.replace(DATA, sources={k: dataclasses.replace(s, date=None) for k, s in DATA.sources.items()})
    with pytest.raises(DataError, match="no source has a date"):
        Markup(undated).evidence_until("")


def test_every_macro_an_author_can_call_is_documented_in_the_readme():
    """The README is where an author learns the page vocabulary: a macro missing there is one nobody finds."""
    from .test_writing import registered_macros

    names = registered_macros()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The README sends authors to its writing guide, where the vocabulary is (tests/test_writing.py).
    assert "(WRITING.md)" in readme
    readme += (ROOT / "WRITING.md").read_text(encoding="utf-8")
    assert names, "define_env registered no macro"
    missing = [n for n in names if f"{{{{ {n}(" not in readme]
    assert not missing, f"macros the README does not show: {missing}"


def _index_row(html: str, fid: str) -> str:
    html = html.replace("<wbr>", "")
    start = html.index(f'id="{anchor("fig", fid)}"')
    return html[start:html.index("</tr>", start)]


def test_the_figure_index_says_where_readers_meet_each_figure(site):
    """Its "Shown on" column once listed prose only: a plotted figure read "—", as if no page showed it."""
    html = site.page("sources")
    claim_no = {cid: n for n, cid in enumerate(DATA.claims, 1)}
    checked = 0
    for cid, chart in sorted(CHARTS.items()):
        page = next(p for p in sorted(DOCS.glob("*.md")) if f'chart("{cid}")' in p.read_text(encoding="utf-8"))
        href = "../" if page.stem == "index" else f"../{page.stem}/"
        for fig in chart.figures(DATA):
            cell = _index_row(html, fig.id).rsplit("<td", 1)[1]
            assert "chart: " in cell and f'href="{href}"' in cell.split("chart: ", 1)[1], (fig.id, cell)
            checked += 1
    for c in DATA.claims.values():
        for fid in {*c.figures, *FIG_TOKEN.findall(c.evidence)}:
            cell = _index_row(html, fid).rsplit("<td", 1)[1]
            assert f'#{anchor("claim", c.id)}">{claim_no[c.id]}</a>' in cell, (fid, c.id, cell)
            checked += 1
    assert checked > 50
    rows = re.findall(r'<tr id="fig-[^"]+"[^>]*>(.*?)</tr>', html.replace("<wbr>", ""), re.S)
    assert len(rows) == len(DATA.figures)
    blank = [r for r in rows if r.rstrip().endswith("—</td>")]
    assert not blank, f"{len(blank)} figures are shown nowhere"


def test_the_bibliography_numbers_claims_as_the_audit_does(site):
    html = site.page("sources")
    listed = re.findall(r"Claims: (.*?)</p></details>", html)
    assert listed
    for cell in listed:
        assert re.fullmatch(r'(<a href="[^"]+#claim-[^"]+">\d+</a>(, )?)+', cell), cell


# -- Verdicts, events and revisions (December 2026) ---------------------------------------

def test_every_verdict_rests_on_a_source_with_an_address():
    """A verdict is only as good as what a reader can follow: each claim cites, besides the
    article, at least one source, and every source it cites has a URL."""
    for c in DATA.claims.values():
        evidence = [s for s in c.sources if s != "article"]
        assert evidence, f"{c.id}: no source but the article"
        for sid in c.sources:
            assert DATA.sources[sid].url, f"{c.id}: source {sid} has no URL"
        for r in c.revisions:
            for sid in r.sources:
                assert DATA.sources[sid].url, f"{c.id}: revision cites {sid}, which has no URL"


def test_every_event_is_dated_and_rests_on_a_source_with_an_address():
    assert DATA.events, "data/events.yml lists no event"
    for e in DATA.events.values():
        assert e.sources, f"event {e.id} has no source"
        for sid in e.sources:
            assert DATA.sources[sid].url, f"event {e.id}: source {sid} has no URL"
            assert DATA.sources[sid].date, f"event {e.id}: source {sid} has no date"
        assert e.page in CHAPTERS, f"event {e.id}: page '{e.page}' is not a chapter"
        # The same rule as for pages (tools/scan_numbers.py): years and a few names only.
        assert not scan_text(e.title), f"event {e.id}: a number typed in its title"
        assert not scan_text(FIG_TOKEN.sub(" ", e.text)), f"event {e.id}: a number typed in its text; use [[figure]]"


def test_every_changed_figure_and_verdict_records_the_revision():
    """This round's corrections each leave a revision (the figures and verdicts readers saw change)."""
    assert DATA.figures["rapidus.private_partners"].revisions[-1].previous == 30
    for cid, before in (("rapidus_fy2026", "supported"), ("rapidus_cumulative", "supported_with_caveat"),
                        ("agreement_1986", "contradicted")):
        assert DATA.claims[cid].revisions[-1].previous == before, cid


def test_the_verdict_scale_is_the_fact_checkers_one_with_a_definition_each():
    from macros.data.model import VERDICT_DEFINITIONS, VERDICTS

    assert list(VERDICTS) == ["accurate", "needs_context", "misleading", "inaccurate", "cannot_check"]
    assert VERDICTS["cannot_check"] == "Cannot be checked"
    assert set(VERDICT_DEFINITIONS) == set(VERDICTS) and all(VERDICT_DEFINITIONS.values())
    assert 'verdict_scale()' in source("claims"), "the audit page does not show the scale"


def test_cannot_be_checked_never_looks_like_a_pass():
    """Material's "question" type, which the old scale used for "Unverifiable", is green: an unchecked
    claim looked like a pass. Each verdict now has its own class; only "Accurate" is green or has the
    check mark, and "Cannot be checked" is a neutral grey."""
    from macros.pages.markup import VERDICT_STYLE
    from macros.data.model import VERDICTS

    assert set(VERDICT_STYLE) == set(VERDICTS)
    material_types = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
                      "bug", "example", "quote"}
    assert not set(VERDICT_STYLE.values()) & material_types, "a verdict borrows a Material type and its icon"
    css = (DOCS / "assets" / "explainer.css").read_text(encoding="utf-8")
    grey = re.search(r"--explainer-verdict-cannot-check:\s*#([0-9a-f]{6})", css).group(1)
    r, g, b = (int(grey[i:i + 2], 16) for i in (0, 2, 4))
    assert max(r, g, b) - min(r, g, b) <= 16, f"'Cannot be checked' is #{grey}, not a neutral grey"
    rule = re.search(r"\.verdict-cannot-check > \.admonition-title::before \{(.*?)\}", css, re.S).group(1)
    assert "success" not in rule and "question" not in rule, rule
    for verdict in VERDICTS:
        if verdict != "accurate":
            block = css[css.index(f".{VERDICT_STYLE[verdict]} > .admonition-title::before"):]
            assert "--md-admonition-icon--success" not in block.split("}", 1)[0], verdict
    for verdict in VERDICTS:
        assert f".md-typeset .verdict--{verdict} " in css, f"no audit-table colour for {verdict}"


def test_the_overview_counts_verdicts_from_the_data(site):
    """The overview states counts only through verdict_summary(), computed from data/claims.yml."""
    assert "verdict_summary()" in source("index")
    from macros.pages.markup import VERDICT_PHRASES

    counts = {v: sum(c.verdict == v for c in DATA.claims.values()) for v in VERDICT_PHRASES}
    import html

    text = html.unescape(re.sub(r"<[^>]+>", "", site.page("")))
    assert f"We checked {len(DATA.claims)} of the article's claims: " in text
    for v, n in counts.items():
        if n:
            assert f"{n} {VERDICT_PHRASES[v][n != 1]}" in text, (v, n)
