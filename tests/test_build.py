"""Whole-site builds: figures in pages, single-sourcing, failing builds, determinism."""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path

import pytest

from macros.data import load as data
from macros.pages import format as fmt
from macros.pages.exports import csv_cell
from tools.scan_numbers import scan, scan_text

from .conftest import ROOT, build

DATA = data.load(ROOT / "data")
pytestmark = pytest.mark.slow


def test_build_is_strict_clean(site):
    assert "WARNING" not in site.output and "ERROR" not in site.output, site.output


def _figure_ids(md: str) -> list[str]:
    return re.findall(r"""\bfig\(\s*["']([^"']+)""", md)


def test_stimulus_page_shows_every_figure_with_provenance(site):
    html = site.page("stimulus")
    ids = _figure_ids((ROOT / "docs" / "stimulus.md").read_text(encoding="utf-8"))
    assert len(ids) >= 20
    for fid in ids:
        fig = DATA.figures[fid]
        link = re.search(rf'<a class="fig" href="([^"]+)" title="([^"]+)" data-fig="{re.escape(fid)}">([^<]+)</a>', html)
        assert link, fid
        href, title, text = link.groups()
        assert text == fmt.value(fig).replace("&", "&amp;")
        assert href.startswith("../sources/#fig-")
        assert fmt.day(fig.as_of) in title and "Source:" in title


