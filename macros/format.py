"""Numbers, money, percents and dates as readers see them, in one place.

Locale-aware so a Japanese edition can follow: money in Japanese uses the
myriad units (億 = 10^8, 兆 = 10^12), which is how Japanese readers meet
budget figures.  Every formatter is a pure function of (figure or value, locale).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .model import SCALES, Figure, Unit

LOCALES = ("en", "ja")

_EN_SCALE_WORD = {"one": "", "thousand": " thousand", "million": " million",
                  "billion": " billion", "trillion": " trillion"}
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SCALE_ORDER = ("one", "thousand", "million", "billion", "trillion")
# Japanese money: the largest myriad unit that keeps the number at 1 or more.
_JA_UNITS = ((1e12, "兆"), (1e8, "億"), (1e4, "万"), (1.0, ""))


def _check_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; known: {', '.join(LOCALES)}")


def number(value: float, decimals: int | None = None, locale: str = "en", group: bool = True) -> str:
    """1234.5 -> '1,234.5' ('1234.5' without ``group``); ``decimals=None`` keeps up to three, dropping trailing zeros."""
    _check_locale(locale)
    places = 3 if decimals is None else decimals
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # never print "-0"
    text = f"{q:,.{places}f}" if group else f"{q:.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _auto_scale(value: float) -> str:
    for name in reversed(_SCALE_ORDER):
        if abs(value) >= SCALES[name] and name != "thousand":
            return name
    return "one"


def money(value: float, unit: Unit, scale: str | None = None, decimals: int | None = None,
          locale: str = "en") -> str:
    """¥387.3 billion, $7.9 billion, ¥1.23 trillion; in Japanese 3,873億円, 79億ドル."""
    _check_locale(locale)
    if locale == "ja":
        return _money_ja(value, unit, decimals)
    name = scale if scale and scale != "one" else _auto_scale(value)
    shown = value / SCALES[name]
    text = number(shown, decimals)
    # Rounding can carry into the next scale (999.96 billion -> "1,000.0 billion").
    index = _SCALE_ORDER.index(name)
    if abs(float(text.replace(",", ""))) >= 1000 and index + 1 < len(_SCALE_ORDER) and scale in (None, "one"):
        name = _SCALE_ORDER[index + 1]
        text = number(value / SCALES[name], decimals)
    sign = "−" if text.startswith("-") else ""
    text = text.lstrip("-")
    symbol = "¥" if unit is Unit.YEN else "$"
    return f"{sign}{symbol}{text}{_EN_SCALE_WORD[name]}"


def _money_ja(value: float, unit: Unit, decimals: int | None) -> str:
    for size, word in _JA_UNITS:
        if abs(value) >= size or size == 1.0:
            text = number(value / size, decimals, "ja")
            suffix = "円" if unit is Unit.YEN else "ドル"
            return f"{text}{word}{suffix}"
    raise AssertionError("unreachable")


def percent(value: float, decimals: int | None = None, locale: str = "en") -> str:
    _check_locale(locale)
    text = number(value, 1 if decimals is None else decimals, locale)
    return f"{text.removesuffix('.0') if decimals is None else text}%"


def percent_change(value: float, decimals: int | None = None, locale: str = "en") -> str:
    text = percent(abs(value), 0 if decimals is None else decimals, locale)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def count(value: float, decimals: int | None = None, locale: str = "en") -> str:
    return number(value, 0 if decimals is None else decimals, locale)


def year(value: float, locale: str = "en") -> str:
    _check_locale(locale)
    text = str(int(value))
    return f"{text}年" if locale == "ja" else text


def day(when: date, locale: str = "en") -> str:
    """26 Dec 2025 / 2025年12月26日."""
    _check_locale(locale)
    if locale == "ja":
        return f"{when.year}年{when.month}月{when.day}日"
    return f"{when.day} {_EN_MONTHS[when.month - 1]} {when.year}"


def value(fig: Figure, locale: str = "en") -> str:
    """A figure's value as prose shows it."""
    unit = fig.unit
    if unit.is_money:
        scale = fig.scale if fig.scale != "one" else None
        return money(fig.value, unit, scale, fig.precision, locale)
    if unit is Unit.PERCENT:
        return percent(fig.value, fig.precision, locale)
    if unit is Unit.PERCENT_CHANGE:
        return percent_change(fig.value, fig.precision, locale)
    if unit is Unit.YEAR:
        return year(fig.value, locale)
    if unit is Unit.RATIO:
        return f"{number(fig.value, 1 if fig.precision is None else fig.precision, locale)}×"
    if unit is Unit.YEN_PER_USD:
        text = number(fig.value, 1 if fig.precision is None else fig.precision, locale)
        return f"{text}円/ドル" if locale == "ja" else f"¥{text} per dollar"
    if unit is Unit.ROBOTS_PER_10K:
        text = count(fig.value, fig.precision, locale)
        return f"{text}台/1万人" if locale == "ja" else f"{text} robots per 10,000 employees"
    if unit is Unit.COUNT:
        return count(fig.value / (SCALES[fig.scale]), fig.precision, locale) + (
            _EN_SCALE_WORD[fig.scale] if locale == "en" else "")
    raise AssertionError(f"no format for unit {unit}")  # every Unit is handled above


def axis_value(fig: Figure) -> float:
    """The number a chart plots: money in the figure's own scale, everything else as is."""
    if fig.unit.is_money or fig.unit is Unit.COUNT:
        return round(fig.value / SCALES[fig.scale], 6)
    return round(fig.value, 6)
