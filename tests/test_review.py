"""tools/review.py: what a change does to the figures, charts, claims and pages.

Two copies of the project, one of them edited in known ways, must give a report
naming exactly those edits; identical trees an empty one; an unknown ref a
clear error and exit 2; a real git ref (HEAD of a temporary repository) the
uncommitted edit.  Each review builds both trees (two `mkdocs build` subprocesses, sharing
the session's chart cache), so the edited pair is reviewed once per module and its outputs
shared.  The review reads only what the builds publish: it imports neither tree's code.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tools import review as rv

from .conftest import ROOT, copy_project

# -- The edits, each a unique text replacement in data/ -------------------------------------

METI_VALUE = ("data/stimulus.yml", "    value: 3069.3\n", "    value: 3100\n")
FOUNDED = "    label: \"Year Rapidus was founded\"\n    value: 2022\n    unit: year\n    as_of: 2022-08-01\n"
FOUNDED_SOURCES = ("data/rapidus.yml", FOUNDED + "    sources: [semimedia-2022-12-14]\n",
                   FOUNDED + "    sources: [semimedia-2022-12-14, kyodo-2023-04-25]\n")
SUBSIDY_POINT = ("data/rapidus.yml", "        value: 920\n        as_of: 2024-04-02\n",
                 "        value: 950\n        as_of: 2024-04-02\n")
ROBOT_VERDICT = ("data/claims.yml",
                 "    quote: \"where Japan already leads in robot density\"\n    verdict: inaccurate\n",
                 "    quote: \"where Japan already leads in robot density\"\n    verdict: cannot_check\n")
ADDED_CLAIM = """
  review_check:
    quote: "Japan is a robot superpower <b>today</b>"
    verdict: cannot_check
    summary: >-
      Added by the review test, with markup in the quote that the HTML must escape.
    evidence: >-
      Japan ranked [[risks.japan_robot_rank]]th.
    sources: [article]
    page: risks