def test_stimulus_page_has_its_chart_as_inline_svg(site):
    html = site.page("stimulus")
    assert '<figure class="chart" id="chart-stimulus_allocation"' in html
    fig = html.split('id="chart-stimulus_allocation"', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in fig and "<table>" in fig and "As of" in fig
    assert (site.site / "assets/data/stimulus_allocation.csv").exists()
    assert (site.site / "assets/runtime/vega.min.js").exists()


def test_no_page_contains_error_text_or_unrendered_jinja(site):
    for page in site.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for bad in ("Macro Rendering Error", "Macro Syntax Error", "{{", "{%", "explainer-error", "Traceback"):
            assert bad not in text, f"{page}: {bad}"


def test_sources_page_lists_every_source_with_citing_figures(site):
    html = site.page("sources")
    for sid in DATA.sources:
        assert f'id="src-{sid.replace("_", "-").replace(".", "-")}"' in html, sid
    for fid in DATA.figures:
        assert f'id="fig-{fid.replace(".", "-").replace("_", "-")}"' in html, fid


def test_single_sourcing(project_copy, build_copy):
    """Change one value in data/: the page and the chart show the new value, the old one is gone."""
    path = project_copy / "data" / "stimulus.yml"
    text = path.read_text(encoding="utf-8")
    old = DATA.figures["stimulus.ai_models"]
    assert "value: 387.3" in text
    path.write_text(text.replace("value: 387.3", "value: 391.7", 1), encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode == 0, result.output
    html = result.page("stimulus")
    shown = re.findall(r'data-fig="stimulus\.ai_models">([^<]+)<', html)
    assert shown and set(shown) == {"¥391.7 billion"}, shown
    # The old value survives only where the article is quoted (its own words, and its own figure,
    # with that figure's provenance, hidden until opened, right after it).
    without_article = re.sub(r'<blockquote>.*?</blockquote>|<q class="claim__quote">.*?</q>'
                             r'|<a class="fig"[^>]*data-fig="article\.[^"]+">[^<]*</a>'
                             r'(?:<span class="fig-prov"[^>]*>.*?<a class="fig-prov__more"[^>]*>[^<]*</a></span>)?',
                             "", html, flags=re.S)
    assert fmt.value(old) not in without_article
    chart = html.split('id="chart-stimulus_allocation"', 1)[1].split("</figure>", 1)[0]
    assert "391.7" in chart and "387.3" not in chart
    # The derived remainder follows too.
    assert "¥67.3 billion" in html  # ¥1,239 billion − ¥391.7 billion − Rapidus's ¥630 billion and ¥150 billion
    csv = (result.site / "assets/data/stimulus_allocation.csv").read_text()
    assert "391.7" in csv and "387.3" not in csv
    # And the download of every figure, the value and the remainder computed from it.
    rows = {r["id"]: r for r in _csv_rows(result.site / "assets/data/figures.csv")}
    assert rows["stimulus.ai_models"]["value"] == "391700000000"
    assert rows["stimulus.ai_models"]["shown"] == "¥391.7 billion"
    assert rows["stimulus.unallocated"]["shown"] == "¥67.3 billion"


def _csv_rows(path: Path) -> list[dict]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_figure_downloads_as_stored_with_its_sources(site):
    """The sources page offers every figure as CSV and JSON: each once, as stored and as shown."""
    import json

    rows = _csv_rows(site.site / "assets/data/figures.csv")
    assert [r["id"] for r in rows] == list(DATA.figures)
    payload = json.loads((site.site / "assets/data/figures.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in payload["figures"]] == list(DATA.figures)
    for r, j in zip(rows, payload["figures"], strict=True):
        f = DATA.figures[r["id"]]
        assert float(r["value"]) == pytest.approx(f.value, rel=1e-12) and j["value"] == pytest.approx(f.value)
        # As shown, through the CSV rule against formulas: a text cell starting with + or - ("+300%")
        # opens with an apostrophe in the CSV (exports.csv_cell), never in the JSON.
        assert (r["unit"], r["as_of"], r["shown"]) == (f.unit.value, f.as_of.isoformat(), csv_cell(fmt.value(f)))
        assert j["shown"] == fmt.value(f)
        assert r["sources"].split(";") == list(f.sources) == j["sources"]
        assert bool(r["computed"]) == f.derived
    cited = {s for f in DATA.figures.values() for s in f.sources}
    assert set(payload["sources"]) == cited
    assert all(payload["sources"][s]["url"] == DATA.sources[s].url for s in cited)
    assert 'href="../assets/data/figures.csv" download' in site.page("sources")
    assert 'href="../assets/data/figures.json" download' in site.page("sources")


def test_the_audit_downloads_in_its_own_order_with_the_values_it_shows(site):
    import json

    rows = _csv_rows(site.site / "assets/data/claims.csv")
    assert [(r["number"], r["id"]) for r in rows] == [(str(n), c) for n, c in enumerate(DATA.claims, 1)]
    for r in rows:
        c = DATA.claims[r["id"]]
        assert r["quote"] == c.quote and r["sources"].split(";") == list(c.sources)
        assert "[[" not in r["evidence"], "figure tokens are printed as their values"
    audit = site.page("claims")
    assert all(escape(r["summary"]) in audit for r in rows)
    payload = json.loads((site.site / "assets/data/claims.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in payload["claims"]] == list(DATA.claims)
    assert 'href="../assets/data/claims.csv" download' in audit


def test_the_exports_say_where_readers_see_each_figure_claim_and_chart(site):
    """What the review report compares (tools/review.py): the pages that print each figure (by fig(), in the
    evidence of a claim placed there, the audit's included) and the charts that plot it; the pages placing
    each claim; every page with its title and charts; each chart table's columns in their order."""
    import json

    data = site.site / "assets/data"
    figures = json.loads((data / "figures.json").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in figures["figures"]}
    assert by_id["stimulus.meti_total"]["pages"] == ["claims.md", "stimulus.md"]
    assert by_id["rapidus.subsidies.2024"]["charts"] == ["rapidus_support"]
    pages = {p["path"]: p for p in figures["pages"]}
    assert pages["rapidus.md"]["url"] == "rapidus/" and "rapidus_support" in pages["rapidus.md"]["charts"]
    # The English edition's pages (docs/ja/ is the Japanese edition's, with exports of its own).
    assert set(pages) == {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
                          if p.relative_to(ROOT / "docs").parts[0] != "ja"}
    claims = json.loads((data / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert all("claims.md" in c["pages"] and f"{c['chapter']}.md" in c["pages"] for c in claims)
    rows = {r["id"]: r for r in _csv_rows(data / "figures.csv")}
    assert rows["stimulus.meti_total"]["pages"] == "claims.md;stimulus.md"
    chart = json.loads((data / "rapidus_support.json").read_text(encoding="utf-8"))
    header = (data / "rapidus_support.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [chart["tables"][0]["columns"][f] for f in chart["tables"][0]["fields"]] == header


def test_no_chart_download_can_overwrite_a_dataset_download():
    from macros.charts.catalog import CHARTS
    from macros.pages.exports import CLAIMS, FIGURES

    taken = {name.rsplit(".", 1)[0] for name in FIGURES + CLAIMS}
    assert not taken & set(CHARTS)


def test_unknown_figure_id_fails_naming_id_page_line_and_nearest(project_copy, build_copy):
    page = project_copy / "docs" / "stimulus.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('fig("stimulus.meti_total")', 'fig("stimulus.meti_totl")', 1), encoding="utf-8")
    line = next(n for n, l in enumerate(page.read_text().splitlines(), 1) if "meti_totl" in l)
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert "stimulus.meti_totl" in result.output and f"docs/stimulus.md:{line}" in result.output
    assert "stimulus.meti_total" in result.output  # the nearest known id
    assert not (result.site / "stimulus" / "index.html").exists(), "a failed build publishes nothing"


def test_bad_data_fails_the_build_naming_file_line_key(project_copy, build_copy):
    path = project_copy / "data" / "stimulus.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("unit: yen", "unit: yens", 1), encoding="utf-8")
    line = next(n for n, l in enumerate(path.read_text().splitlines(), 1) if "yens" in l)
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert f"data/stimulus.yml:{line}" in result.output and "unknown unit 'yens'" in result.output
    assert not (result.site / "index.html").exists()


def test_undefined_name_fails_the_build(project_copy, build_copy):
    page = project_copy / "docs" / "stimulus.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ no_such_macro }}\n", encoding="utf-8")
    result = build_copy(project_copy)
    assert result.returncode != 0 and "no_such_macro" in result.output
    assert not (result.site / "stimulus" / "index.html").exists()


def test_no_hand_typed_numbers_in_docs():
    assert scan(ROOT / "docs") == []


@pytest.mark.parametrize("text, bad", [
    ("The budget is ¥1.23 trillion.", "¥1.23"),
    ("It rose 300% on the year.", "300%"),
    ("There are 17 sectors.", "17"),
    ('A {{ fig("x.y") }} figure and 44 companies.', "44"),
])
def test_scan_catches_typed_numbers(text, bad):
    assert any(tok.startswith(bad) for _, tok in scan_text(text))


@pytest.mark.parametrize("text", ["In FY2026 the 1986 agreement", "Rapidus makes 2nm chips", '{{ fig("a.b") }}',
                                  "`code 42`", "<span data-x=\"3\">", "[link](page.md#s-2)"])
def test_scan_allows_years_names_macros_and_markup(text):
    assert scan_text(text) == []


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path, site):
    again = build(ROOT, tmp_path / "again", EXPLAINER_CACHE_DIR="off")
    assert again.returncode == 0, again.output
    assert _digest(site.site) == _digest(again.site)


def test_missing_runtime_stops_the_build_before_writing(project_copy, build_copy):
    (project_copy / "js" / "node_modules").unlink()
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert "js/node_modules/vega/build/vega.min.js" in result.output and "tasks.py build" in result.output
    assert not (result.site / "index.html").exists()
