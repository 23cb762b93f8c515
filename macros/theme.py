"""The site's chart theme, registered with Altair once (on first chart build).

Colours are chosen so one rendered chart serves both palettes without a
re-render: text and axis lines use ``currentColor`` (they follow the page's
text colour when the palette toggles), gridlines are styled from CSS
(docs/assets/charts.css), and the series colours sit at mid luminance, each
with at least 3:1 contrast against Material's white and slate backgrounds
(tests/test_charts.py checks it).  Blue and orange come first because they
stay distinct for the common forms of colour blindness.
"""

from __future__ import annotations

THEME = "explainer"
FONT = "Roboto, -apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif"
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
        },
        "legend": {"labelColor": text, "titleColor": text, "labelFontSize": 12, "titleFontSize": 12,
                   "orient": "bottom", "titleFontWeight": "normal", "labelLimit": 0, "columns": 2},
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
