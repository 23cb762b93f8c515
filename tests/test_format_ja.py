"""Japanese numbers: myriad groups across scales, CLDR percents and dates, and the Vega
expression that writes axis labels and tooltips the way the Python formatter writes prose."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from macros.pages import format as fmt, ja_numbers
from macros.data.model import Unit

from .test_format import DATA, figure

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / ".venv" / "bin" / "node"
JS = ROOT / "js"


@pytest.mark.parametrize("value, unit, scale, precision, expected", [
    (387.3e9, Unit.YEN, "billion", None, "3873億円"),
    (1.239e12, Unit.YEN, "billion", 0, "1兆2390億円"),
    (1.239e12, Unit.YEN, "trillion", 3, "1兆2390億円"),
    (1.23e12, Unit.YEN, "trillion", None, "1兆2300億円"),
    (7.9e9, Unit.USD, "billion", None, "79億ドル"),
    (150e9, Unit.YEN, "billion", None, "1500億円"),
    (1e12, Unit.YEN, "trillion", None, "1兆円"),                # exact multiple: no 0億
    (1.039e12, Unit.YEN, "billion", 0, "1兆390億円"),           # no zero padding inside a group
    (999.996e9, Unit.YEN, "billion", 1, "1兆円"),               # 9999.96億 to the 億 carries into 兆
    (999.94e9, Unit.YEN, "one", 1, "9999億円"),
    (0.05e9, Unit.YEN, "billion", None, "5000万円"),            # 0.5億 is written in 万
    (701.7e9, Unit.YEN, "one", 1, "7017億円"),                  # derived: to the precision English shows
    (-2.5e9, Unit.USD, "one", None, "−25億ドル"),
    (-387.3e9, Unit.YEN, "billion", None, "−3873億円"),
    (9999.0, Unit.YEN, "one", 0, "9999円"),                     # below 1万: plain digits, no comma
    (12_345.0, Unit.YEN, "one", 0, "1万2345円"),
    (0.0, Unit.YEN, "one", None, "0円"),
    (-0.0001e9, Unit.YEN, "billion", 1, "0円"),                 # never "−0"
    (12.3456789e12, Unit.YEN, "trillion", None, "12兆3460億円"),   # as finely as ¥12.346 trillion
    (123.4e12, Unit.YEN, "trillion", 1, "123兆4000億円"),
])
def test_money_ja(value, unit, scale, precision, expected):
    assert fmt.value(figure(value, unit, scale, precision), locale="ja") == expected


@pytest.mark.parametrize("value, unit, scale, precision, expected", [
    (12.5, Unit.PERCENT, "one", None, "12.5%"),
    (49.0, Unit.PERCENT, "one", None, "49%"),
    (10.0, Unit.PERCENT, "one", 1, "10.0%"),
    (0.04, Unit.PERCENT, "one", None, "0%"),
    (275.45, Unit.PERCENT_CHANGE, "one", None, "+275%"),
    (-12.0, Unit.PERCENT_CHANGE, "one", None, "−12%"),
    (12.25, Unit.PERCENT, "one", None, "12.3%"),                # half up, as in English (Babel rounds half even)
    (12000, Unit.COUNT, "one", None, "1万2000"),
    (1012, Unit.COUNT, "one", None, "1012"),
    (1.2e6, Unit.COUNT, "million", 1, "120万"),
    (3.7545, Unit.RATIO, "one", None, "3.8倍"),
    (155.696, Unit.YEN_PER_USD, "one", None, "155.7円/ドル"),
    (419, Unit.ROBOTS_PER_10K, "one", None, "419台/1万人"),
    (2027, Unit.YEAR, "one", None, "2027年"),
])
def test_other_units_ja(value, unit, scale, precision, expected):
    assert fmt.value(figure(value, unit, scale, precision), locale="ja") == expected


def test_fiscal_years_and_dates():
    assert (fmt.fiscal_year(2026, "ja"), fmt.fiscal_year(2026)) == ("2026年度", "FY2026")
    assert fmt.day(date(2025, 12, 26), "ja") == "2025年12月26日"
    assert fmt.day(date(2026, 4, 1), "ja") == "2026年4月1日"


@pytest.mark.parametrize("value, resolution, expected", [
    (0, 1, "0"), (9999, 1, "9999"), (10_000, 1, "1万"), (12_000, 1, "1万2000"), (100_000_001, 1, "1億1"),
    (123_456_789, 1, "1億2345万6789"), (123_456_789, 10 ** 4, "1億2346万"), (1.5, Decimal("0.1"), "1.5"),
    (10 ** 16, 10 ** 8, "10000兆"), (-5e7, 10 ** 8, "−1億"), (-4e7, 10 ** 8, "0"),
])
def test_myriad(value, resolution, expected):
    assert ja_numbers.myriad(value, resolution) == expected


@pytest.mark.parametrize("text, value", [
    ("3873億円", 387_300_000_000), ("1兆2390億円", 1_239_000_000_000), ("79億ドル", 7_900_000_000),
    ("１２３９億円", 123_900_000_000), ("三千八百億円", 380_000_000_000), ("一兆二千三百九十億円", 1_239_000_000_000),
    ("1.2兆", 1_200_000_000_000), ("−3873億円", -387_300_000_000), ("1万2000", 12_000), ("12,000", 12_000),
    ("千万円", 10_000_000), ("二〇二六", 2026), ("円", None), ("3百億", None),
])
def test_parse(text, value):
    assert ja_numbers.parse(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize("fid", sorted(f for f in DATA.figures if DATA.figures[f].unit.is_money))
def test_every_real_amount_reads_back_as_its_english_value(fid):
    """The Japanese amount and the English one state the same number, at the precision shown."""
    fig = DATA.figures[fid]
    ja = fmt.value(fig, "ja")
    assert re.fullmatch(r"−?(?:\d+兆)?(?:\d{1,4}億)?(?:\d{1,4}万)?(?:\d{1,4}(?:\.\d+)?)?(?:円|ドル)", ja), ja
    en = fmt.value(fig).replace(",", "")
    number, _, word = en.lstrip("−¥$").partition(" ")
    scale = {"": 1, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}[word]
    assert ja_numbers.parse(ja) == Decimal(number) * scale * (-1 if en.startswith("−") else 1)


def test_vega_expr_needs_whole_myriads():
    with pytest.raises(ValueError, match="whole number of 万"):
        ja_numbers.vega_expr(resolution=1e3)


# (value on the axis, the axis' unit, resolution, suffix): ties at the resolution are left out
# on purpose, since a double and a decimal may see a tie on different sides.
VEGA_CASES = [
    (0, 1e9, 1e8, "円"), (0.04, 1e9, 1e8, "円"), (0.06, 1e9, 1e8, "円"), (1, 1e9, 1e8, "円"),
    (7.9, 1e9, 1e8, "ドル"), (99.99, 1e9, 1e8, "円"), (387.3, 1e9, 1e8, "円"), (999.996, 1e9, 1e8, "円"),
    (1000, 1e9, 1e8, "円"), (1000.04, 1e9, 1e8, "円"), (1239, 1e9, 1e8, "円"), (1203.9, 1e9, 1e8, "円"),
    (1050, 1e9, 1e8, "円"), (9999.99, 1e9, 1e8, "円"), (12345.6, 1e9, 1e8, "円"), (250000, 1e9, 1e8, "円"),
    (-387.3, 1e9, 1e8, "円"), (-0.04, 1e9, 1e8, "円"), (-1239, 1e9, 1e8, "円"), (1.239, 1e12, 1e8, "円"),
    (123.45, 1e6, 1e4, "円"), (0.5, 1e6, 1e4, "円"), (1.23456, 1e6, 1e4, "円"), (387.3, 1e9, 1e12, "円"),
    (701.734, 1e9, 1e6, "円"),
]


@pytest.fixture(scope="module")
def vega_labels() -> list[str]:
    """Every case's expression, evaluated as the site's pages evaluate it: Vega with vega-interpreter
    (the CSP allows no eval), as a formula transform in one tiny spec, in one Node process."""
    if not (NODE.exists() and (JS / "node_modules" / "vega-interpreter").exists()):
        pytest.skip("Node and the Vega runtime come with `python3 tasks.py setup`")
    data = [{"i": i, "x": x} for i, (x, *_rest) in enumerate(VEGA_CASES)]
    transforms = [{"type": "formula", "as": f"t{i}",
                   "expr": f"datum.i=={i}?({ja_numbers.vega_expr('datum.x', s, u, r)}):''"}
                  for i, (_x, s, r, u) in enumerate(VEGA_CASES)]
    spec = {"data": [{"name": "t", "values": data, "transform": transforms}]}
    script = (
        "import * as vega from 'vega'; import {expressionInterpreter} from 'vega-interpreter';"
        f"const spec = {json.dumps(spec)};"
        "const view = new vega.View(vega.parse(spec, null, {ast: true}),"
        " {expr: expressionInterpreter, renderer: 'none'});"
        "await view.runAsync();"
        "console.log(JSON.stringify(view.data('t').map(d => d['t' + d.i])));"
    )
    out = subprocess.run([NODE, "--input-type=module"], input=script, cwd=JS, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("i", range(len(VEGA_CASES)), ids=[f"{c[0]}x{c[1]:g}@{c[2]:g}" for c in VEGA_CASES])
def test_vega_expr_agrees_with_python(vega_labels, i):
    x, scale, resolution, suffix = VEGA_CASES[i]
    assert vega_labels[i] == ja_numbers.money(Decimal(repr(x)) * Decimal(scale), suffix, Decimal(resolution))


def test_vega_expr_as_an_axis_label_expr():
    """Through Vega-Lite too: an Altair axis' labelExpr, drawn by vl-convert as the static charts are."""
    vlc = pytest.importorskip("vl_convert")
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "data": {"values": [{"x": 0}, {"x": 1239}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative", "title": None,
                               "axis": {"labelExpr": ja_numbers.vega_expr(), "values": [0, 387.3, 1000, 1239]}}}}
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", vlc.vegalite_to_svg(spec))
    assert labels == ["0円", "3873億円", "1兆円", "1兆2390億円"]


