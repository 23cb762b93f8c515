"""Checks across data/'s files, once each is read: sources cited, dates, labels, parts and totals.

Split from load.py because these rules read the whole dataset, not one file; a
reference to a figure that failed its own checks is not reported a second time.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import Problem
from .model import FIG_TOKEN, SNAKE_NAME, Claim, Figure, Source


def cross_check(sources: dict[str, Source] | None, figures: dict[str, Figure], claims: dict[str, Claim],
                 problems: list[Problem], today: date, attempted: set[str]) -> None:
    """Checks across files; a reference to a figure that failed its own checks is not reported twice,
    nor a source id when the bibliography (``sources`` None) could not be read."""
    from ..errors import nearest

    checked = sources is not None
    sources = sources or {}
    known_sources = sorted(sources)
    known_figures = sorted(figures)
    for s in sources.values():
        if s.date and s.date > today:
            problems.append(Problem(s.origin.file, s.origin.line_of("date"), f"sources.{s.id}.date",
                                    f"date {s.date.isoformat()} is in the future"))
    for f in figures.values():
        if f.derived:
            continue  # its sources and date are its inputs': a mistake there is reported there
        unknown = [sid for sid in f.sources if sid not in sources and checked]
        for sid in unknown:
            problems.append(Problem(f.origin.file, f.origin.line_of("sources"), f"{f.id}.sources",
                                    f"unknown source id '{sid}'",
                                    f"Add it to data/sources.yml or fix the spelling; {nearest(sid, known_sources)}."))
        dated = [sources[s].date for s in f.sources if s in sources and sources[s].date]
        if f.as_of > today:
            problems.append(Problem(f.origin.file, f.origin.line_of("as_of"), f"{f.id}.as_of",
                                    f"as-of date {f.as_of.isoformat()} is in the future",
                                    "A figure is as of the day its source reported it; check the date."))
        elif dated and not unknown and f.as_of > max(dated):
            problems.append(Problem(f.origin.file, f.origin.line_of("as_of"), f"{f.id}.as_of",
                                    f"as-of date {f.as_of.isoformat()} is later than its newest source "
                                    f"({max(dated).isoformat()})",
                                    "A source cannot report a figure as of a later date; check the date."))
    # Readers tell figures apart by label (tooltips, the figure index, the
    # bibliography): two with one label were, every time, one fact stored twice.
    labelled: dict[str, Figure] = {}
    for f in figures.values():
        first = labelled.setdefault(" ".join(f.label.casefold().split()), f)
        if first is not f:
            problems.append(Problem(f.origin.file, f.origin.line_of("label"), f"{f.id}.label",
                                    f"the same label as {first.id} ({first.origin.file}:{first.origin.line})",
                                    "If both are one fact, keep one and write its id where the other was used; "
                                    "if not, say in the label what tells them apart."))
    parts: dict[str, list[Figure]] = {}
    for f in figures.values():
        if f.part_of:
            if f.part_of not in figures:
                if f.part_of in attempted:
                    continue
                problems.append(Problem(f.origin.file, f.origin.line_of("part_of"), f"{f.id}.part_of",
                                        f"unknown figure id '{f.part_of}'; {nearest(f.part_of, known_figures)}"))
            else:
                parts.setdefault(f.part_of, []).append(f)
    for total_id, members in sorted(parts.items()):
        total = figures[total_id]
        bad_unit = [m.id for m in members if m.unit != total.unit]
        if bad_unit:
            problems.append(Problem(total.origin.file, total.origin.line, total_id,
                                    f"parts {', '.join(bad_unit)} are not in {total.unit.value}"))
            continue
        summed = sum(m.value for m in members)
        if summed > total.value * (1 + 1e-9):
            problems.append(Problem(total.origin.file, total.origin.line, total_id,
                                    f"its parts ({', '.join(m.id for m in members)}) add up to {summed:,.0f}, "
                                    f"more than the total {total.value:,.0f}",
                                    "Parts cannot exceed their total: check the values or the part_of fields."))
    ids_in_prose(figures, claims, problems)
    for c in claims.values():
        for sid in c.sources:
            if sid not in sources and checked:
                problems.append(Problem(c.origin.file, c.origin.line_of("sources"), f"claims.{c.id}.sources",
                                        f"unknown source id '{sid}'; {nearest(sid, known_sources)}"))
        listed = [(fid, "figures") for fid in c.figures] + [(fid, "evidence") for fid in FIG_TOKEN.findall(c.evidence)]
        for fid, field in dict.fromkeys(listed):
            if fid not in figures and fid not in attempted:
                problems.append(Problem(c.origin.file, c.origin.line_of(field), f"claims.{c.id}.{field}",
                                        f"unknown figure id '{fid}'; {nearest(fid, known_figures)}"))


def ids_in_prose(figures: dict[str, Figure], claims: dict[str, Claim], problems: list[Problem]) -> None:
    """A figure's id, or any snake_case name, written into text readers see (a label, a note, a claim's
    summary or evidence outside its [[tokens]]) reaches the page as it is: "its FY2025 equity
    (rapidus.equity_fy2025)" and "the robot_density series" once did."""
    if not figures:
        return
    # A figure's id, or any snake_case name (model.SNAKE_NAME).
    ids = re.compile(r"(?<![\w.\[])(" + "|".join(map(re.escape, sorted(figures, key=len, reverse=True)))
                     + r")(?![\w\]]|\.\w)|(" + SNAKE_NAME.pattern + ")")
    texts = [(f.origin, f"{f.id}.{field}", field, getattr(f, field)) for f in figures.values() if not f.derived
             for field in ("label", "note")]
    texts += [(c.origin, f"claims.{c.id}.{field}", field, FIG_TOKEN.sub("", getattr(c, field)))
              for c in claims.values() for field in ("summary", "evidence")]
    for origin, key, field, text in texts:
        for fid in dict.fromkeys(a or b for a, b in ids.findall(text or "")):
            problems.append(Problem(origin.file, origin.line_of(field), key,
                                    f"names the {'figure ' if fid in figures else ''}id '{fid}' in text readers see",
                                    "Say what it is in words; a claim's evidence shows a figure's value as "
                                    f"[[{fid if fid in figures else 'topic.key'}]]."))


def cited(figures: dict[str, Figure], claims: dict[str, Claim]) -> str:
    """How many source ids data/ cites: all unknown without the bibliography, reported once, not one by one."""
    cited = {s for f in figures.values() for s in f.sources} | {s for c in claims.values() for s in c.sources}
    ids = f"{len(cited)} source id{'s' if len(cited) != 1 else ''}"
    return f" (data/ cites {ids} it defines, none of them checked)" if cited else ""


def referenced(figures: dict[str, Figure], claims: dict[str, Claim]) -> set[str]:
    refs = {f.part_of for f in figures.values() if f.part_of}
    for c in claims.values():
        refs.update(c.figures)
        refs.update(FIG_TOKEN.findall(c.evidence))
    return refs
