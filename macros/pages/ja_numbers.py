"""The Japanese number system: myriad groups (万 10^4, 億 10^8, 兆 10^12), written and read.

House style (that of Japanese newspapers, e.g. Kyodo's 記者ハンドブック):

* Amounts are written in myriad groups, largest first, each group in Arabic
  digits with no thousands comma inside it: 3873億円, 1兆2390億円, 79億ドル,
  1万2000.  A comma inside a group (3,873億円) is the style of government
  tables, not of prose, and mixing both groupings in one figure reads badly.
* Empty groups are left out and the rest are not zero-padded: 1兆円 (never
  1兆0億円), 1兆390億円 (never 1兆0390億円).
* A value is shown to the precision the source gives it and no finer; what
  lies below 万 in a figure known to the 万 is written in a smaller group
  instead of as a decimal: 0.5億円 is written 5000万円.
* Rounding happens once, on the whole value, so it carries across groups:
  9999.96億円 known to the 億 is 1兆円.
* Values below 1万 are plain digits (419, 9999円); negatives take U+2212
  MINUS SIGN, as the English edition does (−3873億円).
* Counts follow the same grouping (1万2000, 1012), so a page never mixes two
  ways of writing large numbers.

The 兆 group is the largest: 京 (10^16) is outside any budget this site shows.

Vega's d3-format cannot group by 10^4, so ``vega_expr`` writes the same
formatting as a Vega expression (for an axis ``labelExpr`` or a tooltip's
``calculate``), using only functions the CSP-safe vega-interpreter evaluates.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
_GROUPS = ((10 ** 12, "兆"), (10 ** 8, "億"), (10 ** 4, "万"))
_UNIT_VALUE = {"万": 10 ** 4, "億": 10 ** 8, "兆": 10 ** 12}
# Full-width digits and signs fold to ASCII one character for one, so positions survive.
FOLD = str.maketrans("０１２３４５６７８９．，％＋－￥＄", "0123456789.,%+-¥$")
_KANJI_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
KANJI_NUMERALS = "〇零一二三四五六七八九十百千"


def _decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, (Decimal, int)):
        return Decimal(value)
    # repr gives the shortest decimal that round-trips: 387.3e9 is 387300000000, not 387299999999.99994.
    return Decimal(repr(float(value)))


def _plain(d: Decimal) -> str:
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def myriad(value: float | int | Decimal, resolution: float | int | Decimal = 1) -> str:
    """12000 -> '1万2000'; 1.239e12 -> '1兆2390億'; rounded half up (away from zero) to ``resolution``."""
    res = _decimal(resolution)
    if res <= 0:
        raise ValueError(f"resolution must be positive, not {resolution!r}")
    d = _decimal(value)
    q = (abs(d) / res).quantize(Decimal(1), rounding=ROUND_HALF_UP) * res
    parts, rest = [], q
    for size, word in _GROUPS:
        whole = int(rest // size)
        if whole:
            parts.append(f"{whole}{word}")
            rest -= whole * size
    if rest or not parts:
        parts.append(_plain(rest))
    sign = MINUS if d < 0 and q != 0 else ""
    return sign + "".join(parts)


def money(value: float | int | Decimal, suffix: str = "円", resolution: float | int | Decimal = 1) -> str:
    """387.3e9 -> '3873億円'; 7.9e9 with suffix 'ドル' -> '79億ドル'."""
    return myriad(value, resolution) + suffix


def resolution_of(scale: float, places: int) -> Decimal:
    """The finest amount shown when a value in units of ``scale`` is known to ``places`` decimals."""
    return _decimal(scale) * Decimal(1).scaleb(-places)


def _kanji_group(text: str) -> int | None:
    """三千八百 -> 3800; a run of digits with no 十百千 is read positionally (二〇二六 -> 2026)."""
    if all(ch in _KANJI_DIGIT for ch in text):
        return int("".join(str(_KANJI_DIGIT[ch]) for ch in text))
    total, digit = 0, None
    for ch in text:
        if ch in _KANJI_DIGIT:
            digit = _KANJI_DIGIT[ch]
        elif ch in _KANJI_SMALL:
            total += (1 if digit is None else digit) * _KANJI_SMALL[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


_ARABIC_GROUP = re.compile(r"\d[\d,]*(?:\.\d+)?")


def parse(text: str) -> Decimal | None:
    """The value of a number written in myriad groups, in Arabic, full-width or kanji digits.

    '1兆2390億円' -> 1239000000000, '３８７３億' -> 387300000000, '三千八百億円' -> 380000000000,
    '1.2兆' -> 1200000000000, '−3873億円' -> -387300000000.  None when ``text`` is no such number.
    Currency and counters after the number are ignored."""
    text = text.translate(FOLD).strip()
    sign = -1 if text[:1] in (MINUS, "-", "▲", "△") else 1
    text = text.lstrip(MINUS + "-▲△+¥$")
    body = re.match(rf"[\d,.{KANJI_NUMERALS}万億兆]+", text)
    if not body:
        return None
    total, rest = Decimal(0), body.group(0)
    for piece in re.finditer(r"([^万億兆]*)([万億兆]?)", rest):
        digits, unit = piece.groups()
        if not digits and not unit:
            continue
        if digits and _ARABIC_GROUP.fullmatch(digits):
            amount = Decimal(digits.replace(",", ""))
        elif digits and not any(ch.isdigit() for ch in digits):
            group = _kanji_group(digits)
            if group is None:
                return None
            amount = Decimal(group)
        elif not digits:
            return None  # a unit with no numeral before it (億円) states no amount
        else:
            return None  # Arabic and kanji digits mixed in one group: no reading is safe
        total += amount * (_UNIT_VALUE[unit] if unit else 1)
    return sign * total


def vega_expr(field: str = "datum.value", scale: float = 1e9, suffix: str = "円",
              resolution: float = 1e8) -> str:
    """A Vega expression writing ``field`` (a number of ``scale`` units, e.g. billions of yen) as
    ``money(field * scale, suffix, resolution)`` does: 1239 -> '1兆2390億円'.

    For an Altair axis ``labelExpr`` (field 'datum.value') or a ``transform_calculate``
    ('datum.amount').  ``resolution`` is a whole number of 万 (1e4, 1e8, ...), so that
    the expression counts in 万 with integers a double holds exactly."""
    if resolution < 1e4 or (resolution / 1e4) != int(resolution / 1e4):
        raise ValueError(f"resolution must be a whole number of 万 (10^4), not {resolution!r}")
    per = _num(scale / resolution)
    # n: the rounded magnitude, counted in 万; rounding once here is what makes groups carry.
    n = f"(round(abs({field})*{per})*{_num(resolution / 1e4)})"
    cho, oku, man = f"floor({n}/100000000)", f"(floor({n}/10000)%10000)", f"({n}%10000)"
    return (f"(({field})<0&&{n}>0?'{MINUS}':'')"
            f"+({cho}>0?{cho}+'兆':'')"
            f"+({oku}>0?{oku}+'億':'')"
            f"+({man}>0?{man}+'万':'')"
            f"+({n}==0?'0':'')+'{suffix}'")


def _num(x: float) -> str:
    # 10 rather than 10.0: the expression stays short, and reads the same in Vega as here.
    return repr(int(x)) if float(x).is_integer() else repr(float(x))