"""


def edit(tree: Path, rel: str, old: str, new: str) -> None:
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: the text to replace must occur once: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def run_main(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = rv.main([*args])
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def shared_chart_cache(chart_cache, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(chart_cache))


@pytest.fixture(scope="module")
def edited(tmp_path_factory, chart_cache):
    """Base: the project as it is; head: five edits.  Reviewed once, through main()."""
    tmp = tmp_path_factory.mktemp("review")
    base = copy_project(tmp / "base")
    head = copy_project(tmp / "head")
    for rel, old, new in (METI_VALUE, FOUNDED_SOURCES, SUBSIDY_POINT, ROBOT_VERDICT):
        edit(head, rel, old, new)
    claims = head / "data" / "claims.yml"
    claims.write_text(claims.read_text(encoding="utf-8").rstrip("\n") + "\n" + ADDED_CLAIM, encoding="utf-8")
    risks = head / "docs" / "risks.md"  # the chapter the new claim names places it (or the build stops)
    risks.write_text(risks.read_text(encoding="utf-8") + '\n{{ claim("review_check") }}\n', encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLAINER_CACHE_DIR", str(chart_cache))
        code, text = run_main(str(base), "--head", str(head), "--html", str(tmp / "out" / "review.html"),
                              "--json", str(tmp / "out" / "review.json"))
    return {"code": code, "text": text, "html": (tmp / "out" / "review.html").read_text(encoding="utf-8"),
            "json": json.loads((tmp / "out" / "review.json").read_text(encoding="utf-8")),
            "base": base, "head": head}


def by_id(items: list[dict]) -> dict[str, dict]:
    return {x["id"]: x for x in items}


# -- The edited pair ------------------------------------------------------------------------

def test_report_lists_exactly_the_edits(edited):
    assert edited["code"] == 0
    report = edited["json"]
    assert {f["id"]: f["kind"] for f in report["figures"]} == {
        "stimulus.meti_total": "changed", "rapidus.founded": "changed", "rapidus.subsidies.2024": "changed"}
    assert {c["id"]: c["kind"] for c in report["charts"]} == {"rapidus_support": "changed"}
    assert {c["id"]: c["kind"] for c in report["claims"]} == {"robot_density": "changed", "review_check": "added"}
    assert report["pages"] == []
    assert report["summary"] == "3 figures, 1 chart, 2 claims changed"


def test_figure_changes_say_what_readers_see(edited):
    figs = by_id(edited["json"]["figures"])
    meti = figs["stimulus.meti_total"]
    assert (meti["old_text"], meti["new_text"]) == ("¥3,069.3 billion", "¥3,100 billion")
    assert {f["field"] for f in meti["fields"]} == {"text", "value"}
    # stimulus.md writes it with fig(); the audit table prints the evidence of the claim citing it.
    assert [p["path"] for p in meti["pages"]] == ["claims.md", "stimulus.md"]
    founded = figs["rapidus.founded"]
    assert founded["fields"] == [{"field": "sources", "old": ["semimedia-2022-12-14"],
                                  "new": ["semimedia-2022-12-14", "kyodo-2023-04-25"]}]
    point = figs["rapidus.subsidies.2024"]
    assert (point["old_text"], point["new_text"]) == ("¥920 billion", "¥950 billion")
    assert point["charts"] == ["rapidus_support"]


def test_chart_change_names_the_changed_row(edited):
    chart = by_id(edited["json"]["charts"])["rapidus_support"]
    assert chart["data_changed"] and chart["svg_changed"] and not chart["title_changed"]
    # The chart's rows name themselves (the subsidies by the year decided, in their own panel).
    key = {"label": "Subsidies, decided 2024", "as_of": "2 Apr 2024"}
    assert chart["rows"] == [{"table": "Data", "key": key, "old": {**key, "billion_yen": 920.0},
                              "new": {**key, "billion_yen": 950.0}}]
    assert [p["path"] for p in chart["pages"]] == ["rapidus.md"]
    assert "<svg" not in json.dumps(edited["json"])  # the SVGs are for the HTML page only


def test_claim_changes(edited):
    claims = by_id(edited["json"]["claims"])
    assert claims["robot_density"]["fields"] == [{"field": "verdict", "old": "Inaccurate", "new": "Cannot be checked"}]
    assert claims["review_check"]["verdict"] == "Cannot be checked"
    assert "claims.md" in [p["path"] for p in claims["review_check"]["pages"]]  # the audit table lists it


def test_terminal_output(edited):
    lines = edited["text"].splitlines()
    assert lines[0] == "3 figures, 1 chart, 2 claims changed"
    text = edited["text"]
    for section in ("Figures", "Charts", "Claims"):
        assert f"\n{section}\n" in text
    assert "Pages" not in lines
    assert "as readers see it: ¥3,069.3 billion → ¥3,100 billion" in text
    assert "+kyodo-2023-04-25" in text
    # A row as its data table shows it: the column titles readers see, not the data's field names.
    assert "row What Subsidies, decided 2024, As of 2 Apr 2024: Billion yen 920 → 950" in text, text
    assert "billion_yen" not in text and "(none)" not in text.split("\nCharts\n")[1].split("\nClaims\n")[0]
    assert "verdict: Inaccurate → Cannot be checked" in text


def test_html_page_is_standalone_and_escaped(edited):
    page = edited["html"]
    assert page.startswith("<!doctype html>") and "<style>" in page
    # No request leaves the page: no external src/href, stylesheet or import.
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "<script" not in page
    assert "&lt;b&gt;today&lt;/b&gt;" in page and "<b>today</b>" not in page
    assert "3 figures, 1 chart, 2 claims changed" in page
    assert 'href="../stimulus/"' in page  # the page is published at site/review/
    section = page[page.index('id="chart-rapidus_support"'):]
    svgs = [base64.b64decode(m).decode("utf-8")
            for m in re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', section)]
    assert len(svgs) == 2 and svgs[0] != svgs[1]
    assert all(s.startswith("<svg") for s in svgs)


# -- Identical trees, bad refs, a real git ref --------------------------------------------

# Run in a fresh interpreter in which importing any `macros` module fails, and which then lists every
# module it loaded from the trees: the review must read the builds' exports, never the trees' code.
NO_TREE_CODE = """
import importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "macros" or name.startswith("macros."):
            raise ImportError(f"the review imported {name}")
sys.meta_path.insert(0, Refuse())
from tools import review
code = review.main(sys.argv[1:])
trees = [a for a in sys.argv[1:] if a.startswith("/")]
loaded = [m for m, mod in sys.modules.items() if any(str(getattr(mod, "__file__", "") or "").startswith(t)
                                                     for t in trees)]
