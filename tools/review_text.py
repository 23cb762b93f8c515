"""The words readers see change too: a page's prose and the glossary's definitions.

tools/review.py compares figures, charts, claims and pages through each tree's own
macros; prose and the glossary are plain files, read here from both trees as they are.
A page's prose is its Markdown without front matter, macros, code and link targets: the
words a reader reads, counted with a word-level diff (words added and removed).

Also: chart rows in readers' labels.  The review's JSON keeps the data's field names
(machines read it); the text and HTML reports show a row as its data table does, by the
column titles readers see, and leave out cells a row does not have.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_STRIP = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|^```.*?^```|^~~~.*?^~~~|"
                    r"`[^`\n]*`|\]\([^)]*\)|<[^>]+>|\{:[^}]*\}", re.S | re.M)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class ProseChange:
    path: str
    title: str | None
    added: int  # words
    removed: int


@dataclass(frozen=True)
class TermChange:
    term: str
    kind: str  # added, removed, changed
    old: str | None
    new: str | None


def words(markdown: str) -> list[str]:
    return _WORD.findall(_STRIP.sub(" ", markdown))


def prose(tree: Path) -> dict[str, list[str]]:
    docs = tree / "docs"
    return {p.relative_to(docs).as_posix(): words(p.read_text(encoding="utf-8"))
            for p in sorted(docs.rglob("*.md"))} if docs.is_dir() else {}


def glossary(tree: Path) -> dict[str, str]:
    path = tree / "data" / "glossary.yml"
    try:
        terms = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return {}
    return {str(k): " ".join(str(v).split()) for k, v in terms.items()}


def diff_prose(old: dict[str, list[str]], new: dict[str, list[str]],
               titles: dict[str, str | None]) -> tuple[ProseChange, ...]:
    out = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path, []), new.get(path, [])
        if a == b:
            continue
        added = removed = 0
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op in ("replace", "delete"):
                removed += i2 - i1
            if op in ("replace", "insert"):
                added += j2 - j1
        out.append(ProseChange(path, titles.get(path), added, removed))
    return tuple(out)


def diff_glossary(old: dict[str, str], new: dict[str, str]) -> tuple[TermChange, ...]:
    out = []
    for term in sorted(set(old) | set(new), key=str.casefold):
        a, b = old.get(term), new.get(term)
        if a != b:
            kind = "added" if a is None else "removed" if b is None else "changed"
            out.append(TermChange(term, kind, a, b))
    return tuple(out)


def diff_trees(base: Path, head: Path, titles: dict[str, str | None]):
    """(prose changes, glossary changes) between two project trees."""
    return diff_prose(prose(base), prose(head), titles), diff_glossary(glossary(base), glossary(head))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(prose_changes, terms) -> str:
    """', prose changed on 2 pages, 1 glossary term changed' (empty when nothing did)."""
    out = ""
    if prose_changes:
        out += f", prose changed on {_count(len(prose_changes), 'page')}"
    if terms:
        out += f", {_count(len(terms), 'glossary term')} changed"
    return out


def prose_line(p: ProseChange) -> str:
    name = f"{p.title} ({p.path})" if p.title else p.path
    return f"{name}: +{_count(p.added, 'word')}, −{_count(p.removed, 'word')}"


def term_lines(t: TermChange) -> list[str]:
    if t.kind == "added":
        return [f"+ {t.term}: {t.new}"]
    if t.kind == "removed":
        return [f"− {t.term} (was: {t.old})"]
    return [f"~ {t.term}: {t.old} → {t.new}"]


def text_sections(prose_changes, terms) -> list[str]:
    lines: list[str] = []
    if prose_changes:
        lines += ["", "Prose"] + [f"  ~ {prose_line(p)}" for p in prose_changes]
    if terms:
        lines += ["", "Glossary"] + [f"  {x}" for t in terms for x in term_lines(t)]
    return lines


def html_sections(prose_changes, terms, escape) -> list[str]:
    out: list[str] = []
    if prose_changes:
        out.append(f'<h2 id="prose">Prose ({len(prose_changes)})</h2><ul>'
                   + "".join(f"<li>{escape(prose_line(p))}</li>" for p in prose_changes) + "</ul>")
    if terms:
        out.append(f'<h2 id="glossary">Glossary ({len(terms)})</h2><ul>'
                   + "".join(f"<li>{escape(x)}</li>" for t in terms for x in term_lines(t)) + "</ul>")
    return out


def readers_cells(cells: tuple[tuple[str, Any], ...], titles: dict[str, str]) -> list[tuple[str, Any]]:
    """A row's cells under the titles readers see, without the cells it does not have."""
    return [(titles.get(k, k), v) for k, v in cells if v is not None]
