"""Every chart: a valid spec with inline data and a description, deterministic
SVG and Vega, a golden rendered figure, and colours readable in both palettes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros import data, embed, render
from macros.charts import CHARTS
from macros.markup import Markup
from macros.theme import BACKGROUNDS, SERIES_COLOURS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
DATA = data.load(ROOT / "data")


def _walk(obj):
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


@pytest.fixture(scope="module")
def rendered():
    return {cid: render.render_fresh(c, DATA) for cid, c in CHARTS.items()}


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_chart_function_is_named_titled_and_described(cid):
    c = CHARTS[cid]
    assert c.build.__name__ == cid
    assert c.title and c.description and c.uses


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_spec_is_valid_with_inline_data_only(cid):
    import altair as alt

    spec = CHARTS[cid].spec(DATA)
    alt.Chart.from_dict(spec) if "layer" not in spec else alt.LayerChart.from_dict(spec)  # schema validation
    assert spec["description"] == CHARTS[cid].description
    for node in _walk(spec):
        data_node = node.get("data")
        if isinstance(data_node, dict):
            assert "url" not in data_node, "vl-convert renders URL data as an empty chart"
    assert any(isinstance(n.get("data"), dict) and n["data"].get("values") for n in _walk(spec))


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_svg_has_marks_and_text(cid, rendered):
    svg = rendered[cid].svg
    assert svg.startswith("<svg") and "<text" in svg and 'role="graphics-symbol"' in svg
    assert "fill=\"white\"" not in svg.split(">", 2)[1], "no baked background: the page's shows through"


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_chart_reads_only_declared_figures(cid):
    c = CHARTS[cid]
    for ref in c.uses:
        assert ref in DATA.figures or ref in DATA.series, f"{cid} declares unknown {ref}"


def test_render_is_deterministic_across_processes():
    code = ("import json,sys; from pathlib import Path; from macros import data, render; "
            "from macros.charts import CHARTS; d=data.load(Path('data')); "
            "print(json.dumps({k: [render.render_fresh(c,d).svg, render.render_fresh(c,d).vega] "
            "for k,c in sorted(CHARTS.items())}, sort_keys=True))")
    outs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed)), check=True).stdout for seed in (1, 2)]
    assert outs[0] == outs[1]


def test_golden_figure(rendered):
    """The complete <figure> of one chart, byte for byte (update: UPDATE_GOLDEN=1)."""
    cid = "stimulus_allocation"
    html = embed.figure_html(CHARTS[cid], rendered[cid], DATA, Markup(DATA), "stimulus/")
    path = GOLDEN / f"{cid}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(html + "\n", encoding="utf-8")
    assert html + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_table_is_exactly_the_plotted_data(cid, rendered):
    spec = rendered[cid].spec
    tables = embed.tables(spec)
    plotted = [n["data"]["values"] for n in _walk(spec) if isinstance(n.get("data"), dict) and "values" in n["data"]]
    for t in tables:
        assert list(t.rows) in plotted
    assert sum(len(t.rows) for t in tables) == sum(len(v) for v in {json.dumps(p): p for p in plotted}.values())
    files = embed.downloads(CHARTS[cid], rendered[cid], DATA)
    first_csv = files[f"assets/data/{cid}.csv"].splitlines()
    assert len(first_csv) == len(tables[0].rows) + 1
    payload = json.loads(files[f"assets/data/{cid}.json"])
    assert payload["tables"][0]["rows"] == list(tables[0].rows) and payload["sources"]


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("colour", SERIES_COLOURS)
@pytest.mark.parametrize("palette", sorted(BACKGROUNDS))
def test_series_colours_contrast_3_to_1_on_both_palettes(colour, palette):
    a, b = sorted((_luminance(colour), _luminance(BACKGROUNDS[palette])), reverse=True)
    assert (a + 0.05) / (b + 0.05) >= 3.0


def test_cache_returns_exactly_a_fresh_render(tmp_path):
    c = CHARTS["stimulus_allocation"]
    fresh = render.render_fresh(c, DATA)
    first = render.ChartStore(DATA, tmp_path).get(c)
    store = render.ChartStore(DATA, tmp_path)
    second = store.get(c)
    assert store.hits == 1 and first == fresh and second == fresh


def test_changed_figure_misses_the_cache(tmp_path):
    import dataclasses
    c = CHARTS["stimulus_allocation"]
    render.ChartStore(DATA, tmp_path).get(c)
    figs = dict(DATA.figures)
    figs["stimulus.ai_models"] = dataclasses.replace(figs["stimulus.ai_models"], value=400e9)
    changed = dataclasses.replace(DATA, figures=figs)
    store = render.ChartStore(changed, tmp_path)
    out = store.get(c)
    assert store.misses == 1 and "400" in json.dumps(out.spec)


def test_corrupt_entry_is_rendered_again(tmp_path):
    c = CHARTS["stimulus_allocation"]
    render.ChartStore(DATA, tmp_path).get(c)
    entry = next(tmp_path.glob("*.json"))
    text = entry.read_text()
    entry.write_text(text.replace("AI models", "AI mod3ls", 1))  # valid JSON, wrong content
    store = render.ChartStore(DATA, tmp_path)
    out = store.get(c)
    assert store.misses == 1 and out == render.render_fresh(c, DATA)
    entry.write_text(text[: len(text) // 2])  # truncated
    store = render.ChartStore(DATA, tmp_path)
    assert store.get(c) == out and store.misses == 1


def test_concurrent_builds_leave_a_consistent_cache(tmp_path):
    code = ("import sys; from pathlib import Path; from macros import data, render; from macros.charts import CHARTS; "
            "d=data.load(Path('data')); s=render.ChartStore(d, Path(sys.argv[1])); [s.get(c) for c in CHARTS.values()]")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT) for _ in range(3)]
    assert all(p.wait(timeout=180) == 0 for p in procs)
    assert not list(tmp_path.glob("*.tmp"))
    store = render.ChartStore(DATA, tmp_path)
    for c in CHARTS.values():
        store.get(c)
    assert store.misses == 0 and store.hits == len(CHARTS)
