"""A chart as a social card (og:image): the page's drawing under its title, 1200 by 630 px, as a PNG.

Split from store.py, which keeps the card beside its chart's entry under the same
key (so this file is in store.py's ``_CODE``: an edit here makes every card again).
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from .draw import CARD_HEIGHT, CARD_WIDTH, draw_card
from .theme import FONTS

if TYPE_CHECKING:  # store.py imports this module
    from .chartdef import ChartDef
    from .store import ChartCache, Rendered

OG_TEXT = "#1f2329"
OG_PAD = 40  # px of the card, all round
OG_TITLE = 32  # px: the title's size, less for a title too long to fit at it
OG_GAP = 20  # px between the title and the chart
OG_EM = {"en": 0.62, "ja": 1.0}  # the widest a bold title's average letter is, in ems (Liberation Sans
# Bold; IPAexGothic's kana and kanji are a full em)
_SIZE = re.compile(r'^<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def card_svg(svg: str, title: str, locale: str = "en") -> str:
    """The chart as a social-media card: titled, on white, with dark text, 1200 by 630 px.

    Open Graph and Twitter show a large image at 1.91:1 and crop any other
    shape, so the card is that shape, with the chart scaled to fit under the
    title and centred: a tall chart cropped would lose its title.  A card is an
    image, so the page's colours cannot reach it: the chart's ``currentColor``
    takes a fixed dark grey from the card, and the transparent background
    becomes white.  Built around the page's own SVG, so a card costs a
    rasterisation (resvg, no V8) and shows exactly the chart the page shows.
    """
    size = _SIZE.match(svg)
    if size is None or not svg.endswith("</svg>"):
        raise ValueError("a chart SVG without width and height")
    w, h = float(size.group(1)), float(size.group(2))
    room = CARD_WIDTH - 2 * OG_PAD
    font = min(OG_TITLE, room / (OG_EM[locale] * max(len(title), 1)))
    top = OG_PAD + font + OG_GAP
    scale = min(room / w, (CARD_HEIGHT - top - OG_PAD) / h)
    x, y = (CARD_WIDTH - w * scale) / 2, top + (CARD_HEIGHT - top - OG_PAD - h * scale) / 2
    # The chart's content moves into a group: resvg draws a nested <svg> (a new
    # viewport) about five times slower, for the same picture.
    content = svg[svg.index(">") + 1:-len("</svg>")]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'<text x="{OG_PAD}" y="{OG_PAD + font:.2f}" font-family="{escape(FONTS[locale])}" font-size="{font:.2f}" '
            f'font-weight="bold" fill="{OG_TEXT}">{escape(title)}</text>'
            f'<g color="{OG_TEXT}" transform="translate({x:.2f},{y:.2f}) scale({scale:.5f})">{content}</g></svg>')


def social_png(chart: ChartDef, rendered: Rendered, cache: ChartCache | None = None, key: str = "") -> bytes:
    """A PNG card of the chart (CARD_WIDTH by CARD_HEIGHT), kept beside the chart's entry (same key)."""
    png = cache.get_png(key) if cache is not None and key else None
    if png is None:
        png = draw_card(card_svg(rendered.svg, chart.title, chart.locale), locale=chart.locale)
        if cache is not None and key:
            cache.put_png(key, png)
    return png
