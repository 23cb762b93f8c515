"""The whole dataset as downloads: every figure, and the claims audit, as CSV and JSON.

A chart's downloads carry what it plots (embed.py); these carry everything, for a
reader who wants to check or reuse the numbers without scraping the pages.  Both
are written from the validated data in a fixed order (figures by id, claims as
the audit numbers them), so two builds write the same bytes, and a value
changed in data/ changes them with every page.

Every CSV the site writes goes through ``csv_cell``: a text cell that a spreadsheet
would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return: OWASP's CSV injection list, with their full-width forms, which
some spreadsheets fold to the same) gets a leading apostrophe, so it opens as the
text it is.  Numbers are written from numbers (a negative value stays ``-3.5``,
which a spreadsheet reads as the number it is); only text is ever prefixed, a
text cell that merely looks like a number (``-1``) included.
"""

from __future__ import annotations

import json

from .i18n import fmt, t
from ..data.model import FIG_TOKEN, VERDICTS, Claim, Dataset, Figure, verdict_name
from .updates import value_as

DATA_DIR = "assets/data/"
FIGURES = ("figures.csv", "figures.json")
CLAIMS = ("claims.csv", "claims.json")


# What starts a formula (OWASP "CSV Injection"), and the full-width forms of the same.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """A cell as a spreadsheet must read it: text that would start a formula gets a leading
    apostrophe; numbers (never bool, never text that looks like one) are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: list[list[object]]) -> str:
    """Rows as CSV (RFC 4180 quoting, lines ending in \\n), every cell through ``csv_cell``; the one
    writer of the site's CSV files.  A cell holding a carriage return is quoted too: Python's csv
    module quotes only the line terminator it writes, and a bare \\r ends a row in most readers."""
    def field(value: object) -> str:
        text = "" if value is None else str(csv_cell(value))
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    return "".join(",".join(field(v) for v in row) + "\n" for row in rows)


def _number(value: float) -> int | float:
    """A value as data: 387300000000, not 387300000000.0."""
    return int(value) if float(value).is_integer() else value


def _figure_row(f: Figure, pages: list[dict], charts: dict[str, list[str]]) -> dict:
    return {"id": f.id, "label": f.label, "value": _number(f.value), "unit": f.unit.value,
            "shown": fmt.value(f), "as_of": f.as_of.isoformat(), "sources": list(f.sources),
            "computed": f.formula or "", "note": f.note or "",
            # What readers were shown before each correction, oldest first (README: Record a correction).
            "revisions": [{"date": r.date.isoformat(), "previous": _number(r.previous),
                           "previous_shown": value_as(f, r.previous), "reason": r.reason,
                           "sources": list(r.sources)} for r in f.revisions],
            # Where readers see it: the pages that print it (page paths under docs/), the charts that plot it.
            "pages": [p["path"] for p in pages if f.id in p["figures"]],
            "charts": sorted(cid for cid, figs in charts.items() if f.id in figs)}


def _claim_row(data: Dataset, number: int, c: Claim, pages: list[dict]) -> dict:
    # The evidence as the audit prints it: figure tokens become the values shown.
    evidence = FIG_TOKEN.sub(lambda m: fmt.value(data.figures[m.group(1)]), c.evidence)
    return {"number": number, "id": c.id, "quote": c.quote, "verdict": t(f"verdict_{c.verdict}", VERDICTS[c.verdict]), "summary": c.summary,
            "evidence": evidence, "figures": list(c.figures), "sources": list(c.sources), "chapter": c.page,
            "revisions": [{"date": r.date.isoformat(), "previous": t(f"verdict_{r.previous}", verdict_name(str(r.previous))),
                           "reason": r.reason, "sources": list(r.sources)} for r in c.revisions],
            "pages": [p["path"] for p in pages if c.id in p["claims"]]}


def _csv(rows: list[dict]) -> str:
    fields = list(rows[0])
    return csv_text([fields, *([";".join(v) if isinstance(v, list) else v for v in r.values()] for r in rows)])


def _json(key: str, rows: list[dict], data: Dataset, **more: object) -> str:
    cited = sorted({s for r in rows for s in r["sources"]})
    sources = {s: {"publisher": data.sources[s].publisher, "title": data.sources[s].title,
                   "date": data.sources[s].date.isoformat() if data.sources[s].date else None,
                   "url": data.sources[s].url} for s in cited}
    return json.dumps({key: rows, "sources": sources, **more}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def dataset_files(data: Dataset, pages: list[dict] = (), charts: dict[str, list[str]] | None = None) -> dict[str, str]:
    """site path -> text of the four dataset downloads.  ``pages``: every page, in path order, with its
    title, address and the figures, charts and claims it shows (build/usage.py: shown_on_pages); ``charts``: chart
    id -> the figures it plots.  figures.json lists the pages too: what the review report compares."""
    pages, charts = list(pages), charts or {}
    figures = [_figure_row(f, pages, charts) for f in data.figures.values()]  # by id
    claims = [_claim_row(data, n, c, pages)
              for n, c in enumerate(data.claims.values(), 1)]  # the audit's order and numbers
    return {DATA_DIR + FIGURES[0]: _csv(_flat(figures)),
            DATA_DIR + FIGURES[1]: _json("figures", figures, data, pages=[
                {k: p[k] for k in ("path", "title", "url", "charts")} for p in pages]),
            DATA_DIR + CLAIMS[0]: _csv(_flat(claims)), DATA_DIR + CLAIMS[1]: _json("claims", claims, data)}


def _flat(rows: list[dict]) -> list[dict]:
    """Rows for a CSV cell each: a revision as 'date: was <previous as shown>' (the JSON has the rest)."""
    return [{**r, "revisions": [f"{v['date']}: was {v.get('previous_shown', v['previous'])}"
                                for v in r["revisions"]]} for r in rows]
