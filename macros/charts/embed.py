"""A chart as a complete <figure>: static SVG, caption, data table, downloads.

The static SVG is what a reader sees first (and what prints); the compiled
Vega spec rides along in a <template>, which survives Material's instant
navigation where a <script type="application/json"> would not, and
docs/assets/charts.js turns the figure interactive on first hover, focus or tap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ..pages.claimbox import _js_text
from ..errors import Problem
from ..pages.i18n import fmt, locale, t
from .catalog import ChartDef
from ..pages.claimbox import publishers  # one line of publishers under a chart, as under a claim
from ..pages.exports import DATA_DIR, csv_text
from ..pages.html import url_from
from ..pages.markup import Markup
from ..data.model import Dataset
from .store import Rendered



@dataclass(frozen=True)
class Table:
    """One dataset of a chart, with column titles taken from the spec's encodings."""

    name: str
    fields: tuple[str, ...]
    titles: tuple[str, ...]
    rows: tuple[dict, ...]
    grouped: tuple[bool, ...]  # per field: thousands separated, as the chart prints it (a year is not)

    def csv(self) -> str:
        """The table as CSV; text that would start a formula is neutralised (exports.csv_text)."""
        return csv_text([list(self.titles),
                         *(["" if r.get(f) is None else r.get(f) for f in self.fields] for r in self.rows)])


def _by_field(spec: object, pick: Callable[[dict], object], out: dict[str, str]) -> dict[str, str]:
    """field -> pick(node), from every encoding and tooltip in the spec that has one (first wins)."""
    if isinstance(spec, dict):
        value = pick(spec) if isinstance(spec.get("field"), str) else None
        if isinstance(value, str):
            out.setdefault(spec["field"], value)
        for v in spec.values():
            _by_field(v, pick, out)
    elif isinstance(spec, list):
        for v in spec:
            _by_field(v, pick, out)
    return out


def _title(node: dict) -> object:
    return node.get("title")


def _format(node: dict) -> object:
    """A number format the chart gives the field: its own (tooltip, text) or its axis's."""
    axis = node.get("axis")
    return node.get("format") or (axis.get("format") if isinstance(axis, dict) else None)


def _datasets(spec: object, out: list[list[dict]]) -> list[list[dict]]:
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            out.append(data["values"])
        for k, v in spec.items():
            if k != "data":
                _datasets(v, out)
    elif isinstance(spec, list):
        for v in spec:
            _datasets(v, out)
    return out


# What a row carries for its drawing, not for its reader: the label a chart writes (``note``), the
# colour's key, the value as words (the table prints the number itself), the sources (the caption
# names them), and the switches of its emphasis (an outline; a forecast, which ``status`` words).  The JSON download keeps every field.
_DRAWING_ONLY = ("note", "group", "shown", "source", "outline", "forecast")


def _table_fields(values: list[dict]) -> tuple[str, ...]:
    """The columns of a table: each field once, none that repeats another column, none only drawn."""
    fields: list[str] = []
    # From the last: a chart's own name for a column (``series``, ``part``) wins over the generic label.
    for key in reversed(dict.fromkeys(k for row in values for k in row)):
        column = [row.get(key) for row in values]
        # A dataset of labels alone (no ``shown``) is a table of notes: there the note is the content.
        drawn_only = key in _DRAWING_ONLY and (key != "note" or any("shown" in row for row in values))
        if not drawn_only and all(column != [row.get(f) for row in values] for f in fields):
            fields.append(key)
    return tuple(reversed(fields))


