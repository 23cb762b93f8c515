"""Names are unique: two things of one name stop the build naming both places.

Within one YAML file a repeated key is refused by the loader (yamlfile.py), so a
source, claim or event id written twice in its file is caught there.  What the
loader cannot see:

- a figure in data/ whose id a derivation also computes (macros/data/derived.py): the
  computed one silently replaced the author's;
- two glossary terms that differ only in case ("Rapidus" and "rapidus"): terms match
  in any case, so one definition silently won.

(A second chart function of one name is chartcheck.Registry's.)
"""

from __future__ import annotations

import inspect
from typing import Iterable

from ..errors import Problem
from .model import Figure


def derived_clashes(figures: dict[str, Figure], derived_ids: Iterable[str]) -> list[Problem]:
    """A data figure with the id of a derived one, at both places."""
    out = []
    for fid in derived_ids:
        if fid in figures and not figures[fid].derived:
            f = figures[fid]
            out.append(Problem(f.origin.file, f.origin.line, fid,
                               f"a derived figure has this id too (macros/data/derived.py:{_derivation_line(fid)})",
                               "The build computes that figure; rename this one, or delete it and use the computed one."))
    return out


def _derivation_line(fid: str) -> int | None:
    from . import derived

    try:
        lines = inspect.getsource(derived).splitlines()
    except (OSError, TypeError):
        return None
    return next((n for n, text in enumerate(lines, 1) if f'"{fid}"' in text), None)


def term_clashes(terms: dict, line_of, file: str) -> list[Problem]:
    """Glossary terms equal but for case, at the second, naming the first."""
    seen: dict[str, str] = {}
    out = []
    for term in terms:
        key = " ".join(str(term).casefold().split())
        if key in seen:
            out.append(Problem(file, line_of(term), f"terms.{term}",
                               f"the same term as '{seen[key]}' ({file}:{line_of(seen[key])}): terms match in any case",
                               "Keep one definition."))
        else:
            seen[key] = term
    return out
