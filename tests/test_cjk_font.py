"""The Japanese charts' font: IPAexGothic (Debian's fonts-ipaexfont-gothic), registered with vl-convert.

Text is measured in the face it is drawn in, the SVG names only that face, and
every character a Japanese chart can show has a glyph in it.  Without the font
these tests are skipped, except in CI, where tasks.py test installs it.

The glyph check reads data/ja/ (or the directory EXPLAINER_JA_DATA names, to
check another branch's texts before they are merged).
"""

from __future__ import annotations

import logging
import math
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
import yaml

from macros.charts import fonts, draw, theme

ROOT = Path(__file__).resolve().parent.parent
JA_DATA = Path(os.environ.get("EXPLAINER_JA_DATA") or ROOT / "data" / "ja")
# What the Japanese number and date formats write around the digits (macros/pages/ja_numbers.py, macros/pages/format.py).
FORMAT_CHARACTERS = "0123456789,.+-−–%‰¥$円万億兆年度月日時点約〜～（）()・：:、。 "
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@pytest.fixture(scope="module")
def ja_font() -> Path:
    try:
        return fonts.ja_font()
    except fonts.FontMissing as e:
        if os.environ.get("CI"):
            pytest.fail(f"{e} (tasks.py test installs it)")
        pytest.skip(str(e))


def _faces(font_family: str) -> list[str]:
    return [f.strip().strip("'\"") for f in font_family.split(",")]


def _width(text: str, locale: str) -> int:
    """The width vl-convert measured ``text`` at, as the width of a drawing holding only it."""
    vlc = draw.vl_convert(locale=locale)
    spec = {"data": {"values": [{"a": text}]}, "width": 1, "height": 1, "autosize": {"type": "pad"},
            "mark": {"type": "text", "align": "left", "baseline": "top", "x": 0, "y": 0},
            "encoding": {"text": {"field": "a"}}, "config": {**theme.config(locale), "padding": 0}}
    return vlc.vega_to_scenegraph(vlc.vegalite_to_vega(spec))["width"]


def test_the_directory_registered_holds_only_the_font(ja_font):
    assert fonts.directory("ja") == ja_font.parent
    assert [p.name for p in ja_font.parent.iterdir()] == [ja_font.name]
    assert fonts.directory("en") is None


def test_font_ja_names_only_that_face(ja_font):
    named = [f for f in _faces(theme.FONT_JA) if f not in GENERIC]
    assert named and named[0] == fonts.JA_FAMILY
    assert set(named) <= fonts.families(ja_font), fonts.families(ja_font)
    assert theme.config("ja")["font"] == theme.FONT_JA
    # Besides the face, only what a screen reader calls each mark differs (macros/charts/aria.py).
    from macros.charts.aria import mark_config

    def without_roles(config: dict) -> dict:
        return {k: {kk: vv for kk, vv in v.items() if kk != "ariaRoleDescription"} if isinstance(v, dict) else v
                for k, v in config.items() if k != "font" and v != {}}

    ja, en = theme.config("ja"), theme.config()
    assert {k: v["ariaRoleDescription"] for k, v in ja.items() if isinstance(v, dict) and "ariaRoleDescription" in v} \
        == {k: v["ariaRoleDescription"] for k, v in mark_config("ja").items()}
    assert without_roles({k: v for k, v in ja.items() if k in en}) == without_roles(en)
    assert set(ja) - set(en) <= set(mark_config("ja"))


def test_a_japanese_chart_is_measured_and_named_in_the_font(ja_font):
    spec = {"title": {"text": "ラピダスへの国の支援", "subtitle": "累計（億円）"},
            "data": {"values": [{"k": "補助金（累計）", "v": 9225}, {"k": "出資（累計）", "v": 1000}]},
            "mark": "bar", "encoding": {"y": {"field": "k", "type": "nominal", "title": "種類"},
                                        "x": {"field": "v", "type": "quantitative", "title": "億円"}},
            "config": theme.config("ja")}
    _, svg, warnings = draw.draw(spec, locale="ja")
    assert not warnings
    assert "補助金（累計）" in svg
    named = set(re.findall(r'font-family="([^"]*)"', svg))
    assert named, "the SVG names no font"
    for family in named:
        assert _faces(family.replace("&#x27;", "'")) == _faces(theme.FONT_JA), family
    # Measured to IPAexGothic's own advance widths (vl-convert rounds the drawing up to a whole pixel),
    # Latin letters included, which Liberation Sans draws narrower.
    for text in ("補助金（累計）", "ラピダス Rapidus 2nm（累計）", "Rapidus Wiiiii illl" * 3):
        assert _width(text, "ja") == math.ceil(fonts.advance(ja_font, text, theme.TEXT)), text
    assert _width("Rapidus Wiiiii illl" * 3, "en") < math.ceil(fonts.advance(ja_font, "Rapidus Wiiiii illl" * 3,
                                                                             theme.TEXT))


