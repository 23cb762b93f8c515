"""Numbers typed by hand: every figure in prose must come from data/ through a macro.

What is left of a page after removing macro calls, HTML tags, code and link
targets may contain no digits, except years (1900-2099, also as FY2026) and the
names in ALLOWED, which contain digits but are not figures.  The same rule holds
for glossary definitions, which are shown wherever their term appears.

Japanese prose is held to the same rule.  Full-width digits count as digits
(１２３９), as do amounts in kanji numerals that name money or a percent
(三千八百億円; 数千億円, "some hundreds of billions", is no figure).  Years
stay allowed as in English: 2026年, 2026年度, 2020年代, 2020〜2025年 and era
years (令和8年度); a month is allowed, as "December" is (12月, 2025年12月);
a day of the month is not, as "26" in "26 Dec 2025" is not, so 2025年12月26日
is reported as '26日' (a date comes from data/ through a macro).  A four-digit
number followed by a myriad unit or a counter (2026億円, 2000人) is no year.
Small counts, which English writes as words ("three points", "two measures", "the
first fab", "a year", "a decade"), Japanese writes with a digit and a counter: a
single digit before a counter of things (3つ, 2通り, 1社, 1本, 2つ目), an ordinal
(第1工場, but not 第3四半期, a date as "Q3" is), and one to ten years as a span
(1年前, 1年分, 10年間) are allowed.  Never an amount: 3億円, 2倍, 5%, 12社 and 3カ月
are hits, as "¥300 million", "2x", "5%", "12 firms" and "3 months" are.
Japanese has no spaces, so a hit is the number with its units (1兆2390億円),
not the run of text around it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from collections.abc import Iterable

from ..pages import ja_numbers
from ..errors import Problem

# Names that contain digits but are not figures; keep this list short.
ALLOWED = (
    "2-nanometre", "2nm", "3nm", "Made in China 2025", "IIM-1", "CHIPS and Science Act", "Section 232",
    "2ナノ", "3ナノ",  # 2nm, 3nm as Japanese writes them (2ナノメートル, 2ナノ半導体)
)
_STRIP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|^\s*\*\[[^\]]+\]:.*$",
    re.S | re.M,
)
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)
# Japanese counters and myriad units after four digits make them an amount, not a year;
# none of these characters occurs in English prose, so the English rule is unchanged.
_YEAR = re.compile(r"(?<![\d.,$¥])(?:FY)?(?:19|20)\d\d(?:s|[–\-〜～](?:19|20)?\d\d)?"
                   r"(?![\d%]|[.,]\d|[万億兆円人社台件個枚基倍名機点ド])")
_JA_YEAR = re.compile(r"(?:(?:令和|平成|昭和)(?:元|\d{1,2})|(?<![\d.,$¥])(?:19|20)\d\d(?:[–\-〜～](?:19|20)?\d\d)?)"
                      r"年(?:度|代)?(?:(?:1[0-2]|[1-9])月)?")
_JA_MONTH = re.compile(r"(?<![\d.,])(?:1[0-2]|[1-9])月")
# Small counts English writes as words (see the docstring); none is followed by a myriad unit or money.
_JA_SMALL = re.compile(r"(?<![\d.,万億兆¥$+−-])(?:[1-9](?:つ目|つ|通り|社|本|点|種類|回|件|か所|カ所|ヶ所|番目)"
                       r"|(?<=第)[1-9](?!\d|四半期)|(?:10|[1-9])年(?:間|分|前|後|目))(?![\d.,万億兆円%％])")
_DIGIT = re.compile(r"[^\s]*\d[^\s]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CJK = re.compile(r"[\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
# In text without spaces, a hit is the number with its myriad units and its unit or counter.
_JA_TOKEN = re.compile(r"[-−▲△+]?[¥$]?\d(?:[\d,.]*\d)?(?:[万億兆]\d(?:[\d,.]*\d)?)*[万億兆]?"
                       r"(?:米ドル|ドル|円|%|パーセント|ポイント|倍|人|社|台|件|個|日|カ月|か月|ヶ月|年間|年)?")
_K = ja_numbers.KANJI_NUMERALS
_KANJI_AMOUNT = re.compile(rf"(?<![数何幾{_K}万億兆])[{_K}]+(?:[万億兆][{_K}]*)*(?:米ドル|ドル|円|パーセント|%)")
_JA_AMOUNT = re.compile(rf"\d(?:[\d,.]*\d)?(?:[万億兆]\d(?:[\d,.]*\d)?)*[万億兆]|[{_K}]+(?:[万億兆][{_K}]*)*")
_EN_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?")
_EN_SCALE = {None: 1, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}


def _blank(m: re.Match) -> str:
    return "\n" * m.group(0).count("\n")  # keeps the line numbers of what follows


def scan_text(text: str, front_matter: bool = True) -> list[tuple[int, str]]:
    """(line number, offending token) for every hand-typed number in a page's Markdown."""
    if front_matter and text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            text = "\n" * text[:end + 4].count("\n") + text[end + 4:]
    text = _FENCE.sub(_blank, text)
    text = _STRIP.sub(_blank, text)
    hits = []
    for n, written in enumerate(text.splitlines(), 1):
        # Every step keeps each character's place, so a hit is reported as the page writes it.
        line = written.translate(ja_numbers.FOLD)
        for name in ALLOWED:
            line = line.replace(name, " " * len(name))
        for pattern in (_JA_YEAR, _JA_MONTH, _JA_SMALL, _YEAR):
            line = pattern.sub(_spaces, line)
        spans = []
        for m in _DIGIT.finditer(line):
            if _CJK.search(m.group(0)):
                spans.extend((m.start() + t.start(), m.start() + t.end()) for t in _JA_TOKEN.finditer(m.group(0)))
            else:
                spans.append(m.span())
        spans.extend(m.span() for m in _KANJI_AMOUNT.finditer(line) if _is_kanji_amount(m.group(0)))
        hits.extend((n, written[a:b]) for a, b in sorted(spans))
    return hits


