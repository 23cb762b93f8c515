"""What the build may read and what it writes: checked before a file is written.

MkDocs publishes whatever ``docs/`` holds, and follows symlinks: a link in
``docs/``, ``data/`` or the theme overrides to a file elsewhere on the machine
would publish that file (or, in ``data/``, print it in an error).  So a link
that resolves outside the project stops the build (``outside_links``).

Besides the pages, the build writes files of its own into the site (the dataset
exports, each chart's downloads and social card, the Vega runtime), as MkDocs
does (the sitemap, the 404 page, the search index).  An
author file at one of those paths was silently replaced, a chart named like an
export replaced the export, and a page published where a generated file goes
(a folder named like it) crashed the build half-way through writing.  Every one
of those paths is planned here, from the chart registry and the settings, before
anything is written; ``collisions`` checks the plan against itself and against
every file MkDocs will publish, and ``Site.write_files`` writes nothing unplanned.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..charts.catalog import CHARTS
from ..errors import Problem
from ..pages.exports import CLAIMS, DATA_DIR, FIGURES
from ..pages.feed import FEED_PATH
from ..errors import definition_line
from .runtime import INTERPRETER_DEST

RUNTIME_DEST = "assets/runtime/vega.min.js"
OG_DIR = "assets/og/"


@dataclass(frozen=True)
class Output:
    """One generated file: its site path, what writes it (for messages), and where that is written."""

    path: str
    owner: str
    file: str
    line: int | None = None
    parts: bool = False  # also path-2.ext, path-3.ext... (a chart with more than one data table)


_PART = re.compile(r"(.+)-[0-9]+(\.[^./]+)")


class Plan:
    """Every generated file, looked up by site path (case-folded: a case-insensitive disk has one file for both)."""

    def __init__(self, outputs: list[Output]):
        self.outputs = outputs
        self._at: dict[str, Output] = {}
        self._above: dict[str, Output] = {}  # each folder a generated file goes in -> one such file
        for o in outputs:
            self._at.setdefault(o.path.casefold(), o)
            for folder in _folders(o.path.casefold()):
                self._above.setdefault(folder, o)

    def at(self, path: str) -> Output | None:
        """The generated file written at ``path`` (a chart's numbered CSV parts included), if any."""
        key = path.casefold()
        if key in self._at:
            return self._at[key]
        part = _PART.fullmatch(key)
        whole = self._at.get(part.group(1) + part.group(2)) if part else None
        return whole if whole is not None and whole.parts else None

    def clash(self, path: str) -> Output | None:
        """The generated file that a file published at ``path`` would be, sit inside, or stand in the way of."""
        return (self.at(path) or next((self._at[f] for f in _folders(path.casefold()) if f in self._at), None)
                or self._above.get(path.casefold()))


def _folders(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def planned(make_cards: bool, mkdocs_writes: tuple[str, ...] = ()) -> Plan:
    """Every file the build writes besides the pages and docs/ (Site.write_files writes only ours);
    ``mkdocs_writes``: what MkDocs and its plugins write of their own (``mkdocs_outputs``)."""
    out = [Output(path, "a file MkDocs writes itself", "mkdocs.yml") for path in mkdocs_writes]
    out += [Output(DATA_DIR + name, "the generated export of every figure", "macros/pages/exports.py") for name in FIGURES]
    out += [Output(DATA_DIR + name, "the generated export of the claims audit", "macros/pages/exports.py")
            for name in CLAIMS]
    out.append(Output(RUNTIME_DEST, "the Vega runtime copied into the site", "macros/build/site.py"))
    out.append(Output(INTERPRETER_DEST, "Vega's expression interpreter, served beside it", "macros/build/runtime.py"))
    out.append(Output(FEED_PATH, "the Atom feed of the updates page", "macros/pages/feed.py"))
    for cid, chart in sorted(CHARTS.items()):
        line = definition_line(chart.build)
        out.append(Output(f"{DATA_DIR}{cid}.csv", f"the CSV download of chart '{cid}'", "macros/charts/catalog.py", line,
                          parts=True))
        out.append(Output(f"{DATA_DIR}{cid}.json", f"the JSON download of chart '{cid}'", "macros/charts/catalog.py", line))
        if make_cards:
            out.append(Output(f"{OG_DIR}{cid}.png", f"the social card of chart '{cid}'", "macros/charts/catalog.py", line))
    return Plan(out)


def mkdocs_outputs(conf) -> tuple[str, ...]:
    """The theme's templates rendered to files (404.html, sitemap.xml and its .gz) and the search index:
    an author file there is overwritten after it is copied."""
    templates = tuple(sorted(conf["theme"].static_templates))
    gz = ("sitemap.xml.gz",) if "sitemap.xml" in templates else ()
    searched = any(name.split("/")[-1] == "search" for name in conf["plugins"])  # material/search too
    search = ("search/search_index.json",) if searched else ()
    return templates + gz + search


def _where(o: Output) -> str:
    return f"{o.file}:{o.line}" if o.line else o.file


def collisions(plan: Plan, files, docs_dir: str) -> list[Problem]:
    """Each generated file that another generated file or a published file (MkDocs' ``files``:
    docs/ and the theme, pages at their output paths) would replace, or trip over."""
    problems, reported = [], set()
    for o in plan.outputs:
        other = plan.at(o.path)
        if other is None or other is o:
            continue
        first, second = (o, other) if o.line else (other, o)  # a chart's line says where to rename
        if (_where(first), second.owner) not in reported:  # its CSV and its JSON: one mistake
            reported.add((_where(first), second.owner))
            problems.append(Problem(first.file, first.line, "", f"{first.owner} would be written to "
                                    f"{first.path}, which is also {second.owner} ({_where(second)})",
                                    "Rename the chart function: the chart's files are named after it."))
    docs = Path(docs_dir).resolve()
    for f in files:
        hit = plan.clash(f.dest_uri)
        if hit is None:
            continue
        src = Path(f.abs_src_path).resolve() if f.abs_src_path else None
        shown = f"docs/{f.src_uri}" if src and src.is_relative_to(docs) else f"the theme's {f.src_uri}"
        published = f"; it is published as {f.dest_uri}" if f.dest_uri != f.src_uri else ""
        problems.append(Problem(shown, None, "", f"collides with {hit.owner} ({_where(hit)}){published}",
                                f"The build writes {hit.path} itself: rename or move the file."))
    return problems


def outside_links(project: Path, roots: list[Path]) -> list[Problem]:
    """Each symlink under ``roots`` (followed, as MkDocs follows them) that resolves outside ``project``."""
    project = project.resolve()
    problems = []

    def check(path: Path) -> bool:
        """Whether ``path`` may be read: not a link, or a link into the project."""
        if not path.is_symlink():
            return True
        target = Path(os.path.realpath(path))
        if target.is_relative_to(project):
            return True
        shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)
        problems.append(Problem(shown, None, "", f"symlink to {os.readlink(path)} points outside the project",
                                "The build would publish what it points to: copy the file into the project, "
                                "or delete the link."))
        return False

    for root in roots:
        if not check(root) or not root.is_dir():
            continue
        seen: set[str] = set()
        for here, dirs, names in os.walk(root, followlinks=True):
            real = os.path.realpath(here)
            if real in seen:  # a link loop, or a folder reached twice: walked once
                dirs[:] = []
                continue
            seen.add(real)
            for name in sorted(names):
                check(Path(here, name))
            dirs[:] = [d for d in sorted(dirs) if check(Path(here, d))]
    return problems
