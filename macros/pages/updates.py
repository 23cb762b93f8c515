"""What changed, and when, from the corrections record in data/: pure functions, no HTML.

The updates page, the Atom feed, figures' tooltips, claim boxes and every page's
"last updated" line all read these, so they cannot disagree.  Every date comes
from data (revisions, events, as-of and source dates), never from the clock or
a file's time: two builds of one tree write the same bytes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from .i18n import fmt, t
from ..data.model import FIG_TOKEN, Claim, Dataset, Event, Figure, Revision, verdict_name

KIND_ORDER = {"event": 0, "figure": 1, "claim": 2}  # ties on one date: news first, then what it changed


@dataclass(frozen=True)
class Update:
    """One entry of the updates page and the feed: a revision of a figure or claim, or an event."""

    kind: str  # "figure", "claim" or "event"
    ident: str  # the figure, claim or event id
    date: date
    title: str  # plain text
    summary: str  # plain text, figures written out as readers see them
    sources: tuple[str, ...]
    revision: Revision | None = None  # None for an event
    after: float | str | None = None  # what the revision changed the value or verdict to

    @property
    def key(self) -> str:
        """Stable across builds and unique: one revision per date per figure or claim, one event per id."""
        return f"{self.kind}-{self.ident}-{self.date.isoformat()}" if self.kind != "event" else f"event-{self.ident}"


def changed_to(revisions: tuple[Revision, ...], current: float | str) -> list[tuple[Revision, float | str]]:
    """Each revision with what it changed the value to: the next revision's previous, or today's value."""
    afters = [r.previous for r in revisions[1:]] + [current]
    return list(zip(revisions, afters))


def value_as(fig: Figure, value: float) -> str:
    """A value written as the figure writes its own (unit, scale, precision)."""
    return fmt.value(dataclasses.replace(fig, value=float(value)))


def plain(text: str, data: Dataset) -> str:
    """Prose from data with its [[figure]] tokens written out, for text-only places (tooltips, the feed)."""
    return FIG_TOKEN.sub(lambda m: fmt.value(data.figures[m.group(1)]), text)


def revised_note(fig: Figure) -> str:
    """The sentences a revised figure's provenance ends with, oldest first ('' if never revised)."""
    return "".join(t("revised_on", " Revised on {date}: {reason} (was {previous}).").format(
        date=fmt.day(r.date), reason=_sentence(r.reason), previous=value_as(fig, r.previous)) for r in fig.revisions)


def _sentence(reason: str) -> str:
    return reason[:-1] if reason.endswith(".") else reason


def _verdict(key: str) -> str:
    return t(f"verdict_{key}", verdict_name(key))


def updates(data: Dataset) -> list[Update]:
    """Every revision and event, newest first; ties broken by kind and id so the order never varies."""
    out: list[Update] = []
    for f in data.figures.values():
        for r, after in changed_to(f.revisions, f.value):
            out.append(Update("figure", f.id, r.date, t("update_title_figure", "Revised: {label}").format(label=f.label),
                              t("update_summary_figure", "{label}: {value}, was {previous}. {reason}").format(
                                  label=f.label, value=value_as(f, after), previous=value_as(f, r.previous),
                                  reason=r.reason),
                              r.sources, r, after))
    for c in data.claims.values():
        for r, after in changed_to(c.revisions, c.verdict):
            out.append(Update("claim", c.id, r.date,
                              t("update_title_claim", "Verdict changed: “{quote}”").format(quote=c.quote),
                              t("update_summary_claim", "Now {verdict}, was {previous}. {reason}").format(
                                  verdict=_verdict(str(after)), previous=_verdict(str(r.previous)), reason=r.reason),
                              r.sources, r, after))
    for e in data.events.values():
        out.append(Update("event", e.id, e.date, e.title, plain(e.text, data), e.sources))
    return sorted(out, key=lambda u: (-u.date.toordinal(), KIND_ORDER[u.kind], u.ident))


# -- what a page shows, and when that last changed ---------------------------------------------

