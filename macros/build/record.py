"""What each page shows, as a digest per page: a --dirty build (and `mkdocs serve --dirty`)
rebuilds the pages whose digest changed since their HTML was written, and no other.

A page's digest covers every figure, chart (the figures and series it plots)
and claim the page calls, the sources and figures those cite or name, the
glossary (its terms are marked on every page) and the events (dated on the
pages they name; a timeline adds the figures the events name, the evidence
date every source's and figure's date).  A page that calls a generated list
(the audit, the bibliography, the figure index, the updates) shows what every
page cites, so its digest covers all of data/; the count of the claims by verdict
(``verdict_summary``, on the home page) covers every claim's verdict and nothing else.  The digests
of the last build are kept in ``.cache/pages.json``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

from ..charts.catalog import CHARTS
from ..data.model import FIG_TOKEN, Dataset
from .usage import MACRO_CALL

GENERATED = re.compile(r"\b(claims_table|verdict_scale|sources_list|figure_index|updates_list)\s*\(")
VERDICTS = re.compile(r"\bverdict_summary\s*\(")  # a count of the claims by verdict: their verdicts alone
TIMELINE = re.compile(r"\btimeline\s*\(")  # the events (in every digest) and the figures their texts name
EVIDENCE = re.compile(r"\bevidence_until\s*\(")  # the newest source date or as-of date


def _state(obj: object) -> object:
    """Every field but where it is written (moving a line changes no page)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _state(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "origin"}
    if isinstance(obj, (tuple, list)):
        return [_state(v) for v in obj]
    if isinstance(obj, dict) or hasattr(obj, "items"):
        return {str(k): _state(v) for k, v in obj.items()}
    return obj


def _named(state: object, known: dict) -> set[str]:
    """The ids of data/ that a state names: as a value (sources, part_of, figures) or a [[token]]."""
    out: set[str] = set()
    if isinstance(state, dict):
        for v in state.values():
            out |= _named(v, known)
    elif isinstance(state, list):
        for v in state:
            out |= _named(v, known)
    elif isinstance(state, str):
        if state in known:
            out.add(state)
        out |= {m for m in FIG_TOKEN.findall(state) if m in known}
    return out


def digests(docs_dir: Path, data: Dataset) -> dict[str, str]:
    """Page (its path under docs/) -> a digest of everything it shows."""
    known = {**data.sources, **data.figures, **data.series, **{f"claim:{k}": v for k, v in data.claims.items()}}
    states = {ident: _state(item) for ident, item in known.items()}  # each item once, not once a page
    names: dict[str, list[str]] = {}  # what each item names, found when a page first reaches it
    common = [_state(data.glossary), _state(data.events)]
    named_by_events = sorted(_named(_state(data.events), known))
    dates = sorted({str(s.date) for s in data.sources.values()} | {str(f.as_of) for f in data.figures.values()})
    verdicts = sorted((cid, str(c.verdict)) for cid, c in data.claims.items())
    everything = hashlib.sha256(json.dumps([states, common], sort_keys=True, default=str).encode()).hexdigest()
    out = {}
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if GENERATED.search(text):
            out[rel] = everything
            continue
        todo = list(named_by_events) if TIMELINE.search(text) else []
        seen: dict[str, object] = {}
        if EVIDENCE.search(text):
            todo.append("evidence dates")
        if VERDICTS.search(text):
            seen["verdicts"] = verdicts
        for kind, ident in MACRO_CALL.findall(text):
            if kind == "chart":
                todo += [f"chart:{ident}", *(CHARTS[ident].uses if ident in CHARTS else ())]
            else:
                todo.append(f"claim:{ident}" if kind == "claim" else ident)
        while todo:
            ident = todo.pop()
            if ident in seen:
                continue
            if ident == "evidence dates":
                seen[ident] = state = dates
                todo += sorted(_named(state, known) - seen.keys())
                continue
            seen[ident] = states.get(ident)
            if ident not in names:
                names[ident] = sorted(_named(seen[ident], known))
            todo += [n for n in names[ident] if n not in seen]
        out[rel] = hashlib.sha256(json.dumps([sorted(seen.items()), common], sort_keys=True,
                                             default=str).encode()).hexdigest()
    return out


def read(path: Path | None) -> dict[str, str]:
    try:
        record = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write(path: Path | None, record: dict[str, str]) -> None:
    if path is not None:
        from .cache import write_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(record, sort_keys=True, indent=0).encode())
