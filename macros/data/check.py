"""The validation vocabulary every reader of data/ speaks: one Checker per file collects its problems.

``Checker.get`` reads a field if it is what it should be, else records where it
is and what was found; ``fields`` refuses unknown and missing fields.  Kept apart
from the readers (load.py, figures.py, revisions.py) so that each reads as a list
of its fields' rules.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any, Callable
from urllib.parse import urlparse

from ..errors import Problem
from .model import Origin
from .yamlfile import Located

# Used with fullmatch: "$" would also accept a trailing line break.
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")


class Checker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def problem(self, line: int | None, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, line, key, message, hint))

    def mapping(self, node: Any, key: str, line: int) -> Located | None:
        if isinstance(node, Located):
            return node
        self.problem(line, key, f"expected a mapping of fields, found {kind(node)}")
        return None

    def fields(self, node: Located, key: str, allowed: set[str], required: set[str],
               line: int | None = None) -> bool:
        ok = True
        for name in node:
            if name not in allowed:
                self.problem(node.line_of(name), f"{key}.{name}" if key else name, "unknown field",
                             "Known fields: " + ", ".join(sorted(allowed)) + ".")
                ok = False
        for name in sorted(required - set(node)):
            self.problem(line or node.line, key, f"missing field '{name}'",
                         "Required fields: " + ", ".join(sorted(required)) + ".")
            ok = False
        return ok

    def get(self, node: Located, key: str, name: str, expect: str,
            test: Callable[[Any], bool], optional: bool = False) -> Any:
        if name not in node:
            return None
        value = node[name]
        if value is None and optional:
            return None
        if not test(value):
            self.problem(node.line_of(name), f"{key}.{name}",
                         f"expected {expect}, found {kind(value)} {value!r}")
            return None
        return value


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "text"


def is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v  # not NaN


def is_date(v: Any) -> bool:
    return isinstance(v, date)


def is_id_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v)


def entries(check: Checker, node: Any, key: str, line: int):
    """Yield (key, line, mapping) for each entry of a section mapping."""
    section = check.mapping(node, key, line)
    if section is None:
        return
    for name, value in section.items():
        entry_line = section.line_of(name)
        if not ID_RE.fullmatch(name):
            check.problem(entry_line, f"{key}.{name}",
                          "ids are lower-case letters, digits, '-' and '_', starting with a letter or digit")
            continue
        entry = check.mapping(value, f"{key}.{name}", entry_line)
        if entry is not None:
            yield name, entry_line, entry


def origin(check: Checker, line: int, entry: Located) -> Origin:
    return Origin(check.file, line, tuple((name, entry.line_of(name)) for name in entry))


def is_url(v: Any) -> bool:
    """An http(s) address and nothing else: no javascript:, data: or scheme-relative link, and no
    whitespace, control or format character (a browser drops some and reads others)."""
    if not isinstance(v, str):
        return False
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in v):
        return False
    parts = urlparse(v)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
