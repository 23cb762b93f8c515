"""Cost follows the change: a --dirty build (as `mkdocs serve --dirty` makes them) after a one-value
edit rebuilds only the pages that show that figure or a chart of it, and the generated pages; after
a prose edit, that page and the generated pages.  Counted by the pages whose HTML was written again."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from macros.charts.catalog import CHARTS
from macros.build.record import GENERATED, TIMELINE
from macros.build.usage import READS_EVERY_PAGE

from .conftest import BIN, build, build_env

pytestmark = pytest.mark.slow


def _dirty(project: Path, site: Path, cache: Path) -> None:
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--dirty", "--no-strict", "--site-dir", str(site)],
                          cwd=project, env=build_env(EXPLAINER_CACHE_DIR=str(cache)), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]


def _written(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("index.html")}


def _html(src: str) -> str:
    return "index.html" if src == "index.md" else f"{src[:-3]}/index.html"


def _showing(project: Path, fid: str) -> set[str]:
    """Pages whose Markdown calls the figure, a chart that plots it, a generated list, or a timeline
    of events whose text names the figure."""
    charts = [c for c, d in CHARTS.items() if fid in d.uses]
    events = (project / "data" / "events.yml").read_text(encoding="utf-8")
    out = set()
    for path in (project / "docs").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if (re.search(r"""\(\s*["']""" + re.escape(fid) + r"""["']""", text) or GENERATED.search(text)
                or (TIMELINE.search(text) and f"[[{fid}]]" in events)
                or any(re.search(r"""chart\(\s*["']""" + c + r"""["']""", text) for c in charts)):
            out.add(_html(path.name))
    return out


def test_a_one_value_edit_rebuilds_only_the_pages_that_show_it(project_copy, tmp_path, chart_cache):
    site, cache = tmp_path / "site", chart_cache  # warm, as an author's is
    assert build(project_copy, site, EXPLAINER_CACHE_DIR=str(cache)).returncode == 0
    before = _written(site)
    stim = project_copy / "data" / "stimulus.yml"
    stim.write_text(stim.read_text(encoding="utf-8").replace("value: 387.3", "value: 387.6", 1), encoding="utf-8")
    _dirty(project_copy, site, cache)
    after = _written(site)
    rebuilt = {p for p in after if after[p] != before.get(p)}
    expected = _showing(project_copy, "stimulus.ai_models")
    assert rebuilt == expected, (sorted(rebuilt), sorted(expected))
    assert len(rebuilt) < len(after), "every page was rebuilt"
    assert "¥387.6 billion" in (site / "stimulus" / "index.html").read_text(encoding="utf-8").replace("<wbr>", "")

    stim.write_text(stim.read_text(encoding="utf-8"), encoding="utf-8")  # saved again, unchanged: no edit
    before = after
    _dirty(project_copy, site, cache)
    after = _written(site)
    assert {p for p in after if after[p] != before.get(p)} == set(), "a data file saved unchanged rebuilt pages"

    page = project_copy / "docs" / "risks.md"  # prose only: that page and the generated pages
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence of prose.\n", encoding="utf-8")
    before = after
    _dirty(project_copy, site, cache)
    after = _written(site)
    rebuilt = {p for p in after if after[p] != before.get(p)}
    generated = {_html(p.name) for p in (project_copy / "docs").glob("*.md")  # those that list every page
                 if any(f"{name}(" in p.read_text(encoding="utf-8") for name in READS_EVERY_PAGE)}
    assert generated and "risks/index.html" not in generated
    assert rebuilt == {"risks/index.html"} | generated, sorted(rebuilt)


def test_the_home_page_count_of_verdicts_follows_the_verdicts_alone():
    """The home page's verdict_summary() counts the claims by verdict: a re-judged claim rebuilds it,
    an edited figure that only the claims' evidence cites does not (it did while the count was digested
    with all of data/: at 16x, every copy of the home page rebuilt after any edit)."""
    import dataclasses

    from macros.build import record
    from macros.data.load import load

    from .conftest import ROOT

    data = load(ROOT / "data")
    before = record.digests(ROOT / "docs", data)
    assert record.VERDICTS.search((ROOT / "docs" / "index.md").read_text(encoding="utf-8"))
    cid, claim = next(iter(data.claims.items()))
    other = next(c.verdict for c in data.claims.values() if c.verdict != claim.verdict)
    rejudged = dataclasses.replace(data, claims={**data.claims, cid: dataclasses.replace(claim, verdict=other)})
    after = record.digests(ROOT / "docs", rejudged)
    assert after["index.md"] != before["index.md"] and after["claims.md"] != before["claims.md"]
    fid = "stimulus.ai_models"
    edited = dataclasses.replace(data, figures={**data.figures, fid: dataclasses.replace(data.figures[fid], value=1.5)})
    after = record.digests(ROOT / "docs", edited)
    assert after["index.md"] == before["index.md"] and after["stimulus.md"] != before["stimulus.md"]
