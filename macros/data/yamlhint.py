"""Which line a YAML indentation error is really about.

YAML notices a mis-indented line only when it reads the next one: a dedented
``value: 49`` under ``1990:`` is reported at the ``as_of:`` line below it, with
the parser's words for that line ("mapping values are not allowed"), which send
an author looking for a colon to quote.  When the line YAML stopped at is
indented like the line after it, it is in step with its siblings, and the line
before it, a ``key: value`` at another indentation, is the one out of step.
"""

from __future__ import annotations

import re

_KEY_VALUE = re.compile(r"\s*[^\s#][^:#]*:\s+\S")  # key: value (not a block opener, not a comment)


def _content(lines: list[str], start: int, step: int) -> int | None:
    i = start
    while 0 <= i < len(lines):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
        i += step
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def out_of_step(lines: list[str], at: int) -> int | None:
    """The 0-based line to blame instead of ``at`` (where YAML stopped), or None to keep ``at``."""
    if not 0 <= at < len(lines):
        return None
    before, after = _content(lines, at - 1, -1), _content(lines, at + 1, 1)
    if before is None or not _KEY_VALUE.match(lines[before]) or lines[before].lstrip().startswith("-"):
        return None
    mine = _indent(lines[at])
    if _indent(lines[before]) == mine:
        return None
    if after is not None and _indent(lines[after]) != mine:
        return None  # the line YAML stopped at is the odd one: keep it
    return before


def hint(lines: list[str], blamed: int, siblings: int) -> str:
    return (f"This line is indented {_indent(lines[blamed])} spaces, the lines after it "
            f"{_indent(lines[siblings])}: indent the fields of one entry alike.")
