"""Every chart: a valid spec with inline data and a description, deterministic
SVG and Vega, a golden rendered figure, and colours readable in both palettes."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros.data import load as data
from macros.charts import embed, store as chart_store
from macros.charts import catalog as charts_module
from macros.charts.catalog import CHARTS
from macros.pages.markup import Markup
from macros.data.model import Figure, Series
from macros.charts.theme import BACKGROUNDS, FONT, SERIES_COLOURS

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
    return {cid: chart_store.render_fresh(c, DATA) for cid, c in CHARTS.items()}


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
    code = ("import json,sys; from pathlib import Path; from macros.data import load as data; from macros.charts import store as chart_store; "
            "from macros.charts.catalog import CHARTS; d=data.load(Path('data')); "
            "print(json.dumps({k: [chart_store.render_fresh(c,d).svg, chart_store.render_fresh(c,d).vega] "
            "for k,c in sorted(CHARTS.items())}, sort_keys=True))")
    outs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed)), check=True).stdout for seed in (1, 2)]
    assert outs[0] == outs[1]


def test_golden_figure(rendered):
    """The complete <figure> of one chart, both its drawings, byte for byte (update: UPDATE_GOLDEN=1)."""
    cid = "stimulus_allocation"
    phone = chart_store.render_fresh(CHARTS[cid].phone_layout(), DATA)
    html = embed.figure_html(CHARTS[cid], rendered[cid], DATA, Markup(DATA), "stimulus/", phone)
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
    # "Data" and the first download are the chart's own data, not its annotations (event rules,
    # targets, a few rows each): the largest table comes first, whatever order the layers are drawn in.
    assert all(len(tables[0].rows) >= len(t.rows) for t in tables), [len(t.rows) for t in tables]
    if cid in ("japan_market_share", "china_self_sufficiency"):  # layers of annotations and of data
        assert "share" in tables[0].fields and "series" in tables[0].fields, tables[0].fields


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_table_prints_numbers_as_the_chart_does(cid, rendered):
    """The data table read "1,986" for the year the chart labels 1986."""
    for t in embed.tables(rendered[cid].spec):
        body = embed._table_html(t, CHARTS[cid].title).split("<tbody>", 1)[1]
        columns = zip(*(re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)))
        for title, grouped, cells in zip(t.titles, t.grouped, columns, strict=True):
            if title == "Year":
                assert all(re.fullmatch(r"(19|20)\d\d", c) for c in cells), (t.name, cells)
            if not grouped:
                assert not [c for c in cells if "," in c], (t.name, title, cells)


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
    fresh = chart_store.render_fresh(c, DATA)
    first = chart_store.ChartStore(DATA, tmp_path).get(c)
    store = chart_store.ChartStore(DATA, tmp_path)
    second = store.get(c)
    assert store.hits == 1 and first == fresh and second == fresh


def test_changed_figure_misses_the_cache(tmp_path):
    import dataclasses
    c = CHARTS["stimulus_allocation"]
    chart_store.ChartStore(DATA, tmp_path).get(c)
    figs = dict(DATA.figures)
    figs["stimulus.ai_models"] = dataclasses.replace(figs["stimulus.ai_models"], value=400e9)
    changed = dataclasses.replace(DATA, figures=figs)
    store = chart_store.ChartStore(changed, tmp_path)
    out = store.get(c)
    assert store.misses == 1 and "400" in json.dumps(out.spec)


@pytest.mark.parametrize("kind", ["chart"])
@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other key"])
def test_corrupt_entry_is_rendered_again(tmp_path, kind, damage):
    c = CHARTS["stimulus_allocation"]
    fresh = chart_store.render_fresh(c, DATA)
    chart_store.ChartStore(DATA, tmp_path).get(c)
    entry = next(tmp_path.glob(f"{kind}-*.json"))
    blob = entry.read_bytes()
    if damage == "other key":  # a whole, well-formed entry, but another chart's
        chart_store.ChartStore(DATA, tmp_path).get(CHARTS["rapidus_support"])
        other = next(p for p in tmp_path.glob(f"{kind}-*.json") if p != entry)
        blob = other.read_bytes()
    entry.write_bytes({"flip": blob[:40] + bytes([blob[40] ^ 0x20]) + blob[41:], "truncate": blob[: len(blob) // 2],
                       "empty": b"", "other key": blob}[damage])
    store = chart_store.ChartStore(DATA, tmp_path)
    assert store.get(c) == fresh and store.misses == 1
    assert chart_store.ChartStore(DATA, tmp_path).get(c) == fresh, "the entry was written again, whole"


def test_an_input_edit_makes_the_chart_again_exactly_as_a_fresh_render(tmp_path):
    """One entry per chart, keyed by its inputs: a new note misses, and gives what a fresh render gives."""
    c = CHARTS["stimulus_allocation"]
    chart_store.ChartStore(DATA, tmp_path).get(c)
    noted = _with(DATA, "stimulus.ai_models", note="A caveat added later.")
    store = chart_store.ChartStore(noted, tmp_path)
    assert store.get(c) == chart_store.render_fresh(c, noted) and store.misses == 1 and store.drawn == 1


def test_a_changed_spec_is_drawn_again(tmp_path):
    c = CHARTS["stimulus_allocation"]
    chart_store.ChartStore(DATA, tmp_path).get(c)
    store = chart_store.ChartStore(_with(DATA, "stimulus.ai_models", value=401e9), tmp_path)
    assert "401" in store.get(c).svg and store.drawn == 1


def _with(data, fid, **changes):
    import dataclasses
    figures = dict(data.figures)
    figures[fid] = dataclasses.replace(figures[fid], **changes)
    return dataclasses.replace(data, figures=figures)


def _other(value):
    import datetime
    import enum
    if isinstance(value, bool):
        return not value
    if isinstance(value, enum.Enum):
        return next(v for v in type(value) if v is not value)
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    if isinstance(value, tuple):
        return value[:-1] if value else ("x",)
    return f"{value}!" if value is not None else "x"


def _fields(cls):
    import dataclasses
    return [f.name for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("field", _fields(Figure))
def test_the_spec_key_covers_every_field_of_a_figure_but_where_it_is_written(field):
    import dataclasses
    c = CHARTS["stimulus_allocation"]
    fig = DATA.figures["stimulus.ai_models"]
    changed = _with(DATA, "stimulus.ai_models", **{field: _other(getattr(fig, field))}) if field != "origin" else \
        _with(DATA, "stimulus.ai_models", origin=dataclasses.replace(fig.origin, line=fig.origin.line + 40))
    same = chart_store.spec_key(c, changed) == chart_store.spec_key(c, DATA)
    assert same == (field == "origin"), f"changing {field} {'should not' if field == 'origin' else 'should'} change the key"


@pytest.mark.parametrize("field", [f for f in _fields(Series) if f != "points"])
def test_the_spec_key_covers_every_field_of_a_series(field):
    import dataclasses
    c = CHARTS["rapidus_support"]
    series = DATA.series["rapidus.subsidies"]
    value = getattr(series, field)
    new = dataclasses.replace(series.origin, line=series.origin.line + 40) if field == "origin" else _other(value)
    changed = dataclasses.replace(DATA, series={**DATA.series, "rapidus.subsidies": dataclasses.replace(series, **{field: new})})
    assert (chart_store.spec_key(c, changed) == chart_store.spec_key(c, DATA)) == (field == "origin")


def test_a_vega_lite_warning_is_kept_with_the_drawing():
    spec = {"data": {"values": [{"a": 1}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "quantitative", "aggregate": "nope"}}}
    _, _, warnings = chart_store.draw(spec)
    assert any("nope" in w for w in warnings), warnings
    assert chart_store.draw({**spec, "encoding": {"x": {"field": "a", "type": "quantitative"}}})[2] == ()


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_no_chart_draws_with_a_warning(cid, rendered):
    assert rendered[cid].warnings == ()


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_no_label_is_cut_short(cid, rendered):
    """Vega ends a label longer than its limit with an ellipsis: "Tokyo Electron, EUV tracks (20…" hid the year."""
    texts = [html.unescape(t) for t in re.findall(r">([^<]*)</text>", rendered[cid].svg)]
    assert texts and not [t for t in texts if t.endswith("\u2026")]


def test_the_chart_font_names_only_faces_as_wide_as_the_one_text_is_measured_in():
    """The SVG is laid out with Liberation Sans's widths; a reader's browser must draw it with those widths."""
    families = [f.strip().strip("'\"") for f in FONT.split(",")]
    assert families[0] == "Liberation Sans", "the face vl-convert carries and measures with comes first"
    assert families[-1] == "sans-serif"
    assert set(families[1:-1]) <= {"Arimo", "Arial", "Helvetica"}, f"faces with other widths: {families}"


@pytest.mark.parametrize("url", ["https://example.com/data.json", "data/cars.json"])
def test_data_by_url_fails_instead_of_drawing_empty_or_fetching(url):
    with pytest.raises(Exception, match="url not allowed|Unsupported data URL"):
        chart_store.draw({"data": {"url": url}, "mark": "point",
                     "encoding": {"x": {"field": "x", "type": "quantitative"}}})


def test_the_site_runtime_is_the_vega_the_charts_are_compiled_for():
    """The static SVG and the interactive view come from the same Vega."""
    import vl_convert
    installed = json.loads((ROOT / "js" / "node_modules" / "vega" / "package.json").read_text())["version"]
    pinned = json.loads((ROOT / "js" / "package.json").read_text())["dependencies"]["vega"]
    assert installed == pinned == vl_convert.get_vega_version()


def test_entries_no_build_has_used_for_a_month_are_pruned(tmp_path):
    import time
    store = chart_store.ChartStore(DATA, tmp_path)
    store.get(CHARTS["stimulus_allocation"])
    old, recent = tmp_path / "chart-old.json", tmp_path / "chart-recent.json"
    old.write_text("{}")
    recent.write_text("{}")
    month_ago = time.time() - (chart_store.KEEP_DAYS + 1) * 86400
    os.utime(old, (month_ago, month_ago))
    used = sorted(tmp_path.glob("*-*.json"))
    for path in used:  # as old as the stale one, but used by this build: kept
        os.utime(path, (month_ago, month_ago))
    os.utime(recent, (time.time() - 86400, time.time() - 86400))
    assert store.cache.prune() == 1
    assert not old.exists() and recent.exists() and all(p.exists() for p in used if p != old)
    again = chart_store.ChartStore(DATA, tmp_path)
    again.get(CHARTS["stimulus_allocation"])
    assert again.hits == 1, "a hit touches its entries, so they count as used"
    assert all(p.stat().st_mtime > month_ago + 86400 for p in used if p not in (old, recent))


def test_concurrent_builds_leave_a_consistent_cache(tmp_path):
    code = ("import sys; from pathlib import Path; from macros.data import load as data; from macros.charts import store as chart_store; from macros.charts.catalog import CHARTS; "
            "d=data.load(Path('data')); s=chart_store.ChartStore(d, Path(sys.argv[1])); [s.get(c) for c in CHARTS.values()]")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT) for _ in range(3)]
    assert all(p.wait(timeout=180) == 0 for p in procs)
    assert not list(tmp_path.glob("*.tmp"))
    store = chart_store.ChartStore(DATA, tmp_path)
    for c in CHARTS.values():
        store.get(c)
    assert store.misses == 0 and store.hits == len(CHARTS)


_POINT = re.compile(r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point" '
                    r'transform="translate\(([-\d.]+),([-\d.]+)\)"')


def test_every_forecast_is_joined_by_a_dashed_line_to_its_series_last_actual_year(rendered):
    """A forecast drawn as a lone point reads as a measurement; the dashed line says it is not."""
    joined = 0
    for cid, r in sorted(rendered.items()):
        points: dict[str, list[tuple[int, bool, tuple[float, float]]]] = {}
        for label, x, y in _POINT.findall(r.svg):
            fields = dict(part.split(": ", 1) for part in html.unescape(label).split("; "))
            if "Figure" in fields:
                points.setdefault(fields["Series"], []).append(
                    (int(fields["Year"]), fields["Figure"] == "forecast", (round(float(x), 3), round(float(y), 3))))
        dashed = {tuple(tuple(float(v) for v in xy.split(",")) for xy in d.split("L"))
                  for d in re.findall(r'<path d="M([-\d.,L]+)"[^>]*stroke-dasharray', r.svg)}
        for series, pts in points.items():
            actual = max((p for p in pts if not p[1]), default=None)
            for year, _, xy in (p for p in pts if p[1]):
                assert actual is not None, f"{cid}: {series} is all forecast"
                assert any(line[0] == actual[2] and line[-1] == xy for line in dashed), \
                    f"{cid}: the {year} forecast of {series} is not joined to {actual[0]}"
                joined += 1
    assert joined >= 1, "no chart has a forecast: this test checks nothing"


def test_a_chart_that_encodes_a_field_its_data_lacks_fails_at_the_line_that_names_it():
    import inspect

    from macros.errors import ChartFailed

    def typo(d):
        rows = [{"kind": "a", "value": 1}]
        return charts_module.alt.Chart(charts_module.alt.Data(values=rows)).mark_bar().encode(
            x="value:Q", y="kind:N",
            tooltip=[charts_module.alt.Tooltip("knd:N", title="Kind")])

    chart = charts_module.ChartDef("typo", "A typo", "A chart with a typo.", (), typo)
    with pytest.raises(ChartFailed) as failed:
        chart.spec(DATA)
    lines, start = inspect.getsourcelines(typo)
    assert failed.value.line == start + next(i for i, t in enumerate(lines) if '"knd:N"' in t)
    assert "names field 'knd'" in failed.value.message and "kind, value" in failed.value.message


def test_an_encoded_field_the_data_lacks_is_found_in_any_layer():
    spec = {"data": {"values": [{"a": 1, "b": "x"}]}, "transform": [{"calculate": "datum.a * 2", "as": "twice"}],
            "layer": [{"encoding": {"x": {"field": "a"}, "y": {"field": "twice"}}},
                      {"encoding": {"tooltip": [{"field": "b"}, {"field": "bb"}]}}]}
    assert [field for field, _ in charts_module.unknown_fields(spec)] == ["bb"]


def test_the_allocation_chart_parts_add_up_to_the_budget_line():
    """The allocation chart once left ¥701.7 billion "not broken down" that was mostly Rapidus R&D.
    Its parts now cover the whole FY2026 AI and chip line, each once: they must add up to the total,
    and none may be negative (a remainder below zero would mean a part was counted twice)."""
    total = DATA.figures[charts_module.ALLOCATION_TOTAL].value
    parts = [DATA.figures[ref] for _, ref in charts_module.ALLOCATION_PARTS]
    assert all(p.value >= 0 for p in parts), [(p.id, p.value) for p in parts]
    assert sum(p.value for p in parts) == pytest.approx(total, rel=1e-9)
    assert len({ref for _, ref in charts_module.ALLOCATION_PARTS}) == len(parts)
    # The chart draws exactly these parts, in billions, with the remainder last.
    spec = chart_store.render_fresh(CHARTS["stimulus_allocation"], DATA).spec
    rows = next(o["values"] for o in _walk(spec) if isinstance(o.get("values"), list))
    assert [r["part"] for r in rows] == [name for name, _ in charts_module.ALLOCATION_PARTS]
    assert sum(r["billion_yen"] for r in rows) == pytest.approx(total / 1e9, abs=0.05 * len(rows))
    assert charts_module.ALLOCATION_PARTS[-1][1] == "stimulus.unallocated"


def test_an_allocation_that_no_longer_adds_up_fails_the_check():
    """The check above is not vacuous: a part changed without the remainder following it breaks the sum."""
    import dataclasses

    figures = dict(DATA.figures)
    figures["rapidus.rd_fy2026"] = dataclasses.replace(figures["rapidus.rd_fy2026"], value=700e9)
    total = figures[charts_module.ALLOCATION_TOTAL].value
    stale = sum(DATA.figures[ref].value if ref == "stimulus.unallocated" else figures[ref].value
                for _, ref in charts_module.ALLOCATION_PARTS)
    assert stale != pytest.approx(total, rel=1e-9)


# -- charts that make the point ----------------------------------------------------------------

# The titles the charts had when they were labels, not findings: none may come back.
OLD_TITLES = {
    "Where the FY2026 AI and chip budget goes", "Annual budget against the extra budgets it follows",
    "Government support for Rapidus by type", "Japan's share of the world chip market, from its late-1980s peak",
    "China's chip self-sufficiency against its targets", "Japan's share of coater/developer equipment",
    "The 2030 target arithmetic", "Robot density by country", "What Rapidus needs against what the state gives",
    "Who owns TSMC's Kumamoto venture",
}


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_a_title_says_a_finding_a_subtitle_the_measure_and_a_caption_what_the_chart_cannot(cid):
    c = CHARTS[cid]
    assert c.title not in OLD_TITLES, f"{cid} has its old label for a title"
    assert not re.search(r"\d", c.title), f"a number typed into the title: {c.title!r}"
    assert ";" in c.subtitle, f"the subtitle names the measure, then its unit: {c.subtitle!r}"
    assert c.caption and c.caption != c.description and c.description not in c.caption


def _notes(spec: dict) -> list[str]:
    """Every annotation's text: the ``note`` of each row a text mark draws it from."""
    from macros.charts.annotate import NOTE
    return sorted({row[NOTE] for node in _walk(spec) if isinstance(node.get("data"), dict)
                   for row in node["data"].get("values", []) if isinstance(row, dict) and row.get(NOTE)})


