"""Numbers, money, percents and dates as readers see them, in one place.

Locale-aware for the Japanese edition: money and counts in Japanese use the
myriad groups (万 10^4, 億 10^8, 兆 10^12), which is how Japanese readers meet
budget figures; ja_numbers.py holds that system and its house style (3873億円,
1兆2390億円: no comma inside a group, empty groups left out, 1万2000 for
counts).  Percents and dates in Japanese follow CLDR's patterns through Babel
(12.5%, 2025年12月26日); fiscal years are 2026年度.  A Japanese amount is shown
to the precision its English twin shows, so both editions state the same
figure.  Every formatter is a pure function of (figure or value, locale).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import ja_numbers
from ..data.model import SCALES, Figure, Unit

LOCALES = ("en", "ja")

_EN_SCALE_WORD = {"one": "", "thousand": " thousand", "million": " million",
                  "billion": " billion", "trillion": " trillion"}
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SCALE_ORDER = ("one", "thousand", "million", "billion", "trillion")


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
    """¥387.3 billion, $7.9 billion, ¥1.23 trillion; in Japanese 3873億円, 79億ドル, 1兆2300億円."""
    _check_locale(locale)
    if locale == "ja":
        return _money_ja(value, unit, scale, decimals)
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


def _money_ja(value: float, unit: Unit, scale: str | None, decimals: int | None) -> str:
    # The finest amount the English text states (¥387.3 billion: to the million with three
    # places) is the finest the Japanese states, so both editions round the same figure alike.
    name = scale if scale and scale != "one" else _auto_scale(value)
    places = 3 if decimals is None else decimals
    suffix = "円" if unit is Unit.YEN else "ドル"
    return ja_numbers.money(value, suffix, ja_numbers.resolution_of(SCALES[name], places))


def percent(value: float, decimals: int | None = None, locale: str = "en") -> str:
    _check_locale(locale)
    if locale == "ja":
        return _percent_ja(value, decimals)
    text = number(value, 1 if decimals is None else decimals, locale)
    return f"{text.removesuffix('.0') if decimals is None else text}%"


def _percent_ja(value: float, decimals: int | None) -> str:
    from babel import Locale  # only the ja edition needs Babel
    from babel.numbers import format_percent

    places = 1 if decimals is None else decimals
    # Rounded here, half up as the English edition rounds; Babel's own rounding is half even.
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if decimals is None and q == q.to_integral_value():
        places = 0
    pattern = Locale("ja").percent_formats[None].pattern  # CLDR: '#,##0%'
    if places:
        pattern = pattern.replace("0%", "0." + "0" * places + "%")
    return format_percent(abs(q) / 100 if q == 0 else q / 100, pattern, locale="ja")


def percent_change(value: float, decimals: int | None = None, locale: str = "en") -> str:
    text = percent(abs(value), 0 if decimals is None else decimals, locale)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def count(value: float, decimals: int | None = None, locale: str = "en") -> str:
    """1,012 / 12,000; in Japanese 1012 / 1万2000 (the myriad grouping money uses)."""
    if locale == "ja":
        return ja_numbers.myriad(value, ja_numbers.resolution_of(1, 0 if decimals is None else decimals))
    return number(value, 0 if decimals is None else decimals, locale)


def labelled(name: str, shown: str, locale: str = "en") -> str:
    """A name from data/ and its value, as a chart's label writes them: "Japan: 419"; in Japanese
    "日本：419" (the full-width colon, no space).  A label whose name is English text gets its colon
    from its translation instead ("Target for 2020: " -> "2020年の目標：" in data/ja/charts.yml)."""
    _check_locale(locale)
    return f"{name}：{shown}" if locale == "ja" else f"{name}: {shown}"


def label(text: str, locale: str = "en") -> str:
    """A label ending in its colon and what separates it from what it labels: "Sources: " in English,
    "出典：" in Japanese (the full-width colon takes the space)."""
    _check_locale(locale)
    return text if locale == "ja" else f"{text} "


def listed(items, locale: str = "en", phrases: bool = False) -> str:
    """Items of a list in running text: "a, b, c"; in Japanese "a、b、c".  ``phrases``: items that may
    hold that mark themselves (figures' labels), kept apart by a stronger one: "a; b", 「a／b」."""
    _check_locale(locale)
    if locale == "ja":
        return ("／" if phrases else "、").join(items)
    return ("; " if phrases else ", ").join(items)


def year(value: float, locale: str = "en") -> str:
    _check_locale(locale)
    text = str(int(value))
    return f"{text}年" if locale == "ja" else text


def fiscal_year(value: float, locale: str = "en") -> str:
    """FY2026 / 2026年度 (Japan's fiscal year starts in April, as the 年度 says)."""
    _check_locale(locale)
    return f"{int(value)}年度" if locale == "ja" else f"FY{int(value)}"


def day(when: date, locale: str = "en") -> str:
    """26 Dec 2025 / 2025年12月26日 (CLDR's long date for ja)."""
    _check_locale(locale)
    if locale == "ja":
        from babel.dates import format_date  # only the ja edition needs Babel

        return format_date(when, "long", locale="ja")
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
        text = number(fig.value, 1 if fig.precision is None else fig.precision, locale)
        return f"{text}倍" if locale == "ja" else f"{text}×"
    if unit is Unit.YEN_PER_USD:
        text = number(fig.value, 1 if fig.precision is None else fig.precision, locale)
        return f"{text}円/ドル" if locale == "ja" else f"¥{text} per dollar"
    if unit is Unit.ROBOTS_PER_10K:
        text = count(fig.value, fig.precision, locale)
        return f"{text}台/1万人" if locale == "ja" else f"{text} robots per 10,000 employees"
    if unit is Unit.COUNT:
        if locale == "ja":
            # The whole count in myriad groups (1.2 million -> 120万), stated as finely as in English.
            places = 0 if fig.precision is None else fig.precision
            return ja_numbers.myriad(fig.value, ja_numbers.resolution_of(SCALES[fig.scale], places))
        return count(fig.value / (SCALES[fig.scale]), fig.precision, locale) + _EN_SCALE_WORD[fig.scale]
    raise AssertionError(f"no format for unit {unit}")  # every Unit is handled above


def axis_value(fig: Figure) -> float:
    """The number a chart plots: money in the figure's own scale, everything else as is."""
    if fig.unit.is_money or fig.unit is Unit.COUNT:
        return round(fig.value / SCALES[fig.scale], 6)
    return round(fig.value, 6)
