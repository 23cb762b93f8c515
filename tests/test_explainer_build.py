"""Pages that read like an explainer, in the built HTML: compact claims, the audit's computed verdict
bar and filter, a number's provenance beside it, publishers under claims, a bibliography without
maintainers' notes, and a byline on every page."""

from __future__ import annotations

import re
from html import escape

import pytest
import yaml

from macros.data import load as data
from macros.pages import format as fmt
from macros.pages.claimbox import publisher_name
from macros.pages.html import anchor
from macros.data.model import VERDICTS
from tools import prose

from .conftest import PROVENANCE, ROOT

DATA = data.load(ROOT / "data")
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
ALL_PAGES = ("index", *prose.CHAPTERS, "claims", "updates", "sources")


@pytest.mark.parametrize("cid", sorted(DATA.claims))
def test_a_claim_is_one_line_with_its_evidence_behind_a_disclosure(site, cid):
    c = DATA.claims[cid]
    html = site.page(c.page)
    box = re.search(rf'<details class="verdict-[a-z-]+ claim" id="{anchor("claim", cid)}"[^>]*>(.*?)</details>',
                    html, re.S)
    assert box, f"{cid}: no <details> claim box on {c.page}/"
    summary, body = box.group(1).split("</summary>", 1)
    for part in (VERDICTS[c.verdict], c.quote, c.summary):
        assert escape(part) in summary, (cid, part)
    assert "claim__sources" in body and "claim__sources" not in summary
    # One line of publishers: no dates, no 'via' outlets.
    line = re.search(r'<p class="claim__sources">(.*?)</p>', body, re.S).group(1)
    assert " via " not in line and not re.search(r"\d{4}</a>", line), line


@pytest.mark.parametrize("chapter", prose.CHAPTERS)
def test_no_paragraph_repeats_its_claim(site, chapter):
    """The prose gives the facts; the box gives the verdict.  No run of eight words of a claim's
    summary appears in the chapter's own paragraphs."""
    text = " ".join(prose.prose_blocks(site.page(chapter))).lower()
    for c in DATA.claims.values():
        if c.page != chapter:
            continue
        words = re.findall(r"[\w'’.%-]+", c.summary.lower())
        for i in range(len(words) - 7):
            run = " ".join(words[i:i + 8])
            assert run not in text, f"{chapter}: a paragraph repeats claim {c.id}: '{run}'"


@pytest.mark.parametrize("chapter", prose.CHAPTERS)
def test_a_chapter_opens_with_a_lede_three_key_points_and_its_lead_chart(site, chapter):
    body = site.page(chapter).split("<h1", 1)[1]
    first_h2 = body.find("<h2")
    opening = body[:first_h2]
    assert "<strong>In three points</strong>" in opening
    points = opening.split("<strong>In three points</strong>", 1)[1].split("</ul>", 1)[0]
    assert points.count("<li>") == 3, f"{chapter}: {points.count('<li>')} key points"
    assert '<figure class="chart"' in opening, f"{chapter}: the first chart comes after the first section"


def test_the_audit_opens_with_computed_verdict_counts_and_filters(site):
    html = site.page("claims")
    counts = {v: sum(c.verdict == v for c in DATA.claims.values()) for v in VERDICTS}
    head = html.split('<table class="claims-table', 1)[0]
    assert '<svg class="verdict-bar"' in head
    widths = {v: float(w) for v, w in re.findall(r'class="verdict-bar__(\w+)"[^>]*width="([\d.]+)"', head)}
    assert widths.keys() == {v for v, n in counts.items() if n}
    for v, w in widths.items():
        assert abs(w - 100 * counts[v] / len(DATA.claims)) < 0.01, (v, w)
    for v, n in counts.items():
        if n:
            assert f'data-filter="verdict" data-value="{v}">{VERDICTS[v]}: {fmt.count(n)}</a>' in head, v
            # Without JavaScript the link goes to a generated list of that verdict's claims.
            section = html.split(f'id="verdict-{v.replace("_", "-")}"', 1)[1].split("</section>", 1)[0]
            assert section.count("<li>") == n
    for chapter in prose.CHAPTERS:
        n = sum(c.page == chapter for c in DATA.claims.values())
        assert f'data-filter="chapter" data-value="{chapter}">' in head and f'id="chapter-{chapter}"' in html
        assert len(re.findall(rf'<tr id="claim-[^"]+" data-verdict="\w+" data-chapter="{chapter}"', html)) == n


