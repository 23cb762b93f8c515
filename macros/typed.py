"""Numbers typed by hand: every figure in prose must come from data/ through a macro.

What is left of a page after removing macro calls, HTML tags, code and link
targets may contain no digits, except years (1900-2099, also as FY2026) and the
names in ALLOWED, which contain digits but are not figures.  The same rule holds
for glossary definitions, which are shown wherever their term appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import Problem

# Names that contain digits but are not figures; keep this list short.
ALLOWED = (
    "2-nanometre", "2nm", "3nm", "Made in China 2025", "IIM-1", "CHIPS and Science Act", "Section 232",
)
_STRIP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|`[^`\n]*`|\]\([^)]*\)|<[^>]+>|^\s*\*\[[^\]]+\]:.*$",
    re.S | re.M,
)
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)
_YEAR = re.compile(r"(?<![\d.,$¥])(?:FY)?(?:19|20)\d\d(?:s|[–-](?:19|20)?\d\d)?(?![\d%]|[.,]\d)")
_DIGIT = re.compile(r"[^\s]*\d[^\s]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


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
    for n, line in enumerate(text.splitlines(), 1):
        for name in ALLOWED:
            line = line.replace(name, " ")
        line = _YEAR.sub(" ", line)
        hits.extend((n, token) for token in _DIGIT.findall(line))
    return hits


def matching(token: str, shown: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of the figures whose value, as the site writes it, holds the number in ``token``.

    ``shown`` is (figure id, formatted value) pairs."""
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