def test_a_label_joins_its_name_and_value_as_each_edition_sets_type():
    assert fmt.labelled("Japan", "419") == "Japan: 419"
    assert fmt.labelled("日本", "419", "ja") == "日本：419"


def test_the_japanese_robot_density_labels_use_the_full_width_colon(site):
    """Names from data/ja/ meet their counts in the chart: "韓国：1012", not "韓国: 1012"."""
    page = (site.site / "ja" / "risks" / "index.html").read_text(encoding="utf-8")
    assert ">韓国：1012</text>" in page and "韓国: " not in page
    assert ">Korea: 1,012</text>" in (site.site / "risks" / "index.html").read_text(encoding="utf-8")


def test_a_label_and_a_list_are_punctuated_as_each_language_does():
    from macros.pages import format as f

    assert f.label("Sources:") == "Sources: " and f.label("出典：", locale="ja") == "出典："
    assert f.listed(["a", "b", "c"]) == "a, b, c" and f.listed(["甲", "乙"], locale="ja") == "甲、乙"
    assert f.listed([]) == "" and f.listed(iter(["x"]), locale="ja") == "x"
    assert f.listed(["a, b", "c"], phrases=True) == "a, b; c"
    assert f.listed(["転換された、未払いの補助金", "株"], locale="ja", phrases=True) == "転換された、未払いの補助金／株"
