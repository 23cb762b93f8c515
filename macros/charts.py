"""One small pure function per chart: figures in, ``alt.Chart`` out.

Each function is named after its chart id, has its title as the first line of
its docstring, declares the figures and series it reads in ``@chart(...)``,
and receives only those (reading anything else is an error).  Data is always
inline (vl-convert renders an empty chart, silently, for data given by URL).
The sources and as-of date of a chart are those of the figures it declares.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Callable

from . import format as fmt
from .errors import Problem, nearest
from .format import axis_value
from .model import Dataset, Figure, Series
from .theme import SERIES_COLOURS, WIDTH


class _LazyAltair:
    """Altair, imported on first use.

    Importing Altair costs about a fifth of a second; a rebuild whose charts all
    come from the cache (render.py) never builds a chart, so it should not pay that.
    """

    def __getattr__(self, name: str):
        return getattr(load_altair(), name)


alt = _LazyAltair()


def load_altair():
    """Import Altair and enable the site's theme (once); later look-ups of ``alt`` go straight to it."""
    import altair

    from . import theme

    theme.enable()
    globals()["alt"] = altair
    return altair


class Inputs:
    """A chart's view of the data: only what it declared."""

    def __init__(self, data: Dataset, uses: tuple[str, ...], chart_id: str):
        self._data, self._uses, self._chart = data, uses, chart_id

    def _check(self, ref: str) -> None:
        if ref not in self._uses:
            raise KeyError(f"chart '{self._chart}' reads '{ref}' but does not declare it in @chart(...)")

    def fig(self, ref: str) -> Figure:
        self._check(ref)
        return self._data.figures[ref]

    def series(self, ref: str) -> Series:
        self._check(ref)
        return self._data.series[ref]


@dataclass(frozen=True)
class ChartDef:
    id: str
    title: str
    description: str
    uses: tuple[str, ...]
    build: Callable[[Inputs], alt.Chart]

    def figures(self, data: Dataset) -> tuple[Figure, ...]:
        """Every figure the chart plots (series expanded into their points)."""
        out: list[Figure] = []
        for ref in self.uses:
            out.extend(data.series[ref].points if ref in data.series else (data.figures[ref],))
        return tuple(out)

    def spec(self, data: Dataset) -> dict:
        """The Vega-Lite spec, with the description every chart must carry."""
        chart = self.build(Inputs(data, self.uses, self.id))
        # Schema validation costs more than building the chart; the tests validate
        # every spec (tests/test_charts.py), so the build does not repeat it.
        spec = chart.to_dict(validate=False)
        spec["description"] = self.description
        fetches = spec_fetches(spec)
        if fetches:
            from .errors import ChartFailed

            what, needle = fetches[0]
            raise ChartFailed(f"{what}: a chart loads nothing from outside the page (readers' browsers "
                              "would fetch it, vl-convert would draw it empty)", self._line_of(needle))
        titled = backslash_titles(spec)
        if titled:
            from .errors import ChartFailed

            raise ChartFailed(f"a title with a backslash ({titled[0][:60]!r}): Vega-Lite writes titles into "
                              "expressions without escaping it, where it ends the string early",
                              self._line_of(titled[0].split("\\")[0].strip() or titled[0]))
        missing = unknown_fields(spec)
        if missing:
            from .errors import ChartFailed

            field, known = missing[0]
            raise ChartFailed(f"an encoding names field '{field}', which the chart's data does not have "
                              f"(it has: {', '.join(sorted(known))})", self._line_naming(field))
        return spec

    def _line_of(self, needle: str) -> int | None:
        """The first line of the chart function that contains ``needle`` (else its first)."""
        try:
            lines, start = inspect.getsourcelines(self.build)
        except (OSError, TypeError):
            return None
        return start + next((i for i, text in enumerate(lines) if needle and needle in text), 0)

    def _line_naming(self, field: str) -> int | None:
        """The line of the chart function that writes a field's name (else its first)."""
        try:
            lines, start = inspect.getsourcelines(self.build)
        except (OSError, TypeError):
            return None
        hit = re.compile(r"""["']""" + re.escape(field) + r"""(:[A-Z])?["']""")
        return start + next((i for i, text in enumerate(lines) if hit.search(text)), 0)