def tables(spec: dict, chart: ChartDef | None = None) -> tuple[Table, ...]:
    """Exactly the data the chart plots, one table per distinct inline dataset (a column the spec gives no
    title is named after its field: in another edition by the chart's texts, ``chart``)."""
    titles, formats = _by_field(spec, _title, {}), _by_field(spec, _format, {})
    seen, out = [], []
    for values in _datasets(spec, []):
        if values in seen or not values:
            continue  # layers that share one dataset show it once
        seen.append(values)
    # The chart's own data first, and its annotations (event rules, targets: a few rows) after,
    # whatever order the layers were drawn in: "Data" and its download are what readers want.
    for values in sorted(seen, key=len, reverse=True):
        fields = _table_fields(values)
        names = tuple(titles.get(f) or _column(f.replace("_", " ").capitalize(), chart) for f in fields)
        # d3's formats separate thousands only when they say "," ("d" for a year does not).
        grouped = tuple("," in formats.get(f, ",") for f in fields)
        name = t("chart_table_data", "Data") if not out else t("chart_table_part", "Data, part {n}").format(n=len(out) + 1)
        out.append(Table(name, fields, names, tuple(values), grouped))
    return tuple(out)


def untitled_columns(spec: dict) -> set[str]:
    """The names ``tables`` gives the columns the spec gives no title (another edition's, from its texts)."""
    titles = _by_field(spec, _title, {})
    return {f.replace("_", " ").capitalize() for values in _datasets(spec, []) if values
            for f in _table_fields(values) if not titles.get(f)}


def _column(name: str, chart: ChartDef | None) -> str:
    """A column named after its field, in the chart's edition (a Problem at the chart function if it lacks it)."""
    if chart is None or chart.locale == "en":
        return name
    texts = dict(chart.texts)
    if name not in texts:
        from ..pages import i18n
        from .chartdef import source_file
        from ..errors import definition_line

        i18n.report(Problem(source_file(chart.build), definition_line(chart.build), chart.base_id,
                            f"the data table's column {name!r} has no {chart.locale} text",
                            f"Add it to data/{chart.locale}/charts.yml under {chart.base_id}: texts: "
                            "(or all_charts: texts:)"))
        return name
    return texts[name]


def _cell(value: object, grouped: bool) -> str:
    if isinstance(value, bool):
        return escape(t("chart_yes", "yes") if value else t("chart_no", "no"))
    if isinstance(value, (int, float)):
        return fmt.number(value, group=grouped)
    return escape(str(value))


def _table_html(table: Table, chart_title: str, first: bool | None = None) -> str:
    if first is None:  # the chart's own data, not a later part
        first = table.name == t("chart_table_data", "Data")
    head = "".join(f'<th scope="col">{escape(x)}</th>' for x in table.titles)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(f), g)}</td>" for f, g in zip(table.fields, table.grouped, strict=True))
                   + "</tr>" for r in table.rows)
    caption = escape(chart_title if first else t("chart_table_caption_part", "{title} ({part})").format(
        title=chart_title, part=table.name.lower() if locale() == "en" else table.name))
    return (f'<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def downloads(chart: ChartDef, rendered: Rendered, data: Dataset) -> dict[str, str]:
    """site path -> text of every download of one chart (CSV per table, one JSON)."""
    ts = tables(rendered.spec, chart)
    figs = chart.figures(data)
    files = {}
    for i, t in enumerate(ts):
        suffix = "" if i == 0 else f"-{i + 1}"
        files[f"{DATA_DIR}{chart.id}{suffix}.csv"] = t.csv()
    payload = {
        "chart": chart.id,
        "title": chart.title,
        "subtitle": chart.subtitle,
        "description": chart.description,
        "caption": chart.caption,
        "as_of": max(f.as_of for f in figs).isoformat(),
        "sources": [{"id": s, "publisher": data.sources[s].publisher, "title": data.sources[s].title,
                     "date": data.sources[s].date.isoformat() if data.sources[s].date else None,
                     "url": data.sources[s].url} for s in chart_sources(chart, data)],
        # "fields": the columns in the table's order (the JSON's keys are sorted).
        "tables": [{"name": t.name, "columns": dict(zip(t.fields, t.titles)), "fields": list(t.fields),
                    "rows": list(t.rows)} for t in ts],
    }
    files[f"{DATA_DIR}{chart.id}.json"] = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return files


def chart_sources(chart: ChartDef, data: Dataset) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for f in chart.figures(data) for s in f.sources))


