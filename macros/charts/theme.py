"""The site's chart theme, registered with Altair once (on first chart build).

Colours are chosen so one rendered chart serves both palettes without a
re-render: text and axis lines use ``currentColor`` (they follow the page's
text colour when the palette toggles), gridlines are styled from CSS
(docs/assets/explainer.css, its chart rules), and the series colours sit at mid luminance, each
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

The Japanese edition's charts are measured and drawn in IPAexGothic
(macros/charts/fonts.py), so ``FONT_JA`` names that face only, by its English and its
Japanese family name; no other face has its widths.  A reader without it gets
the browser's sans-serif, with other widths (MAINTAINERS.md: serving the font).
"""

from __future__ import annotations

THEME = "explainer"
FONT = "'Liberation Sans', Arimo, Arial, Helvetica, sans-serif"
FONT_JA = "IPAexGothic, 'IPAexゴシック', sans-serif"
FONTS = {"en": FONT, "ja": FONT_JA}  # per locale: the faces its charts are measured in
# One colour per thing, on every chart and in both palettes.  A chart asks for
# INK["rapidus"], never for a hex code or a palette slot, so orange means Rapidus
# everywhere.  Budget kinds that appear side by side have colours of their own;
# kinds of Rapidus money (subsidy, equity) share Rapidus's colour and are told
# apart by their labels and panels, not by hue.  Evidence is drawn in the colour
# of whom it is about; the article's own figures are always INK["claim"].
INK = {
    "japan": "#3a78c9",  # Japan, its firms, its share: blue
    "rapidus": "#d4652a",  # Rapidus and the state's money for it: orange
    "china": "#2a9d6f",  # China: green
    "claim": "#b5629b",  # the article's figure, plotted beside the evidence: magenta
    "initial_budget": "#8a63d2",  # an annual (initial) budget: purple
    "extra_budget": "#8a7f2d",  # an extra (supplementary) budget: olive
    "other": "#868e96",  # everyone and everything else, targets, context: grey
}
# How readers see each thing's name where a chart needs one (a legend, a tooltip).
NAMES = {"japan": "Japan", "rapidus": "Rapidus", "china": "China", "claim": "The article",
         "initial_budget": "Initial budget", "extra_budget": "Extra budget", "other": "Others"}
# Emphasis says how sure a value is, in any colour: reported values are filled
# and solid; forecasts and plans are dashed (lines) or outlined (bars).
DASH = {"reported": [], "forecast": [5, 3]}
OUTLINE = 2  # px: the stroke of an outlined (planned, uncommitted) bar
# Every colour keeps 3:1 against both backgrounds (tests/test_charts.py).  Two of
# them cannot also keep 3:1 against each other (with both backgrounds bounding
# their luminance, the best pair reaches about 1.8:1), so no two colours touch:
# stacked segments are drawn apart, and every colour is named by a direct label.
SERIES_COLOURS = tuple(dict.fromkeys(INK.values()))
BACKGROUNDS = {"default": "#ffffff", "slate": "#1e2029"}
WIDTH = 560  # px, the whole drawing for a page's column (padding included)
PHONE_WIDTH = 340  # px, the whole drawing for a phone (375 px screens and up), at full text size
PHONE_BREAK = WIDTH  # px of room below which a page shows the phone's drawing (docs/assets/explainer.css)
TEXT = 12  # px: every chart text, in both drawings (neither is scaled down: see PHONE_BREAK)


def config(locale: str = "en") -> dict:
    """The Vega-Lite config every chart of ``locale``'s edition is rendered with (the font and the marks'
    names for a screen reader differ: aria.py)."""
    from .aria import mark_config

    text = "currentColor"
    marks = mark_config(locale)  # what a screen reader calls each mark, in the edition's language
    return {
        "background": "transparent",
        "font": FONTS[locale],
        "padding": 8,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": 260},
        "axis": {
            "labelColor": text,
            "titleColor": text,
            "domainColor": text,
            "tickColor": text,
            "gridColor": text,
            "gridOpacity": 0.15,
            "labelFontSize": TEXT,
            "titleFontSize": TEXT,
            "titleFontWeight": "normal",
            "labelFlush": False,
            "labelSeparation": 4,
            "labelLimit": 280,
            "titlePadding": 8,
        },
        "legend": {"labelColor": text, "titleColor": text, "labelFontSize": TEXT, "titleFontSize": TEXT,
                   "orient": "bottom", "titleFontWeight": "normal", "labelLimit": 0, "columns": 2,
                   "columnPadding": 24},
        "title": {"color": text, "subtitleColor": text, "anchor": "start"},
        "text": {"color": text, "fill": text, "fontSize": TEXT, **marks.pop("text", {})},
        "header": {"labelColor": text, "titleColor": text, "labelFontSize": TEXT, "titleFontSize": TEXT,
                   "labelAnchor": "start", "labelFontWeight": "bold", "labelPadding": 4},
        "concat": {"spacing": 16},
        "range": {"category": list(SERIES_COLOURS)},
        "mark": {"color": INK["other"]},
        "rule": {"color": text, **marks.pop("rule", {})},
        "axisBand": {"domain": False, "ticks": False},
        **marks,
    }


def name(locale: str = "en") -> str:
    """The Altair theme of ``locale``'s charts ("explainer", "explainer-ja")."""
    FONTS[locale]  # noqa: B018 -- a locale with no font is a KeyError here, not a chart in the wrong face
    return THEME if locale == "en" else f"{THEME}-{locale}"


_REGISTERED: set[str] = set()  # by this import of the module (a rebuild under serve imports it afresh)


def enable(locale: str = "en") -> None:
    """Register ``locale``'s theme with Altair (once) and make it the active one.

    Not ``alt.theme.names()``: it reads every installed package's entry points on each call, and a
    chart's build asked for the theme once per ``alt`` attribute (MAINTAINERS: Benchmarks)."""
    import altair as alt

    theme = name(locale)
    if theme not in _REGISTERED:
        alt.theme.register(theme, enable=False)(lambda: alt.theme.ThemeConfig(config=config(locale)))
        _REGISTERED.add(theme)
        alt.theme.enable(theme)  # an older registration of the name may be the active one
    elif alt.theme.active != theme:
        alt.theme.enable(theme)