def _scaled(data, refs, factor):
    """The data with every figure and series point a chart reads multiplied by ``factor``."""
    import dataclasses
    figures, series = dict(data.figures), dict(data.series)
    for ref in refs:
        if ref in series:
            s = series[ref]
            series[ref] = dataclasses.replace(s, points=tuple(dataclasses.replace(p, value=p.value * factor)
                                                              for p in s.points))
        else:
            figures[ref] = dataclasses.replace(figures[ref], value=figures[ref].value * factor)
    return dataclasses.replace(data, figures=figures, series=series)


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_annotations_are_written_from_data_and_follow_their_figures(cid):
    """Change the figures in a copy of the data: the chart's annotations change with them."""
    from macros.pages import format as fmt
    c = CHARTS[cid]
    marks = [n for n in _walk(c.spec(DATA)) if isinstance(n.get("encoding"), dict)
             and (n["encoding"].get("text") or {}).get("field") == "note"]
    assert marks, f"{cid} draws no annotation"
    before = _notes(c.spec(DATA))
    changed = _scaled(DATA, c.uses, 1.37)
    after = _notes(c.spec(changed))
    assert before != after, f"{cid}: its annotations did not follow its figures"
    new_values = {fmt.value(f) for f in c.figures(changed)}
    assert any(v in note for note in after for v in new_values), (after, sorted(new_values)[:5])
    assert not set(after) & {n for n in before if any(fmt.value(f) in n for f in c.figures(DATA))} - set(after)


