"""One small pure function per chart: figures in, ``alt.Chart`` out.

Each function is named after its chart id; its docstring's first line is the
title, a finding (what the reader should see, no typed numbers), and the rest
the accessible description.  ``@chart(...)`` declares the figures and series it
reads (it receives only those), the subtitle (the measure and its unit) and the
caption (what the chart cannot show).  Every label on a chart is written from
data (annotate.py), every colour comes from theme.INK, and each function draws
for the page and for a phone (``d.phone``, ``d.width``).  The machinery is in
chartdef.py (its names are re-exported here); the line charts are in linecharts.py.
"""

from __future__ import annotations

from ..pages.i18n import fmt
from .annotate import NOTE, fact, fit, hbars
from .chartdef import CHARTS, ChartDef, Inputs, alt, chart, input_problems, load_altair  # noqa: F401
from .speccheck import backslash_titles, spec_fetches, svg_fetches, unknown_fields  # noqa: F401
from ..pages.format import axis_value
from .theme import INK, NAMES

# The parts of the FY2026 AI and chip budget, as the allocation chart draws them. They
# must add up to stimulus.ai_semis_total (tests/test_charts.py checks it): the last part
# is the remainder macros/data/derived.py computes, so no part is left unexplained or counted twice.
ALLOCATION_TOTAL = "stimulus.ai_semis_total"
ALLOCATION_PARTS = (("AI models, data, physical AI", "stimulus.ai_models"),
                    ("Rapidus: chip R&D (about)", "rapidus.rd_fy2026"),
                    ("Rapidus: equity", "rapidus.equity_fy2026"),
                    ("Rest, not broken down", "stimulus.unallocated"))


@chart(ALLOCATION_TOTAL, *(ref for _, ref in ALLOCATION_PARTS), "rapidus.fy2026_parts",
       subtitle="FY2026 initial budget for AI and semiconductors, by use; billion yen",
       caption="The budget still has to pass the Diet. Rapidus's research money is given as an approximate "
               "amount, so the rest, which the reporting does not break down, is approximate too.")
def stimulus_allocation(d: Inputs) -> alt.Chart:
    """Most of the new AI and chip budget goes to one company, Rapidus
    Horizontal bars of the FY2026 initial budget for AI and semiconductors split into
    AI models and data, Rapidus's chip research and development, Rapidus's equity, and the
    small rest that the reporting does not break down, in billions of yen; Rapidus's two
    parts together are more than half of the budget.
    """
    rows = [fact(d, d.fig(ref), name, part=name, billion_yen=round(d.fig(ref).value / 1e9, 1),
                 group=NAMES["rapidus" if ref.startswith("rapidus.") else "other"])
            for name, ref in ALLOCATION_PARTS]
    bars = hbars(d, rows, "billion_yen", "Billion yen", ("rapidus", "other"))
    # The call-out: both Rapidus parts added up, beside the shorter one (its equity).
    both = d.fig("rapidus.fy2026_parts")
    note = [{"part": "Rapidus: equity", "billion_yen": round(d.fig("rapidus.equity_fy2026").value / 1e9, 1),
             NOTE: f"Rapidus in all: {fmt.value(both)}"}]
    callout = alt.Chart(alt.Data(values=note)).mark_text(
        align="left", dx=6, dy=9, fontWeight="bold", color=INK["rapidus"], aria=False).encode(
        x="billion_yen:Q", y=alt.Y("part:N", sort=None, axis=None), text=f"{NOTE}:N")
    return fit(d, alt.layer(bars, callout))


@chart("stimulus.fy2025_initial", "stimulus.ai_semis_total", "stimulus.fy2024_extra", "stimulus.growth_ratio",
       subtitle="AI and semiconductor money by budget; billion yen",
       caption="Extra budgets are passed during the fiscal year; since 2021 they have carried most of Japan's "
               "chip money. The FY2025 figure is the amount requested.")