def test_every_number_carries_its_provenance_beside_it(site):
    html = site.page("stimulus")
    links = re.findall(r'<a class="fig[^"]*" href="([^"]+)"[^>]*data-fig="([^"]+)">[^<]*</a>'
                       r'(<span class="fig-prov" hidden>.*?'
                       r'<a class="fig-prov__more"[^>]*>[^<]*</a></span>)?', html, re.S)
    assert len(links) >= 20
    for href, fid, prov in links:
        f = DATA.figures[fid]
        assert prov, f"{fid}: no provenance beside it"
        assert escape(f.label) in prov
        assert fmt.day(f.as_of) in prov and "Source:" in prov
        assert f'<a class="fig-prov__more" href="{href}">' in prov  # the sources entry, as without JavaScript
        src = DATA.sources[f.sources[0]]
        if src.url:
            assert f'href="{escape(src.url)}"' in prov


def test_every_number_on_every_page_has_its_provenance_and_no_slot_is_left(site):
    """Each number's provenance is put in when the page is written, by its id: none may be left as the
    placeholder comment (a series' point id with a capital, "china.self_sufficiency.2026F", once was,
    and its number opened nothing)."""
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) >= 20 and any("ja" in p.relative_to(site.site).parts for p in pages)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "explainer-prov" not in html, f"{page.relative_to(site.site)}: a provenance slot left unfilled"
        bare = re.findall(r'<a class="fig" [^>]*data-fig="([^"]+)">[^<]*</a>(?!<span class="fig-prov" hidden>)', html)
        assert not bare, f"{page.relative_to(site.site)}: numbers without their provenance: {bare[:5]}"


@pytest.mark.parametrize("edition, details, as_of", [("", "Details in the sources", ", as of "),
                                                     ("ja/", "出典一覧で詳しく見る", "時点）")])
def test_a_search_excerpt_reads_as_the_page_does(site, edition, details, as_of):
    """The search index holds the prose and none of the provenance hidden beside each number: once it
    held every value, date and source after the label (Material's parser ended the exclusion at the
    first inner </span>), and an excerpt read "¥1,239 billion¥1,239 billion, as of 26 Dec 2025Source: …"."""
    import html
    import json

    index = json.loads((site.site / edition / "search" / "search_index.json").read_text(encoding="utf-8"))
    leaks = [doc["location"] for doc in index["docs"] if details in doc["text"] or as_of in doc["text"]]
    assert not leaks, f"provenance in the search index of {leaks}"
    text = re.sub(r"\s+", " ", html.unescape(" ".join(doc["text"] for doc in index["docs"])))
    page = (site.site / edition / "stimulus" / "index.html").read_text(encoding="utf-8")
    lede = re.search(r'<article class="md-content__inner[^>]*>.*?<p>(.*?)</p>', page, re.S).group(1)
    lede = PROVENANCE.sub("", lede)
    lede = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", lede)))
    assert len(lede) > 40 and lede[:80] in text  # the numbers stay, in their sentences
    if not edition:  # the audit's rows: the text of each cell stands apart from the next one's
        audit = html.unescape(" ".join(d["text"] for d in index["docs"] if d["location"].startswith("claims/")))
        verdicts = "|".join(re.escape(label) for label in VERDICTS.values())
        glued = sorted({m.group(0) for m in re.finditer(rf"[a-z.]({verdicts}|Evidence)|[a-z]\d", audit)})
        assert not glued, f"an audit row's cells run together in the index: {glued}"  # "stimulus6", ".Accurate"
        bibliography = html.unescape(" ".join(d["text"] for d in index["docs"] if d["location"] == "sources/#bibliography"))
        glued = sorted({m.group(0) for m in re.finditer(r"[^\s>](Cited for|Claims:|Figures:)", bibliography)})
        assert bibliography and not glued, f"a bibliography entry runs into its citations in the index: {glued}"


def test_the_bibliography_shows_no_maintainers_notes(site):
    """Maintainers' notes are comments in data/sources.yml: none of their text reaches the page."""
    html = site.page("sources")
    bibliography = html.split('<ol class="sources-list">', 1)[1].split("</ol>", 1)[0]
    notes = re.findall(r"(?m)^    # (.+)$", (ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))
    assert len(notes) > 20
    for note in notes:
        assert escape(note, quote=False) not in bibliography and escape(note) not in bibliography, note


def test_publisher_names_leave_syndication_to_the_bibliography():
    assert publisher_name("Bloomberg via NDTV Profit") == "Bloomberg"
    assert publisher_name("Jiji Press via nippon.com (Japanese)") == "Jiji Press"
    assert publisher_name("AInvest (byline: AI Agent Evan Hultman)") == "AInvest"
    assert publisher_name("Dempa Shimbun") == "Dempa Shimbun"


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_names_its_author_and_its_dates(site, page):
    from html import unescape

    html = site.page("" if page == "index" else page)
    author, published = CONFIG["site_author"], CONFIG["extra"]["published"]
    byline = re.search(r'<p class="page-byline">(.*?)</p>', html, re.S)
    assert byline, f"{page}: no byline"
    assert f"By {author}." in unescape(byline.group(1))
    assert f'Published <time datetime="{published}">' in byline.group(1)
