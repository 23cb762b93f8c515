"""The fonts the charts are measured and drawn in, beyond the Liberation Sans vl-convert carries.

The Japanese edition's charts are laid out in IPAexGothic, from Debian's
``fonts-ipaexfont-gothic`` (one TrueType file, pinned by the Debian release;
nothing is downloaded at build time).  The package's own directory holds that
file and nothing else, so registering the directory with vl-convert adds that
one face and no other host font (macros/charts/draw.py).

The few tables read here (name, cmap, hmtx) are read by hand, with the
standard library: the tests check every character a chart shows has a glyph,
and that text is measured to the font's own advance widths.
"""

from __future__ import annotations

import os
import struct
from functools import lru_cache
from pathlib import Path

JA_PACKAGE = "fonts-ipaexfont-gothic"  # Debian's (bookworm: 00401-5)
JA_DIR = Path(os.environ.get("EXPLAINER_JA_FONT_DIR", "/usr/share/fonts/opentype/ipaexfont-gothic"))
JA_FILE = "ipaexg.ttf"
JA_FAMILY = "IPAexGothic"  # the family vl-convert (fontdb) and browsers know it by; 'IPAexゴシック' in Japanese


class FontMissing(RuntimeError):
    """A font a locale's charts are drawn in is not installed; the message is one line, naming the package."""


def directory(locale: str) -> Path | None:
    """The directory to register with vl-convert for ``locale``'s charts (None: the built-in font serves)."""
    if locale == "en":
        return None
    if locale != "ja":
        raise ValueError(f"no chart font is set up for locale '{locale}'")
    found = sorted(p.name for p in JA_DIR.iterdir()) if JA_DIR.is_dir() else []
    if JA_FILE not in found:
        raise FontMissing(f"The Japanese charts are drawn in IPAexGothic: install Debian's {JA_PACKAGE} "
                          f"(sudo apt-get install {JA_PACKAGE}); {JA_DIR / JA_FILE} is missing.")
    if found != [JA_FILE]:  # registering the directory would bring these in too
        raise FontMissing(f"{JA_DIR} should hold only {JA_FILE} ({JA_PACKAGE}); it also has "
                          f"{', '.join(n for n in found if n != JA_FILE)}.")
    return JA_DIR


def ja_font() -> Path:
    """The Japanese charts' font file (FontMissing if it is not installed)."""
    return directory("ja") / JA_FILE


# --- reading a TrueType file: just the tables the checks need -------------------------------------------


def _tables(data: bytes) -> dict[bytes, bytes]:
    if data[:4] == b"ttcf":
        raise ValueError("a font collection (.ttc): one face per file is expected")
    (count,) = struct.unpack_from(">H", data, 4)
    out = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * i)
        out[tag] = data[offset:offset + length]
    return out


@lru_cache(maxsize=4)
def _read(path: Path) -> dict[bytes, bytes]:
    return _tables(Path(path).read_bytes())


@lru_cache(maxsize=4)
def cmap(path: Path) -> dict[int, int]:
    """Code point -> glyph id, from the font's Unicode cmap (format 12 if it has one, else format 4)."""
    table = _read(path)[b"cmap"]
    (count,) = struct.unpack_from(">H", table, 2)
    subtables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", table, 4 + 8 * i)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
            subtables[struct.unpack_from(">H", table, offset)[0]] = offset
    out: dict[int, int] = {}
    if 12 in subtables:
        at = subtables[12]
        (groups,) = struct.unpack_from(">L", table, at + 12)
        for g in range(groups):
            start, end, glyph = struct.unpack_from(">LLL", table, at + 16 + 12 * g)
            out.update((c, glyph + c - start) for c in range(start, end + 1))
        return out
    at = subtables[4]
    segs = struct.unpack_from(">H", table, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segs}H", table, at + 14)
    starts = struct.unpack_from(f">{segs}H", table, at + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", table, at + 16 + 4 * segs)
    range_at = at + 16 + 6 * segs
    offsets = struct.unpack_from(f">{segs}H", table, range_at)
    for s, (start, end, delta, ro) in enumerate(zip(starts, ends, deltas, offsets)):
        for c in range(start, end + 1):
            if c == 0xFFFF:
                continue
            if ro == 0:
                glyph = (c + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", table, range_at + 2 * s + ro + 2 * (c - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                out[c] = glyph
    return out


def families(path: Path) -> set[str]:
    """Every family name the font gives itself (name IDs 1 and 16, in every language it names)."""
    table = _read(path)[b"name"]
    count, strings = struct.unpack_from(">HH", table, 2)
    out = set()
    for i in range(count):
        platform, _, _, name_id, length, offset = struct.unpack_from(">HHHHHH", table, 6 + 12 * i)
        if name_id in (1, 16) and platform in (0, 3):
            out.add(table[strings + offset:strings + offset + length].decode("utf-16-be"))
    return out


def advance(path: Path, text: str, size: float) -> float:
    """The width of ``text`` at ``size`` px from the font's advance widths (no kerning: CJK text has none)."""
    t = _read(path)
    (units,) = struct.unpack_from(">H", t[b"head"], 18)
    (metrics,) = struct.unpack_from(">H", t[b"hhea"], 34)
    glyphs = cmap(path)
    total = 0
    for ch in text:
        g = min(glyphs.get(ord(ch), 0), metrics - 1)
        total += struct.unpack_from(">H", t[b"hmtx"], 4 * g)[0]
    return total * size / units
