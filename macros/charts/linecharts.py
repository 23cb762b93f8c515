"""The line charts: Japan's share of world chip sales, and China's self-sufficiency.

Kept apart from charts.py (the bar charts) only for length; they register in the
same ``CHARTS`` and follow the same rules (see charts.py).
"""

from __future__ import annotations

from .annotate import NOTE, events, fact, fit, label_points, leader, note_points, span, tooltip
from .chartdef import Inputs, alt, chart
from ..pages.format import axis_value
from ..data.model import Series
from .theme import DASH, INK, NAMES


def _year_rows(d: Inputs, series: Series, label: str, group: str) -> list[dict]:
    return [fact(d, p, label, year=int(series.x_of(p).rstrip("F")), share=axis_value(p), series=label,
                 forecast=series.x_of(p).endswith("F"), group=group) for p in series.points]


@chart("history.ic_share", "history.meti_share", "history.agreement_signed", "history.renewed", "history.expired",
       "article.japan_share_2022",
       subtitle="Japan's share of world semiconductor sales, on two measures; %",
       caption="The points are the years with a reported figure; the lines between them join those years and "
               "are not measurements. The two measures count different firms and products.")
def japan_market_share(d: Inputs) -> alt.Chart:
    """Japan's share of world chip sales peaked under the trade agreement and has shrunk since
    Lines of Japan's share of world semiconductor sales on two bases, IC Insights (Japanese-headquartered
    firms' IC sales) and METI with Omdia data, with the 1986 U.S.–Japan agreement, its 1991 renewal and
    its 1996 expiry marked as vertical rules, and the article's figure for 2022 beside the evidence.
    """
    ic, meti = d.series("history.ic_share"), d.series("history.meti_share")
    rows = (_year_rows(d, ic, "IC Insights", NAMES["japan"]) + _year_rows(d, meti, "METI / Omdia", NAMES["japan"]))
    # Titled for screen readers and tooltips ("Year: 1986"), untitled on the page: the labels say it.
    x = alt.X("year:Q", title="Year", scale=alt.Scale(domain=[1984, 2024], nice=False),
              axis=alt.Axis(format="d", title=None, values=list(range(1990, 2025, 10) if d.phone else range(1985, 2025, 5))))
    y = alt.Y("share:Q", title="Share of world sales (%)", scale=alt.Scale(domain=[0, 60]))
    tips = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("shown:N", title="Value"), alt.Tooltip("as_of:N", title="As of"),
            alt.Tooltip("source:N", title="Source")]
    # Both lines are Japan (one colour); the broader measure is drawn heavier.
    lines = [alt.Chart(alt.Data(values=rows)).transform_filter(alt.FieldEqualPredicate(field="series", equal=name))
             .mark_line(color=INK["japan"], strokeWidth=width, point=alt.OverlayMarkDef(
                 size=40, filled=True, color=INK["japan"])).encode(x=x, y=y, tooltip=tips)
             for name, width in ((rows[0]["series"], 1.5), (rows[-1]["series"], 3))]
    # Each line named beside a point of its own (no legend to look up), where the lines are apart:
    # the broader measure at its first point, the narrower at its second.
    def points(series: str) -> list[dict]:
        return sorted((r for r in rows if r["series"] == series), key=lambda r: r["year"])
    broad, narrow = points(rows[-1]["series"]), points(rows[0]["series"])
    # The broader measure's first and last values, the evidence the article's figure is set against.
    names = [dict(broad[0], **{NOTE: f"{broad[0]['series']}: {broad[0]['shown']} in {broad[0]['year']}, "
                                     f"{broad[-1]['shown']} in {broad[-1]['year']}"}),
             dict(narrow[1], **{NOTE: narrow[1]["series"]})]
    end_labels = alt.layer(note_points(names[:1], x, y, align="left", dx=6, dy=-14, color=INK["japan"]),
                           note_points(names[1:], x, y, align="left", dx=8, dy=-2, color=INK["japan"]))
    height = 260 if d.phone else 280
    signed, renewed, expired = (d.fig(f"history.{k}") for k in ("agreement_signed", "renewed", "expired"))
    marked = events(d, x, [(signed, "agreement"), (renewed, "renewal"), (expired, "expiry")], height)
    in_force = span(signed, expired, "In force" if d.phone else "Agreement in force", x)
    claim = d.fig("article.japan_share_2022")
    said = [fact(d, claim, "The article", year=int(claim.as_of.year), share=axis_value(claim), series="The article",
                 group=NAMES["claim"])]
    said[0][NOTE] = f"Article: {said[0]['shown']} by {said[0]['year']}"
    dot = alt.Chart(alt.Data(values=said)).mark_point(shape="diamond", size=120, filled=True,
                                                      color=INK["claim"]).encode(x=x, y=y, tooltip=tooltip())
    dot_label = label_points(said, x, y, align="right", dx=6, dy=-30, color=INK["claim"], fontWeight="bold")
    pointer = leader(said, x, y, -30, color=INK["claim"])
    return fit(d, alt.layer(in_force, marked, *lines, end_labels, pointer, dot, dot_label, height=height))


@chart("china.self_sufficiency", "china.hq_share", "china.target_2020", "china.target_2025",
       "article.china_2018", "article.china_2023", "china.techinsights_2023",
       subtitle="Share of China's chip market supplied by chips made in China; %",
       caption="Sources count differently: IC Insights' upper line includes foreign-owned fabs in China, its "
               "lower line only Chinese-headquartered firms. The article names no source for its figures.")
