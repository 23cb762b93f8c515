"""Checks on chart functions that point at the author's line, never the framework's.

- Units: one axis plots one unit.  A rank (a count) drawn on a robots-per-10,000 axis
  draws, and looks right; only its unit says it is wrong.  The numbers on each
  positional axis of the spec are traced back to the figures the chart read (through
  ``Inputs``), and two units on one axis stop the build at the line that read the
  figure of the odd unit out.
- Return type: a chart function must return an Altair chart; anything else failed at
  ``to_dict`` in chartdef.py, a line the author never wrote.  The function is run once
  more under a profiler to find its own ``return`` line (only when it is wrong: no cost
  to a chart that works).
- Names: a second chart function with an existing chart's name replaced the first
  silently (charts are registered by function name); both places are named.
"""

from __future__ import annotations

import inspect
import math
import sys
from typing import Any, Callable

from ..errors import Problem
from ..data.model import SCALES, Figure

# Positional channels that share a scale, so an axis: x with x2, y with y2.
_AXES = {"x": "x", "x2": "x", "y": "y", "y2": "y"}
_DIVISORS = sorted({1.0, *SCALES.values()})


def caller_line(build: Callable) -> int | None:
    """The line of the chart function (``build``) that is running now, from inside a call it made."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is build.__code__:
            return frame.f_lineno
        frame = frame.f_back
    return None


def returned_line(build: Callable, inputs: Any) -> int | None:
    """The line of ``build``'s own ``return`` statement, found by running it again (it is pure)."""
    seen: list[int] = []

    def watch(frame, event, arg):
        if event == "return" and frame.f_code is build.__code__:
            seen.append(frame.f_lineno)

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        build(inputs)
    except Exception:
        pass
    finally:
        sys.setprofile(previous)
    return seen[-1] if seen else None


def wrong_return(build: Callable, result: Any, inputs: Any):
    """A ChartFailed at the author's return line when ``result`` is no Altair chart, else None."""
    if hasattr(result, "to_dict"):
        return None
    from ..errors import ChartFailed, definition_line

    return ChartFailed(f"the chart function returned {type(result).__name__}, not an Altair chart",
                       returned_line(build, inputs) or definition_line(build))


def _matches(number: float, fig: Figure) -> bool:
    """Whether a plotted number is this figure's value in some scale, rounded or not."""
    for divisor in _DIVISORS:
        v = fig.value / divisor
        if math.isclose(number, v, rel_tol=1e-9) or any(number == round(v, n) for n in range(5)):
            return True
    return False


def _axes(spec: dict, fields: dict[str, set[str]]) -> None:
    """Collect, per axis, the quantitative fields encoded on it (layers share their axes)."""
    for channel, enc in (spec.get("encoding") or {}).items():
        if channel in _AXES and isinstance(enc, dict) and enc.get("type") in ("quantitative", "temporal"):
            if isinstance(enc.get("field"), str):
                fields.setdefault(_AXES[channel], set()).add(enc["field"])
    for layer in spec.get("layer") or ():
        _axes(layer, fields)


def _rows(spec: dict) -> list[dict]:
    rows = list(((spec.get("data") or {}).get("values")) or ())
    for layer in spec.get("layer") or ():
        rows.extend(_rows(layer))
    for name, value in spec.get("datasets", {}).items():
        rows.extend(value)
    return [r for r in rows if isinstance(r, dict)]


def unit_conflict(spec: dict, read: dict[str, tuple[Figure, int | None]]):
    """A ChartFailed when one axis plots figures of two units, at the line that read the odd one out."""
    from ..errors import ChartFailed

    # Concatenated charts each have their own axes; layers share them.
    parts = [spec, *(sub for k in ("hconcat", "vconcat", "concat") for sub in spec.get(k) or ())]
    for sub in parts:
            if not isinstance(sub, dict):
                continue
            fields: dict[str, set[str]] = {}
            _axes(sub, fields)
            rows = _rows(sub) or _rows(spec)
            for axis, names in sorted(fields.items()):
                numbers = [r[n] for r in rows for n in names if isinstance(r.get(n), (int, float))
                           and not isinstance(r.get(n), bool)]
                # Each number's possible units; a number several units could explain decides nothing.
                owners: dict[str, list[tuple[Figure, int | None]]] = {}
                for number in numbers:
                    units = {f.unit.value: (f, line) for f, line in read.values() if _matches(number, f)}
                    if len(units) == 1:
                        (unit, owner), = units.items()
                        owners.setdefault(unit, []).append(owner)
                if len(owners) > 1:
                    # The odd one out: the unit fewest numbers carry.
                    odd_unit = min(owners, key=lambda u: (len(owners[u]), u))
                    main = max(owners, key=lambda u: (len(owners[u]), u))
                    fig, line = owners[odd_unit][0]
                    return ChartFailed(f"the {axis} axis plots {main} and {odd_unit} ({fig.id}); "
                                       "one axis plots one unit", line)
    return None


class Registry:
    """Chart functions by name, remembering a second function of a name instead of replacing the first."""

    def __init__(self):
        self.clashes: list[tuple[Callable, Callable]] = []

    def note(self, charts: dict, name: str, fn: Callable) -> None:
        if name in charts and charts[name].build is not fn:
            self.clashes.append((charts[name].build, fn))

    def problems(self) -> list[Problem]:
        out = []
        for first, second in self.clashes:
            here, there = _where(second), _where(first)
            out.append(Problem(here[0], here[1], second.__name__,
                               f"a second chart function named '{second.__name__}'; the first is at "
                               f"{there[0]}:{there[1]}",
                               "Charts are placed by function name: rename one (and its chart() calls)."))
        return out


def _where(fn: Callable) -> tuple[str, int | None]:
    from pathlib import Path

    from .chartdef import shown_path

    path = Path(inspect.getsourcefile(fn) or "macros/charts/catalog.py")
    shown = shown_path(path) or path.name
    try:
        return shown, inspect.getsourcelines(fn)[1]
    except (OSError, TypeError):
        return shown, None
