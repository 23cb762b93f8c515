"""Plausibility: values that parse and type-check but cannot be right, or probably are not.

Two kinds of problem, both stopping the build at the line to change:

- out of range: what no figure in the unit can be (a percent over 100, a density over
  10,000 per 10,000, a year 3000, a fractional count).  Nothing overrides these.
- the wrong scale, by the look of it: a percent written as a fraction (0.10 for 10 %),
  a point a thousand times its series' others, a money figure written in a scale a
  budget never uses.  Such values are sometimes right, so a figure or point may say
  why with ``unusual: "..."``; the check then lets it through (and complains if the
  field stays on a value that no longer looks unusual, so a stale note does not linger).

A source's address must end in a real top-level domain, checked against the Public
Suffix List that the pinned ``publicsuffixlist`` package ships: no network at build time.
"""

from __future__ import annotations

import statistics
from functools import lru_cache
from urllib.parse import urlparse

from ..errors import Problem
from .model import SCALES, Figure, Series, Unit

_CONFIRM = "If the value is right, say why on the figure: unusual: \"...\" (WRITING.md, Figures)."
# A point this many times its series' median (or that fraction of it) is a slipped scale.
_OUTLIER = 1000


def figure_problems(f: Figure) -> list[Problem]:
    """Range and scale problems of one figure (a series point is one too)."""
    where = (f.origin.file, f.origin.line_of("value"), f"{f.id}.value")
    hard = _range(f)
    if hard:
        return [Problem(*where, hard)]
    if f.derived:
        return []  # computed: a wrong scale would be an input's, reported there
    odd = _scale_oddity(f)
    return _unusual([odd] if odd else [], f)


def series_problems(s: Series) -> list[Problem]:
    """Points whose scale differs from their siblings': a fraction among percents, a thousandfold jump."""
    out = []
    for p in s.points:
        if _range(p) or p.derived:
            continue
        others = [abs(q.value) for q in s.points if q is not p and q.value]
        if not others or not p.value:
            continue
        median = statistics.median(others)
        odd = None
        # A percent under 1 is already questioned on its own (figure_problems); here, the jumps.
        if not _scale_oddity(p) and (abs(p.value) >= _OUTLIER * median or abs(p.value) * _OUTLIER <= median):
            odd = (f"{_num(p.value)} is a thousand times off its series' other points (around {_num(median)})",
                   "Check the digits and the series' scale.")
        if odd and not p.unusual:
            out.append(Problem(p.origin.file, p.origin.line_of("value"), f"{p.id}.value", odd[0],
                               f"{odd[1]} {_CONFIRM}"))
    return out


def _num(v: float) -> str:
    """A value as an author wrote it: 770,000,000,000 rather than 7.7e+11."""
    return f"{v:,.0f}" if v == int(v) else f"{v:,.6g}"


def _range(f: Figure) -> str | None:
    """Why the value is impossible in its unit, or None."""
    r = f.unit.physical_range
    v = f.value
    if f.unit is Unit.PERCENT and not r.low <= v <= r.high:
        return f"a percent must lie between 0 and 100, found {v:g}"
    if f.unit is Unit.YEAR and not (r.low <= v <= r.high and v == int(v)):
        return f"a year must be a whole number between 1900 and 2100, found {v:g}"
    if r.low == 0 and v < 0:
        return f"a negative {f.unit.value} amount ({v:g}) makes no sense here"
    if r.low is not None and v < r.low:
        return f"{r.what} cannot be below {r.low:g}, found {v:g}"
    if r.high is not None and v > r.high:
        return f"{r.what} cannot exceed {_num(r.high)}, found {_num(v)}"
    if r.whole and v != int(v):
        return f"{r.what} is a whole number, found {v:g}"
    return None


def _scale_oddity(f: Figure) -> tuple[str, str] | None:
    """(what looks wrong, how to fix it) when the value looks like a slipped scale."""
    r = f.unit.physical_range
    v = abs(f.value)
    written = f.value / SCALES[f.scale]
    if f.unit in (Unit.PERCENT, Unit.PERCENT_CHANGE) and 0 < v < 1:
        return (f"{f.value:g} looks like a fraction written for a percent",
                f"Write {f.value * 100:g} for {f.value * 100:g}%.")
    if f.unit.is_money:
        if f.scale not in ("million", "billion", "trillion"):
            return (f"{f.unit.value} written in the scale '{f.scale}', which a budget does not use",
                    "Write money in million, billion or trillion (scale: billion, value: 387.3).")
        if not 0.1 <= abs(written) < 10_000:
            return (f"{_num(written)} {f.scale} is written in an unusual scale",
                    "Use the scale that puts the value between 0.1 and 10,000 (1,500 billion or 1.5 trillion).")
    if v and not r.typical[0] <= v <= r.typical[1]:
        return (f"{_num(f.value)} is outside what {r.what} usually is ({_num(r.typical[0])} to {_num(r.typical[1])})",
                "Check the digits, the unit and the scale.")
    return None


def _unusual(found: list[tuple[str, str]], f: Figure) -> list[Problem]:
    line = f.origin.line_of("value")
    if found and not f.unusual:
        return [Problem(f.origin.file, line, f"{f.id}.value", what, f"{fix} {_CONFIRM}") for what, fix in found]
    return []


def stale_unusual(f: Figure, series: Series | None = None) -> list[Problem]:
    """An ``unusual:`` note on a value nothing finds unusual: delete it, or it excuses the next slip."""
    if not f.unusual or f.derived:
        return []
    plain = Figure(**{**f.__dict__, "unusual": None})
    if figure_problems(plain):
        return []
    if series is not None:
        alone = Series(**{**series.__dict__, "points": tuple(plain if p is f else p for p in series.points)})
        if any(p.key == f"{f.id}.value" for p in series_problems(alone)):
            return []
    return [Problem(f.origin.file, f.origin.line_of("unusual"), f"{f.id}.unusual",
                    "the value is not unusual, so this note excuses nothing",
                    "Delete the unusual: line; keep it only on a value the checks question.")]


@lru_cache(maxsize=1)
def _top_level_domains() -> frozenset[str]:
    """The last label of every rule of the Public Suffix List (the pinned publicsuffixlist's copy), in
    ASCII: every real top-level domain.  Read straight from its file: the package's own parser reads
    all its rules for the whole list, about 35 ms of every build, where this needs 15."""
    from importlib.resources import files

    text = files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text(encoding="utf-8")
    return frozenset(_ascii(line.strip().rsplit(".", 1)[-1]) for line in text.splitlines()
                     if line.strip() and not line.startswith("//"))


def _ascii(label: str) -> str:
    try:
        return label if label.isascii() else label.encode("idna").decode("ascii")
    except UnicodeError:  # no label the list holds: the address is then reported
        return label


def url_problem(url: str) -> str | None:
    """Why a source address cannot be real (its host has no known top-level domain), or None."""
    host = (urlparse(url).hostname or "").rstrip(".").lower()
    if not host:
        return "the address has no host"
    tld = host.rsplit(".", 1)[-1]
    if "." not in host or _ascii(tld) not in _top_level_domains():
        return f"'{host}' does not end in a real top-level domain ('.{tld}' is not one)"
    return None


def check(figures: dict[str, Figure], series: dict[str, Series]) -> list[Problem]:
    """Every plausibility problem of the data: each figure, each series' points, stale notes."""
    in_series = {p.id: s for s in series.values() for p in s.points}
    out = []
    for f in figures.values():
        out.extend(figure_problems(f))
        out.extend(stale_unusual(f, in_series.get(f.id)))
    for s in series.values():
        out.extend(series_problems(s))
    return out
