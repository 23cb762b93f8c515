"""The whole dataset as downloads: every figure, and the claims audit, as CSV and JSON.

A chart's downloads carry what it plots (embed.py); these carry everything, for a
reader who wants to check or reuse the numbers without scraping the pages.  Both
are written from the validated data in a fixed order (figures by id, claims as
the audit numbers them), so two builds write the same bytes, and a value
changed in data/ changes them with every page.
"""

from __future__ import annotations

import csv
import io
import json

from . import format as fmt
from .model import FIG_TOKEN, VERDICTS, Claim, Dataset, Figure, verdict_name
from .updates import value_as

DATA_DIR = "assets/data/"
FIGURES = ("figures.csv", "figures.json")
CLAIMS = ("claims.csv", "claims.json")


def _number(value: float) -> int | float:
    """A value as data: 387300000000, not 387300000000.0."""
    return int(value) if float(value).is_integer() else value


def _figure_row(f: Figure) -> dict:
    return {"id": f.id, "label": f.label, "value": _number(f.value), "unit": f.unit.value,
            "shown": fmt.value(f), "as_of": f.as_of.isoformat(), "sources": list(f.sources),
            "computed": f.formula or "", "note": f.note or "",
            # What readers were shown before each correction, oldest first (README: Record a correction).
            "revisions": [{"date": r.date.isoformat(), "previous": _number(r.previous),
                           "previous_shown": value_as(f, r.previous), "reason": r.reason,
                           "sources": list(r.sources)} for r in f.revisions]}


def _claim_row(data: Dataset, number: int, c: Claim) -> dict:
    # The evidence as the audit prints it: figure tokens become the values shown.
    evidence = FIG_TOKEN.sub(lambda m: fmt.value(data.figures[m.group(1)]), c.evidence)
    return {"number": number, "id": c.id, "quote": c.quote, "verdict": VERDICTS[c.verdict], "summary": c.summary,
            "evidence": evidence, "figures": list(c.figures), "sources": list(c.sources), "chapter": c.page,
            "revisions": [{"date": r.date.isoformat(), "previous": verdict_name(str(r.previous)),
                           "reason": r.reason, "sources": list(r.sources)} for r in c.revisions]}


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
    return buf.getvalue()


def _json(key: str, rows: list[dict], data: Dataset) -> str:
    cited = sorted({s for r in rows for s in r["sources"]})
    sources = {s: {"publisher": data.sources[s].publisher, "title": data.sources[s].title,
                   "date": data.sources[s].date.isoformat() if data.sources[s].date else None,
                   "url": data.sources[s].url} for s in cited}
    return json.dumps({key: rows, "sources": sources}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def dataset_files(data: Dataset) -> dict[str, str]:
    """site path -> text of the four dataset downloads."""
    figures = [_figure_row(f) for f in data.figures.values()]  # by id
    claims = [_claim_row(data, n, c) for n, c in enumerate(data.claims.values(), 1)]  # the audit's order and numbers
    return {DATA_DIR + FIGURES[0]: _csv(_flat(figures)), DATA_DIR + FIGURES[1]: _json("figures", figures, data),
            DATA_DIR + CLAIMS[0]: _csv(_flat(claims)), DATA_DIR + CLAIMS[1]: _json("claims", claims, data)}


def _flat(rows: list[dict]) -> list[dict]:
    """Rows for a CSV cell each: a revision as 'date: was <previous as shown>' (the JSON has the rest)."""
    return [{**r, "revisions": [f"{v['date']}: was {v.get('previous_shown', v['previous'])}"
                                for v in r["revisions"]]} for r in rows]
