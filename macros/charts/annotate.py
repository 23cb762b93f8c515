"""Labelled values, markers, ranges and call-outs, built from figures.

An annotation is text a chart draws from data: its words come from a figure
through macros/pages/format.py, exactly as the prose writes it, so when a figure
changes, its label does.  Every row a chart plots carries what its tooltip
shows (``fact``): the label, the value as the prose writes it, the as-of date
and the sources; the direct labels are a field of their own, ``note``, which
the tests follow from figure to label.
"""

from __future__ import annotations

from ..pages.i18n import fmt
from .chartdef import Inputs, alt
from ..data.model import Figure
from .theme import INK, NAMES, OUTLINE, TEXT

NOTE = "note"  # the field every annotation's text is drawn from
BAR = 14  # px: a bar's thickness; the row's name sits in the room above it
STEP = 44  # px a bar row takes: its name (one line of TEXT) and its bar


def fact(d: Inputs, fig: Figure, label: str, **extra: object) -> dict:
    """One plotted row: what it is, its value as prose writes it, when, and according to whom."""
    shown = fmt.value(fig)
    return {"label": label, **extra, "shown": shown, "as_of": fmt.day(fig.as_of), "source": d.sources_of(fig),
            NOTE: f"{label}: {shown}"}


def tooltip(*first: alt.Tooltip) -> list:
    """The tooltip every plotted value has: what, how much (as the prose says it), as of when, from whom."""
    return [alt.Tooltip("label:N", title="What"), *first, alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("as_of:N", title="As of"), alt.Tooltip("source:N", title="Source")]


def ink(*things: str, field: str = "group") -> alt.Color:
    """Colour by what a row is about, from the one palette (theme.INK); the labels name it, so no legend."""
    return alt.Color(f"{field}:N", legend=None,
                     scale=alt.Scale(domain=[NAMES[t] for t in things], range=[INK[t] for t in things]))


PAD = 8  # px: theme.config()'s padding, on each side


def fit(d: Inputs, chart: alt.Chart) -> alt.Chart:
    """The whole drawing as wide as its layout (page or phone), axis labels and padding included.

    Bar charts (rows of a fixed step) have no y axis and keep their end labels
    inside the plot (``labelFlush``), so their plot is the drawing less its
    padding; Vega-Lite's "fit" would drop its height for their discrete rows.  Set in place: on a
    layered chart ``.properties()`` makes a new chart, which deep-copies every layer (a tenth of a
    cold build's time went to such copies).
    """
    if isinstance(getattr(chart, "height", None), alt.Step) or _stepped(chart):
        chart.width = d.width - 2 * PAD - 2  # (2 px: the bars' and outlines' edges)
    else:
        chart.width, chart.autosize = d.width, alt.AutoSizeParams(type="fit-x", contains="padding")
    return chart


def _stepped(chart) -> bool:
    return any(isinstance(getattr(c, "height", None), alt.Step) or _stepped(c) for c in getattr(chart, "layer", []) or [])


def hbars(d: Inputs, rows: list[dict], field: str, title: str, things: tuple[str, ...], *,
          domain: list[float] | None = None, start: str | None = None, outlined: bool = False,
          x: alt.X | None = None, tips: tuple = ()) -> alt.LayerChart:
    """Horizontal bars, each named above itself with its value as prose writes it.

    No y axis: on a phone a column of names would take half the width; names
    over the bars leave the whole width to the bars at any size.  ``start`` makes
    floating bars (a waterfall); with ``outlined``, rows whose ``outline`` is true are
    drawn as dashed outlines: uncommitted, not money in hand.
    """
    scale = alt.Scale(domain=domain, nice=False) if domain else alt.Scale(nice=True)
    axis = alt.Axis(tickCount=4 if d.phone else 6, labelFlush=True)
    x_enc = (x.copy() if x is not None else alt.X(f"{field}:Q", title=title, scale=scale))
    x_enc.axis = axis  # a chart's own x keeps the rows' axis: few ticks, end labels inside
    span = {"x": x_enc, "x2": alt.X2(start)} if start else {"x": x_enc}
    base = alt.Chart(alt.Data(values=rows)).encode(
        # An explicit order: layers that filter rows (the outlined ones) would reorder an unsorted domain.
        y=alt.Y("label:N", sort=[r["label"] for r in rows], axis=None,
                scale=alt.Scale(paddingInner=0, paddingOuter=0)))
    # A screen reader hears each bar as its label reads (not Vega-Lite's field-by-field default).
    said = {"tooltip": tooltip(*tips), "description": alt.Description(f"{NOTE}:N")}
    filled = base.mark_bar(size=BAR, yOffset=BAR / 2 + 1).encode(**span, color=ink(*things), **said)
    layers = [filled.transform_filter("!datum.outline") if outlined else filled]
    if outlined:
        layers.append(base.mark_bar(size=BAR - OUTLINE, yOffset=BAR / 2 + 1, filled=False, strokeWidth=OUTLINE,
                                    strokeDash=[4, 2]).encode(**span, stroke=ink(*things), **said)
                      .transform_filter("datum.outline"))
    names = base.mark_text(align="left", baseline="bottom", dy=-2, aria=False).encode(
        x=alt.datum(domain[0] if domain else 0), text=alt.Text(f"{NOTE}:N"))
    return alt.layer(*layers, names, height=alt.Step(STEP))


