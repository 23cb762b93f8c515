"""Errors an author can act on: what and where first, then why and how to fix.

Every problem carries the file, the line and the dotted key it concerns.  Loading
collects independent problems and raises them together, so one build shows an
author every mistake in the data at once instead of one per rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in one place."""

    file: str
    line: int | None
    key: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        if self.hint:
            text += "\n    " + self.hint.replace("\n", "\n    ")
        return text


class DataError(Exception):
    """One or more problems in data/ or in a page; the build must stop."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        return f"{head} in the explainer's data or pages:\n" + "\n".join(
            f"  - {p}" for p in self.problems
        )


def nearest(name: str, known: list[str] | tuple[str, ...], n: int = 3) -> str:
    """'did you mean' text for an unknown id."""
    import difflib

    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    if not close:
        # Fall back on ids that share the topic prefix, which is the usual slip.
        prefix = name.split(".")[0] + "."
        close = [k for k in known if k.startswith(prefix)][:n]
    return ("nearest known: " + ", ".join(close)) if close else "no similar id is known"


class ChartFailed(Exception):
    """A chart function's failure, with the line of its file (charts/catalog.py, charts/linecharts.py) it reached."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def failure(build, exc: BaseException) -> ChartFailed:
    """The deepest line of the chart function's file (charts/catalog.py, charts/linecharts.py) an exception passed through
    (else the function's first)."""
    import inspect
    import traceback
    from pathlib import Path

    if isinstance(exc, ChartFailed):
        return exc
    try:  # the file the chart function is written in (charts/catalog.py, charts/linecharts.py)
        home = Path(inspect.getsourcefile(build)).name
    except (OSError, TypeError):
        home = "catalog.py"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).name == home]
    return ChartFailed(f"{type(exc).__name__}: {exc}", frames[-1].lineno if frames else definition_line(build))


def definition_line(function) -> int | None:
    """The line of a function's ``def`` (below its decorators)."""
    import inspect

    try:
        lines, start = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None
    return start + next((i for i, text in enumerate(lines) if text.lstrip().startswith("def ")), 0)


def error_banner(problems: list[Problem], inline: bool = False) -> str:
    """What a page shows under `mkdocs serve` while data or a macro call is wrong."""
    from html import escape

    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems)
    if inline:
        return '<mark class="explainer-error">[error: see the box at the top of the page]</mark>'
    return (f'\n\n<div class="admonition failure explainer-error"><p class="admonition-title">'
            f"The build has errors; fix them and save: the page reloads.</p><ul>{items}</ul></div>\n\n")