def budget_comparison(d: Inputs) -> alt.Chart:
    """The annual budget for AI and chips has multiplied, yet one extra budget was bigger still
    Bars comparing, in billions of yen, the FY2025 initial request for AI and chips, the FY2026
    initial budget, several times larger, and the FY2024 extra budget, which was larger than either.
    """
    items = (("FY2025 initial (requested)", "stimulus.fy2025_initial", "initial_budget"),
             ("FY2026 initial", "stimulus.ai_semis_total", "initial_budget"),
             ("FY2024 extra budget", "stimulus.fy2024_extra", "extra_budget"))
    rows = [fact(d, d.fig(ref), name, billion_yen=round(d.fig(ref).value / 1e9, 1), kind=NAMES[kind],
                 group=NAMES[kind]) for name, ref, kind in items]
    # The multiple the chapter is about, in the FY2026 budget's own label.
    rows[1][NOTE] += f", {fmt.value(d.fig('stimulus.growth_ratio'))} the FY2025 request"
    bars = hbars(d, rows, "billion_yen", "Billion yen", ("initial_budget", "extra_budget"),
                 tips=(alt.Tooltip("kind:N", title="Kind of budget"),))
    return fit(d, bars)


@chart("rapidus.subsidies", "rapidus.equity", "rapidus.subsidies_vs_equity",
       subtitle="Government money for Rapidus, cumulative; billion yen",
       caption="Subsidies are dated by the decision that granted them, equity by the fiscal year of the budget "
               "that holds it, so the two panels have different time bases. The FY2026 equity is planned, not "
               "yet paid in.")
def rapidus_support(d: Inputs) -> alt.Chart:
    """The state has backed Rapidus mostly with subsidies, not by buying shares
    Two panels of horizontal bars on one scale, in billions of yen: cumulative subsidies to Rapidus
    after each decision from 2022 to 2025, and cumulative government equity by fiscal year,
    which is a small fraction of the subsidies.
    """
    subsidies, equity = d.series("rapidus.subsidies"), d.series("rapidus.equity")
    top = max(axis_value(p) for p in (*subsidies.points, *equity.points))
    panels = []
    for series, name, when in ((subsidies, "Subsidies", "decided {}"), (equity, "Equity", "FY{}")):
        rows = [fact(d, p, f"{name}, {when.format(series.x_of(p))}",
                     billion_yen=axis_value(p), group=NAMES["rapidus"]) for p in series.points]
        panels.append(hbars(d, rows, "billion_yen", "Billion yen", ("rapidus",), domain=[0, top * 1.02]))
    # The call-out, on the line of the first (short) equity bar, at the right edge.
    ratio = d.fig("rapidus.subsidies_vs_equity")
    first = f"Equity, FY{equity.x_of(equity.points[0])}"
    note = alt.Chart(alt.Data(values=[{"label": first, NOTE: f"Subsidies: {fmt.value(ratio)} the equity"}])).mark_text(
        align="right", dy=9, fontWeight="bold", color=INK["rapidus"], aria=False).encode(
        x=alt.datum(top), y=alt.Y("label:N", sort=None, axis=None), text=f"{NOTE}:N")
    panels[1] = alt.layer(panels[1], note)
    titles = ("Subsidies, by year decided", "Equity, by fiscal year")
    for panel, title in zip(panels, titles):  # set in place: a layer's .properties() copies every layer in it
        panel.title, panel.width = alt.TitleParams(title, anchor="start"), d.width - 18
    return alt.vconcat(*panels, spacing=18)


@chart("equipment.coater_tel_share", "equipment.coater_japan_share", "equipment.euv_track_tel", "article.coater_share",
       subtitle="World market share of each kind of chipmaking equipment; %",
       caption="Coater/developers coat wafers with photoresist and develop it: they are machines, which is "
               "why the article's word, materials, is the wrong one.")