# Keys whose value a browser would load (Vega-Lite and Vega alike), marks that load an image,
# and CSS url() in a paint or style property (url(#id), a gradient or clip in the SVG, is local).
_FETCH_KEYS = {"url": "data or an image given by URL ('url')", "href": "a link on a mark ('href')",
               "src": "a source address ('src')"}
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.I)
_STYLED = {"fill", "stroke", "background", "cursor", "style", "color", "fillColor", "strokeColor", "filter",
           "clip", "clip-path", "mask"}


def spec_fetches(spec: object) -> list[tuple[str, str]]:
    """(what, text to find in the chart function) for each thing in a Vega-Lite or Vega spec that
    would make a browser load an address: data or images by URL, href encodings or mark
    properties, image marks, CSS url() in a paint or style.  Inline data rows are text and skipped."""
    out: list[tuple[str, str]] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("values", "datasets") and isinstance(v, (list, dict)):
                    continue  # inline data: text, drawn as text
                if k in _FETCH_KEYS:
                    out.append((_FETCH_KEYS[k], k))
                if k in ("mark", "type") and (v == "image" or isinstance(v, dict) and v.get("type") == "image"):
                    out.append(("an image mark", "image"))
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in _STYLED and _CSS_URL.search(node):
            out.append((f"CSS url() in '{key}' ({node[:60]!r})", "url("))

    walk(spec)
    return out


