"""What the pages use, read from docs/ before Jinja runs: the figures, charts and claims each page calls.

The build needs it before any page is rendered (each page's lead chart for its
social card, the audit's check that every claim is placed, the figure index's
"shown on"), and a --dirty build compares it with the last build's record
(record.py, dirty.py).  Split from site.py: it reads files, not the build's state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..charts.catalog import CHARTS
from ..data.yamlfile import utf8_text
from ..data.model import FIG_TOKEN
from ..pages import pagecheck  # code in pages: shown as written

MACRO_CALL = re.compile(r"""\b(fig|as_of|chart|claim)\(\s*["']([^"']+)["']""")
AUDIT = re.compile(r"\bclaims_table\s*\(")  # prints every claim, with its evidence
SITE_LEAD_CHART = "stimulus_allocation"  # the card of pages without a chart of their own


# Macros that show what every page cites (the audit links each claim to its chapter, the figure
# index lists the pages showing each figure, the updates list links each entry to a page showing
# it): a --dirty build rebuilds their pages with any page.
READS_EVERY_PAGE = ("claims_table", "figure_index", "updates_list")


@dataclass
class Usage:
    """Which pages call which figures, charts and claims (read from docs/ sources)."""

    figures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    charts: dict[str, list[str]] = field(default_factory=dict)
    claims: dict[str, list[str]] = field(default_factory=dict)
    leads: dict[str, str] = field(default_factory=dict)  # page -> its first chart (its social card)
    pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # every page -> the ids it calls, by kind
    audits: list[str] = field(default_factory=list)  # the pages that print every claim (claims_table)


def scan_usage(docs_dir: Path, use_directory_urls: bool, titles: dict[str, str]) -> Usage:
    usage = Usage()
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith("ja/"):
            continue  # the Japanese edition's pages (mkdocs.yml: exclude_docs), built on their own
        url = page_url(rel, use_directory_urls)
        title = titles.get(rel, rel)
        # A macro in code is an example shown as written, not a use (pagecheck.py).
        text = pagecheck.without_code(utf8_text(path.read_bytes(), f"docs/{rel}", invisible=False))
        calls = MACRO_CALL.findall(text)
        usage.pages[rel] = page = {"figures": [], "charts": [], "claims": []}
        if AUDIT.search(text):
            usage.audits.append(rel)
        usage.leads[rel] = next((i for k, i in calls if k == "chart" and i in CHARTS), SITE_LEAD_CHART)
        for kind, ident in calls:
            bucket = {"fig": usage.figures, "as_of": usage.figures, "chart": usage.charts,
                      "claim": usage.claims}[kind]
            entry = (url, title) if kind in ("fig", "as_of") else rel
            if entry not in bucket.setdefault(ident, []):
                bucket[ident].append(entry)
            named = page["figures" if kind in ("fig", "as_of") else kind + "s"]
            if ident not in named:
                named.append(ident)
    return usage


def page_url(src: str, use_directory_urls: bool) -> str:
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def nav_titles(nav: object, out: dict[str, str] | None = None) -> dict[str, str]:
    """src path -> title, from the mkdocs.yml nav."""
    out = {} if out is None else out
    if isinstance(nav, list):
        for item in nav:
            nav_titles(item, out)
    elif isinstance(nav, dict):
        for title, target in nav.items():
            if isinstance(target, str):
                out[target] = title
            else:
                nav_titles(target, out)
    return out


def figures_shown(usage: Usage, data, charts: dict, titles: dict[str, str], use_directory_urls: bool):
    """For the figure index: the pages that print each figure (by fig() and as_of(), and in their
    timeline's events) and the pages whose charts plot it, each as (address, title)."""
    charted: dict[str, list[tuple[str, str]]] = {}
    for cid, pages in usage.charts.items():
        for fig in charts[cid].figures(data) if cid in charts else ():
            for rel in pages:
                entry = (page_url(rel, use_directory_urls), titles.get(rel, rel))
                if entry not in charted.setdefault(fig.id, []):
                    charted[fig.id].append(entry)
    # An event's figures are shown on its chapter, in the timeline placed there.
    shown = {fid: list(pages) for fid, pages in usage.figures.items()}
    for event in data.events.values():
        rel = f"{event.page}.md"
        entry = (page_url(rel, use_directory_urls), titles.get(rel, rel))
        for fid in FIG_TOKEN.findall(event.text):
            if entry not in shown.setdefault(fid, []):
                shown[fid].append(entry)
    return shown, charted


def shown_on_pages(usage: Usage, data, titles: dict[str, str], use_directory_urls: bool) -> list[dict]:
    """Every page, its title and address, and what it shows: the figures it prints (by fig() and
    as_of(), in its timeline's events, in the evidence of the claims it places), charts and claims
    (those it places; the audit places all).  Exported with the figures (pages/exports.py)."""
    out = []
    for rel, calls in sorted(usage.pages.items()):
        claims = list(data.claims) if rel in usage.audits else calls["claims"]
        claims = [c for c in claims if c in data.claims]
        figures = [*calls["figures"], *(f for e in data.events.values() if f"{e.page}.md" == rel
                                        for f in FIG_TOKEN.findall(e.text))]
        for cid in claims:
            c = data.claims[cid]
            figures += [*c.figures, *FIG_TOKEN.findall(c.evidence)]
        out.append({"path": rel, "title": titles.get(rel), "url": page_url(rel, use_directory_urls),
                    "figures": sorted({f for f in figures if f in data.figures}),
                    "charts": [c for c in calls["charts"] if c in CHARTS], "claims": claims})
    return out