def _colours(spec: dict) -> list[tuple[str, str]]:
    """(thing, colour) for every colour scale's entries, and ("", colour) for colours set on a mark."""
    out = []
    for node in _walk(spec):
        for channel in ("color", "stroke", "fill"):
            enc = (node.get("encoding") or {}).get(channel) if isinstance(node.get("encoding"), dict) else None
            if isinstance(enc, dict) and isinstance(enc.get("scale"), dict) and "range" in enc["scale"]:
                out += list(zip(enc["scale"]["domain"], enc["scale"]["range"], strict=True))
        mark = node.get("mark")
        if isinstance(mark, dict):
            out += [("", mark[k]) for k in ("color", "fill", "stroke") if isinstance(mark.get(k), str)]
    return out


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_one_colour_per_thing_on_every_chart(cid):
    """The same thing has the same colour on every chart (theme.INK), and a chart uses four colours at most."""
    from macros.charts.theme import INK, NAMES
    by_name = {NAMES[k]: INK[k] for k in INK}
    colours = set()
    for layout in (CHARTS[cid], CHARTS[cid].phone_layout()):
        for thing, colour in _colours(layout.spec(DATA)):
            assert colour in INK.values(), f"{cid}: {colour} is not in the palette (theme.INK)"
            if thing:
                assert by_name.get(thing) == colour, f"{cid}: {thing!r} drawn {colour}, elsewhere {by_name.get(thing)}"
            colours.add(colour)
    assert 1 <= len(colours) <= 4, f"{cid} uses {len(colours)} colours"


