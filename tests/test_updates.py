"""The corrections record as readers meet it: revised figures' tooltips, re-judged claims, the updates
page, the Atom feed and every page's last-updated date, on a copy of the project given a few
revisions and events (the real data may have none yet)."""

from __future__ import annotations

import filecmp
import re
from datetime import date
from pathlib import Path

import pytest

from macros.data import load as data_module
from macros.pages.updates import Shown, last_updated, updates
from tests.conftest import ROOT, build, copy_project

PREVIEW_URL = "https://example.org/pr-preview/pr-7/"

EQUITY_REVISION = """\
    part_of: stimulus.ai_semis_total
    revisions:
      - date: 2026-01-20
        previous: 120
        reason: An early report gave a lower amount.
        sources: [jiji-2025-12-22]
      - date: 2026-03-10
        previous: 140
        reason: The budget document gives <the> final amount & "more".
        sources: [bloomberg-2025-12-26]
"""
SECTORS_REVISION = """\
    page: stimulus
    revisions:
      - date: 2026-06-01
        previous: supported
        reason: The fields turned out to be policy priorities, not the budget's structure.
        sources: [asahi-2025-11-05]
"""
EVENTS = """\
events:
  equity_round:
    date: 2026-02-27
    title: Rapidus raises new equity
    text: The government's share stands at [[rapidus.equity_fy2026]] in the FY2026 budget.
    page: rapidus
    sources: [bloomberg-2025-12-26]
  budget_passed:
    date: 2026-04-15
    title: The Diet passes the FY2026 budget
    text: The allocation of [[stimulus.ai_semis_total]] stands.
    page: stimulus
    sources: [jiji-2025-12-22]
"""
# Page -> the newest revision or event that touches it, from the edits above: rapidus shows the
# revised equity figure (10 Mar) and its event (27 Feb); stimulus also shows the claim re-judged on 1 Jun.
SCENARIO_PUBLISHED = "2025-12-29"
EXPECTED_LAST_UPDATED = {"rapidus": "2026-03-10", "stimulus": "2026-06-01", "updates": "2026-06-01"}


_REVISIONS_BLOCK = re.compile(r"^    revisions:\n(?:^      .*\n)+", re.M)