def equipment_share(d: Inputs) -> alt.Chart:
    """Japanese firms dominate coater/developers, but those are machines, not materials
    Bars of world market share: Tokyo Electron's and all Japanese firms' share of coater/developers
    in 2022, and Tokyo Electron's share of EUV track systems in 2020, with the article's figure,
    which it gives for materials, as a bar of its own.
    """
    items = (("Tokyo Electron, coater/developers, 2022", "equipment.coater_tel_share"),
             ("All Japanese firms, same, 2022", "equipment.coater_japan_share"),
             ("Tokyo Electron, EUV tracks, 2020", "equipment.euv_track_tel"))
    rows = [fact(d, d.fig(ref), name, share=axis_value(d.fig(ref)), group=NAMES["japan"])
            for name, ref in items]
    said = d.fig("article.coater_share")  # the claim beside the evidence it is checked against
    rows.append(fact(d, said, "The article, as materials", share=axis_value(said),
                     group=NAMES["claim"]))
    return fit(d, hbars(d, rows, "share", "World market share (%)", ("japan", "claim"), domain=[0, 100]))


@chart("risks.sales_2020", "article.sales_2030", "risks.meti_sales_goal", "risks.target_yen",
       "article.share_target", "article.market_2030",
       subtitle="Annual sales of chips made in Japan; trillion yen",
       caption="The article's share target, turned into yen at the exchange rate its own dollar figures imply, "
               "is far larger than the sales figure it gives; that figure is METI's goal for 2030.")
def target_arithmetic(d: Inputs) -> alt.Chart:
    """The article's own numbers do not add up to the sales figure it gives
    Bars in trillions of yen: Japan's chip sales in 2020, METI's sales goal for 2030, the article's
    annual-sales figure, and what the article's share target of the 2030 world market would be in yen
    at the article's own exchange rate, which is far larger.
    """
    share, market = d.fig("article.share_target"), d.fig("article.market_2030")
    items = (("Chip sales made in Japan, 2020", "risks.sales_2020", "japan"),
             ("METI goal for 2030", "risks.meti_sales_goal", "japan"),
             ("The article's sales figure", "article.sales_2030", "claim"),
             (f"Article's {fmt.value(share)} of {fmt.value(market)}, in yen", "risks.target_yen", "claim"))
    rows = [fact(d, d.fig(ref), name, amount=name, trillion_yen=round(d.fig(ref).value / 1e12, 1),
                 basis="The article" if who == "claim" else "Evidence", group=NAMES[who]) for name, ref, who in items]
    return fit(d, hbars(d, rows, "trillion_yen", "Trillion yen", ("japan", "claim"),
                        tips=(alt.Tooltip("basis:N", title="According to"),)))


@chart("risks.robot_density", "risks.japan_robot_rank",
       subtitle="Industrial robots in use, 2023; robots per 10,000 manufacturing employees",
       caption="Robot density counts robots in use, not robots made: Japan builds many of the world's robots.")
def robot_density(d: Inputs) -> alt.Chart:
    """Japan does not lead in robot density: other countries use more robots per worker
    Bars of industrial robots per manufacturing employee (IFR, 2023 data), densest first, with Japan
    highlighted: several countries rank above it.
    """
    s = d.series("risks.robot_density")
    # Japan and China in their own colours, as on every chart; the other countries are context.
    rows = sorted((fact(d, p, s.name_of(p), country=s.name_of(p), robots=axis_value(p),
                        group=NAMES[s.x_of(p) if s.x_of(p) in ("japan", "china") else "other"]) for p in s.points),
                  key=lambda r: -r["robots"])
    for r in rows:
        r[NOTE] = fmt.labelled(r["country"], fmt.count(r["robots"]))
    japan = next(r for r in rows if r["group"] == NAMES["japan"])
    japan[NOTE] += f", No. {fmt.value(d.fig('risks.japan_robot_rank'))} in the world"
    return fit(d, hbars(
        d, rows, "robots", "Robots per 10,000 employees", ("japan", "china", "other"),
        x=alt.X("robots:Q", title="Robots per 10,000 employees"),
    ))


@chart("rapidus.total_support", "rapidus.loan_guarantees", "rapidus.needs_total", "rapidus.uncommitted",
       "article.rapidus_needs",
       subtitle="Funding for Rapidus's 2nm project; trillion yen",
       caption="State support runs to FY2027 and includes planned subsidies not yet granted; the loans are "
               "private money the state plans to guarantee, not yet lent.")
