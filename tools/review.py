"""What a change does to the figures, charts, claims and pages readers see.

    python -m tools.review BASE [--head PATH] [--html OUT.html] [--json OUT.json]
                                [--link-base ../]

BASE is a git ref of the head tree's repository (``origin/main``, ``HEAD~1``, a
commit) or the path of another project tree (a folder with ``data/``); a folder
wins over a ref of the same name.  HEAD is the working tree of this project
unless ``--head`` names another.  Examples::

    python -m tools.review origin/main                    # what this branch changes
    python -m tools.review HEAD                           # what the uncommitted edits change
    python -m tools.review ../old-copy --head ../new-copy

Prints a summary whose first line reads like ``3 figures, 1 chart, 0 claims
changed`` (``, 1 page added`` and the like follow only when non-zero), then one
section per kind.  A figure whose shown value changed without a new entry in its
``revisions:`` is flagged (a ``Warning:`` line, ``unrevised`` in the JSON): readers
who saw the old value would not be told.  ``--html`` writes a standalone page (inline CSS, no external
request) with before/after tables and each changed chart's two static SVGs side
by side; PR previews publish it at ``site/review/index.html`` (the workflow
copies it into the built site; production builds never carry it), which is why
its page links default to ``../``.  ``--json`` writes the same diff, without
the SVGs, for the pull-request comment.

How it works: each tree is read by *its own* ``macros`` package, because the
base may have different code (a changed formatter is a change readers see).  A
ref is extracted with ``git archive`` into a temporary folder (only ``data/``,
``docs/``, ``macros/`` and ``mkdocs.yml``); then this file runs as a script in
one subprocess per tree, in parallel, with the tree as working directory and as
``sys.path[0]``, and prints a JSON snapshot of the tree (``snapshot``).  The
rest is pure: ``diff`` compares two snapshots into a ``Report`` of frozen
dataclasses, ``render_text``, ``render_html`` and ``report_json`` write it.

Exit codes: 0 with or without changes (this reports, it does not gate); 2 when
a tree cannot be read: an unknown ref, a tree without data/, data that does
not load.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import html
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Literal, Mapping

try:
    from tools import review_text  # prose and glossary changes; chart rows in readers' labels
except ImportError:  # run as a script (a snapshot subprocess), from beside it
    import review_text  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
# What a snapshot reads; the rest of a tree (tests, tools, js/) shows nothing to readers.
TREE_PATHS = ("data", "docs", "macros", "mkdocs.yml")
SNAPSHOT_FLAG = "--snapshot-of"
SNAPSHOT_TIMEOUT = 600  # seconds; a snapshot takes about two

Kind = Literal["added", "removed", "changed"]


class ReviewError(Exception):
    """A tree could not be read; main() prints it and exits 2."""


# -- Snapshot: runs in a subprocess, inside the tree, with the tree's own macros ----------

# The build's own pattern (macros/site.py MACRO_CALL), for trees whose site.py lacks it.
_MACRO_CALL = re.compile(r"""\b(fig|as_of|chart|claim)\(\s*["']([^"']+)["']""")
_FIG_TOKEN = re.compile(r"\[\[([^\]]+)\]\]")
# The audit page's claims_table() prints every claim with its evidence.  (The figure
# index prints every figure too; it is left out: naming it on every line says nothing.)
_CLAIMS_TABLE = re.compile(r"\bclaims_table\(")


def snapshot(tree: Path) -> dict:
    """Everything readers see of one tree, as JSON-ready data.

    Must run with ``tree`` first on sys.path, so that ``macros`` is the tree's
    own package; optional parts of the package are looked up with getattr, so
    an older base whose code lacks them still gives a snapshot (with a note).
    """
    import importlib

    from macros import charts as charts_mod  # noqa: the tree's package, not ours
    from macros import format as fmt
    from macros.data import load

    notes: list[str] = []
    data = load(tree / "data")
    figures = {f.id: _figure_state(f, fmt) for f in data.figures.values()}

    render = importlib.import_module("macros.render")
    try:
        embed = importlib.import_module("macros.embed")
    except ImportError:
        embed = None
    if getattr(embed, "tables", None) is None:
        notes.append("this tree's macros/embed.py has no tables(): plotted data read from the spec")
    charts = {}
    for chart in charts_mod.CHARTS.values():
        rendered = render.render_fresh(chart, data)
        charts[chart.id] = {
            "id": chart.id,
            "title": chart.title,
            "figures": [f.id for f in chart.figures(data)],
            "tables": _plotted_tables(rendered.spec, getattr(embed, "tables", None)),
            "svg": rendered.svg,
        }

    verdicts = getattr(importlib.import_module("macros.model"), "VERDICTS", {})
    claims = {c.id: {"id": c.id, "quote": c.quote, "verdict": c.verdict,
                     "verdict_label": verdicts.get(c.verdict, c.verdict), "summary": c.summary,
                     "page": c.page,
                     "figures": list(dict.fromkeys([*c.figures, *_FIG_TOKEN.findall(c.evidence)]))}
              for c in data.claims.values()}

    try:
        site = importlib.import_module("macros.site")
    except ImportError:
        site = None
    pattern = getattr(site, "MACRO_CALL", _MACRO_CALL)
    pages = _pages(tree, pattern, list(claims))
    return {"figures": figures, "charts": charts, "claims": claims, "pages": pages, "notes": notes}


def _figure_state(fig: Any, fmt: Any) -> dict:
    day = getattr(fmt, "day", None)
    return {"id": fig.id, "label": fig.label, "value": fig.value, "unit": fig.unit.value,
            "as_of": fig.as_of.isoformat(), "as_of_text": day(fig.as_of) if day else fig.as_of.isoformat(),
            "sources": list(fig.sources), "note": fig.note, "text": fmt.value(fig),
            "derived": bool(getattr(fig, "formula", None)),
            # Dates of its revision entries (a base older than the schema has none).
            "revisions": [r.date.isoformat() for r in getattr(fig, "revisions", ())]}


def _plotted_tables(spec: dict, tables: Any) -> list[dict]:
    """The data the chart plots: embed.tables() when the tree has it, else the spec's inline values."""
    if tables is not None:
        return [{"name": t.name, "fields": list(t.fields), "titles": list(t.titles),
                 "rows": [dict(r) for r in t.rows]} for t in tables(spec)]
    found: list[list[dict]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list) and data["values"] not in found:
                found.append(data["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    out = []
    for i, values in enumerate(v for v in found if v):
        fields = list(dict.fromkeys(k for row in values for k in row))
        out.append({"name": "Data" if i == 0 else f"Data, part {i + 1}", "fields": fields,
                    "titles": fields, "rows": values})
    return out


def _read_mkdocs_yml(path: Path) -> dict:
    """mkdocs.yml, with !ENV and MkDocs' other tags read as plain values (safe_load refuses them)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", untagged)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", untagged)
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) if path.exists() else None
    return config if isinstance(config, dict) else {}


def _nav_titles(nav: Any, out: dict[str, str]) -> dict[str, str]:
    if isinstance(nav, list):
        for item in nav:
            _nav_titles(item, out)
    elif isinstance(nav, dict):
        for title, target in nav.items():
            if isinstance(target, str):
                out[target] = str(title)
            else:
                _nav_titles(target, out)
    return out


def _page_url(src: str) -> str:
    # use_directory_urls is true in this project (mkdocs.yml); the review page only links with it.
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else f"{stem}/"


def _pages(tree: Path, pattern: re.Pattern, claim_ids: list[str]) -> dict[str, dict]:
    config = _read_mkdocs_yml(tree / "mkdocs.yml")
    titles = _nav_titles(config.get("nav") or [], {})
    docs = tree / str(config.get("docs_dir") or "docs")
    pages: dict[str, dict] = {}
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        calls: dict[str, list[str]] = {"fig": [], "chart": [], "claim": []}
        text = path.read_text(encoding="utf-8")
        found = pattern.findall(text)
        if _CLAIMS_TABLE.search(text):
            found += [("claim", cid) for cid in claim_ids]
        for kind, ident in found:
            bucket = calls["fig" if kind == "as_of" else kind]
            if ident not in bucket:
                bucket.append(ident)
        pages[rel] = {"path": rel, "title": titles.get(rel), "url": _page_url(rel),
                      "figures": calls["fig"], "charts": calls["chart"], "claims": calls["claim"]}
    return pages


def _snapshot_main(tree_arg: str) -> int:
    """Entry point of the subprocess: print the tree's snapshot as JSON on stdout."""
    tree = Path(tree_arg).resolve()
    os.chdir(tree)
    sys.path[0] = str(tree)  # the tree's macros, never this project's (nor tools/)
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # whatever the tree's code prints must not corrupt the JSON
    try:
        snap = snapshot(tree)
    except Exception as exc:  # noqa: BLE001 - any failure is reported to the parent, whole
        report = getattr(exc, "report", None)
        print(report() if callable(report) else f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    json.dump(snap, real_stdout, ensure_ascii=False, default=str)
    real_stdout.flush()
    return 0


# -- Trees --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tree:
    path: Path
    label: str  # how the report names it: "origin/main (1a2b3c4)", "working tree (/work/main)"


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary)


def _is_tree(path: Path) -> bool:
    return (path / "data").is_dir()


@contextmanager
def materialize(base: str, repo: Path) -> Iterator[Tree]:
    """The base as a folder: the path itself, or the ref extracted into a temporary folder."""
    as_path = Path(base).expanduser()
    if as_path.is_dir():
        if not _is_tree(as_path):
            raise ReviewError(f"{base}: not a project tree (no data/ folder)")
        yield Tree(as_path.resolve(), str(as_path))
        return
    if base.startswith("-"):
        raise ReviewError(f"unknown git ref '{base}': a ref cannot start with '-'")
    prefix = _git(repo, "rev-parse", "--show-prefix")
    if prefix.returncode != 0:
        raise ReviewError(f"unknown git ref '{base}': {repo} is not in a git repository "
                          f"({prefix.stderr.strip()}); give the path of a project tree instead")
    found = _git(repo, "rev-parse", "--verify", "--end-of-options", f"{base}^{{commit}}")
    if found.returncode != 0:
        detail = found.stderr.strip().splitlines()[-1] if found.stderr.strip() else "not found"
        raise ReviewError(f"unknown git ref '{base}': {detail} (in {repo}; give a branch, tag or "
                          "commit, e.g. origin/main or HEAD~1, or the path of a project tree)")
    commit = found.stdout.strip()
    # The project may sit in a subfolder of its repository: archive that subtree, from
    # the top (ls-tree and archive would also filter by the working directory's path).
    top = Path(_git(repo, "rev-parse", "--show-toplevel").stdout.strip())
    treeish = f"{commit}:{prefix.stdout.strip()}"
    listed = _git(top, "ls-tree", "--name-only", treeish)
    present = [p for p in TREE_PATHS if p in listed.stdout.split("\n")]
    if "data" not in present:
        raise ReviewError(f"git ref '{base}' ({commit[:7]}) has no data/ folder to compare")
    archive = _git(top, "archive", "--format=tar", treeish, "--", *present, binary=True)
    if archive.returncode != 0:
        raise ReviewError(f"git archive of '{base}' failed: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="review-base-") as tmp:
        _extract(archive.stdout, Path(tmp))
        yield Tree(Path(tmp), f"{base} ({commit[:7]})")


def _extract(tar_bytes: bytes, dest: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tar:
        # The "data" filter refuses absolute paths, links out of dest and device files.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python before 3.11.4; the archive comes from our own repository
            tar.extractall(dest)


def _run_snapshot(tree: Tree, role: str) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # leave no __pycache__ in the trees
    env.pop("EXPLAINER_COMMAND", None)
    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), SNAPSHOT_FLAG, str(tree.path)],
                              cwd=tree.path, env=env, capture_output=True, text=True, timeout=SNAPSHOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReviewError(f"reading the {role} tree {tree.label} took over {SNAPSHOT_TIMEOUT} s") from None
    if proc.returncode != 0:
        raise ReviewError(f"cannot read the {role} tree {tree.label}:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout)


def take_snapshots(base: Tree, head: Tree) -> tuple[dict, dict]:
    """Both snapshots, in parallel: each subprocess spends most of its time starting V8 and Altair."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        b = pool.submit(_run_snapshot, base, "base")
        h = pool.submit(_run_snapshot, head, "head")
        return b.result(), h.result()


# -- Diff ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRef:
    path: str
    title: str
    url: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class FigureChange:
    id: str
    kind: Kind
    label: str
    old_text: str | None  # as readers see it, e.g. "¥3,069.3 billion"
    new_text: str | None
    fields: tuple[FieldChange, ...]  # for "changed": what differs
    pages: tuple[PageRef, ...]  # pages that show it (fig/as_of calls, claims citing it)
    charts: tuple[str, ...]  # charts that plot it
    unrevised: bool = False  # what readers see changed, but no revision entry was added to say so


@dataclass(frozen=True)
class RowChange:
    table: str
    key: tuple[tuple[str, Any], ...]  # the row's identifying cells
    old: tuple[tuple[str, Any], ...] | None  # None: an added row
    new: tuple[tuple[str, Any], ...] | None  # None: a removed row
    titles: tuple[tuple[str, str], ...] = ()  # field -> the column title readers see


@dataclass(frozen=True)
class ChartChange:
    id: str
    kind: Kind
    title: str
    data_changed: bool
    svg_changed: bool
    title_changed: bool
    rows: tuple[RowChange, ...]
    tables_note: str | None  # when tables cannot be compared row by row
    pages: tuple[PageRef, ...]
    old_svg: str | None
    new_svg: str | None

    @property
    def what(self) -> str:
        if self.kind != "changed":
            return self.kind
        parts = [p for p, on in (("title", self.title_changed), ("plotted data", self.data_changed),
                                 ("SVG", self.svg_changed)) if on]
        text = " and ".join(parts) + " changed"
        if self.svg_changed and not self.data_changed:
            text += " (same data: a change of chart code, theme or library)"
        return text


@dataclass(frozen=True)
class ClaimChange:
    id: str
    kind: Kind
    fields: tuple[FieldChange, ...]  # for "changed"; verdicts as their labels
    verdict: str  # the label of the current verdict (the old one for a removed claim)
    quote: str
    pages: tuple[PageRef, ...]


@dataclass(frozen=True)
class PageChange:
    path: str
    kind: Literal["added", "removed", "retitled"]
    old_title: str | None
    new_title: str | None


@dataclass(frozen=True)
class Report:
    base: str
    head: str
    figures: tuple[FigureChange, ...]
    charts: tuple[ChartChange, ...]
    claims: tuple[ClaimChange, ...]
    pages: tuple[PageChange, ...]
    notes: tuple[str, ...] = ()
    prose: tuple = ()  # review_text.ProseChange: words changed per page
    glossary: tuple = ()  # review_text.TermChange

    @property
    def empty(self) -> bool:
        return not (self.figures or self.charts or self.claims or self.pages or self.prose or self.glossary)

    @property
    def unrevised(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.figures if f.unrevised)


# Compared in this order, which is also the order a figure's changes are listed in.
FIGURE_FIELDS = ("text", "value", "unit", "as_of", "sources", "label", "note")
CLAIM_FIELDS = ("verdict", "quote", "summary")


def _ref(page: dict) -> PageRef:
    return PageRef(page["path"], page.get("title") or page["path"], page.get("url", ""))


def _figure_pages(snap: dict, fid: str) -> tuple[PageRef, ...]:
    """Pages that print the figure: by fig()/as_of(), or in the evidence of a claim they place."""
    citing = {cid for cid, c in snap["claims"].items() if fid in c.get("figures", ())}
    return tuple(_ref(p) for p in snap["pages"].values()
                 if fid in p["figures"] or citing.intersection(p["claims"]))


def _figure_charts(snap: dict, fid: str) -> tuple[str, ...]:
    return tuple(cid for cid, c in snap["charts"].items() if fid in c["figures"])


def _diff_fields(old: Mapping, new: Mapping, names: tuple[str, ...]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n))


def diff_figures(base: dict, head: dict) -> tuple[FigureChange, ...]:
    out = []
    for fid in sorted(set(base["figures"]) | set(head["figures"])):
        old, new = base["figures"].get(fid), head["figures"].get(fid)
        if old is not None and new is not None:
            fields = _diff_fields(old, new, FIGURE_FIELDS)
            if not fields:
                continue
            kind: Kind = "changed"
        else:
            fields, kind = (), "added" if old is None else "removed"
        where = head if new is not None else base
        out.append(FigureChange(fid, kind, (new or old)["label"], old and old["text"], new and new["text"],
                                fields, _figure_pages(where, fid), _figure_charts(where, fid),
                                kind == "changed" and _unrevised(old, new, fields)))
    return tuple(out)


def _unrevised(old: dict, new: dict, fields: tuple[FieldChange, ...]) -> bool:
    """The value readers see changed, and the head adds no revision entry saying what it was.

    A derived figure is exempt: it has no revisions of its own; its inputs' changes carry them."""
    if not any(f.field == "text" for f in fields) or old.get("derived") or new.get("derived"):
        return False
    return not set(new.get("revisions", ())) - set(old.get("revisions", ()))


def _row_key_fields(old: list[dict], new: list[dict], fields: list[str]) -> list[str] | None:
    """Fields that identify a row: those never holding a float (names, years, flags).

    Charts plot floats (axis_value rounds to a float) and label them with text or
    whole years, so the non-float cells name the row.  None when they do not name
    rows uniquely on either side; rows are then compared by position.
    """
    keys = [f for f in fields if not any(isinstance(r.get(f), float) for r in (*old, *new))]
    if not keys:
        return None
    for rows in (old, new):
        named = [_hashable([r.get(k) for k in keys]) for r in rows]
        if len(named) != len(set(named)):
            return None
    return keys


def _hashable(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _items(row: dict, fields: list[str]) -> tuple[tuple[str, Any], ...]:
    return tuple((f, row.get(f)) for f in fields)


def _diff_table(old: dict, new: dict) -> tuple[RowChange, ...]:
    fields = list(dict.fromkeys([*old["fields"], *new["fields"]]))
    keys = _row_key_fields(old["rows"], new["rows"], fields)
    if keys is None:  # by position
        pairs = [(o, n, (("row", i + 1),)) for i, (o, n) in enumerate(_zip_longest(old["rows"], new["rows"]))]
    else:
        olds = {_hashable([r.get(k) for k in keys]): r for r in old["rows"]}
        news = {_hashable([r.get(k) for k in keys]): r for r in new["rows"]}
        order = list(dict.fromkeys([*news, *olds]))  # head's order, then removed rows
        pairs = [(olds.get(k), news.get(k), tuple((f, (news.get(k) or olds.get(k)).get(f)) for f in keys))
                 for k in order]
    titles = tuple(dict([*zip(old["fields"], old["titles"]), *zip(new["fields"], new["titles"])]).items())
    return tuple(RowChange(new["name"], key, o and _items(o, fields), n and _items(n, fields), titles)
                 for o, n, key in pairs if o != n)


def _zip_longest(a: list, b: list) -> list[tuple]:
    return [(a[i] if i < len(a) else None, b[i] if i < len(b) else None) for i in range(max(len(a), len(b)))]


def _diff_tables(old: list[dict], new: list[dict]) -> tuple[tuple[RowChange, ...], str | None]:
    if [t["name"] for t in old] != [t["name"] for t in new]:
        return (), f"tables: {len(old)} → {len(new)}"
    rows: list[RowChange] = []
    notes = []
    for o, n in zip(old, new):
        if o["fields"] != n["fields"] or o["titles"] != n["titles"]:
            notes.append(f"{n['name']} columns: {', '.join(o['titles'])} → {', '.join(n['titles'])}")
        rows.extend(_diff_table(o, n))
    return tuple(rows), "; ".join(notes) or None


def _chart_pages(snap: dict, cid: str) -> tuple[PageRef, ...]:
    return tuple(_ref(p) for p in snap["pages"].values() if cid in p["charts"])


def diff_charts(base: dict, head: dict) -> tuple[ChartChange, ...]:
    out = []
    for cid in sorted(set(base["charts"]) | set(head["charts"])):
        old, new = base["charts"].get(cid), head["charts"].get(cid)
        where = head if new is not None else base
        if old is None or new is None:
            c = new or old
            out.append(ChartChange(cid, "added" if old is None else "removed", c["title"], True, True, False,
                                   (), None, _chart_pages(where, cid), old and old["svg"], new and new["svg"]))
            continue
        data_changed = old["tables"] != new["tables"]
        svg_changed = old["svg"] != new["svg"]
        title_changed = old["title"] != new["title"]
        if not (data_changed or svg_changed or title_changed):
            continue
        rows, note = _diff_tables(old["tables"], new["tables"]) if data_changed else ((), None)
        out.append(ChartChange(cid, "changed", new["title"], data_changed, svg_changed, title_changed, rows, note,
                               _chart_pages(head, cid), old["svg"], new["svg"]))
    return tuple(out)


def _claim_pages(snap: dict, cid: str) -> tuple[PageRef, ...]:
    return tuple(_ref(p) for p in snap["pages"].values() if cid in p["claims"])


def diff_claims(base: dict, head: dict) -> tuple[ClaimChange, ...]:
    out = []
    # Claims keep the article's order (data/claims.yml), then removed ones.
    for cid in dict.fromkeys([*head["claims"], *base["claims"]]):
        old, new = base["claims"].get(cid), head["claims"].get(cid)
        where = head if new is not None else base
        if old is not None and new is not None:
            labelled = lambda c: {**c, "verdict": c.get("verdict_label") or c["verdict"]}  # noqa: E731
            fields = _diff_fields(labelled(old), labelled(new), CLAIM_FIELDS)
            if not fields:
                continue
            kind: Kind = "changed"
        else:
            fields, kind = (), "added" if old is None else "removed"
        c = new or old
        out.append(ClaimChange(cid, kind, fields, c.get("verdict_label") or c["verdict"], c["quote"],
                               _claim_pages(where, cid)))
    return tuple(out)


def diff_pages(base: dict, head: dict) -> tuple[PageChange, ...]:
    out = []
    for path in sorted(set(base["pages"]) | set(head["pages"])):
        old, new = base["pages"].get(path), head["pages"].get(path)
        if old is None:
            out.append(PageChange(path, "added", None, new["title"]))
        elif new is None:
            out.append(PageChange(path, "removed", old["title"], None))
        elif old["title"] != new["title"]:
            out.append(PageChange(path, "retitled", old["title"], new["title"]))
    return tuple(out)


def diff(base: dict, head: dict, base_label: str = "base", head_label: str = "head") -> Report:
    """Everything that differs between two snapshots."""
    notes = tuple(f"{label}: {n}" for label, snap in ((base_label, base), (head_label, head))
                  for n in snap.get("notes", ()))
    return Report(base_label, head_label, diff_figures(base, head), diff_charts(base, head),
                  diff_claims(base, head), diff_pages(base, head), notes)


# -- Writing it ---------------------------------------------------------------------------

NO_CHANGES = "No changes to figures, charts, claims or pages."
UNREVISED = ("no revision entry: readers who saw the old value are not told it changed; add one under the "
             "figure's revisions: with the old value (README, Record a correction)")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    """'3 figures, 1 chart, 0 claims changed', plus page counts only when non-zero."""
    if report.empty:
        return NO_CHANGES
    line = (f"{_count(len(report.figures), 'figure')}, {_count(len(report.charts), 'chart')}, "
            f"{_count(len(report.claims), 'claim')} changed")
    for kind in ("added", "removed", "retitled"):
        n = sum(1 for p in report.pages if p.kind == kind)
        if n:
            line += f", {_count(n, 'page')} {kind}"
    return line + review_text.summary(report.prose, report.glossary)


def headline(report: Report) -> str:
    """The pull-request comment's line: the summary, and the figures that need a revision entry."""
    line = summary_line(report)
    if report.unrevised:
        line += (f"; {_count(len(report.unrevised), 'figure')} changed without a revision entry: "
                 + ", ".join(report.unrevised))
    return line


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _field_line(f: FieldChange) -> str:
    if f.field == "text":
        return f"as readers see it: {f.old} → {f.new}"
    if f.field == "sources":
        gone = [s for s in f.old or [] if s not in (f.new or [])]
        came = [s for s in f.new or [] if s not in (f.old or [])]
        delta = ", ".join([*(f"+{s}" for s in came), *(f"−{s}" for s in gone)]) or "reordered"
        return f"sources: {_show(f.old)} → {_show(f.new)} ({delta})"
    if f.field == "as_of":
        return f"as of: {f.old} → {f.new}"
    return f"{f.field}: {_show(f.old)} → {_show(f.new)}"


def _figure_fields(fig: FigureChange) -> list[str]:
    names = {f.field for f in fig.fields}
    lines = []
    for f in fig.fields:
        # The raw value only matters when the text readers see did not move with it
        # (a change below the shown precision); otherwise the text says it better.
        if f.field == "value" and "text" in names:
            continue
        line = _field_line(f)
        if f.field == "value":
            line += " (the text readers see is unchanged)"
        lines.append(line)
    return lines


def _pages_text(pages: tuple[PageRef, ...]) -> str:
    return ", ".join(p.path if p.title == p.path else f"{p.title} ({p.path})" for p in pages)


def _row_text(r: RowChange) -> str:
    # In the column titles readers see, without the cells a row does not have (review_text.py).
    titles = dict(r.titles)
    key = ", ".join(f"{k} {_show(v)}" for k, v in review_text.readers_cells(r.key, titles))
    if r.old is None:
        return f"+ row {key}: " + ", ".join(f"{k} {_show(v)}" for k, v in review_text.readers_cells(r.new, titles))
    if r.new is None:
        return f"− row {key}: " + ", ".join(f"{k} {_show(v)}" for k, v in review_text.readers_cells(r.old, titles))
    old = dict(review_text.readers_cells(r.old, titles))
    new = dict(review_text.readers_cells(r.new, titles))
    cells = [f"{k} {_show(old.get(k))} → {_show(new.get(k))}" for k in dict.fromkeys([*old, *new])
             if old.get(k) != new.get(k)]
    return f"row {key}: " + ", ".join(cells)


MARK = {"added": "+", "removed": "−", "changed": "~", "retitled": "~"}


def render_text(report: Report) -> str:
    """The terminal summary; its first line is summary_line()."""
    lines = [summary_line(report), f"Base: {report.base}", f"Head: {report.head}"]
    if report.unrevised:
        lines.append(f"Warning: {_count(len(report.unrevised), 'figure')} changed what readers see without a "
                     f"revision entry: {', '.join(report.unrevised)}")
    if report.figures:
        lines += ["", "Figures"]
        for f in report.figures:
            lines.append(f"  {MARK[f.kind]} {f.id}  {f.label}")
            if f.kind == "added":
                lines.append(f"      added: {f.new_text}")
            elif f.kind == "removed":
                lines.append(f"      removed (was {f.old_text})")
            lines += [f"      {line}" for line in _figure_fields(f)]
            if f.unrevised:
                lines.append(f"      ! {UNREVISED}")
            if f.pages:
                lines.append(f"      shown on: {_pages_text(f.pages)}")
            if f.charts:
                lines.append(f"      plotted in: {', '.join(f.charts)}")
    if report.charts:
        lines += ["", "Charts"]
        for c in report.charts:
            lines.append(f"  {MARK[c.kind]} {c.id}  {c.title}: {c.what}")
            if c.tables_note:
                lines.append(f"      {c.tables_note}")
            lines += [f"      {_row_text(r)}" for r in c.rows]
            if c.pages:
                lines.append(f"      on: {_pages_text(c.pages)}")
    if report.claims:
        lines += ["", "Claims"]
        for c in report.claims:
            lines.append(f"  {MARK[c.kind]} {c.id}  [{c.verdict}] “{c.quote}”")
            lines += [f"      {f.field}: {f.old} → {f.new}" for f in c.fields]
            if c.pages:
                lines.append(f"      on: {_pages_text(c.pages)}")
    if report.pages:
        lines += ["", "Pages"]
        for p in report.pages:
            if p.kind == "retitled":
                lines.append(f"  ~ {p.path}  title: {p.old_title} → {p.new_title}")
            else:
                lines.append(f"  {MARK[p.kind]} {p.path}  {p.new_title or p.old_title or '(not in the nav)'}")
    lines += review_text.text_sections(report.prose, report.glossary)
    if report.notes:
        lines += ["", "Notes"] + [f"  {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


def report_json(report: Report) -> dict:
    """The diff for machines (the PR comment); SVGs stay out, the HTML page carries them."""
    def page(p: PageRef) -> dict:
        return {"path": p.path, "title": p.title, "url": p.url}

    def fields(fs: tuple[FieldChange, ...]) -> list[dict]:
        return [{"field": f.field, "old": f.old, "new": f.new} for f in fs]

    def row(r: RowChange) -> dict:
        return {"table": r.table, "key": dict(r.key), "old": r.old and dict(r.old), "new": r.new and dict(r.new)}

    return {
        "summary": summary_line(report),
        "headline": headline(report),
        "empty": report.empty,
        "base": report.base,
        "head": report.head,
        "figures": [{"id": f.id, "kind": f.kind, "label": f.label, "old_text": f.old_text, "new_text": f.new_text,
                     "fields": fields(f.fields), "pages": [page(p) for p in f.pages], "charts": list(f.charts),
                     "unrevised": f.unrevised}
                    for f in report.figures],
        "unrevised": list(report.unrevised),
        "charts": [{"id": c.id, "kind": c.kind, "title": c.title, "what": c.what, "data_changed": c.data_changed,
                    "svg_changed": c.svg_changed, "title_changed": c.title_changed,
                    "rows": [row(r) for r in c.rows], "tables_note": c.tables_note,
                    "pages": [page(p) for p in c.pages]} for c in report.charts],
        "claims": [{"id": c.id, "kind": c.kind, "verdict": c.verdict, "quote": c.quote, "fields": fields(c.fields),
                    "pages": [page(p) for p in c.pages]} for c in report.claims],
        "pages": [{"path": p.path, "kind": p.kind, "old_title": p.old_title, "new_title": p.new_title}
                  for p in report.pages],
        "notes": list(report.notes),
        "prose": [{"path": p.path, "title": p.title, "words_added": p.added, "words_removed": p.removed}
                  for p in report.prose],
        "glossary": [{"term": t.term, "kind": t.kind, "old": t.old, "new": t.new} for t in report.glossary],
    }


_CSS = """
:root { color-scheme: light; --ink: #1f2329; --muted: #5b6270; --line: #d8dce3; --add: #e6f4ea;
        --del: #fce8e6; --chg: #fff4d6; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
.summary { font-size: 1.15rem; font-weight: 600; } .meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f5f7; } code { font-size: .9em; }
.kind { font-weight: 600; white-space: nowrap; }
tr.added td.kind { background: var(--add); } tr.removed td.kind { background: var(--del); }
tr.changed td.kind, tr.retitled td.kind { background: var(--chg); }
del { background: var(--del); text-decoration: line-through; } ins { background: var(--add); text-decoration: none; }
.warning { color: #8a1c12; }
.chart { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair figure { margin: 0; } .pair figcaption { font-weight: 600; margin-bottom: .25rem; }
.pair img { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--line); }
@media (max-width: 800px) { .pair { grid-template-columns: 1fr; } }
"""


def _e(value: Any) -> str:
    return html.escape(_show(value) if not isinstance(value, str) else value)


def _svg_img(svg: str | None, alt: str) -> str:
    if svg is None:
        return '<p class="muted">(none)</p>'
    # An <img> with a data: URI, not inline SVG: the before and after SVGs reuse the
    # same element ids (clip paths), which would collide in one document; an image
    # also keeps their styles and any markup in them away from this page.
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}">'


def _page_links(pages: tuple[PageRef, ...], link_base: str) -> str:
    return ", ".join(f'<a href="{html.escape(link_base + p.url)}">{html.escape(p.title)}</a>' for p in pages) \
        or '<span class="muted">—</span>'


def _figure_cells(f: FigureChange) -> tuple[str, str]:
    if f.kind == "added":
        return "—", _e(f.new_text)
    if f.kind == "removed":
        return _e(f.old_text), "—"
    names = {x.field for x in f.fields}
    old, new = [], []
    for x in f.fields:
        if x.field == "value" and "text" in names:
            continue
        label = "" if x.field == "text" else f"{html.escape(x.field.replace('_', '-'))}: "
        old.append(f"{label}<del>{_e(x.old)}</del>")
        new.append(f"{label}<ins>{_e(x.new)}</ins>")
    return "<br>".join(old), "<br>".join(new)


def render_html(report: Report, link_base: str = "../") -> str:
    """A standalone page; every text from the data is escaped."""
    out = ['<!doctype html><html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="robots" content="noindex">',
           "<title>Review: what this change does to the figures</title>",
           f"<style>{_CSS}</style></head><body>",
           "<h1>What this change shows readers</h1>",
           f'<p class="summary">{html.escape(summary_line(report))}</p>',
           f'<p class="meta">Base: <code>{html.escape(report.base)}</code> · '
           f"Head: <code>{html.escape(report.head)}</code></p>"]
    if report.unrevised:
        out.append(f'<p class="warning"><strong>{_count(len(report.unrevised), "figure")} changed what readers '
                   f"see without a revision entry:</strong> {_e(', '.join(report.unrevised))}</p>")
    if report.figures:
        out.append(f'<h2 id="figures">Figures ({len(report.figures)})</h2><table><thead><tr><th>Figure</th>'
                   "<th>Change</th><th>Before</th><th>After</th><th>Shown on</th></tr></thead><tbody>")
        for f in report.figures:
            before, after = _figure_cells(f)
            charts = f'<br><span class="muted">plotted in {_e(", ".join(f.charts))}</span>' if f.charts else ""
            flag = f'<br><strong class="warning">{_e(UNREVISED)}</strong>' if f.unrevised else ""
            out.append(f'<tr class="{f.kind}"><td><code>{_e(f.id)}</code><br>{_e(f.label)}</td>'
                       f'<td class="kind">{f.kind}</td><td>{before}</td><td>{after}{flag}</td>'
                       f"<td>{_page_links(f.pages, link_base)}{charts}</td></tr>")
        out.append("</tbody></table>")
    if report.charts:
        out.append(f'<h2 id="charts">Charts ({len(report.charts)})</h2>')
        for c in report.charts:
            out.append(f'<section class="chart" id="chart-{_e(c.id)}"><h3>{_e(c.title)} '
                       f'<code>{_e(c.id)}</code></h3><p><strong>{_e(c.what)}</strong>'
                       f" · on {_page_links(c.pages, link_base)}</p>")
            if c.tables_note:
                out.append(f"<p>{_e(c.tables_note)}</p>")
            if c.rows:
                out.append("<ul>" + "".join(f"<li>{_e(_row_text(r))}</li>" for r in c.rows) + "</ul>")
            out.append(f'<div class="pair"><figure><figcaption>Before</figcaption>'
                       f'{_svg_img(c.old_svg, "Before: " + c.title)}</figure>'
                       f'<figure><figcaption>After</figcaption>{_svg_img(c.new_svg, "After: " + c.title)}'
                       "</figure></div></section>")
    if report.claims:
        out.append(f'<h2 id="claims">Claims ({len(report.claims)})</h2><table><thead><tr><th>Claim</th>'
                   "<th>Change</th><th>Before</th><th>After</th><th>On</th></tr></thead><tbody>")
        for c in report.claims:
            if c.kind == "changed":
                before = "<br>".join(f"{_e(x.field)}: <del>{_e(x.old)}</del>" for x in c.fields)
                after = "<br>".join(f"{_e(x.field)}: <ins>{_e(x.new)}</ins>" for x in c.fields)
            else:
                shown = f"<strong>{_e(c.verdict)}</strong>: “{_e(c.quote)}”"
                before, after = ("—", shown) if c.kind == "added" else (shown, "—")
            out.append(f'<tr class="{c.kind}"><td><code>{_e(c.id)}</code></td><td class="kind">{c.kind}</td>'
                       f"<td>{before}</td><td>{after}</td><td>{_page_links(c.pages, link_base)}</td></tr>")
        out.append("</tbody></table>")
    if report.pages:
        out.append(f'<h2 id="pages">Pages ({len(report.pages)})</h2><table><thead><tr><th>Page</th>'
                   "<th>Change</th><th>Title</th></tr></thead><tbody>")
        for p in report.pages:
            title = (f"<del>{_e(p.old_title)}</del> → <ins>{_e(p.new_title)}</ins>" if p.kind == "retitled"
                     else _e(p.new_title or p.old_title or "(not in the nav)"))
            out.append(f'<tr class="{p.kind}"><td><code>{_e(p.path)}</code></td><td class="kind">{p.kind}</td>'
                       f"<td>{title}</td></tr>")
        out.append("</tbody></table>")
    out += review_text.html_sections(report.prose, report.glossary, _e)
    if report.notes:
        out.append("<h2>Notes</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in report.notes) + "</ul>")
    out.append("</body></html>\n")
    # Published beside the site (a preview's /review/), it carries the site's Content-Security-Policy,
    # its <style> allowed by hash.  Imported here: a snapshot runs this file with the tree's own macros.
    from macros import csp

    return csp.secure("\n".join(out), where="review report")


# -- Command line -------------------------------------------------------------------------

def review(base: str, head: Path = ROOT) -> Report:
    """Snapshot both trees and compare them; raises ReviewError when a tree cannot be read."""
    head = head.resolve()
    if not _is_tree(head):
        raise ReviewError(f"{head}: not a project tree (no data/ folder)")
    head_tree = Tree(head, f"working tree ({head})")
    with materialize(base, head) as base_tree:
        base_snap, head_snap = take_snapshots(base_tree, head_tree)
        titles = {p: page.get("title") for p, page in head_snap["pages"].items()}
        prose, terms = review_text.diff_trees(base_tree.path, head, titles)
    return dataclasses.replace(diff(base_snap, head_snap, base_tree.label, head_tree.label),
                               prose=prose, glossary=terms)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [SNAPSHOT_FLAG] and len(argv) == 2:
        return _snapshot_main(argv[1])  # inside the subprocess (see _run_snapshot)
    parser = argparse.ArgumentParser(prog="python -m tools.review",
                                     description="What a change does to the figures, charts, claims and pages.")
    parser.add_argument("base", metavar="BASE", help="a git ref (origin/main, HEAD~1) or a project tree's path")
    parser.add_argument("--head", type=Path, default=ROOT, help="the tree to review (default: this working tree)")
    parser.add_argument("--html", type=Path, metavar="OUT.html", help="write the standalone review page")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the diff as JSON")
    parser.add_argument("--link-base", default="../",
                        help="prefix of page links in the HTML (default ../: the page lives at site/review/)")
    args = parser.parse_args(argv)
    try:
        report = review(args.base, args.head)
    except ReviewError as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 2
    print(render_text(report), end="")
    if args.html:
        _write(args.html, render_html(report, args.link_base))
    if args.json:
        _write(args.json, json.dumps(report_json(report), indent=2, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
