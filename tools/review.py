"""What a change does to the figures, charts, claims and pages readers see.

    python -m tools.review BASE [--head PATH] [--html OUT.html] [--json OUT.json] [--link-base ../]

BASE: a git ref of the head's repository (origin/main, HEAD~1) or another project tree's path (a
folder wins); HEAD: this working tree unless --head names another.  The first line printed reads
like ``3 figures, 1 chart, 0 claims changed``; a figure whose shown value changed without a new
``revisions:`` entry is flagged.  --html writes a standalone page (PR previews publish it at
site/review/, hence links to ../), --json the diff without SVGs for the pull-request comment.

Both trees are *built* (``mkdocs build --strict`` with this environment's packages, in parallel,
into temporary folders; a ref is extracted with ``git archive``) and only what the builds publish
is compared (``snapshot``): no code of either tree is imported, so a base with other formatting
code is compared as its readers saw it.  Prose and the glossary are read from the trees' Markdown
and data/glossary.yml (review_text.py, which also writes the report out).
Exit codes: 0 with or without changes; 2 when a tree cannot be read (unknown ref, failed build).
"""

from __future__ import annotations

import argparse
import csv
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
from pathlib import Path
from typing import Iterator

from tools import review_text
from tools.review_text import (NO_CHANGES, empty, render_html, render_text, report_json, summary_line,  # noqa: F401
                               unrevised)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUILD_TIMEOUT = 900  # seconds; a build with a cold chart cache takes about a minute
FIGURE_FIELDS = ("text", "value", "unit", "as_of", "sources", "label", "note")  # in the order they are listed
CLAIM_FIELDS = ("verdict", "quote", "summary")


class ReviewError(Exception):  # a tree could not be read: main() prints it and exits 2
    pass


# -- Trees and their builds --------------------------------------------------------------------

def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary)


def _is_tree(path: Path) -> bool:
    return (path / "data").is_dir() and (path / "mkdocs.yml").is_file()


@contextmanager
def materialize(base: str, repo: Path) -> Iterator[tuple[Path, str]]:
    """The base as (folder, label): the path itself, or the ref extracted into a temporary folder."""
    as_path = Path(base).expanduser()
    if as_path.is_dir():
        if not _is_tree(as_path):
            raise ReviewError(f"{base}: not a project tree (no data/ folder or mkdocs.yml)")
        yield as_path.resolve(), str(as_path)
        return
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
    # The project may sit in a subfolder of its repository: archive that subtree, from the top.
    top = Path(_git(repo, "rev-parse", "--show-toplevel").stdout.strip())
    # All but js/ (its node_modules, installed, are linked from the head's below).
    archive = _git(top, "archive", "--format=tar", f"{commit}:{prefix.stdout.strip()}", "--", ".", ":(exclude)js",
                   binary=True)
    if archive.returncode != 0:
        raise ReviewError(f"git archive of '{base}' failed: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="review-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout), mode="r:") as tar:
            tar.extractall(tmp, filter="data")  # refuses absolute paths and links out of tmp
        if not _is_tree(Path(tmp)):
            raise ReviewError(f"git ref '{base}' ({commit[:7]}) has no data/ folder or mkdocs.yml to build")
        modules = Path(tmp, "js", "node_modules")  # the installed Vega runtime, as the tests' copies link it
        if not modules.exists() and (repo / "js" / "node_modules").is_dir():
            modules.parent.mkdir()
            modules.symlink_to((repo / "js" / "node_modules").resolve())
        yield Path(tmp), f"{base} ({commit[:7]})"