def label_points(rows: list[dict], x: alt.X, y: alt.Y, **mark: object) -> alt.Chart:
    """Text beside chosen points (a peak, a latest value, a claim), from their rows' ``note``."""
    return alt.Chart(alt.Data(values=rows)).mark_text(aria=False, fontSize=TEXT, **mark).encode(
        x=x, y=y, text=alt.Text(f"{NOTE}:N"))


def note_points(rows: list[dict], x: alt.X, y: alt.Y, **mark: object) -> alt.Chart:
    """``label_points`` for labels of their own: each row cut to its position and its words, so the
    chart's data table lists the labels once, as a table of notes, not the plotted rows again."""
    keep = (x.to_dict()["field"], y.to_dict()["field"], NOTE)
    return label_points([{k: row[k] for k in keep} for row in rows], x, y, **mark)


def leader(rows: list[dict], x: alt.X, y: alt.Y, dy: float, **mark: object) -> alt.Chart:
    """A short line from a point up (``dy`` < 0) or down to the call-out written ``dy`` px away."""
    keep = (x.to_dict()["field"], y.to_dict()["field"])
    return alt.Chart(alt.Data(values=[{k: row[k] for k in keep} for row in rows])).mark_rule(
        aria=False, strokeWidth=1, y2Offset=dy + (6 if dy < 0 else -6), **mark).encode(x=x, y=y, y2=alt.Y2(keep[1]))


def events(d: Inputs, x: alt.X, figures: list[tuple[Figure, str]], height: float) -> alt.LayerChart:
    """Event markers: a dotted rule at each year a figure gives, named along its foot (reading upwards:
    lines run high across these years, and labels at the top crossed them)."""
    rows = [fact(d, fig, f"{fmt.value(fig)} {name}", year=int(fig.value)) for fig, name in figures]
    for row in rows:
        row[NOTE] = row["label"]  # the year is in the label
    base = alt.Chart(alt.Data(values=rows)).encode(x=x)
    rules = base.mark_rule(strokeDash=[2, 3], opacity=0.7).encode(tooltip=tooltip())
    names = base.mark_text(angle=270, align="left", baseline="bottom", dx=4, dy=-2, y=height,
                           aria=False).encode(text=f"{NOTE}:N")
    return alt.layer(rules, names)


def span(start: Figure, end: Figure, words: str, x: alt.X) -> alt.Chart:
    """A range: a faint band between the years two figures give, named at its top."""
    field = x.to_dict()["field"]
    row = {field: int(start.value), "until": int(end.value), NOTE: f"{words}, {fmt.value(start)}–{fmt.value(end)}"}
    base = alt.Chart(alt.Data(values=[row]))
    band = base.mark_rect(color=INK["other"], opacity=0.12, aria=False).encode(x=x, x2=alt.X2("until"))
    name = base.mark_text(align="left", baseline="top", dx=4, dy=4, y=0, color=INK["other"], aria=False).encode(
        x=x, text=f"{NOTE}:N")
    return alt.layer(band, name)