# Macros whose output depends on the data, as written in a page: an id, or nothing.
_CALL = re.compile(r"""\b(fig|as_of|chart|claim|timeline|claims_table|figure_index|sources_list|updates_list|"""
                   r"""evidence_until|verdict_summary)\(\s*(?:["']([^"']*)["'])?\s*\)""")


@dataclass
class Shown:
    """What one page shows: figures, claims, events and sources (a bibliography shows them bare)."""

    figures: set[str] = dataclasses.field(default_factory=set)
    claims: set[str] = dataclasses.field(default_factory=set)
    events: set[str] = dataclasses.field(default_factory=set)
    sources: set[str] = dataclasses.field(default_factory=set)
    dates_of: set[str] = dataclasses.field(default_factory=set)  # figures only dated here (evidence_until)
    verdicts: set[str] = dataclasses.field(default_factory=set)  # claims counted by verdict, not shown


def shown_on(markdown: str, chapter: str, data: Dataset, chart_figures) -> Shown:
    """What a page's macro calls show, read from its source; ``chart_figures(chart_id)`` the figures a
    chart plots.  Events discussed in the page's chapter count whether or not it places a timeline."""
    s = Shown()
    s.events.update(e.id for e in data.events.values() if e.page == chapter)
    for name, ident in _CALL.findall(markdown):
        if name in ("fig", "as_of"):
            s.figures.add(ident)
        elif name == "chart":
            s.figures.update(f.id for f in chart_figures(ident))
        elif name == "claim":
            s.claims.add(ident)
        elif name == "claims_table":
            s.claims.update(data.claims)
        elif name == "verdict_summary":  # a count of verdicts moves when a claim is re-judged
            s.verdicts.update(data.claims)
        elif name == "timeline":
            s.events.update(e.id for e in data.events.values() if not ident or e.page == ident)
        elif name == "figure_index":
            s.figures.update(data.figures)
        elif name == "updates_list":
            s.figures.update(f.id for f in data.figures.values() if f.revisions)
            s.claims.update(c.id for c in data.claims.values() if c.revisions)
            s.events.update(data.events)
        elif name in ("sources_list", "evidence_until"):
            # The newest date of the sources (and of the figures, for evidence_until): no value shown.
            s.sources.update(data.sources)
            s.dates_of.update(data.figures if name == "evidence_until" else ())
    for cid in list(s.claims):  # a claim shows the figures its evidence names
        c = data.claims.get(cid)
        if c is not None:
            s.figures.update((*c.figures, *FIG_TOKEN.findall(c.evidence)))
    for eid in s.events:
        s.figures.update(FIG_TOKEN.findall(data.events[eid].text))
    return s


def last_updated(shown: Shown, data: Dataset) -> tuple[date, bool] | None:
    """When what a page shows last changed, and whether that is a revision or event (True) or only
    the newest as-of or source date of what it shows (False); None if it shows nothing dated."""
    figures = [data.figures[f] for f in sorted(shown.figures) if f in data.figures]
    claims = [data.claims[c] for c in sorted(shown.claims) if c in data.claims]
    events = [data.events[e] for e in sorted(shown.events) if e in data.events]
    counted = [data.claims[c] for c in sorted(shown.verdicts) if c in data.claims]
    changed = [r.date for x in (*figures, *claims, *counted) for r in x.revisions] + [e.date for e in events]
    if changed:
        return max(changed), True
    sources = set(shown.sources) | _cited(figures, claims, events)
    dated = [data.figures[f].as_of for f in shown.figures | shown.dates_of if f in data.figures]
    dated += [data.sources[s].date for s in sources
                                          if s in data.sources and data.sources[s].date]
    return (max(dated), False) if dated else None


def newest_touching(shown: Shown, data: Dataset) -> Update | None:
    """The newest update about something the page shows (the entry its "what changed" link opens)."""
    mine = {"figure": shown.figures, "claim": shown.claims, "event": shown.events}
    return next((u for u in updates(data) if u.ident in mine[u.kind]), None)


def _cited(figures: Iterable[Figure], claims: Iterable[Claim], events: Iterable[Event]) -> set[str]:
    return {s for x in (*figures, *claims, *events) for s in x.sources}