def build(tree: Path, site: Path, role: str, label: str, cache: str) -> None:
    """``mkdocs build --strict`` of the tree into ``site``, with this environment's packages."""
    tool = BIN / "properdocs" if (BIN / "properdocs").exists() else BIN / "mkdocs"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOCIAL_CARDS="false", EXPLAINER_CACHE_DIR=cache,
               PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    try:
        proc = subprocess.run([str(tool), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
                              cwd=tree, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReviewError(f"building the {role} tree {label} took over {BUILD_TIMEOUT} s") from None
    if proc.returncode != 0:
        said = [ln for ln in (proc.stderr + proc.stdout).splitlines() if not ln.startswith("INFO")]
        raise ReviewError(f"cannot read the {role} tree {label}: its build failed:\n" + "\n".join(said).strip())


# -- What a build published, as a snapshot ------------------------------------------------------

def snapshot(site: Path) -> dict:
    """Everything readers see of one built site, from what it publishes: figures.json (figures, revisions, the
    pages that print each and charts that plot it, every page), claims.json, each chart's JSON and static SVG."""
    data = site / "assets" / "data"
    try:
        figs, claims = (json.loads((data / n).read_text(encoding="utf-8")) for n in ("figures.json", "claims.json"))
    except (OSError, ValueError) as exc:
        raise ReviewError(f"the build published no readable figures.json and claims.json: {exc}") from None
    pages = {p["path"]: {**p, "figures": [], "claims": []} for p in figs.get("pages", [])}
    for kind, rows in (("figures", figs["figures"]), ("claims", claims["claims"])):
        for row in rows:
            for path in row.get("pages", []):
                pages.get(path, {kind: []})[kind].append(row["id"])
    snap = {"pages": pages, "notes": [] if "pages" in figs else ["its build exports no page list: pages not compared"],
            "figures": {f["id"]: {**f, "value": float(f["value"]), "text": f["shown"], "note": f["note"] or None,
                                  "derived": bool(f["computed"]), "revisions": [r["date"] for r in f["revisions"]]}
                        for f in figs["figures"]},
            "claims": {c["id"]: c for c in claims["claims"]}, "charts": {}}
    shown_on = {cid: p["url"] for p in reversed(list(pages.values())) for cid in p["charts"]}
    for path in sorted(data.glob("*.json")):
        chart = json.loads(path.read_text(encoding="utf-8"))
        if "chart" not in chart or path.name in ("figures.json", "claims.json"):
            continue
        cid = chart["chart"]
        # Its static drawing, in the page that shows it (any page, for a build that lists no pages).
        drawn = rf'<svg [^>]*aria-labelledby="chart-{re.escape(cid)}-t".*?</svg>'
        shown = [site / shown_on[cid] / "index.html"] if cid in shown_on else sorted(site.rglob("index.html"))
        svg = next((m.group(0) for page in shown if (m := re.search(drawn, page.read_text("utf-8"), re.S))), None)
        tables = []
        for i, t in enumerate(chart["tables"]):
            # The columns in the table's order: "fields", or (an older build) its CSV's header row.
            fields = t.get("fields")
            if fields is None:
                named = {title: field for field, title in t["columns"].items()}
                with open(data / f"{cid}{f'-{i + 1}' if i else ''}.csv", encoding="utf-8", newline="") as f:
                    fields = [named.get(h, named.get(h[1:], h)) for h in next(csv.reader(f))]  # h[1:]: 'formula
            tables.append({"name": t["name"], "fields": fields, "rows": t["rows"],
                           "titles": [t["columns"].get(f, f) for f in fields]})
        snap["charts"][cid] = {"title": chart["title"], "svg": svg, "tables": tables,
                               "figures": [f["id"] for f in figs["figures"] if cid in f.get("charts", ())]}
    return snap


# -- The diff ------------------------------------------------------------------------------------

def _refs(snap: dict, kind: str, ident: str) -> list[dict]:
    return [{"path": p["path"], "title": p.get("title") or p["path"], "url": p.get("url", "")}
            for _, p in sorted(snap["pages"].items()) if ident in p[kind]]


def _pairs(base: dict, head: dict, order: list[str], names: tuple[str, ...]):
    """(id, kind, old, new, changed fields) of every item added, removed or changed."""
    for ident in order:
        old, new = base.get(ident), head.get(ident)
        fields = [] if old is None or new is None else [
            {"field": n, "old": old.get(n), "new": new.get(n)} for n in names if old.get(n) != new.get(n)]
        if old is None or new is None or fields:
            yield ident, "added" if old is None else "removed" if new is None else "changed", old, new, fields


def _unrevised(old: dict, new: dict, fields: list[dict]) -> bool:
    """The value readers see changed and the head adds no revision entry saying what it was.
    A derived figure is exempt: it has no revisions of its own; its inputs' changes carry them."""
    if not any(f["field"] == "text" for f in fields) or old.get("derived") or new.get("derived"):
        return False
    return not set(new.get("revisions", ())) - set(old.get("revisions", ()))


def _diff_table(old: dict, new: dict) -> list[dict]:
    """Changed rows, matched by the fields that name a row (those never holding a float: labels,
    years) if they name rows uniquely on both sides, else by position."""
    fields = list(dict.fromkeys([*old["fields"], *new["fields"]]))
    keys = [f for f in fields if not any(isinstance(r.get(f), float) for r in (*old["rows"], *new["rows"]))]
    name = lambda r: json.dumps([r.get(k) for k in keys], default=str)  # noqa: E731
    if keys and all(len({name(r) for r in t["rows"]}) == len(t["rows"]) for t in (old, new)):
        olds, news = {name(r): r for r in old["rows"]}, {name(r): r for r in new["rows"]}
        pairs = [(olds.get(k), news.get(k), {f: (news.get(k) or olds[k]).get(f) for f in keys})
                 for k in dict.fromkeys([*news, *olds])]  # the head's order, then removed rows
    else:
        rows = [t["rows"] + [None] * (max(len(old["rows"]), len(new["rows"])) - len(t["rows"])) for t in (old, new)]
        pairs = [(o, n, {"row": i + 1}) for i, (o, n) in enumerate(zip(*rows))]
    cells = lambda r: r and {f: r.get(f) for f in fields}  # noqa: E731
    return [{"table": new["name"], "key": key, "old": cells(o), "new": cells(n)} for o, n, key in pairs if o != n]


def _diff_chart(cid: str, old: dict | None, new: dict | None, where: dict) -> dict | None:
    c, kind = new or old, "added" if old is None else "removed" if new is None else "changed"
    data, svg, title = (True, True, False) if kind != "changed" else (
        old["tables"] != new["tables"], old["svg"] != new["svg"], old["title"] != new["title"])
    if not (data or svg or title):
        return None
    what = " and ".join(p for p, on in (("title", title), ("plotted data", data), ("SVG", svg)) if on) + " changed" + (
        " (same data: a change of chart code, theme or library)" if svg and not data else "")
    rows, notes = [], []
    if kind == "changed" and data and [t["name"] for t in old["tables"]] != [t["name"] for t in new["tables"]]:
        notes.append(f"tables: {len(old['tables'])} → {len(new['tables'])}")
    elif kind == "changed" and data:
        for o, n in zip(old["tables"], new["tables"]):
            if o["fields"] != n["fields"] or o["titles"] != n["titles"]:
                notes.append(f"{n['name']} columns: {', '.join(o['titles'])} → {', '.join(n['titles'])}")
            rows += _diff_table(o, n)
    titles = {f: t for x in (old, new) if x for tab in x["tables"] for f, t in zip(tab["fields"], tab["titles"])}
    return {"id": cid, "kind": kind, "title": c["title"], "what": kind if kind != "changed" else what,
            "data_changed": data, "svg_changed": svg, "title_changed": title, "rows": rows,
            "tables_note": "; ".join(notes) or None, "pages": _refs(where, "charts", cid), "titles": titles,
            "old_svg": old and old["svg"], "new_svg": new and new["svg"]}


def diff(base: dict, head: dict, base_label: str = "base", head_label: str = "head") -> dict:
    """Everything that differs between two snapshots: the report (review_text.py writes it)."""
    side = lambda new: head if new is not None else base  # noqa: E731 - where an item is shown now (or was)
    ids = lambda kind: sorted({*base[kind], *head[kind]})  # noqa: E731
    figures = [{"id": fid, "kind": kind, "label": (new or old)["label"], "old_text": old and old["text"],
                "new_text": new and new["text"], "fields": fields, "pages": _refs(side(new), "figures", fid),
                "charts": [c for c, ch in sorted(side(new)["charts"].items()) if fid in ch.get("figures", ())],
                "unrevised": kind == "changed" and _unrevised(old, new, fields)}
               for fid, kind, old, new, fields in _pairs(base["figures"], head["figures"], ids("figures"),
                                                         FIGURE_FIELDS)]
    charts = [c for cid in ids("charts") if (c := _diff_chart(cid, base["charts"].get(cid), head["charts"].get(cid),
                                                              side(head["charts"].get(cid)))) is not None]
    claims = [{"id": cid, "kind": kind, "verdict": (new or old)["verdict"], "quote": (new or old)["quote"],
               "fields": fields, "pages": _refs(side(new), "claims", cid)}
              for cid, kind, old, new, fields in _pairs(base["claims"], head["claims"],
                                                        list(dict.fromkeys([*head["claims"], *base["claims"]])),
                                                        CLAIM_FIELDS)]
    pages = [] if base.get("notes") or head.get("notes") else [  # both builds list their pages
        {"path": path, "kind": "retitled" if kind == "changed" else kind, "old_title": old and old.get("title"),
         "new_title": new and new.get("title")}
        for path, kind, old, new, _ in _pairs(base["pages"], head["pages"], ids("pages"), ("title",))]
    notes = [f"{label}: {n}" for label, s in ((base_label, base), (head_label, head)) for n in s.get("notes", ())]
    return {"base": base_label, "head": head_label, "figures": figures, "charts": charts, "claims": claims,
            "pages": pages, "notes": notes, "prose": [], "glossary": []}


# -- Command line ----------------------------------------------------------------------------------

def review(base: str, head: Path = ROOT) -> dict:
    """Build both trees and compare what they publish; raises ReviewError when a tree cannot be read."""
    head = head.resolve()
    if not _is_tree(head):
        raise ReviewError(f"{head}: not a project tree (no data/ folder or mkdocs.yml)")
    # One chart cache for both builds: its keys cover the code that draws a chart (macros/charts/store.py).
    cache = os.environ.get("EXPLAINER_CACHE_DIR", str(head / ".cache"))
    with materialize(base, head) as (base_tree, base_label), \
            tempfile.TemporaryDirectory(prefix="review-sites-") as tmp:
        head_label = f"working tree ({head})"
        sites = Path(tmp, "base", "site"), Path(tmp, "head", "site")
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(build, tree, site, role, label, cache) for tree, site, role, label in
                    ((base_tree, sites[0], "base", base_label), (head, sites[1], "head", head_label))]
            for job in jobs:
                job.result()
        base_snap, head_snap = snapshot(sites[0]), snapshot(sites[1])
        titles = {path: page.get("title") for path, page in head_snap["pages"].items()}
        prose, terms = review_text.diff_trees(base_tree, head, titles)
    return {**diff(base_snap, head_snap, base_label, head_label), "prose": prose, "glossary": terms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.review",
                                     description="What a change does to the figures, charts, claims and pages.")
    parser.add_argument("base", metavar="BASE", help="a git ref (origin/main, HEAD~1) or a project tree's path")
    parser.add_argument("--head", type=Path, default=ROOT, help="the tree to review (default: this working tree)")
    parser.add_argument("--html", type=Path, metavar="OUT.html", help="write the standalone review page")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the diff as JSON")
    parser.add_argument("--link-base", default="../",
                        help="prefix of page links in the HTML (default ../: the page lives at site/review/)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        report = review(args.base, args.head)
    except ReviewError as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 2
    print(render_text(report), end="")
    for path, write in ((args.html, lambda: render_html(report, args.link_base)),
                        (args.json, lambda: json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n")):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(write(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