def correct(project: Path) -> Path:
    """Give a project copy two revisions of a figure, one of a claim, and two events.

    The real data's own revisions are taken out of the copy first, so that the counts and
    dates below are this scenario's alone (tests/test_content.py checks the real ones)."""
    for path in (project / "data").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        if "    revisions:\n" in text:
            path.write_text(_REVISIONS_BLOCK.sub("", text), encoding="utf-8")
    rapidus = project / "data" / "rapidus.yml"
    text = rapidus.read_text(encoding="utf-8")
    block = text[text.index("  equity_fy2026:"):]
    edited = block.replace("    part_of: stimulus.ai_semis_total\n", EQUITY_REVISION, 1)
    rapidus.write_text(text.replace(block, edited, 1), encoding="utf-8")
    claims = project / "data" / "claims.yml"
    text = claims.read_text(encoding="utf-8")
    start = text.index("  sectors:")
    end = text.index("\n  dollar_total:")
    claims.write_text(text[:start] + text[start:end].replace("    page: stimulus\n", SECTORS_REVISION, 1)
                      + text[end:], encoding="utf-8")
    (project / "data" / "events.yml").write_text(EVENTS, encoding="utf-8")
    # The scenario's site was published before its corrections (the real one after its evidence).
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  published: " in text
    config.write_text(re.sub(r"(?m)^  published: .*$", f"  published: {SCENARIO_PUBLISHED}", text),
                      encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def corrected(tmp_path_factory, chart_cache):
    project = correct(copy_project(tmp_path_factory.mktemp("corrected") / "project"))
    out = tmp_path_factory.mktemp("corrected-site")
    first = build(project, out / "a", SITE_URL=PREVIEW_URL, EXPLAINER_CACHE_DIR=str(chart_cache))
    assert first.returncode == 0, first.output
    return project, first


def test_the_edits_load(tmp_path):
    ds = data_module.load(correct(copy_project(tmp_path / "p")) / "data")
    assert len(ds.figures["rapidus.equity_fy2026"].revisions) == 2
    assert ds.claims["sectors"].revisions[0].previous == "supported"
    assert list(ds.events) == ["equity_round", "budget_passed"]


def test_a_revised_figure_says_so_where_readers_meet_it(corrected):
    _, result = corrected
    page = result.page("rapidus")
    title = re.search(r'<a class="fig"[^>]*title="([^"]*)"[^>]*data-fig="rapidus\.equity_fy2026"', page).group(1)
    assert "Revised on 20 Jan 2026: An early report gave a lower amount (was ¥120 billion)." in title
    # Data text is escaped where it lands: no raw < or & from the reason reaches the attribute.
    assert "Revised on 10 Mar 2026: The budget document gives &lt;the&gt; final amount &amp; " in title


def test_a_rejudged_claim_shows_its_earlier_verdict(corrected):
    _, result = corrected
    box = result.page("stimulus")
    box = box[box.index('id="claim-sectors"'):]
    box = box[:box.index("</div>")]
    assert "Earlier verdict: Supported, changed on 1 Jun 2026 to Needs context:" in box


def _feed(result):
    import feedparser

    return feedparser.parse((result.site / "feed.xml").read_bytes())


def test_the_feed_is_valid_atom_listing_every_revision_and_event(corrected):
    project, result = corrected
    feed = _feed(result)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    ds = data_module.load(project / "data")
    expected = updates(ds)
    assert len(expected) == 2 + 1 + 2
    assert [e.title for e in feed.entries] == [u.title for u in expected]
    assert feed.feed.updated == f"{expected[0].date.isoformat()}T00:00:00Z"
    assert feed.feed.id and feed.feed.author and feed.feed.title
    assert any(link.rel == "self" and link.href == PREVIEW_URL + "feed.xml" for link in feed.feed.links)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry in feed.entries:
        assert entry.link.startswith(PREVIEW_URL), entry.link  # a preview's feed points at the preview
        assert entry.updated and entry.summary
    event = next(e for e in feed.entries if e.title == "Rapidus raises new equity")
    # The Rapidus chapter places a timeline, so the entry links to the event in it.
    assert event.link == PREVIEW_URL + "rapidus/#event-equity-round"
    assert "[[" not in event.summary and "¥150 billion" in event.summary
    claim = next(e for e in feed.entries if e.title.startswith("Verdict changed"))
    assert claim.link == PREVIEW_URL + "stimulus/#claim-sectors"


def test_every_page_links_the_feed(corrected):
    _, result = corrected
    for page in result.site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml" title=' in html, page
        assert f'href="{PREVIEW_URL}feed.xml"' in html, page


def test_builds_are_byte_identical_feed_and_dates_included(corrected, tmp_path, chart_cache):
    project, first = corrected
    second = build(project, tmp_path / "b", SITE_URL=PREVIEW_URL, EXPLAINER_CACHE_DIR=str(chart_cache))
    assert second.returncode == 0, second.output
    assert (first.site / "feed.xml").read_bytes() == (second.site / "feed.xml").read_bytes()
    differ = []

    def walk(cmp: filecmp.dircmp, rel: str = ""):
        differ.extend(rel + n for n in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{rel}{name}/")
    walk(filecmp.dircmp(first.site, second.site))
    assert differ == []


def _last_updated(html: str) -> str | None:
    m = re.search(r'<p class="page-updated">Last updated <time datetime="([\d-]+)"', html, re.S)
    return m.group(1) if m else None


def test_last_updated_is_the_newest_change_a_page_shows(corrected):
    _, result = corrected
    for page, expected in EXPECTED_LAST_UPDATED.items():
        assert _last_updated(result.page(page)) == expected, page
    # A chapter that shows none of the changed figures, claims or events keeps its data's own date.
    history = _last_updated(result.page("history"))
    scenario = {"2026-01-20", "2026-03-10", "2026-06-01", "2026-02-27", "2026-04-15"}
    assert history is not None and history not in scenario
    # Evidence older than the site is no update: such a page was last updated when published.
    assert history >= SCENARIO_PUBLISHED
    assert "what changed" in result.page("rapidus") and "what changed" not in result.page("history")
    # The link opens the entry that dates the page, and the line is well formed.
    line = re.search(r'<p class="page-updated">.*?</p>', result.page("rapidus"), re.S).group(0)
    assert 'href="../updates/#update-figure-rapidus-equity-fy2026-2026-03-10">what changed</a></p>' in line


def test_a_page_whose_evidence_predates_the_site_was_last_updated_when_published(site):
    """The real site: no page's last-updated date comes before its byline's published date."""
    published = re.search(r"(?m)^  published: (\S+)$", (ROOT / "mkdocs.yml").read_text()).group(1)
    for page in ("china", "stimulus", "rapidus", "history", "risks", "claims"):
        html = site.page(page)
        assert f'Published <time datetime="{published}">' in html, page
        assert _last_updated(html) >= published, page


def test_last_updated_falls_back_to_the_newest_as_of_or_source_date():
    ds = data_module.load(ROOT / "data")
    fig = ds.figures["rapidus.equity_fy2026"]
    shown = Shown(figures={fig.id})
    newest = max([fig.as_of] + [ds.sources[s].date for s in fig.sources if ds.sources[s].date])
    assert last_updated(shown, ds) == (newest, False)
    assert last_updated(Shown(), ds) is None


def test_a_count_of_verdicts_is_dated_by_the_newest_rejudged_claim(tmp_path):
    from macros.pages.updates import shown_on

    ds = data_module.load(correct(copy_project(tmp_path / "p")) / "data")
    shown = shown_on("{{ verdict_summary() }}", "index", ds, lambda cid: ())
    assert last_updated(shown, ds) == (date(2026, 6, 1), True)
    assert shown.figures == set()  # it shows counts, not the claims' evidence


def test_the_updates_page_lists_every_entry_newest_first_linked_where_it_is(corrected):
    from tools.linkcheck import check

    _, result = corrected
    html = result.page("updates")
    items = re.findall(r'<li class="update update--(\w+)" id="[^"]+"><p class="update__head">'
                       r'<time datetime="([\d-]+)"', html)
    assert [k for k, _ in items].count("figure") == 2 and len(items) == 5
    days = [d for _, d in items]
    assert days == sorted(days, reverse=True) and days[0] == "2026-06-01"
    assert 'href="../stimulus/#claim-sectors"' in html and 'href="../rapidus/"' in html
    # Each revision shows what it changed the value to: the older one, the value the newer one replaced.
    older = html[html.index('id="update-figure-rapidus-equity-fy2026-2026-01-20"'):]
    assert "Government equity in Rapidus in the FY2026 budget: ¥140 billion, was ¥120 billion." in older
    assert check(result.site, prefix="/pr-preview/pr-7/") == []


def test_the_timeline_lists_a_chapters_events_with_figure_links(corrected, tmp_path, chart_cache):
    project, _ = corrected
    page = project / "docs" / "rapidus.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + '\n## Since the article\n\n{{ timeline("rapidus") }}\n', encoding="utf-8")
    try:
        result = build(project, tmp_path / "t", SITE_URL=PREVIEW_URL, EXPLAINER_CACHE_DIR=str(chart_cache))
    finally:
        page.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.output
    html = result.page("rapidus")
    item = html[html.index('<li class="timeline__event" id="event-equity-round">'):]
    item = item[:item.index("</li>")]
    assert '<time datetime="2026-02-27">27 Feb 2026</time>' in item and "Rapidus raises new equity" in item
    assert 'data-fig="rapidus.equity_fy2026"' in item and "Sources:" in item
    assert "budget_passed" not in item and "event-budget-passed" not in html  # another chapter's event
    # Now that the chapter anchors its events, the updates page and the feed link to the entry.
    assert 'href="../rapidus/#event-equity-round"' in result.page("updates")


def test_an_event_in_an_unknown_chapter_stops_the_build(corrected, tmp_path, chart_cache):
    project = copy_project(tmp_path / "p")
    correct(project)
    events = project / "data" / "events.yml"
    events.write_text(EVENTS.replace("page: rapidus", "page: rapidis"), encoding="utf-8")
    result = build(project, tmp_path / "s", EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode != 0
    assert "data/events.yml:6: events.equity_round.page: unknown chapter 'rapidis'" in result.output



def test_a_timeline_of_an_unknown_chapter_stops_the_build_at_its_line(tmp_path, chart_cache):
    project = copy_project(tmp_path / "p")
    page = project / "docs" / "history.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join([*lines, "", '{{ timeline("rapidis") }}', ""]), encoding="utf-8")
    result = build(project, tmp_path / "s", EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode != 0
    assert f"docs/history.md:{len(lines) + 2}: timeline('rapidis'): unknown chapter 'rapidis'" in result.output
    assert "rapidus" in result.output  # the nearest chapter is named


def test_the_downloads_carry_each_correction(corrected):
    import csv
    import json

    _, result = corrected
    figures = json.loads((result.site / "assets/data/figures.json").read_text(encoding="utf-8"))["figures"]
    equity = next(f for f in figures if f["id"] == "rapidus.equity_fy2026")
    assert [(r["date"], r["previous"], r["previous_shown"]) for r in equity["revisions"]] == [
        ("2026-01-20", 120_000_000_000, "¥120 billion"), ("2026-03-10", 140_000_000_000, "¥140 billion")]
    assert all(f["revisions"] == [] for f in figures if f["id"] != "rapidus.equity_fy2026")
    with open(result.site / "assets/data/claims.csv", encoding="utf-8", newline="") as fh:
        sectors = next(r for r in csv.DictReader(fh) if r["id"] == "sectors")
    assert sectors["revisions"] == "2026-06-01: was Supported"