def china_self_sufficiency(d: Inputs) -> alt.Chart:
    """China is far short of its chip targets, and the article's figures match no source
    Lines of the share of China's IC market supplied by ICs made in China, and by China-headquartered
    firms only (IC Insights), against the Made in China 2025 milestones for 2020 and 2025, with a dashed
    line on to IC Insights' forecast for 2026, a later TechInsights estimate, and the article's own two
    figures, which lie between the two IC Insights lines and match neither.
    """
    rows = (_year_rows(d, d.series("china.self_sufficiency"), "Made in China, all firms", NAMES["china"])
            + _year_rows(d, d.series("china.hq_share"), "China-HQ firms only", NAMES["china"]))
    for r in rows:
        r["status"] = "forecast" if r["forecast"] else "reported"
    x = alt.X("year:Q", title="Year", scale=alt.Scale(domain=[2008, 2028], nice=False),
              axis=alt.Axis(format="d", title=None, values=list(range(2010, 2027, 4 if d.phone else 2))))
    y = alt.Y("share:Q", title="Share of China's chip market (%)", scale=alt.Scale(domain=[0, 80]))
    tips = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("shown:N", title="Value"), alt.Tooltip("status:N", title="Figure"),
            alt.Tooltip("as_of:N", title="As of"), alt.Tooltip("source:N", title="Source")]
    lines = alt.Chart(alt.Data(values=rows)).transform_filter("!datum.forecast").mark_line(
        color=INK["china"], point=alt.OverlayMarkDef(size=40, filled=True, color=INK["china"])).encode(
        x=x, y=y, detail=alt.Detail("series:N", title="Series"), tooltip=tips)
    # A forecast stands apart from the series it extends: a dashed line joins it to
    # that series' last reported year, and its point is hollow.
    bridge = alt.Chart(alt.Data(values=rows)).transform_calculate(
        actual="datum.forecast ? null : datum.year", ahead="datum.forecast ? 1 : 0",
    ).transform_joinaggregate(last="max(actual)", forecasts="max(ahead)", groupby=["series"]).transform_filter(
        "datum.forecasts == 1 && (datum.forecast || datum.year == datum.last)",
    ).mark_line(strokeDash=DASH["forecast"], color=INK["china"], aria=False).encode(x=x, y=y, detail="series:N")
    ahead = alt.Chart(alt.Data(values=rows)).transform_filter("datum.forecast").mark_point(
        size=40, filled=False, strokeWidth=2, color=INK["china"]).encode(x=x, y=y, tooltip=tips)
    # Each line named (no legend to look up): the upper above its last reported point,
    # the lower under its first, where nothing else is drawn.
    upper, lower = dict.fromkeys(r["series"] for r in rows)
    last = max((r for r in rows if r["series"] == upper and not r["forecast"]), key=lambda r: r["year"])
    first = min((r for r in rows if r["series"] == lower), key=lambda r: r["year"])
    series_names = alt.layer(
        note_points([dict(last, **{NOTE: upper})], x, y, align="right", dy=-12, color=INK["china"]),
        note_points([dict(first, **{NOTE: lower})], x, y, align="left", dx=-4, dy=16, color=INK["china"]))
    targets = [fact(d, d.fig(ref), f"Target for {year}", year=int(year), share=axis_value(d.fig(ref)),
                    group=NAMES["other"]) for year, ref in (("2020", "china.target_2020"), ("2025", "china.target_2025"))]
    goals = alt.Chart(alt.Data(values=targets)).mark_point(shape="diamond", size=110, filled=True,
                                                           color=INK["other"]).encode(x=x, y=y, tooltip=tooltip())
    goal_text = label_points(targets, x, y, align="right", dx=-10, color=INK["other"])
    said = [fact(d, d.fig(ref), "The article", year=year, share=axis_value(d.fig(ref)), group=NAMES["claim"])
            for year, ref in ((2018, "article.china_2018"), (2023, "article.china_2023"))]
    said[0][NOTE] = f"Article: {said[0]['shown']} → {said[1]['shown']}"
    said[1][NOTE] = ""
    claim = alt.Chart(alt.Data(values=said)).mark_line(color=INK["claim"], strokeWidth=2, point=alt.OverlayMarkDef(
        shape="diamond", size=90, filled=True, color=INK["claim"])).encode(x=x, y=y, tooltip=tooltip())
    claim_text = label_points(said, x, y, align="right", dx=-10, color=INK["claim"], fontWeight="bold")
    tech = d.fig("china.techinsights_2023")
    other = [fact(d, tech, "TechInsights estimate", year=2023, share=axis_value(tech), group=NAMES["china"])]
    other[0][NOTE] = f"TechInsights: {other[0]['shown']}"
    est = alt.Chart(alt.Data(values=other)).mark_point(shape="square", size=60, filled=True,
                                                       color=INK["china"]).encode(x=x, y=y, tooltip=tooltip())
    est_text = label_points(other, x, y, dy=-14, color=INK["china"])
    return fit(d, alt.layer(lines, bridge, ahead, series_names, goals, goal_text, claim, claim_text, est, est_text,
                            height=280))
