"""The site's chart theme, registered with Altair once (on first chart build).

Colours are chosen so one rendered chart serves both palettes without a
re-render: text and axis lines use ``currentColor`` (they follow the page's
text colour when the palette toggles), gridlines are styled from CSS
(docs/assets/charts.css), and the series colours sit at mid luminance, each
with at least 3:1 contrast against Material's white and slate backgrounds
(tests/test_charts.py checks it).  Blue and orange come first because they
stay distinct for the common forms of colour blindness.

The static SVG is laid out at build time with text measured in Liberation
Sans, the one font the renderer carries, but a reader's browser draws it in
whatever ``FONT`` resolves to there.  So ``FONT`` names only Liberation Sans
and the faces drawn to its widths (Arimo, Arial, Helvetica): on Windows, macOS,
iOS, ChromeOS and most Linux desktops every label is then exactly as wide as it
was measured.  A face with other widths (the system UI fonts are not
metric-compatible; DejaVu Sans, where nothing else is installed, is wider) runs
labels into each other and past the chart's left edge.  For readers whose
fallback face is wider there is slack: axis labels are kept off the ends of
their axis (``labelFlush``) and a few pixels apart, axis titles and legend
columns have room to spare, and with DejaVu Sans only long y labels then reach
past the left edge (into the page's margin).  Axis labels get 280 px before
Vega cuts them short with an ellipsis.
"""

from __future__ import annotations

THEME = "explainer"
FONT = "'Liberation Sans', Arimo, Arial, Helvetica, sans-serif"
SERIES_COLOURS = ("#3a78c9", "#d4652a", "#2a9d6f", "#b5629b", "#8a7f2d", "#868e96")
BACKGROUNDS = {"default": "#ffffff", "slate": "#1e2029"}
WIDTH = 560  # fixed; CSS scales the SVG down on narrow screens


def config() -> dict:
    """The Vega-Lite config every chart is rendered with."""
    text = "currentColor"
    return {
        "background": "transparent",
        "font": FONT,
        "padding": 8,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 260},
        "axis": {
            "labelColor": text,
            "titleColor": text,
            "domainColor": text,
            "tickColor": text,
            "gridColor": text,
            "gridOpacity": 0.15,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "labelFlush": False,
            "labelSeparation": 4,
            "labelLimit": 280,
            "titlePadding": 8,
        },
        "legend": {"labelColor": text, "titleColor": text, "labelFontSize": 12, "titleFontSize": 12,
                   "orient": "bottom", "titleFontWeight": "normal", "labelLimit": 0, "columns": 2,
                   "columnPadding": 24},
        "title": {"color": text, "subtitleColor": text, "anchor": "start"},
        "text": {"color": text, "fill": text},
        "range": {"category": list(SERIES_COLOURS)},
        "mark": {"color": SERIES_COLOURS[0]},
        "rule": {"color": text},
        "axisBand": {"domain": False, "ticks": False},
    }


def enable() -> None:
    """Register the theme with Altair (once) and make it the active one."""
    import altair as alt

    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(lambda: alt.theme.ThemeConfig(config=config()))
    if alt.theme.active != THEME:
        alt.theme.enable(THEME)