def _png_pixels(png: bytes) -> list[bytes]:
    """The rows of an 8-bit RGBA PNG (as resvg writes), unfiltered."""
    at, idat, width = 8, b"", 0
    while at < len(png):
        length, kind = struct.unpack_from(">L4s", png, at)
        body = png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, _, depth, colour = struct.unpack_from(">LLBB", body)
            assert (depth, colour) == (8, 6)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, rows, stride, prev = zlib.decompress(idat), [], 4 * width, bytearray(4 * width)
    for y in range(len(raw) // (stride + 1)):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a, b = line[i - 4] if i >= 4 else 0, prev[i]
            c = prev[i - 4] if i >= 4 else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c)
                    else c][f]
            line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return rows


def test_a_japanese_card_draws_glyphs_not_blanks(ja_font, caplog):
    """resvg (the social cards' PNG) finds the face by the name the SVG gives and draws its glyphs (a face
    without them draws the same box for every character, so two strings would have the same ink)."""
    def ink(text: str) -> int:
        w, h = draw.CARD_WIDTH, draw.CARD_HEIGHT
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
               f'<text x="10" y="100" font-size="60" font-family="{theme.FONT_JA.replace(chr(39), "&#x27;")}">'
               f'{text}</text></svg>')
        rows = _png_pixels(draw.draw_card(svg, locale="ja"))
        return sum(1 for row in rows for alpha in row[3::4] if alpha)

    with caplog.at_level(logging.WARNING):
        assert ink("補助金") > 1000
        assert ink("補助金") != ink("出資額")
    assert not [r.getMessage() for r in caplog.records if r.getMessage().startswith(("No match", "No fonts"))]


def _strings(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, str(k)
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def test_every_character_a_japanese_chart_shows_has_a_glyph(ja_font):
    """Every string in data/ja/ (charts.yml's titles, subtitles, descriptions and texts; the topics' labels,
    names and notes, more than the charts show) and the number formats' characters."""
    files = sorted(JA_DATA.glob("*.yml"))
    if not files:
        pytest.skip(f"no Japanese texts in {JA_DATA}")
    glyphs = fonts.cmap(ja_font)
    missing: dict[str, str] = {}
    for file in files:
        for where, text in _strings(yaml.safe_load(file.read_text(encoding="utf-8"))):
            for ch in text:
                if ch not in "\n\t" and ord(ch) not in glyphs:
                    missing.setdefault(ch, f"{file.name}: {where}: {text[:40]!r}")
    for ch in FORMAT_CHARACTERS:
        if ord(ch) not in glyphs:
            missing.setdefault(ch, "the number formats")
    assert not missing, "no glyph in IPAexGothic for:\n" + "\n".join(
        f"  U+{ord(ch):04X} {ch!r}  ({where})" for ch, where in missing.items())
    assert "charts.yml" in {f.name for f in files}


def test_a_missing_font_stops_the_build_with_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "JA_DIR", tmp_path / "nowhere")
    with pytest.raises(fonts.FontMissing) as e:
        fonts.directory("ja")
    assert "\n" not in str(e.value) and fonts.JA_PACKAGE in str(e.value)
    (tmp_path / "crowded").mkdir()
    (tmp_path / "crowded" / fonts.JA_FILE).write_bytes(b"")
    (tmp_path / "crowded" / "other.ttf").write_bytes(b"")
    monkeypatch.setattr(fonts, "JA_DIR", tmp_path / "crowded")
    with pytest.raises(fonts.FontMissing, match="other.ttf"):
        fonts.directory("ja")


def test_the_web_font_is_the_face_cut_down_to_the_characters_asked_for(ja_font):
    """What the site would serve so a reader's browser draws the SVG's text in the face it was measured in."""
    few = draw.web_font("補助金（累計）億円")
    more = draw.web_font("補助金（累計）億円、ラピダスへの国の支援 2026年度")
    assert few[:4] == more[:4] == b"wOF2"
    assert len(few) < len(more) < ja_font.stat().st_size // 100
    assert draw.web_font("円億金助補（）計累") == few  # the characters, not their order or repeats
    assert draw.vl_convert().get_config()["embed_local_fonts"] is False  # charts still embed no font


def test_a_build_with_a_japanese_edition_and_no_font_stops_with_one_line(monkeypatch, tmp_path, capsys):
    import tasks

    assert tasks.chart_fonts().JA_PACKAGE == fonts.JA_PACKAGE  # tasks.py reads macros/charts/fonts.py itself
    (tmp_path / "mkdocs.ja.yml").write_text("INHERIT: mkdocs.yml\n")
    fonts_module = tasks.chart_fonts()
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "chart_fonts", lambda: fonts_module)
    monkeypatch.setattr(tasks, "has_ja_font", lambda: False)
    monkeypatch.setattr(tasks, "apt_install", lambda packages, why: False)
    with pytest.raises(SystemExit) as e:
        tasks.ensure_chart_fonts()
    assert "\n" not in str(e.value.code) and "sudo apt-get install fonts-ipaexfont-gothic" in str(e.value.code)
    (tmp_path / "mkdocs.ja.yml").unlink()
    tasks.ensure_chart_fonts()  # no Japanese edition: the English build needs no other font