def _spaces(m: re.Match) -> str:
    return " " * len(m.group(0))


def _is_kanji_amount(token: str) -> bool:
    # 一円 is also "throughout" (関東一円) and 十円 a coin: a lone numeral before 円 is too often no figure.
    numerals = re.sub(r"米ドル|ドル|円|パーセント|%", "", token)
    return len(numerals) >= 2 or token.endswith(("パーセント", "%"))


def matching(token: str, shown: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of the figures whose value, as the site writes it, holds the number in ``token``.

    ``shown`` is (figure id, formatted value) pairs, in either edition's words: a Japanese
    amount (3873億円) matches by value, so it finds ¥387.3 billion as well as 3873億円."""
    token = token.translate(ja_numbers.FOLD)
    amount = _JA_AMOUNT.search(token)
    if amount and re.search("[万億兆]|[" + _K + "]", amount.group(0)):
        value = ja_numbers.parse(amount.group(0))
        return [fid for fid, text in shown if value is not None and value in _values(text)]
    number = _NUMBER.search(token)
    if number is None:
        return []
    digits = number.group(0).replace(",", "")
    return [fid for fid, text in shown
            if any(m.group(0).replace(",", "") == digits for m in _NUMBER.finditer(text))]


def problems(text: str, file: str, shown: Iterable[tuple[str, str]] = (), first_line: int = 1,
             key: str = "", front_matter: bool = True) -> list[Problem]:
    """One problem per hand-typed number, at its line, naming the figures it may stand for."""
    shown = list(shown)
    out = []
    for n, token in scan_text(text, front_matter):
        ids = matching(token, shown)[:3]
        hint = ("Write " + " or ".join(f'{{{{ fig("{fid}") }}}}' for fid in ids) + ", whose value this is."
                if ids else "Add the figure to data/ and write it with {{ fig(\"topic.key\") }}.")
        out.append(Problem(file, first_line + n - 1, key, f"'{token}' looks like a number typed by hand", hint))
    return out


_HEADING_FIGURE = re.compile(r"^ {0,3}#{1,6}\s.*?\{\{-?\s*(fig|as_of)\s*\(", re.M)


def heading_figures(text: str, file: str) -> list[Problem]:
    """A figure in a heading, refused at its line.  A heading is read out of its context (the
    table of contents, the tab title, a search result, a link preview), where a number's
    provenance cannot follow it; and headings stay quiet: the numbers belong to the prose."""
    out = []
    fenced = _FENCE.sub(_blank, text)
    for m in _HEADING_FIGURE.finditer(fenced):
        line = fenced.count("\n", 0, m.start()) + 1
        out.append(Problem(file, line, f"{m.group(1)}()", f"a figure in a heading: {m.group(1)}() is for prose",
                           "Say what the section is about in words, and give the number in the text below."))
    return out


def _values(text: str) -> set[Decimal]:
    """The amounts a formatted value states: ¥387.3 billion and 3873億円 both give 387300000000."""
    text = text.translate(ja_numbers.FOLD)
    found = {ja_numbers.parse(m.group(0)) for m in _JA_AMOUNT.finditer(text)}
    for m in _EN_AMOUNT.finditer(_JA_AMOUNT.sub(" ", text)):
        found.add(Decimal(m.group(1).replace(",", "")) * _EN_SCALE[m.group(2)])
    return found - {None}
