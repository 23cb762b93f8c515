"""Figures computed from other figures, in one place, never typed by hand.

Each derivation names its inputs; its sources are the union of theirs and its
as-of date the latest of theirs, so a derived figure carries provenance like any
other.  The formula text is shown to readers in the figure's tooltip.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Iterable

from ..errors import Problem, nearest
from .model import Figure, Origin, Unit


@dataclass(frozen=True)
class Derivation:
    id: str
    label: str
    unit: Unit
    inputs: tuple[str, ...]
    compute: Callable[..., float]
    formula: str
    precision: int | None = None  # digits after the point as shown; None: up to three


DERIVATIONS: tuple[Derivation, ...] = (
    Derivation(
        "stimulus.unallocated",
        "FY2026 AI and chip budget not accounted for by AI models or Rapidus",
        Unit.YEN,
        ("stimulus.ai_semis_total", "stimulus.ai_models", "rapidus.rd_fy2026", "rapidus.equity_fy2026"),
        lambda total, ai, rd, equity: total - ai - rd - equity,
        "total AI and chip budget − AI models and data − Rapidus R&D (about) − Rapidus equity",
        precision=1,
    ),
    Derivation(
        "rapidus.fy2026_parts",
        "Rapidus's FY2026 R&D and equity added together",
        Unit.YEN,
        ("rapidus.rd_fy2026", "rapidus.equity_fy2026"),
        lambda rd, equity: rd + equity,
        "Rapidus R&D (about) + Rapidus equity, FY2026",
        precision=0,
    ),
    Derivation(
        "rapidus.fy2026_vs_equity",
        "Rapidus's FY2026 support as a multiple of its FY2026 equity",
        Unit.RATIO,
        ("rapidus.support_fy2026", "rapidus.equity_fy2026"),
        lambda support, equity: support / equity,
        "FY2026 support for Rapidus ÷ FY2026 equity",
        precision=0,
    ),
    Derivation(
        "rapidus.subsidies_vs_equity",
        "Subsidies to Rapidus by FY2025 as a multiple of its cumulative equity",
        Unit.RATIO,
        ("rapidus.subsidies.2025", "rapidus.equity_fy2025", "rapidus.equity_fy2026"),
        lambda subsidies, fy25, fy26: subsidies / (fy25 + fy26),
        "subsidies by FY2025 ÷ cumulative equity",
        precision=0,
    ),
    Derivation(
        "stimulus.growth_ratio",
        "FY2026 AI and chip budget as a multiple of the FY2025 initial budget",
        Unit.RATIO,
        ("stimulus.ai_semis_total", "stimulus.fy2025_initial"),
        lambda now, before: now / before,
        "FY2026 budget ÷ FY2025 initial budget",
        precision=1,
    ),
    Derivation(
        "stimulus.growth_percent",
        "Increase of the AI and chip budget over the FY2025 initial budget",
        Unit.PERCENT_CHANGE,
        ("stimulus.ai_semis_total", "stimulus.fy2025_initial"),
        lambda now, before: (now / before - 1) * 100,
        "(FY2026 budget ÷ FY2025 initial budget − 1) × 100",
        precision=0,
    ),
    Derivation(
        "article.implied_rate",
        "Exchange rate implied by the article's ¥1.23 trillion = $7.9 billion",
        Unit.YEN_PER_USD,
        ("article.total_yen", "article.total_usd"),
        lambda yen, usd: yen / usd,
        "article's yen total ÷ its dollar total",
        precision=1,
    ),
    Derivation(
        "article.implied_rate_extra",
        "Exchange rate implied by the article's ¥252.5 billion = $1.6 billion",
        Unit.YEN_PER_USD,
        ("article.extra_budget_yen", "article.extra_budget_usd"),
        lambda yen, usd: yen / usd,
        "article's extra-budget yen ÷ its dollar figure",
        precision=1,
    ),
    Derivation(
        "rapidus.equity_cumulative",
        "Cumulative government equity in Rapidus, FY2025 and FY2026",
        Unit.YEN,
        ("rapidus.equity_fy2025", "rapidus.equity_fy2026"),
        lambda fy25, fy26: fy25 + fy26,
        "FY2025 equity + FY2026 equity",
        precision=0,
    ),
    Derivation(
        "risks.target_usd",
        "20% of a $1 trillion chip market",
        Unit.USD,
        ("article.share_target", "article.market_2030"),
        lambda share, market: share / 100 * market,
        "share target × 2030 market size",
        precision=0,
    ),
    Derivation(
        "risks.target_yen",
        "20% of a $1 trillion chip market, in yen at the article's own rate",
        Unit.YEN,
        ("article.share_target", "article.market_2030", "article.total_yen", "article.total_usd"),
        lambda share, market, yen, usd: share / 100 * market * (yen / usd),
        "share target × market size × the article's implied yen per dollar",
        precision=0,
    ),
    Derivation(
        "risks.sales_goal_usd",
        "METI's ¥15 trillion sales goal in dollars at the article's own rate",
        Unit.USD,
        ("risks.meti_sales_goal", "article.total_yen", "article.total_usd"),
        lambda goal, yen, usd: goal / (yen / usd),
        "¥15 trillion ÷ the article's implied yen per dollar",
        precision=0,
    ),
    Derivation(
        "risks.sales_goal_share",
        "METI's ¥15 trillion sales goal as a share of a $1 trillion market",
        Unit.PERCENT,
        ("risks.meti_sales_goal", "article.total_yen", "article.total_usd", "article.market_2030"),
        lambda goal, yen, usd, market: goal / (yen / usd) / market * 100,
        "¥15 trillion in dollars ÷ $1 trillion × 100",
        precision=1,
    ),
    Derivation(
        "rapidus.uncommitted",
        "Funding Rapidus says it needs that neither state support to FY2027 nor guaranteed loans cover",
        Unit.YEN,
        ("rapidus.needs_total", "rapidus.total_support", "rapidus.loan_guarantees"),
        lambda needs, support, loans: needs - support - loans,
        "what Rapidus says it needs − government support to FY2027 − private loans the state plans to guarantee",
        precision=1,
    ),
    Derivation(
        "history.jasm_partners_stake",
        "Japanese partners' combined stake in JASM",
        Unit.PERCENT,
        ("history.jasm_sony_stake", "history.jasm_denso_stake", "history.jasm_toyota_stake"),
        lambda sony, denso, toyota: sony + denso + toyota,
        "Sony Semiconductor Solutions + Denso + Toyota",
        precision=1,
    ),
)


def compute(figures: dict[str, Figure], problems: list[Problem]) -> Iterable[Figure]:
    """Yield every derived figure; record a problem for any missing input."""
    known = sorted(figures)
    line = inspect.getsourcelines(compute)[1]
    for d in DERIVATIONS:
        missing = [i for i in d.inputs if i not in figures]
        if missing:
            for m in missing:
                problems.append(Problem("macros/data/derived.py", None, d.id,
                                        f"needs figure '{m}', which data/ does not define",
                                        f"{nearest(m, known)}."))
            continue
        ins = [figures[i] for i in d.inputs]
        try:
            value = float(d.compute(*(f.value for f in ins)))
        except ZeroDivisionError:
            problems.append(Problem("macros/data/derived.py", None, d.id,
                                    "division by zero: one of its inputs is 0",
                                    "Inputs: " + ", ".join(d.inputs) + "."))
            continue
        sources = tuple(dict.fromkeys(s for f in ins for s in f.sources))
        yield Figure(id=d.id, label=d.label, value=value, unit=d.unit,
                     as_of=max(f.as_of for f in ins), sources=sources,
                     origin=Origin("macros/data/derived.py", line), formula=d.formula, inputs=d.inputs,
                     precision=d.precision)