print("LOADED", loaded)
sys.exit(code)
"""


def test_identical_trees_give_an_empty_report_without_importing_their_code(tmp_path):
    base, head = copy_project(tmp_path / "base"), copy_project(tmp_path / "head")
    proc = subprocess.run([sys.executable, "-c", NO_TREE_CODE, str(base), "--head", str(head),
                           "--json", str(tmp_path / "r.json")], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.splitlines()[0] == "No changes to figures, charts, claims or pages."
    assert "LOADED []" in text
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["empty"] and not (report["figures"] or report["charts"] or report["claims"] or report["pages"])


def test_unknown_ref_is_a_clear_error():
    proc = subprocess.run([sys.executable, "-m", "tools.review", "no-such-ref-for-review"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "unknown git ref 'no-such-ref-for-review':" in proc.stderr
    assert proc.stdout == ""


def test_ref_outside_a_repository_is_a_clear_error(tmp_path, capsys):
    tree = copy_project(tmp_path / "tree")  # not a git repository
    assert rv.main(["origin/main", "--head", str(tree)]) == 2
    assert "unknown git ref 'origin/main':" in capsys.readouterr().err


def test_data_that_does_not_load_is_a_clear_error(tmp_path, capsys):
    base = copy_project(tmp_path / "base")
    head = copy_project(tmp_path / "head")
    edit(head, "data/stimulus.yml", "    value: 3069.3\n    unit: yen\n", "    value: 3069.3\n    unit: yens\n")
    assert rv.main([str(base), "--head", str(head)]) == 2
    err = capsys.readouterr().err
    assert "cannot read the head tree" in err
    assert "data/stimulus.yml:" in err and "unknown unit 'yens'" in err


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args], check=True,
                   capture_output=True, env=env)


def test_git_ref_against_the_working_tree(tmp_path, monkeypatch):
    repo = copy_project(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    edit(repo, *METI_VALUE)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the ref is extracted
    code, text = run_main("HEAD", "--head", str(repo), "--json", str(tmp_path / "r.json"))
    assert code == 0, text
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in report["figures"]] == ["stimulus.meti_total"]
    assert not (report["charts"] or report["claims"] or report["pages"])
    assert re.fullmatch(r"HEAD \([0-9a-f]{7}\)", report["base"])
    assert text.splitlines()[0] == "1 figure, 0 charts, 0 claims changed"
    assert list(scratch.iterdir()) == []  # the extracted tree is gone
    assert rv.main(["HEAD~1", "--head", str(repo)]) == 2  # one commit: no parent


# -- The pure parts, on hand-made snapshots -------------------------------------------------

def snap(**parts) -> dict:
    base = {"figures": {}, "charts": {}, "claims": {}, "pages": {}, "notes": []}
    return {**base, **parts}


def chart(rows: list[dict], svg: str = "<svg/>", title: str = "T") -> dict:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    return {"id": "c", "title": title, "figures": [], "svg": svg,
            "tables": [{"name": "Data", "fields": fields, "titles": fields, "rows": rows}]}


def test_svg_only_change_is_reported_as_such():
    report = rv.diff(snap(charts={"c": chart([{"x": "a", "v": 1.0}], "<svg>1</svg>")}),
                     snap(charts={"c": chart([{"x": "a", "v": 1.0}], "<svg>2</svg>")}))
    (c,) = report["charts"]
    assert (c["data_changed"], c["svg_changed"], c["rows"]) == (False, True, [])
    assert "same data" in c["what"]


def test_rows_are_matched_by_key_then_by_position():
    keyed = rv.diff(snap(charts={"c": chart([{"x": "a", "v": 1.0}, {"x": "b", "v": 2.0}])}),
                    snap(charts={"c": chart([{"x": "b", "v": 2.0}, {"x": "c", "v": 3.0}])}))
    rows = keyed["charts"][0]["rows"]
    assert [(r["key"], r["old"] is None, r["new"] is None) for r in rows] == [({"x": "c"}, True, False),
                                                                             ({"x": "a"}, False, True)]
    unkeyed = rv.diff(snap(charts={"c": chart([{"v": 1.0}, {"v": 2.0}])}),
                      snap(charts={"c": chart([{"v": 1.0}, {"v": 5.0}])}))
    (row,) = unkeyed["charts"][0]["rows"]
    assert row["key"] == {"row": 2} and row["new"] == {"v": 5.0}


def test_summary_counts_pages_only_when_present():
    page = {"path": "new.md", "title": "New", "url": "new/", "figures": [], "charts": [], "claims": []}
    old = {**page, "path": "old.md", "title": "Old"}
    report = rv.diff(snap(pages={"old.md": old, "same.md": {**page, "path": "same.md"}}),
                     snap(pages={"new.md": page, "same.md": {**page, "path": "same.md", "title": "Renamed"}}))
    assert rv.summary_line(report) == ("0 figures, 0 charts, 0 claims changed, 1 page added, 1 page removed, "
                                       "1 page retitled")
    assert rv.summary_line(rv.diff(snap(), snap())) == rv.NO_CHANGES


def test_value_change_below_the_shown_precision_is_still_reported():
    fig = {"id": "a.b", "label": "L", "value": 1.0, "unit": "count", "as_of": "2025-01-01",
           "as_of_text": "1 Jan 2025", "sources": ["s"], "note": None, "text": "1", "derived": False}
    report = rv.diff(snap(figures={"a.b": fig}), snap(figures={"a.b": {**fig, "value": 1.0001}}))
    assert "value: 1 → 1.0001 (the text readers see is unchanged)" in rv.render_text(report)


def test_html_page_carries_the_sites_strict_policy(edited):
    """Published in the preview beside the site, under the same Content-Security-Policy: its one
    <style> allowed by hash, its charts data: images, nothing inline besides."""
    page = edited["html"]
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    sha = "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
    assert policy == ("default-src 'self'; script-src 'self'; style-src 'self' " + sha + "; img-src 'self' data:; "
                      "object-src 'none'; base-uri 'self'; form-action 'self'")
    assert page.index("Content-Security-Policy") < page.index("<style>") and " style=" not in page
