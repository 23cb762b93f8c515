"""Figures and series read from a topic file (data/<topic>.yml): every field checked, values scaled.

A figure's id is ``<topic>.<key>``; a series point's id is ``<topic>.<series>.<x>``
and it is a figure too.  Split from load.py, which reads the other files and puts
the Dataset together, because the figure is the unit everything else builds on.
"""

from __future__ import annotations

import re
from typing import Any

from . import revisions
from .check import ID_RE, Checker, entries, is_date, is_id_list, is_number, is_text, origin
from .model import SCALES, Figure, Origin, Series, Unit
from .yamlfile import Located

FIGURE_FIELDS = {"label", "value", "unit", "scale", "as_of", "sources", "note", "precision",
                 "part_of", "reference_only", "revisions", "unusual"}
POINT_FIELDS = {"value", "as_of", "sources", "note", "precision", "name", "revisions", "unusual"}
SERIES_FIELDS = {"label", "unit", "x", "scale", "note", "points"}


def read_unit(check: Checker, e: Located, key: str) -> Unit | None:
    raw = e.get("unit")
    if raw is None:
        return None
    try:
        return Unit(raw)
    except ValueError:
        check.problem(e.line_of("unit"), f"{key}.unit", f"unknown unit {raw!r}",
                      "Known units: " + ", ".join(u.value for u in Unit) + ".")
        return None


def read_scale(check: Checker, e: Located, key: str, unit: Unit | None) -> str:
    raw = e.get("scale", "one")
    if raw not in SCALES:
        check.problem(e.line_of("scale"), f"{key}.scale", f"unknown scale {raw!r}",
                      "Known scales: " + ", ".join(SCALES) + ".")
        return "one"
    if raw != "one" and unit is not None and unit not in (Unit.YEN, Unit.USD, Unit.COUNT):
        check.problem(e.line_of("scale"), f"{key}.scale", f"a scale applies to money and counts, not {unit.value}")
    return raw


def read_figure(check: Checker, fid: str, key: str, line: int, e: Located,
            unit: Unit | None, scale: str, label: str | None) -> Figure | None:
    value = check.get(e, key, "value", "a number", is_number)
    as_of = check.get(e, key, "as_of", "a date like 2025-12-26", is_date)
    srcs = check.get(e, key, "sources", "a list of source ids", is_id_list)
    note = check.get(e, key, "note", "text", is_text, optional=True)
    precision = check.get(e, key, "precision", "a whole number from 0 to 3",
                          lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3)
    part_of = check.get(e, key, "part_of", "a figure id", is_text)
    ref_only = check.get(e, key, "reference_only", "true or false", lambda v: isinstance(v, bool))
    unusual = check.get(e, key, "unusual", "text saying why the value is right", is_text)
    revised = revisions.read_revisions(check, e, key, scale, value)
    if None in (value, as_of, srcs, unit, label):
        return None
    return Figure(id=fid, label=label.strip(), value=float(value) * SCALES[scale], unit=unit,
                  as_of=as_of, sources=tuple(srcs), origin=origin(check, line, e), scale=scale,
                  precision=precision, note=note, part_of=part_of, reference_only=bool(ref_only),
                  revisions=revised, unusual=unusual)


def read_figures(check: Checker, topic: str, node: Any, line: int, out: dict[str, Figure],
                  attempted: set[str]) -> None:
    for name, entry_line, e in entries(check, node, "figures", line):
        attempted.add(f"{topic}.{name}")
        key = f"figures.{name}"
        check.fields(e, key, FIGURE_FIELDS, {"label", "value", "unit", "as_of", "sources"}, entry_line)
        unit = read_unit(check, e, key)
        scale = read_scale(check, e, key, unit)
        label = check.get(e, key, "label", "text", is_text)
        fig = read_figure(check, f"{topic}.{name}", key, entry_line, e, unit, scale, label)
        if fig is not None:
            out[fig.id] = fig


def read_series(check: Checker, topic: str, node: Any, line: int,
                 out: dict[str, Series], figures: dict[str, Figure], attempted: set[str]) -> None:
    for name, entry_line, e in entries(check, node, "series", line):
        attempted.add(f"{topic}.{name}")
        key = f"series.{name}"
        sid = f"{topic}.{name}"
        check.fields(e, key, SERIES_FIELDS, {"label", "unit", "x", "points"}, entry_line)
        unit = read_unit(check, e, key)
        scale = read_scale(check, e, key, unit)
        label = check.get(e, key, "label", "text", is_text)
        x_kind = check.get(e, key, "x", "'year' or 'category'", lambda v: v in ("year", "category"))
        note = check.get(e, key, "note", "text", is_text, optional=True)
        if f"{topic}.{name}" in figures:
            check.problem(entry_line, key, f"'{sid}' is already a figure id")
        points_node = check.mapping(e.get("points"), f"{key}.points", e.line_of("points"))
        if points_node is None or not points_node:
            if points_node is not None:
                check.problem(e.line_of("points"), f"{key}.points", "a series needs at least one point")
            continue
        points, names = [], []
        for x, value in points_node.items():
            pkey = f"{key}.points.{x}"
            attempted.add(f"{sid}.{x}")
            pline = points_node.line_of(x)
            if x_kind == "year" and not re.fullmatch(r"\d{4}F?", x):
                check.problem(pline, pkey, "a year series is keyed by years like 1990 (or 2026F for a forecast)")
                continue
            if x_kind == "category" and not ID_RE.fullmatch(x):
                # The key is part of the point's id, its anchor and its links: an id like any other.
                check.problem(pline, pkey, "a category key is an id: lower-case letters, digits, '-' and '_'",
                              "Put the words readers see in the point's name: field.")
                continue
            p = check.mapping(value, pkey, pline)
            if p is None:
                continue
            required = {"value", "as_of", "sources"} | ({"name"} if x_kind == "category" else set())
            check.fields(p, pkey, POINT_FIELDS, required, pline)
            name = check.get(p, pkey, "name", "text", is_text, optional=True)
            if name is not None and x_kind == "year":
                check.problem(p.line_of("name"), f"{pkey}.name", "a year needs no name",
                              "Remove it: readers see the year.")
                name = None
            shown = (name or x).strip()  # how readers see the point: "United States", or the year
            point_label = f"{label.strip()}, {shown}" if label else None
            fig = read_figure(check, f"{sid}.{x}", pkey, pline, p, unit, scale, point_label)
            if fig is not None:
                points.append(fig)
                names.append(shown)
                figures[fig.id] = fig
        if unit and label and x_kind and points:
            out[sid] = Series(sid, label.strip(), unit, x_kind, tuple(points), Origin(check.file, entry_line), note,
                              tuple(names) if x_kind == "category" else ())
