"""Drawing a chart: Vega-Lite spec -> compiled Vega + static SVG, and a social card's PNG (vl-convert).

Everything runs in the build's own process, on the thread that asks: V8
starts the first time a chart is drawn, never in a build whose charts are all
cached.  vl-convert lets go of the GIL while it converts.

Text is measured and drawn with the Liberation Sans that vl-convert carries in
memory, never with the host's fonts (``vl_convert``): the drawings then do not
depend on the machine, and a font on disk is reopened for every glyph.  Data is
inline only and vl-convert is told to fetch nothing, so a chart that names a URL
fails the build instead of drawing empty (or reaching for the network).

Another locale's charts may need a font of their own: the Japanese ones are
measured and drawn in IPAexGothic (macros/charts/fonts.py), whose directory is
registered with vl-convert the first time a Japanese chart is drawn, and holds
that one file, so still no other host font reaches a drawing.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import tempfile
import threading
from html import escape
from pathlib import Path

from . import aria

_EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
_setup = threading.Lock()
_state = {"fonts": False, "v8": False, "locales": {"en"}}

# Everything vl-convert does that could change a drawing or reach the network,
# set explicitly rather than left to defaults or a user's config file.  (Not
# max_v8_execution_time_secs: with it set, every drawing took five times as long.)
_CONFIG = dict(num_workers=1, base_url=False, allowed_base_urls=[], auto_google_fonts=False,
               google_fonts=None, embed_local_fonts=False, missing_fonts="fallback", vega_plugins=None,
               default_theme=None, default_format_locale=None, default_time_format_locale=None, themes=None)


def vl_convert(v8: bool = True, locale: str = "en"):
    """vl_convert, set up once per process: its own fonts only, no network; V8 started if asked.

    vl-convert loads the host's fonts through fontconfig's list of directories
    the first time it needs a font.  Pointing FONTCONFIG_FILE, for that moment
    only, at a configuration whose one directory is empty leaves the fonts it
    carries in memory (Liberation Sans, in four styles).  Rasterising a card
    needs no V8, so ``v8=False`` leaves it unstarted (and this process forkable).
    A ``locale`` other than English adds the one font its charts are drawn in
    (fonts.FontMissing, naming the package, if it is not installed).
    """
    import vl_convert as vlc

    from . import fonts

    with _setup:
        if not _state["fonts"]:
            vlc.configure(**_CONFIG)
            logging.getLogger("tiny_skia.painter").addFilter(_not_dashing)
            with tempfile.TemporaryDirectory(prefix="explainer-fonts-") as tmp:
                conf = Path(tmp) / "fonts.conf"
                conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(tmp)}</dir></fontconfig>\n',
                                encoding="utf-8")
                before = os.environ.get("FONTCONFIG_FILE")
                os.environ["FONTCONFIG_FILE"] = str(conf)
                try:
                    vlc.svg_to_png(_EMPTY_SVG)  # loads the one font database, shared with V8's text measuring
                finally:
                    if before is None:
                        del os.environ["FONTCONFIG_FILE"]
                    else:
                        os.environ["FONTCONFIG_FILE"] = before
            _state["fonts"] = True
        if locale not in _state["locales"]:
            vlc.register_font_directory(str(fonts.directory(locale)))
            _state["locales"].add(locale)
        if v8 and not _state["v8"]:
            vlc.warm_up_workers()
            _state["v8"] = True
    return vlc


class _Warnings(logging.Handler):
    """Collects what Vega-Lite and Vega warn about while one chart is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_drawing = threading.Lock()


def draw(spec: dict, locale: str = "en") -> tuple[dict, str, tuple[str, ...]]:
    """Compile a Vega-Lite spec to Vega and draw its SVG (vl-convert, on this thread), with its warnings.

    A warning ("Invalid aggregation operator", "Infinite extent for field") is
    a chart drawn wrong, so it is kept with the drawing and the build reports
    it as an error of the chart; vl-convert sends it to Python's logging.
    ``locale``'s font is set up first (the spec names it: theme.config(locale)).
    """
    vlc = vl_convert(locale=locale)
    caught, logger = _Warnings(), logging.getLogger("vl_convert")
    with _drawing:  # one drawing at a time, so the warnings caught are this chart's
        logger.addHandler(caught)
        try:
            # Compile once; the SVG of the compiled spec is byte-identical to rendering
            # the Vega-Lite spec directly, and the same Vega drives the interactive view.
            vega = aria.localize(vlc.vegalite_to_vega(spec), locale)  # its guides' labels in the edition's words
            svg = vlc.vega_to_svg(vega)
        finally:
            logger.removeHandler(caught)
    # The root <svg> gets its role, name and description in embed.py; here we only
    # drop the fixed class vl-convert writes so our CSS can target the root cleanly.
    return vega, re.sub(r'^<svg ([^>]*?)class="marks" ', r"<svg \1", svg, count=1), tuple(caught.messages)


def web_font(text: str, locale: str = "ja") -> bytes:
    """``locale``'s chart font as WOFF2, cut down to the characters of ``text`` (vl-convert's own subsetter).

    A reader's browser draws a chart's static SVG text in the first face of
    theme.FONT_JA it has; without IPAexGothic that is another face with other
    widths.  Served from the site with an @font-face rule (font-family
    fonts.JA_FAMILY, font-src 'self'), it is the face the text was measured in:
    about 100 kB for every character the Japanese charts show, against 6 MB
    for the whole font.  Same text, same bytes.
    """
    from . import theme

    vlc = vl_convert(locale=locale)
    spec = {"marks": [{"type": "text", "encode": {"enter": {
        "text": {"value": "".join(sorted(set(text) - {"\n", "\r", "\t"}))},
        "font": {"value": theme.FONTS[locale]}}}}]}
    with _drawing:  # vl-convert reports a host font only while it would embed one: never while a chart is drawn
        vlc.configure(embed_local_fonts=True)
        try:
            found = vlc.vega_fonts(spec, include_font_face=True, subset_fonts=True)
        finally:
            vlc.configure(embed_local_fonts=False)
    faces = [v["font_face"] for f in found for v in f["variants"]]
    if len(faces) != 1 or not faces[0]:
        raise ValueError(f"expected one face for the {locale} charts, vl-convert found {found!r:.200}")
    return base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", faces[0]).group(1))


CARD_WIDTH, CARD_HEIGHT = 1200, 630  # px: the 1.91:1 image Open Graph and Twitter show whole


def draw_card(card_svg: str, locale: str = "en") -> bytes:
    """A social card's SVG, laid out at CARD_WIDTH by CARD_HEIGHT, as a PNG (resvg; no V8)."""
    if not card_svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" '
                               f'height="{CARD_HEIGHT}" '):
        raise ValueError(f"a card SVG that is not {CARD_WIDTH} by {CARD_HEIGHT}")
    return vl_convert(v8=False, locale=locale).svg_to_png(card_svg)


def _not_dashing(record: logging.LogRecord) -> bool:
    # resvg warns that it cannot dash a line of a single point (a lone forecast
    # year draws one); there is nothing to draw either way, and the same SVG
    # was drawn, with its warnings checked, by draw().
    return record.getMessage() != "path dashing failed"