def svg_fetches(svg: str) -> list[str]:
    """Each address the drawn SVG would make a browser load: href, xlink:href or src to anything but
    a fragment of the SVG itself, url() to anything but a fragment, a <style> with url() or @import."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        return [f"the SVG does not parse ({exc})"]
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in ("href", "src") and not value.strip().startswith("#"):
                out.append(f"<{tag} {local}={value[:60]!r}>")
            elif (local in _STYLED or local.startswith("marker")) and _CSS_URL.search(value):
                out.append(f"<{tag} {local}={value[:60]!r}>")
        if tag in ("image", "feImage", "foreignObject", "script", "iframe"):
            out.append(f"<{tag}>")
        if tag == "style" and (_CSS_URL.search(el.text or "") or "@import" in (el.text or "")):
            out.append("<style> loading an address")
    return out


def backslash_titles(spec: object) -> list[str]:
    """Titles with a backslash: Vega-Lite writes an encoding's title into the expressions of
    its tooltip and ARIA description, escaping quotes but not a backslash, so ``\\"`` ends
    the string and what follows is read as an expression."""
    out: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("values", "datasets") and isinstance(v, (list, dict)):
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("title", "text", "subtitle") and "\\" in node:
            out.append(node)

    walk(spec)
    return out


def unknown_fields(spec: dict, known: frozenset[str] = frozenset()) -> list[tuple[str, frozenset[str]]]:
    """Each field an encoding names that its data lacks, with the fields it has: Vega-Lite draws such
    an encoding as nothing at all (a blank tooltip, a missing bar) and says so only sometimes."""
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        known = frozenset(k for row in data["values"] if isinstance(row, dict) for k in row)
    made = set()  # fields the transforms add (calculate as, joinaggregate as, ...)

    def outputs(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "as":
                    made.update([value] if isinstance(value, str) else value if isinstance(value, list) else [])
                else:
                    outputs(value)
        elif isinstance(node, list):
            for item in node:
                outputs(item)

    outputs(spec.get("transform", []))
    known = known | frozenset(made)
    out = []
    for definition in (spec.get("encoding") or {}).values():
        for d in definition if isinstance(definition, list) else [definition]:
            field = d.get("field") if isinstance(d, dict) else None
            if isinstance(field, str) and known and field not in known:
                out.append((field, known))
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            out.extend(unknown_fields(child, known))
    if isinstance(spec.get("spec"), dict):
        out.extend(unknown_fields(spec["spec"], known))
    return out


CHARTS: dict[str, ChartDef] = {}


def input_problems(data: Dataset) -> list[Problem]:
    """Each figure or series a chart declares that data/ does not have (renamed there, not here)."""
    known = sorted({*data.figures, *data.series})
    out = []
    for c in CHARTS.values():
        for ref in c.uses:
            if ref not in data.figures and ref not in data.series:
                try:
                    line: int | None = inspect.getsourcelines(c.build)[1]  # the @chart(...) line
                except (OSError, TypeError):
                    line = None
                out.append(Problem("macros/charts.py", line, c.id, f"@chart(...) declares unknown figure or series '{ref}'",
                                   f"Fix the id here or in data/; {nearest(ref, known)}."))
    return out


def chart(*uses: str):
    """Register a chart function under its own name."""

    def register(fn: Callable[[Inputs], alt.Chart]) -> Callable[[Inputs], alt.Chart]:
        doc = inspect.getdoc(fn) or ""
        title, _, rest = doc.partition("\n")
        if not title or not rest.strip():
            raise ValueError(f"chart function {fn.__name__} needs a docstring: a title line, then a description")
        CHARTS[fn.__name__] = ChartDef(fn.__name__, title.strip().rstrip("."), " ".join(rest.split()), uses, fn)
        return fn

    return register


def _rows(series: Series, field: str = "value", **extra: str) -> list[dict]:
    return [{"x": series.x_of(p), field: axis_value(p), **extra} for p in series.points]


def _year_rows(series: Series, label: str) -> list[dict]:
    return [{"year": int(series.x_of(p).rstrip("F")), "share": axis_value(p), "series": label,
             "forecast": series.x_of(p).endswith("F")} for p in series.points]


def _bar_label(base: alt.Chart, field: str, fmt: str) -> alt.Chart:
    # Hidden from assistive technology: the bar itself is read with its value (aria=False).
    return base.mark_text(align="left", dx=4, baseline="middle", aria=False).encode(text=alt.Text(field, format=fmt))


# The parts of the FY2026 AI and chip budget, as the allocation chart draws them. They
# must add up to stimulus.ai_semis_total (tests/test_charts.py checks it): the last part
# is the remainder macros/derived.py computes, so no part is left unexplained or counted twice.
ALLOCATION_TOTAL = "stimulus.ai_semis_total"
ALLOCATION_PARTS = (("AI models, data, physical AI", "stimulus.ai_models"),
                    ("Rapidus: chip R&D (about)", "rapidus.rd_fy2026"),
                    ("Rapidus: equity", "rapidus.equity_fy2026"),
                    ("Rest, not broken down", "stimulus.unallocated"))


@chart(ALLOCATION_TOTAL, *(ref for _, ref in ALLOCATION_PARTS))
def stimulus_allocation(d: Inputs) -> alt.Chart:
    """Where the FY2026 AI and chip budget goes
    Horizontal bars of the FY2026 initial budget for AI and semiconductors split into
    AI models and data, Rapidus's chip research and development, Rapidus's equity, and the
    small rest that the reporting does not break down, in billions of yen.
    """
    rows = [{"part": name, "billion_yen": round(d.fig(ref).value / 1e9, 1)} for name, ref in ALLOCATION_PARTS]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("part:N", sort=None, title=None),
        x=alt.X("billion_yen:Q", title="Billion yen"),
        tooltip=[alt.Tooltip("part:N", title="Part"), alt.Tooltip("billion_yen:Q", title="Billion yen", format=",.1~f")],
    )
    bars = base.mark_bar().encode(color=alt.Color("part:N", legend=None, sort=None))
    return alt.layer(bars, _bar_label(base, "billion_yen:Q", ",.1~f")).properties(width=WIDTH - 160, height=180)


@chart("stimulus.fy2025_initial", "stimulus.ai_semis_total", "stimulus.fy2024_extra")
def budget_comparison(d: Inputs) -> alt.Chart:
    """Annual budget against the extra budgets it follows
    Bars comparing, in billions of yen, the FY2025 initial request for AI and chips, the FY2026
    initial budget, and the FY2024 extra budget, which was larger than either annual budget.
    """
    items = (("FY2025 initial (requested)", "stimulus.fy2025_initial", "Initial budget"),
             ("FY2026 initial", "stimulus.ai_semis_total", "Initial budget"),
             ("FY2024 extra budget", "stimulus.fy2024_extra", "Extra budget"))
    rows = [{"budget": name, "billion_yen": round(d.fig(ref).value / 1e9, 1), "kind": kind}
            for name, ref, kind in items]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("budget:N", sort=None, title=None),
        x=alt.X("billion_yen:Q", title="Billion yen"),
        tooltip=[alt.Tooltip("budget:N", title="Budget"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("billion_yen:Q", title="Billion yen", format=",.1~f")],
    )
    bars = base.mark_bar().encode(color=alt.Color("kind:N", title="Kind", scale=alt.Scale(range=list(SERIES_COLOURS[:2]))))
    return alt.layer(bars, _bar_label(base, "billion_yen:Q", ",.0f")).properties(width=WIDTH - 140, height=150)


@chart("rapidus.subsidies", "rapidus.equity")
def rapidus_support(d: Inputs) -> alt.Chart:
    """Government support for Rapidus by type
    Cumulative government subsidies and equity for Rapidus by year, in billions of yen,
    drawn as grouped bars: subsidies have grown far beyond the equity stake.
    """
    rows = ([{"year": d.series("rapidus.subsidies").x_of(p), "type": "Subsidies (cumulative)",
              "billion_yen": axis_value(p)} for p in d.series("rapidus.subsidies").points]
            + [{"year": d.series("rapidus.equity").x_of(p), "type": "Equity (cumulative)",
                "billion_yen": axis_value(p)} for p in d.series("rapidus.equity").points])
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("year:O", title="Year (subsidies: when decided; equity: fiscal year)", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("type:N"),
        y=alt.Y("billion_yen:Q", title="Billion yen, cumulative"),
        color=alt.Color("type:N", title=None),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("type:N", title="Type"),
                 alt.Tooltip("billion_yen:Q", title="Billion yen", format=",.1~f")],
    ).properties(width=WIDTH - 60, height=260)


@chart("history.ic_share", "history.meti_share", "history.agreement_signed", "history.renewed", "history.expired")
def japan_market_share(d: Inputs) -> alt.Chart:
    """Japan's share of the world chip market, from its late-1980s peak
    Lines of Japan's share of world semiconductor sales on two bases, IC Insights (Japanese-headquartered
    firms' IC sales) and METI with Omdia data, with the 1986 U.S.–Japan agreement, its 1991 renewal and
    its 1996 expiry marked as vertical rules. The points are the years with a reported figure; the lines
    between them join those years and are not measurements.
    """
    rows = (_year_rows(d.series("history.ic_share"), "IC Insights (Japan-HQ firms, ICs)")
            + _year_rows(d.series("history.meti_share"), "METI / Omdia (all semiconductors)"))
    events = [{"year": int(d.fig(ref).value), "event": name} for name, ref in (
        ("1986 agreement", "history.agreement_signed"), ("1991 renewal", "history.renewed"),
        ("1996 expiry", "history.expired"))]
    x = alt.X("year:Q", title="Year", scale=alt.Scale(domain=[1984, 2024], nice=False),
              axis=alt.Axis(format="d", values=list(range(1985, 2025, 5))))
    lines = alt.Chart(alt.Data(values=rows)).mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=x, y=alt.Y("share:Q", title="Share of world sales (%)", scale=alt.Scale(domain=[0, 60])),
        color=alt.Color("series:N", title=None),
        strokeDash=alt.StrokeDash("series:N", title=None),  # merges with the colour legend
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1~f")],
    )
    # Every layer shares the x scale; without the explicit domain the rules' layer
    # would add zero to it and squeeze four decades against the right edge.
    rule_base = alt.Chart(alt.Data(values=events)).encode(x=x)
    rules = rule_base.mark_rule(strokeDash=[2, 3], opacity=0.7).encode(
        tooltip=[alt.Tooltip("event:N", title="Event"), alt.Tooltip("year:Q", title="Year", format="d")])
    # Along the foot of each rule, reading upwards: the lines run high across
    # these years, and labels at the top crossed them.
    height = 280
    labels = rule_base.mark_text(angle=270, align="left", baseline="bottom", dx=4, dy=-2, y=height,
                                 fontSize=11, aria=False).encode(text="event:N")  # the rule is read with its event
    return alt.layer(rules, labels, lines).properties(width=WIDTH - 40, height=height)


@chart("china.self_sufficiency", "china.hq_share", "china.target_2020", "china.target_2025")
def china_self_sufficiency(d: Inputs) -> alt.Chart:
    """China's chip self-sufficiency against its targets
    Lines of the share of China's IC market supplied by ICs made in China, and by China-headquartered
    firms only (IC Insights), against the Made in China 2025 milestones for 2020 and 2025; a dashed
    line runs on to IC Insights' forecast for 2026.
    """
    rows = (_year_rows(d.series("china.self_sufficiency"), "Made in China (all firms)")
            + _year_rows(d.series("china.hq_share"), "China-HQ firms only"))
    targets = [{"year": int(year), "share": axis_value(d.fig(ref)), "target": f"{year} target"}
               for year, ref in (("2020", "china.target_2020"), ("2025", "china.target_2025"))]
    # A year of margin at each end keeps the first year's label clear of the y axis's "0".
    x = alt.X("year:Q", title="Year", scale=alt.Scale(domain=[2008, 2028], nice=False),
              axis=alt.Axis(format="d", values=list(range(2010, 2027, 2))))
    # The tooltip says "forecast" or "reported", not the rows' true or false.
    lines = alt.Chart(alt.Data(values=rows)).transform_calculate(
        status="datum.forecast ? 'forecast' : 'reported'",
    ).mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=x, y=alt.Y("share:Q", title="Share of China's IC market (%)", scale=alt.Scale(domain=[0, 80])),
        color=alt.Color("series:N", title=None),
        strokeDash=alt.StrokeDash("forecast:N", legend=None),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1~f"), alt.Tooltip("status:N", title="Figure")],
    )
    # A forecast stands apart from the series it extends: a dashed line joins it
    # to that series' last actual year (drawn from the same rows, so the data
    # table lists each point once).
    bridge = alt.Chart(alt.Data(values=rows)).transform_calculate(
        actual="datum.forecast ? null : datum.year", ahead="datum.forecast ? 1 : 0",
    ).transform_joinaggregate(last="max(actual)", forecasts="max(ahead)", groupby=["series"]).transform_filter(
        "datum.forecasts == 1 && (datum.forecast || datum.year == datum.last)",
    ).mark_line(strokeDash=[4, 3], aria=False).encode(x=x, y=alt.Y("share:Q"), color=alt.Color("series:N", title=None))
    goal_base = alt.Chart(alt.Data(values=targets)).encode(x=x, y=alt.Y("share:Q"))
    goals = goal_base.mark_point(shape="diamond", size=140, filled=True, color=SERIES_COLOURS[3]).encode(
        tooltip=[alt.Tooltip("target:N", title="Target"), alt.Tooltip("share:Q", title="Share (%)", format=".0f")])
    goal_text = goal_base.mark_text(dx=-10, align="right", fontSize=11, aria=False).encode(text="target:N")
    return alt.layer(lines, bridge, goals, goal_text).properties(width=WIDTH - 40, height=280)


@chart("equipment.coater_tel_share", "equipment.coater_japan_share", "equipment.euv_track_tel")
def equipment_share(d: Inputs) -> alt.Chart:
    """Japan's share of coater/developer equipment
    Bars of world market share: Tokyo Electron's and all Japanese firms' share of coater/developers
    in 2022, and Tokyo Electron's share of EUV track systems in 2020.
    """
    items = (("Tokyo Electron, coater/developers (2022)", "equipment.coater_tel_share"),
             ("All Japanese firms, coater/developers (2022)", "equipment.coater_japan_share"),
             ("Tokyo Electron, EUV tracks (2020)", "equipment.euv_track_tel"))
    rows = [{"segment": name, "share": axis_value(d.fig(ref))} for name, ref in items]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("segment:N", sort=None, title=None),
        x=alt.X("share:Q", title="World market share (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("segment:N", title="Segment"), alt.Tooltip("share:Q", title="Share (%)", format=".1~f")],
    )
    return alt.layer(base.mark_bar(), _bar_label(base, "share:Q", ".1~f")).properties(width=WIDTH - 260, height=130)


@chart("risks.sales_2020", "article.sales_2030", "risks.meti_sales_goal", "risks.target_yen",
       "article.share_target", "article.market_2030")
def target_arithmetic(d: Inputs) -> alt.Chart:
    """The 2030 target arithmetic
    Bars in trillions of yen: Japan's chip sales in 2020, METI's sales goal for 2030, the article's
    annual-sales figure, and what the article's share target of the 2030 world market would be in yen
    at the article's own exchange rate.
    """
    # Labels carry figures, so they are written from the data, never typed.
    share, market = d.fig("article.share_target"), d.fig("article.market_2030")
    items = (("Chip sales made in Japan, 2020", "risks.sales_2020", "Evidence"),
             ("METI goal for 2030", "risks.meti_sales_goal", "Evidence"),
             (f"Article: {fmt.value(d.fig('article.sales_2030'))}", "article.sales_2030", "Article"),
             (f"{fmt.value(share)} of {fmt.value(market)}, in yen", "risks.target_yen", "Computed"))
    rows = [{"amount": name, "trillion_yen": round(d.fig(ref).value / 1e12, 1), "basis": basis}
            for name, ref, basis in items]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("amount:N", sort=None, title=None),
        x=alt.X("trillion_yen:Q", title="Trillion yen"),
        tooltip=[alt.Tooltip("amount:N", title="Amount"), alt.Tooltip("basis:N", title="Basis"),
                 alt.Tooltip("trillion_yen:Q", title="Trillion yen", format=",.1~f")],
    )
    bars = base.mark_bar().encode(color=alt.Color("basis:N", title=None, sort=["Evidence", "Article", "Computed"]))
    return alt.layer(bars, _bar_label(base, "trillion_yen:Q", ",.1~f")).properties(width=WIDTH - 200, height=170)


@chart("risks.robot_density")
def robot_density(d: Inputs) -> alt.Chart:
    """Robot density by country
    Bars of industrial robots per manufacturing employee (IFR, 2023 data), densest first, with Japan
    highlighted: several countries rank above it.
    """
    s = d.series("risks.robot_density")
    rows = [{"country": s.name_of(p), "robots": axis_value(p), "japan": s.x_of(p) == "japan"} for p in s.points]
    # An explicit order: "-x" sorting does not carry through a layer.
    order = [r["country"] for r in sorted(rows, key=lambda r: -r["robots"])]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("country:N", sort=order, title=None),
        x=alt.X("robots:Q", title="Robots per 10,000 employees"),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("robots:Q", title="Robots per 10,000", format=",")],
    )
    bars = base.mark_bar().encode(color=alt.Color("japan:N", legend=None,
                                                  scale=alt.Scale(domain=[False, True], range=[SERIES_COLOURS[5], SERIES_COLOURS[1]])))
    return alt.layer(bars, _bar_label(base, "robots:Q", ",")).properties(width=WIDTH - 140, height=190)


@chart("rapidus.subsidies.2025", "rapidus.subsidy_fy2026_plan", "rapidus.subsidy_fy2027_plan",
       "rapidus.equity_cumulative", "rapidus.total_support", "rapidus.loan_guarantees", "rapidus.needs_total")
def rapidus_funding(d: Inputs) -> alt.Chart:
    """What Rapidus needs against what the state gives
    Horizontal bars in trillions of yen: government support for Rapidus to FY2027 split into subsidies
    granted to FY2025, planned subsidies for FY2026 and FY2027, and equity; Nikkei's total for the same
    support; the private loans the state plans to guarantee; and the total Rapidus says it needs.
    """
    parts = ("Subsidies granted to FY2025", "Planned subsidies, FY2026", "Planned subsidies, FY2027",
             "Equity, FY2025 and FY2026", "Loan guarantees", "Total or estimate")
    items = (("Government support to FY2027", parts[0], "rapidus.subsidies.2025"),
             ("Government support to FY2027", parts[1], "rapidus.subsidy_fy2026_plan"),
             ("Government support to FY2027", parts[2], "rapidus.subsidy_fy2027_plan"),
             ("Government support to FY2027", parts[3], "rapidus.equity_cumulative"),
             ("Same support, Nikkei's total", parts[5], "rapidus.total_support"),
             ("Private loans to be guaranteed", parts[4], "rapidus.loan_guarantees"),
             ("What Rapidus says it needs", parts[5], "rapidus.needs_total"))
    rows = [{"amount": bar, "part": part, "trillion_yen": round(d.fig(ref).value / 1e12, 4)}
            for bar, part, ref in items]
    base = alt.Chart(alt.Data(values=rows)).encode(y=alt.Y("amount:N", sort=None, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("trillion_yen:Q", title="Trillion yen", stack="zero"),
        color=alt.Color("part:N", title=None, sort=list(parts), scale=alt.Scale(
            domain=list(parts), range=[SERIES_COLOURS[i] for i in (0, 1, 4, 2, 3, 5)])),
        tooltip=[alt.Tooltip("amount:N", title="Amount"), alt.Tooltip("part:N", title="Part"),
                 alt.Tooltip("trillion_yen:Q", title="Trillion yen", format=",.4~f")],
    )
    totals = base.mark_text(align="left", dx=4, baseline="middle").encode(
        x=alt.X("sum(trillion_yen):Q"), text=alt.Text("sum(trillion_yen):Q", format=",.1f"))
    return alt.layer(bars, totals).properties(width=WIDTH - 200, height=190)


@chart("history.jasm_tsmc_stake", "history.jasm_sony_stake", "history.jasm_denso_stake",
       "history.jasm_toyota_stake")
def jasm_ownership(d: Inputs) -> alt.Chart:
    """Who owns TSMC's Kumamoto venture
    Horizontal bars of the shareholdings in JASM, TSMC's chipmaking company in Kumamoto, after the
    February 2024 investment for its second fab: TSMC holds most of it, with minority stakes for
    Sony Semiconductor Solutions, Denso and Toyota.
    """
    items = (("TSMC", "history.jasm_tsmc_stake", "TSMC"),
             ("Sony Semiconductor Solutions", "history.jasm_sony_stake", "Japanese partner"),
             ("Denso", "history.jasm_denso_stake", "Japanese partner"),
             ("Toyota", "history.jasm_toyota_stake", "Japanese partner"))
    rows = [{"owner": name, "stake": axis_value(d.fig(ref)), "group": group} for name, ref, group in items]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("owner:N", sort=None, title=None),
        x=alt.X("stake:Q", title="Stake in JASM (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("owner:N", title="Owner"), alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("stake:Q", title="Stake (%)", format=".1~f")],
    )
    bars = base.mark_bar().encode(color=alt.Color("group:N", title=None, sort=["TSMC", "Japanese partner"],
                                                  scale=alt.Scale(range=list(SERIES_COLOURS[:2]))))
    return alt.layer(bars, _bar_label(base, "stake:Q", ".1~f")).properties(width=WIDTH - 220, height=150)