def rapidus_funding(d: Inputs) -> alt.Chart:
    """Nobody has yet committed a large part of what Rapidus says it needs
    Floating horizontal bars in trillions of yen that add up to what Rapidus says it needs: government
    support to FY2027, then the private loans the state plans to guarantee, then the rest, which
    nobody has committed, drawn as an outline; the article's figure for the government funding the
    project requires is drawn as a rule.
    """
    steps = (("State support to FY2027", "rapidus.total_support", "rapidus"),
             ("Loans the state would guarantee", "rapidus.loan_guarantees", "other"),
             ("Committed by nobody yet", "rapidus.uncommitted", "other"))
    rows, start = [], 0.0
    for name, ref, who in steps:
        value = round(d.fig(ref).value / 1e12, 2)
        rows.append(fact(d, d.fig(ref), name, starts_at=start, trillion_yen=round(start + value, 2),
                         outline=ref == "rapidus.uncommitted", group=NAMES[who]))
        start += value
    rows.append(fact(d, d.fig("rapidus.needs_total"), "What Rapidus says it needs", starts_at=0.0,
                     trillion_yen=round(d.fig("rapidus.needs_total").value / 1e12, 2), outline=False,
                     group=NAMES["other"]))
    said = d.fig("article.rapidus_needs")  # the claim first, above the state support it is set against
    rows.insert(0, fact(d, said, "The article: state money it needs", starts_at=0.0,
                        trillion_yen=round(said.value / 1e12, 2), outline=False, group=NAMES["claim"]))
    return fit(d, hbars(d, rows, "trillion_yen", "Trillion yen", ("rapidus", "other", "claim"), start="starts_at",
                        outlined=True))


@chart("history.jasm_tsmc_stake", "history.jasm_sony_stake", "history.jasm_denso_stake",
       "history.jasm_toyota_stake", "history.jasm_partners_stake",
       subtitle="Shareholdings in JASM, TSMC's chipmaking company in Kumamoto; %",
       caption="The stakes are those after the February 2024 investment for the second fab; the subsidies for "
               "both fabs, which the state pays, buy no shares.")
def jasm_ownership(d: Inputs) -> alt.Chart:
    """TSMC keeps control of its Kumamoto venture; its Japanese partners hold minority stakes
    Horizontal bars of the shareholdings in JASM, TSMC's chipmaking company in Kumamoto, after the
    February 2024 investment for its second fab: TSMC holds most of it, with minority stakes for
    Sony Semiconductor Solutions, Denso and Toyota.
    """
    # Toyota's stake would be a bar a few pixels long on a phone: the partners share one bar,
    # and each one's stake is written beside it.
    tsmc, together = d.fig("history.jasm_tsmc_stake"), d.fig("history.jasm_partners_stake")
    rows = [fact(d, tsmc, "TSMC", owner="TSMC", stake=axis_value(tsmc), group=NAMES["other"]),
            fact(d, together, "Japanese partners together", owner="Japanese partners", stake=axis_value(together),
                 group=NAMES["japan"])]
    bars = hbars(d, rows, "stake", "Stake in JASM (%)", ("other", "japan"), domain=[0, 100])
    parts = ", ".join(f"{name} {fmt.value(d.fig(ref))}" for name, ref in (
        ("Sony", "history.jasm_sony_stake"), ("Denso", "history.jasm_denso_stake"), ("Toyota", "history.jasm_toyota_stake")))
    note = [{"label": "Japanese partners together", "stake": axis_value(together), NOTE: parts}]
    callout = alt.Chart(alt.Data(values=note)).mark_text(
        align="left", dx=6, dy=9, color=INK["japan"], aria=False).encode(
        x="stake:Q", y=alt.Y("label:N", sort=None, axis=None), text=f"{NOTE}:N")
    return fit(d, alt.layer(bars, callout))


# The two line charts (history and China) live in linecharts.py; importing it registers them.
from . import linecharts  # noqa: E402,F401
