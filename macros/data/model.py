"""The typed, frozen objects the rest of the package works with.

Nothing here reads files or formats text: load.py builds these objects from
data/, pages/format.py turns them into words, the macros place them in pages.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Mapping


class Unit(str, enum.Enum):
    """What a figure counts; format.py knows how to write each."""

    YEN = "yen"
    USD = "usd"
    PERCENT = "percent"  # a share: 0 to 100
    PERCENT_CHANGE = "percent_change"  # a change: "+270%"
    COUNT = "count"
    YEAR = "year"
    RATIO = "ratio"  # "3.7×"
    YEN_PER_USD = "yen_per_usd"
    ROBOTS_PER_10K = "robots_per_10k"  # robots per 10,000 manufacturing employees

    @property
    def is_money(self) -> bool:
        return self in (Unit.YEN, Unit.USD)

    @property
    def physical_range(self) -> "UnitRange":
        """What a value in this unit can be at all, and what it usually is (macros/data/plausible.py)."""
        return UNIT_RANGES[self]


@dataclass(frozen=True)
class UnitRange:
    """A unit's bounds.  ``low``..``high`` is what the quantity can physically be (outside it the
    build stops); ``typical`` is the span a figure in this explainer plausibly has (outside it the
    build stops unless the figure says ``unusual:`` why).  Money is in base units (yen, dollars)."""

    low: float | None
    high: float | None
    typical: tuple[float, float]
    whole: bool = False  # counts and years are whole numbers
    what: str = ""


# Why these spans: a budget explainer's money runs from a firm's subsidy (millions) to a
# national budget or the world chip market (hundreds of trillions); a share is at most
# 100 %; IFR's densest country has about 1,000 robots per 10,000 workers and no country
# can have more robots than 10,000 per 10,000 people by a wide margin of sense.
UNIT_RANGES: Mapping[Unit, UnitRange] = MappingProxyType({
    Unit.YEN: UnitRange(0, None, (1e6, 1e15), what="a yen amount"),
    Unit.USD: UnitRange(0, None, (1e4, 1e14), what="a dollar amount"),
    Unit.PERCENT: UnitRange(0, 100, (1, 100), what="a percent (a share)"),
    Unit.PERCENT_CHANGE: UnitRange(-100, None, (1, 10_000), what="a percent change"),
    Unit.COUNT: UnitRange(0, None, (0, 1e9), whole=True, what="a count"),
    Unit.YEAR: UnitRange(1900, 2100, (1900, 2100), whole=True, what="a year"),
    Unit.RATIO: UnitRange(0, None, (0.01, 1000), what="a ratio"),
    Unit.YEN_PER_USD: UnitRange(0, None, (50, 500), what="an exchange rate in yen per dollar"),
    Unit.ROBOTS_PER_10K: UnitRange(0, 10_000, (1, 10_000), what="a robot density per 10,000 employees"),
})


SCALES: Mapping[str, float] = MappingProxyType(
    {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
)

# [[figure.id]] in prose from data/ (claims' evidence) becomes a figure link.
FIG_TOKEN = re.compile(r"\[\[([^\]]+)\]\]")
# A snake_case name (a key, a series, a chart): English and Japanese prose have no underscores, so
# one in text readers see is an id that leaked from data/ (macros/data/crosscheck.py: ids_in_prose).
SNAKE_NAME = re.compile(r"(?<![A-Za-z0-9_\[/.])[a-z][a-z0-9]*_[a-z0-9_]+(?![A-Za-z0-9_\]/])")  # ASCII edges: kana may touch it

# The audit's verdict scale, a fact-checkers' one: key -> label, in the order the
# audit page lists them.  "Cannot be checked" is no pass: the CSS gives it a grey,
# never the green of "Accurate".
VERDICTS: Mapping[str, str] = MappingProxyType(
    {
        "accurate": "Accurate",
        "needs_context": "Needs context",
        "misleading": "Misleading",
        "inaccurate": "Inaccurate",
        "cannot_check": "Cannot be checked",
    }
)

# One line each, shown on the audit page ({{ verdict_scale() }}).
VERDICT_DEFINITIONS: Mapping[str, str] = MappingProxyType(
    {
        "accurate": "the evidence says what the article says.",
        "needs_context": "the number is right, but the article leaves out something a reader needs "
                         "to understand it: its date, its basis or what it covers.",
        "misleading": "the number can be traced to a source, but the article uses it in a way that "
                      "gives a false impression, or gets half of the claim wrong.",
        "inaccurate": "the evidence says otherwise.",
        "cannot_check": "we found no source that confirms or refutes it. This is not a pass.",
    }
)

# Verdict keys of the scale the audit first used.  A claim re-judged on a newer
# scale records its earlier verdict in that older vocabulary, so a revision's
# ``previous`` may be one of these even when VERDICTS no longer holds it.
LEGACY_VERDICTS = frozenset({"supported", "supported_with_caveat", "contradicted", "unverifiable"})
_LEGACY_NAMES = {"supported": "Supported", "supported_with_caveat": "Supported, with a caveat",
                 "contradicted": "Contradicted", "unverifiable": "Unverifiable"}


def verdict_name(key: str) -> str:
    """How readers see a verdict key, current or retired."""
    return VERDICTS.get(key) or _LEGACY_NAMES.get(key) or key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Origin:
    """Where something was written, for error messages and the figure index: the entry's
    line, and the line of each of its fields (so a problem with one field points at it)."""

    file: str
    line: int
    fields: tuple[tuple[str, int], ...] = ()

    def line_of(self, name: str) -> int:
        return dict(self.fields).get(name, self.line)


@dataclass(frozen=True)
class Revision:
    """A change to a published figure or verdict: what was shown before ``date``, and why it changed.

    ``previous`` is, for a figure, the earlier value, absolute like Figure.value; for a claim,
    the earlier verdict key (one of VERDICTS or LEGACY_VERDICTS)."""

    date: date
    previous: float | str
    reason: str
    sources: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Event:
    """A dated event since the audited article, discussed in one chapter (``page``).

    ``text`` may name figures as [[figure.id]] tokens, like a claim's evidence."""

    id: str
    date: date
    title: str
    text: str
    page: str
    sources: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: date | None
    url: str | None
    origin: Origin


