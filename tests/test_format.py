"""Formatting: one module, every unit, edge cases, and every real figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from macros.data import load as data
from macros.pages import format as fmt
from macros.data.model import Figure, Origin, Unit

ROOT = Path(__file__).resolve().parent.parent
DATA = data.load(ROOT / "data")


def figure(value: float, unit: Unit, scale: str = "one", precision: int | None = None) -> Figure:
    return Figure(id="t.x", label="x", value=value, unit=unit, as_of=date(2025, 12, 26), sources=("s",),
                  origin=Origin("t", 1), scale=scale, precision=precision)


@pytest.mark.parametrize("value, unit, scale, precision, expected", [
    (1.23e12, Unit.YEN, "trillion", None, "¥1.23 trillion"),
    (1.239e12, Unit.YEN, "billion", 0, "¥1,239 billion"),
    (387.3e9, Unit.YEN, "billion", None, "¥387.3 billion"),
    (150e9, Unit.YEN, "billion", None, "¥150 billion"),
    (7.9e9, Unit.USD, "billion", None, "$7.9 billion"),
    (0.0, Unit.YEN, "one", None, "¥0"),
    (701.7e9, Unit.YEN, "one", 1, "¥701.7 billion"),          # derived: scale chosen by size
    (999.96e9, Unit.YEN, "one", 1, "¥1.0 trillion"),          # rounding carries into the next unit
    (999.94e9, Unit.YEN, "one", 1, "¥999.9 billion"),
    (-2.5e9, Unit.USD, "one", None, "−$2.5 billion"),
    (50.3, Unit.PERCENT, "one", None, "50.3%"),
    (10.0, Unit.PERCENT, "one", 1, "10.0%"),
    (49.0, Unit.PERCENT, "one", None, "49%"),
    (0.0, Unit.PERCENT, "one", None, "0%"),
    (275.45, Unit.PERCENT_CHANGE, "one", None, "+275%"),
    (-12.0, Unit.PERCENT_CHANGE, "one", None, "−12%"),
    (3.7545, Unit.RATIO, "one", None, "3.8×"),
    (155.696, Unit.YEN_PER_USD, "one", None, "¥155.7 per dollar"),
    (1012, Unit.COUNT, "one", None, "1,012"),
    (17, Unit.COUNT, "one", None, "17"),
    (2027, Unit.YEAR, "one", None, "2027"),
    (419, Unit.ROBOTS_PER_10K, "one", None, "419 robots per 10,000 employees"),
])
def test_value_en(value, unit, scale, precision, expected):
    assert fmt.value(figure(value, unit, scale, precision)) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (1.23e12, Unit.YEN, "1兆2300億円"),
    (387.3e9, Unit.YEN, "3873億円"),
    (7.9e9, Unit.USD, "79億ドル"),
    (2027, Unit.YEAR, "2027年"),
])
def test_value_ja(value, unit, expected):
    assert fmt.value(figure(value, unit), locale="ja") == expected


def test_dates():
    assert fmt.day(date(2025, 12, 26)) == "26 Dec 2025"
    assert fmt.day(date(2025, 12, 26), "ja") == "2025年12月26日"


def test_number_never_prints_negative_zero():
    assert fmt.number(-0.0001, 1) == "0.0"


@pytest.mark.parametrize("value, group, expected", [
    (1986, False, "1986"), (1986, True, "1,986"), (1234567.25, False, "1234567.25"), (0.5, False, "0.5"),
])
def test_number_groups_thousands_unless_told_not_to(value, group, expected):
    assert fmt.number(value, group=group) == expected


def test_unknown_locale_is_an_error():
    with pytest.raises(ValueError, match="unknown locale"):
        fmt.number(1, locale="fr")


@pytest.mark.parametrize("fid", sorted(DATA.figures))
def test_every_real_figure_formats(fid):
    fig = DATA.figures[fid]
    text = fmt.value(fig)
    assert text and "nan" not in text.lower() and "e+" not in text
    # The printed number, read back, is the figure's value at the printed precision.
    digits = "".join(ch for ch in text.split(" ")[0] if ch.isdigit() or ch == ".")
    assert digits, text
