"""Read and check the corrections record: figures' and claims' ``revisions:``, and data/events.yml.

A revision says what a reader saw before a figure's value or a claim's verdict
changed, when, why and on whose word; an event is something dated that happened
after the audited article.  Both are checked as strictly as the figures
themselves, because the updates page and the feed publish them.

The readers take the per-file checker (check.py's Checker, duck-typed here); the
cross-file checks need every source and figure, so load.py calls ``cross_check``
once everything is read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from . import typed
from ..errors import Problem, nearest
from .model import FIG_TOKEN, LEGACY_VERDICTS, SCALES, VERDICTS, Claim, Event, Figure, Origin, Revision, Source

REVISION_FIELDS = {"date", "previous", "reason", "sources"}
EVENT_FIELDS = {"date", "title", "text", "page", "sources"}


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v  # not NaN


def _ids(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v)


def _origin(check, line: int, entry) -> Origin:
    return Origin(check.file, line, tuple((name, entry.line_of(name)) for name in entry))


def known_verdict(v: Any) -> bool:
    """A verdict a claim can have had: one of today's scale, or of the retired one."""
    return isinstance(v, str) and (v in VERDICTS or v in LEGACY_VERDICTS)


def read_revisions(check, entry, key: str, scale: str | None, current: Any) -> tuple[Revision, ...]:
    """The ``revisions:`` of a figure (``scale`` its scale) or a claim (``scale`` None), oldest first.

    ``current`` is the value as written (before scaling) or the verdict, so a revision that
    changed nothing is caught here, at its own line."""
    if "revisions" not in entry:
        return ()
    node, line = entry["revisions"], entry.line_of("revisions")
    if not isinstance(node, list) or not node:
        check.problem(line, f"{key}.revisions", "expected a list of revisions, oldest first",
                      "Each item: date, previous, reason, sources.")
        return ()
    out: list[Revision] = []
    written: list[tuple[Any, int]] = []  # each revision's previous as written, and its line
    for n, item in enumerate(node):
        rkey = f"{key}.revisions[{n}]"
        r = check.mapping(item, rkey, line)
        if r is None:
            continue
        if not check.fields(r, rkey, REVISION_FIELDS, REVISION_FIELDS, r.line):
            continue
        when = check.get(r, rkey, "date", "a date like 2026-12-06", lambda v: isinstance(v, date))
        if scale is not None:
            previous = check.get(r, rkey, "previous", "a number in the figure's unit and scale", _number)
        else:
            previous = check.get(r, rkey, "previous", "an earlier verdict: one of "
                                 + ", ".join(sorted(set(VERDICTS) | LEGACY_VERDICTS)), known_verdict)
        reason = check.get(r, rkey, "reason", "a sentence saying why", _text)
        srcs = check.get(r, rkey, "sources", "a list of source ids", _ids)
        if when is not None and out and when <= out[-1].date:
            check.problem(r.line_of("date"), f"{rkey}.date",
                          f"{when.isoformat()} is not after the revision before it ({out[-1].date.isoformat()})",
                          "List revisions oldest first, one per date.")
            continue
        if None in (when, previous, reason, srcs):
            continue
        written.append((previous, r.line_of("previous")))
        stored = float(previous) * SCALES[scale] if scale is not None else previous
        out.append(Revision(when, stored, " ".join(reason.split()), tuple(srcs), _origin(check, r.line, r)))
    # What each revision changed the value to: the next one's previous, or the current value.
    for (previous, pline), after in zip(written, [w for w, _ in written[1:]] + [current]):
        if after is not None and previous == after:
            check.problem(pline, f"{key}.revisions.previous",
                          f"the previous {'value' if scale is not None else 'verdict'} {previous!r} is what "
                          "it was changed to", "A revision records a change: write what readers saw before.")
    return tuple(out)


def read_event(check, eid: str, line: int, e) -> Event | None:
    key = f"events.{eid}"
    check.fields(e, key, EVENT_FIELDS, EVENT_FIELDS, line)
    when = check.get(e, key, "date", "a date like 2026-02-27", lambda v: isinstance(v, date))
    title = check.get(e, key, "title", "a short headline", _text)
    text = check.get(e, key, "text", "prose", _text)
    page = check.get(e, key, "page", "a chapter name like rapidus",
                     lambda v: isinstance(v, str) and bool(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", v)))
    srcs = check.get(e, key, "sources", "a list of source ids", _ids)
    # Prose like a page's: years and the names typed.ALLOWED lists may hold digits, figures come as tokens.
    for name, value in (("title", title), ("text", text)):
        if value is not None:
            check.problems.extend(typed.problems(FIG_TOKEN.sub(" ", value), check.file, first_line=e.line_of(name),
                                                 key=f"{key}.{name}", front_matter=False))
    if text is not None and any(mark in FIG_TOKEN.sub("", text) for mark in ("[[", "]]")):
        check.problem(e.line_of("text"), f"{key}.text", "a figure token is not closed",
                      "Write each figure as [[topic.key]], two brackets on each side.")
        text = None
    if None in (when, title, text, page, srcs):
        return None
    return Event(eid, when, " ".join(title.split()), " ".join(text.split()), page, tuple(srcs),
                 _origin(check, line, e))


def cross_check(sources: dict[str, Source], figures: dict[str, Figure], claims: dict[str, Claim],
                events: dict[str, Event], today: date, attempted: set[str],
                unreadable: set[str] = frozenset()) -> list[Problem]:
    """Dates against today, and references to sources and figures, across files.  A figure id in
    ``attempted`` (written, or to be derived) or in an ``unreadable`` topic file is not reported."""
    problems: list[Problem] = []
    known = sorted(sources)
    owners = [(f"{f.id}", f.revisions) for f in figures.values()]
    owners += [(f"claims.{c.id}", c.revisions) for c in claims.values()]
    for key, revisions in owners:
        for n, r in enumerate(revisions):
            where = (r.origin.file, r.origin.line_of("date"), f"{key}.revisions[{n}].date")
            if r.date > today:
                problems.append(Problem(*where, f"revision date {r.date.isoformat()} is in the future",
                                        "A revision is dated the day the published value changed."))
            for sid in r.sources:
                if sid not in sources:
                    problems.append(Problem(r.origin.file, r.origin.line_of("sources"),
                                            f"{key}.revisions[{n}].sources", f"unknown source id '{sid}'",
                                            f"Add it to data/sources.yml or fix the spelling; {nearest(sid, known)}."))
    for e in events.values():
        key = f"events.{e.id}"
        if e.date > today:
            problems.append(Problem(e.origin.file, e.origin.line_of("date"), f"{key}.date",
                                    f"date {e.date.isoformat()} is in the future"))
        for sid in e.sources:
            if sid not in sources:
                problems.append(Problem(e.origin.file, e.origin.line_of("sources"), f"{key}.sources",
                                        f"unknown source id '{sid}'; {nearest(sid, known)}"))
            elif not sources[sid].url:
                problems.append(Problem(e.origin.file, e.origin.line_of("sources"), f"{key}.sources",
                                        f"source '{sid}' has no url",
                                        "An event is reported news: cite a source a reader can open."))
        for fid in dict.fromkeys(FIG_TOKEN.findall(e.text)):
            if fid not in figures and fid not in attempted and fid.split(".", 1)[0] not in unreadable:
                problems.append(Problem(e.origin.file, e.origin.line_of("text"), f"{key}.text",
                                        f"unknown figure id '{fid}'; {nearest(fid, sorted(figures))}"))
    return problems
