"""tools/review.py and the corrections record: a figure whose shown value changed without a new
revision entry is flagged (on hand-made snapshots, and on test_review's edited pair)."""

from __future__ import annotations

import json

from tools import review as rv

from .conftest import copy_project
from .test_review import by_id, edited, snap  # noqa: F401 - edited is a fixture, shared with that module


# -- Corrections: a shown value that changed needs a revision entry ---------------------------

def _fig(**changes) -> dict:
    fig = {"id": "a.b", "label": "L", "value": 1.0, "unit": "count", "as_of": "2025-01-01",
           "as_of_text": "1 Jan 2025", "sources": ["s"], "note": None, "text": "1", "derived": False,
           "revisions": []}
    return {**fig, **changes}


def test_a_shown_value_changed_without_a_revision_is_flagged():
    report = rv.diff(snap(figures={"a.b": _fig()}), snap(figures={"a.b": _fig(value=2.0, text="2")}))
    assert rv.unrevised(report) == ["a.b"]
    text = rv.render_text(report)
    assert "Warning: 1 figure changed what readers see without a revision entry: a.b" in text.splitlines()[3]
    assert rv.report_json(report)["unrevised"] == ["a.b"]
    # The pull-request comment (preview.yml prints the headline) names it too.
    assert rv.report_json(report)["headline"] == ("1 figure, 0 charts, 0 claims changed; "
                                                  "1 figure changed without a revision entry: a.b")
    assert "without a revision entry" in rv.render_html(report)


def test_a_new_revision_entry_or_an_unseen_change_is_not_flagged():
    base = snap(figures={"a.b": _fig(revisions=["2026-01-01"])})
    revised = rv.diff(base, snap(figures={"a.b": _fig(value=2.0, text="2", revisions=["2026-01-01", "2026-02-01"])}))
    assert rv.unrevised(revised) == [] and "Warning" not in rv.render_text(revised)
    same_revisions = rv.diff(base, snap(figures={"a.b": _fig(value=2.0, text="2", revisions=["2026-01-01"])}))
    assert rv.unrevised(same_revisions) == ["a.b"]  # an old entry does not cover a new change
    below_precision = rv.diff(snap(figures={"a.b": _fig()}), snap(figures={"a.b": _fig(value=1.0001)}))
    assert rv.unrevised(below_precision) == []
    sources_only = rv.diff(snap(figures={"a.b": _fig()}), snap(figures={"a.b": _fig(sources=["t"])}))
    assert rv.unrevised(sources_only) == []
    derived = rv.diff(snap(figures={"a.b": _fig(derived=True)}),
                      snap(figures={"a.b": _fig(derived=True, value=2.0, text="2")}))
    assert rv.unrevised(derived) == []


def test_the_edited_pair_flags_the_values_changed_without_revisions(edited):
    figs = by_id(edited["json"]["figures"])
    assert figs["stimulus.meti_total"]["unrevised"] and figs["rapidus.subsidies.2024"]["unrevised"]
    assert not figs["rapidus.founded"]["unrevised"]  # only its sources changed
    assert "Warning: 2 figures changed what readers see without a revision entry" in edited["text"]


def test_a_snapshot_reads_each_figures_revision_dates_from_the_export(tmp_path):
    """The revision dates come from figures.json, as the build writes it (macros/pages/exports.py)."""
    from macros.data.load import load
    from macros.pages.exports import dataset_files

    from .test_updates import correct

    data = load(correct(copy_project(tmp_path / "p")) / "data")
    for rel, text in dataset_files(data).items():
        (tmp_path / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / rel).write_text(text, encoding="utf-8")
    state = rv.snapshot(tmp_path / "site")["figures"]["rapidus.equity_fy2026"]
    assert state["revisions"] == ["2026-01-20", "2026-03-10"]


def test_an_older_builds_exports_are_read_too(tmp_path):
    """A base built before figures.json listed pages, and chart JSON its column order: the columns come
    from the CSV's header, the drawing from whichever page carries it; pages are not compared (a note)."""
    data = tmp_path / "assets" / "data"
    data.mkdir(parents=True)
    fig = {"id": "a.b", "label": "L", "value": 1, "unit": "count", "shown": "1", "as_of": "2025-01-01",
           "sources": ["s"], "computed": "", "note": "", "revisions": []}
    (data / "figures.json").write_text(json.dumps({"figures": [fig], "sources": {}}), encoding="utf-8")
    (data / "claims.json").write_text(json.dumps({"claims": [], "sources": {}}), encoding="utf-8")
    chart = {"chart": "c", "title": "T", "tables": [{"name": "Data", "columns": {"v": "Value", "x": "=Name"},
                                                     "rows": [{"x": "a", "v": 1.0}]}]}
    (data / "c.json").write_text(json.dumps(chart), encoding="utf-8")
    (data / "c.csv").write_text("'=Name,Value\na,1.0\n", encoding="utf-8")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "index.html").write_text('<p><svg class="x" aria-labelledby="chart-c-t"><g/></svg></p>')
    old = rv.snapshot(tmp_path)
    assert old["charts"]["c"]["tables"][0]["fields"] == ["x", "v"]
    assert old["charts"]["c"]["svg"] == '<svg class="x" aria-labelledby="chart-c-t"><g/></svg>'
    assert old["figures"]["a.b"]["value"] == 1.0 and old["notes"]
    new = {**old, "pages": {"a.md": {"path": "a.md", "title": "A", "url": "a/", "figures": [], "charts": [],
                                     "claims": []}}, "notes": []}
    report = rv.diff(old, new)
    assert rv.empty(report) and report["notes"] == ["base: its build exports no page list: pages not compared"]