def test_the_palette_names_each_thing_once_in_one_colour():
    from macros.charts.theme import INK, NAMES
    assert len(set(INK.values())) == len(INK), "two things share a colour"
    assert set(NAMES) == set(INK) and len(set(NAMES.values())) == len(NAMES)
    assert set(SERIES_COLOURS) == set(INK.values()), "the contrast test covers every colour of the palette"


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_no_two_bars_share_a_row_so_no_two_colours_touch(cid):
    """Two mid-luminance colours cannot keep 3:1 against each other and against both backgrounds, so a
    chart never lays one against another: every bar has a row of its own (nothing is stacked)."""
    spec = CHARTS[cid].spec(DATA)
    for node in _walk(spec):
        mark = node.get("mark")
        if (mark == "bar" or isinstance(mark, dict) and mark.get("type") == "bar") and "y" in node.get("encoding", {}):
            rows = next((n["data"]["values"] for n in _walk(spec) if isinstance(n.get("data"), dict)), [])
            field = node["encoding"]["y"]["field"]
            labels = [r[field] for r in rows if field in r]
            assert len(labels) == len(set(labels)), f"{cid}: bars share a row: {labels}"


_TITLED = re.compile(r'class="mark-text role-(?:axis-title|legend-title|title-text|title)"[^>]*>(.*?)</g>', re.S)


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_readers_words_never_a_field_name_in_axes_legends_or_tooltips(cid, rendered):
    spec = rendered[cid].spec
    keys = {k for node in _walk(spec) if isinstance(node.get("data"), dict)
            for row in node["data"].get("values", []) if isinstance(row, dict) for k in row}
    svg = rendered[cid].svg
    words = [html.unescape(t) for block in _TITLED.findall(svg) for t in re.findall(r">([^<]+)</text>", block)]
    tooltip_keys = {part.split(": ", 1)[0] for label in re.findall(r'role="graphics-symbol"[^>]*?aria-label="([^"]*)"', svg)
                    for part in html.unescape(label).split("; ")} | \
                   {html.unescape(label).split("; ")[0].split(": ", 1)[0] for label in re.findall(r'aria-label="([^"]*)"', svg)}
    shown = [*words, *(k for k in tooltip_keys if ": " not in k)]
    leaked = sorted({w for w in shown for k in keys if re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", w)
                     and ("_" in k or w == k)})
    assert not leaked, f"{cid} shows field names: {leaked}"
    for node in _walk(spec):
        for tip in node.get("tooltip", []) if isinstance(node.get("tooltip"), list) else []:
            assert tip.get("title") and tip["title"] not in keys, f"{cid}: a tooltip titled by its field: {tip}"


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_a_tooltip_gives_the_value_as_prose_writes_it_its_date_and_its_source(cid, rendered):
    """Every mark with a tooltip shows the value as the prose writes it (format.py), its as-of date and source."""
    from macros.pages import format as fmt
    spec = rendered[cid].spec
    prose = {fmt.value(f) for f in CHARTS[cid].figures(DATA)}
    tips = [n["tooltip"] for n in _walk(spec) if isinstance(n.get("tooltip"), list)]
    assert tips, f"{cid}: no mark has a tooltip"
    for tip in tips:
        titles = {t["title"]: t["field"] for t in tip}
        assert {"Value", "As of", "Source"} <= set(titles), titles
        assert titles["Value"] == "shown"
    shown = {row["shown"] for n in _walk(spec) if isinstance(n.get("data"), dict)
             for row in n["data"].get("values", []) if isinstance(row, dict) and "shown" in row}
    assert shown and shown <= prose, sorted(shown - prose)


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_each_chart_is_drawn_for_the_page_and_for_a_phone_at_full_text_size(cid, rendered):
    from macros.charts.theme import PHONE_WIDTH, TEXT, WIDTH
    phone = chart_store.render_fresh(CHARTS[cid].phone_layout(), DATA)
    for drawing, most in ((rendered[cid], WIDTH), (phone, PHONE_WIDTH)):
        width = float(re.match(r'<svg[^>]*? width="([\d.]+)"', drawing.svg).group(1))
        assert most - 24 <= width <= most, f"{cid}: drawn {width}px wide for {most}px"
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)(?:px)?"', drawing.svg)]
        assert sizes and min(sizes) >= TEXT, f"{cid}: text at {min(sizes)}px"
    assert phone.warnings == ()


def test_one_time_base_per_axis():
    """Subsidies (by the year they were decided) and equity (by fiscal year) are two panels, not one axis."""
    spec = CHARTS["rapidus_support"].spec(DATA)
    assert "vconcat" in spec and len(spec["vconcat"]) == 2
    titles = [p["title"]["text"] for p in spec["vconcat"]]
    assert any("decided" in t for t in titles) and any("fiscal year" in t for t in titles), titles


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_a_named_entity_wears_its_own_colour_wherever_it_appears(cid):
    """A row named for Japan, China or Rapidus is coloured as that entity on every chart (China was a
    grey 'other country' among the robots while green on its own chart)."""
    from macros.charts.theme import NAMES
    entities = [NAMES[k] for k in ("japan", "china", "rapidus")]
    for node in _walk(CHARTS[cid].spec(DATA)):
        for row in (node.get("data") or {}).get("values", []) if isinstance(node.get("data"), dict) else []:
            name = row.get("label") or ""
            owner = next((e for e in entities if name.startswith(e)), None)
            if owner and "group" in row:
                assert row["group"] == owner, f"{cid}: {name!r} drawn as {row['group']!r}"