@dataclass(frozen=True)
class Figure:
    """One number with its unit, date and sources.

    ``value`` is absolute (¥387.3 billion is 387_300_000_000.0); ``scale`` is the
    scale the author wrote it in, which is also the default display scale.
    """

    id: str
    label: str
    value: float
    unit: Unit
    as_of: date
    sources: tuple[str, ...]
    origin: Origin
    scale: str = "one"
    precision: int | None = None
    note: str | None = None
    part_of: str | None = None
    reference_only: bool = False
    formula: str | None = None  # set on derived figures only
    inputs: tuple[str, ...] = ()
    revisions: tuple[Revision, ...] = ()  # oldest first
    unusual: str | None = None  # why a value that looks implausible is right (plausible.py)

    @property
    def derived(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True)
class Series:
    """An ordered set of figures plotted together; each point is also a figure."""

    id: str
    label: str
    unit: Unit
    x_kind: str  # "year" or "category"
    points: tuple[Figure, ...]
    origin: Origin
    note: str | None = None
    names: tuple[str, ...] = ()  # a category series' points as readers see them ("United States"), in order

    def x_of(self, point: Figure) -> str:
        return point.id[len(self.id) + 1 :]

    def name_of(self, point: Figure) -> str:
        """How readers see the point's x: its name in a category series, else its key (a year)."""
        return self.names[self.points.index(point)] if self.names else self.x_of(point)


@dataclass(frozen=True)
class Claim:
    """A quantitative claim of the source article, with our verdict."""

    id: str
    quote: str
    verdict: str
    summary: str
    evidence: str
    figures: tuple[str, ...]
    sources: tuple[str, ...]
    page: str
    origin: Origin
    revisions: tuple[Revision, ...] = ()  # oldest first


@dataclass(frozen=True)
class Dataset:
    """Everything in data/, validated; mappings are read-only and ordered by id."""

    sources: Mapping[str, Source]
    figures: Mapping[str, Figure]
    series: Mapping[str, Series]
    claims: Mapping[str, Claim]
    glossary: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    events: Mapping[str, Event] = field(default_factory=lambda: MappingProxyType({}))  # oldest first

    def citing(self, source_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Ids of the figures and the claims that cite one source."""
        figs = tuple(f.id for f in self.figures.values() if source_id in f.sources)
        claims = tuple(c.id for c in self.claims.values() if source_id in c.sources)
        return figs, claims