def _svg_with_name(svg: str, ident: str, title: str, description: str, layout: str = "wide") -> str:
    """Give the root <svg> the accessible name and description vl-convert leaves out, and its layout."""
    head = (f'<svg class="chart__drawing chart__drawing--{layout}" role="graphics-document" '
            f'aria-labelledby="{ident}-t" aria-describedby="{ident}-d" focusable="false" ')
    svg = svg.replace("<svg ", head, 1)
    inner = f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
    return re.sub(r"(<svg [^>]*>)", lambda m: m.group(1) + inner, svg, count=1)


def _template(vega: dict, layout: str) -> str:
    spec = json.dumps(vega, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # The spec sits in a <template>; escape what would end it or open markup early.
    spec = spec.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<template class="chart__spec" data-layout="{layout}">{spec}</template>'


def figure_html(chart: ChartDef, rendered: Rendered, data: Dataset, markup: Markup, page_url: str,
                phone: Rendered | None = None) -> str:
    """The complete figure; one line of HTML, so Markdown passes it through untouched.

    Both drawings are in the page, the page's and the phone's, and CSS shows the
    one that fits its column (docs/assets/explainer.css): a phone reads a chart made
    for it with JavaScript off, and the live view (charts.js) is drawn from the
    Vega of whichever drawing is shown, at its size, so nothing moves.
    """
    ident = f"chart-{chart.id}"
    figs = chart.figures(data)
    as_of = fmt.day(max(f.as_of for f in figs))
    drawings = [("wide", rendered)] + ([("phone", phone)] if phone is not None else [])
    svg = "".join(_svg_with_name(r.svg, ident if layout == "wide" else f"{ident}-{layout}", chart.title,
                                 chart.description, layout) for layout, r in drawings)
    templates = "".join(_template(r.vega, layout) for layout, r in drawings)
    ts = tables(rendered.spec, chart)
    table_html = "".join(_table_html(table, chart.title, i == 0) for i, table in enumerate(ts))
    links = []
    for i, _ in enumerate(ts):
        suffix = "" if i == 0 else f"-{i + 1}"
        label = escape(t("chart_csv", "CSV") if i == 0 else t("chart_csv_part", "CSV, part {n}").format(n=i + 1))
        href = url_from(page_url, f"{DATA_DIR}{chart.id}{suffix}.csv")
        links.append(f'<a href="{escape(href)}" download>{label}</a>')
    links.append(f'<a href="{escape(url_from(page_url, DATA_DIR + chart.id + ".json"))}" download>{escape(t("chart_json", "JSON"))}</a>')
    explore = _js_text("data-explore", "chart_explore", "{label}; hover, tap or focus to explore values")
    sources = escape(t("chart_sources", "Sources: {sources}.")).format(
        sources=publishers(markup, chart_sources(chart, data), page_url))
    return (
        f'<figure class="chart" id="{ident}" data-chart="{chart.id}" aria-labelledby="{ident}-title">'
        f'<p class="chart__title" id="{ident}-title">{escape(chart.title)}</p>'
        f'<p class="chart__subtitle">{escape(chart.subtitle)}</p>'
        # Focusable, and promising values to explore, only once charts.js can keep the promise (bind).
        f'<div class="chart__canvas" role="group"{explore} '
        f'aria-label="{escape(t("chart_aria_label", "{title}: chart").format(title=chart.title))}">{svg}</div>'
        f'{templates}'
        # What the chart cannot show; what it does show is its description, in the SVG's <desc>.
        f'<figcaption class="chart__caption">{escape(chart.caption)} '
        f'<span class="chart__provenance">{sources} '
        f'{escape(t("chart_as_of", "As of {date}.").format(date=as_of))}</span></figcaption>'
        f'<details class="chart__data"><summary>{escape(t("chart_data_summary", "Data table and downloads"))}</summary>'
        f'{table_html}<p class="chart__downloads">'
        f'{escape(t("chart_downloads", "Download the plotted data: {links}")).format(links=" · ".join(links))}</p></details>'
        "</figure>"
    )
