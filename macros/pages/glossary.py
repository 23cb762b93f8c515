"""Glossary terms in pages: explained where a reader first meets them.

Python-Markdown's abbr extension turns each defined term into an
``<abbr title="definition">``, matching case exactly and marking every use.
Readers write "Robot density" at the start of a sentence and "robot density"
after it, so each term is defined in the cases prose uses; and a page that
underlines every use of every term shouts, so only the first use on a page
keeps its mark (the later ones stay plain text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping


def forms(term: str) -> tuple[str, ...]:
    """The spellings a term is matched in: as written, sentence case, lower and upper case."""
    return tuple(dict.fromkeys((term, term[:1].upper() + term[1:], term.lower(), term.upper())))


def abbreviations(glossary: Mapping[str, str]) -> str:
    """Markdown abbreviation definitions for every term, in each of its forms."""
    lines = [f"*[{form}]: {text}" for term, text in glossary.items() for form in forms(term)]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


_ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')


# Where a term stays unmarked and its first use does not count: headings, which stay quiet (the mark
# goes on the term's first use in the prose below).  A number's hidden provenance never reaches here:
# it goes into the page after Markdown (pages/markup.py: PROVENANCE_SLOT), so it carries no mark.
_QUIET = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.S)


def first_use_only(html: str) -> str:
    """Keep the mark on the first use of each term (in any case) in a page's HTML; unwrap the rest,
    and every mark in a heading."""
    seen: set[str] = set()

    def keep_first(m: re.Match) -> str:
        key = m.group(1).casefold()
        if key in seen:
            return m.group(1)
        seen.add(key)
        return m.group(0)

    out, last = [], 0
    for m in _QUIET.finditer(html):
        out.append(_ABBR.sub(keep_first, html[last:m.start()]))
        out.append(_ABBR.sub(r"\1", m.group(0)))
        last = m.end()
    out.append(_ABBR.sub(keep_first, html[last:]))
    return "".join(out)
