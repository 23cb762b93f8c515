"""The pieces that keep data inert outside HTML, one by one: CSV cells, source addresses,
and what a chart may load.  (The whole-site corpus is test_hostile.py.)"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from macros.charts.speccheck import backslash_titles, spec_fetches, svg_fetches
from macros.data.check import is_url as _is_url
from macros.pages.exports import FORMULA_START, csv_cell, csv_text


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-1", "＝1+1", "=HYPERLINK(\"x\")"])
def test_text_that_starts_a_formula_opens_with_an_apostrophe(text):
    assert csv_cell(text) == "'" + text
    row = next(csv.reader(io.StringIO(csv_text([[text]]), newline="")))
    assert row == ["'" + text]


@pytest.mark.parametrize("value", [-3.5, -1, 0, 12, 1e-9, True, None, "Korea", " =1", "a=b", "'=1"])
def test_numbers_and_other_text_are_left_as_they_are(value):
    """A negative number is a number (written from a float or int, never prefixed); text that does not
    start a formula keeps its first character."""
    assert csv_cell(value) is value or csv_cell(value) == value


def test_a_negative_number_stays_a_number_in_the_csv():
    assert csv_text([["x", -3.5, "-3.5"]]) == "x,-3.5,'-3.5\n"


def test_every_trigger_is_listed():
    assert set("=+-@\t\r") <= set(FORMULA_START)


@pytest.mark.parametrize("url, ok", [
    ("https://www.nippon.com/en/news/x.html", True),
    ("http://example.org/?q=a&b=c", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("file:///etc/passwd", False),
    ("//evil.example/x", False),
    ("https://", False),
    ("https://example.org/a b", False),
    ("https://example.org/\nx", False),
    ("https://example.org/\tx", False),
    (" https://example.org/", False),
    ("https://example.org/\u202ex", False),
    ("https://example.org/\u200bx", False),
    ("java\nscript:alert(1)", False),
    (None, False),
])
def test_a_source_url_is_an_http_address_and_nothing_else(url, ok):
    assert _is_url(url) is ok


@pytest.mark.parametrize("spec, what", [
    ({"mark": "image", "encoding": {}}, "an image mark"),
    ({"mark": {"type": "image"}}, "an image mark"),
    ({"marks": [{"type": "image"}]}, "an image mark"),
    ({"data": {"url": "https://x/y.csv"}}, "'url'"),
    ({"data": [{"name": "a", "url": "https://x/y.csv"}]}, "'url'"),
    ({"encoding": {"href": {"field": "link"}}}, "'href'"),
    ({"mark": {"type": "bar", "href": "https://x"}}, "'href'"),
    ({"marks": [{"encode": {"update": {"href": {"value": "https://x"}}}}]}, "'href'"),
    ({"config": {"background": "url(https://x/y.png)"}}, "url()"),
    ({"mark": {"type": "bar", "fill": "url('//x/y.png')"}}, "url()"),
    ({"mark": {"type": "bar", "cursor": "url(https://x/c.cur), auto"}}, "url()"),
])
def test_what_a_spec_would_load_is_found(spec, what):
    found = spec_fetches(spec)
    assert found and what in found[0][0], found


def test_inline_data_and_text_load_nothing():
    """Data rows and titles are text, drawn as text: a payload there is not an address to load."""
    spec = {"data": {"values": [{"url": "https://x", "href": "https://y", "image": "url(https://z)"}]},
            "datasets": {"d": [{"url": "https://x"}]}, "mark": "bar",
            "title": "url(https://x)", "encoding": {"x": {"field": "url", "title": "href url(https://x)"}},
            "config": {"mark": {"fill": "url(#gradient)"}}, "description": "url(https://x)"}
    assert spec_fetches(spec) == []


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
       '<defs><clipPath id="c"><rect/></clipPath></defs><g clip-path="url(#c)">{}'
       '<text>url(https://x) href="https://x"</text></g></svg>')


@pytest.mark.parametrize("inner", [
    '<image href="https://x/y.png"/>', '<image xlink:href="//x/y.png"/>', '<a href="https://x"><rect/></a>',
    '<use xlink:href="https://x/s.svg#a"/>', '<rect fill="url(https://x/p.svg#g)"/>',
    '<rect style="fill: url(//x/p.svg)"/>', '<style>@import "https://x/a.css";</style>',
    '<rect cursor="url(https://x/c.cur), auto"/>', '<feImage href="https://x/y.png"/>',
])
def test_what_an_svg_would_load_is_found(inner):
    assert svg_fetches(SVG.format(inner))


def test_an_svg_that_loads_nothing_passes():
    assert svg_fetches(SVG.format('<use href="#c"/><rect fill="url(#c)"/>')) == []


def test_the_drawn_chart_is_checked_too():
    """The compiled Vega and the SVG of a drawing (cached or not) are checked, reported at the chart function."""
    from macros.build.chart_slots import fetch_problems

    chart = SimpleNamespace(id="x_chart", build=test_the_drawn_chart_is_checked_too)
    rendered = SimpleNamespace(vega={"marks": [{"type": "image"}]}, svg=SVG.format('<image href="https://x/y.png"/>'))
    problems = fetch_problems(chart, rendered)
    assert len(problems) == 3, problems
    assert all(p.file == "macros/charts/catalog.py" and p.key == "x_chart" and p.line for p in problems)
    clean = SimpleNamespace(vega={"marks": [{"type": "rect"}]}, svg=SVG.format(""))
    assert fetch_problems(chart, clean) == []


def test_a_title_with_a_backslash_is_found():
    assert backslash_titles({"encoding": {"x": {"title": 'a \\" b'}}}) == ['a \\" b']
    assert backslash_titles({"title": {"text": "a\\b"}}) == ["a\\b"]
    assert backslash_titles({"data": {"values": [{"title": "a\\b"}]}, "title": "plain"}) == []


def test_a_carriage_return_inside_a_cell_is_quoted_and_stays_in_its_row():
    text = csv_text([["id", "note"], ["a", "one\rtwo"], ["b", "x\ny"]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["id", "note"], ["a", "one\rtwo"], ["b", "x\ny"]]


def test_the_writer_writes_what_the_csv_module_does_for_ordinary_rows():
    rows = [["id", "label", "value"], ["a.b", 'say "hi", then', 387300000000], ["c", "plain", 3.5], ["d", "", None]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["" if v is None else v for v in r] for r in rows])
    assert csv_text(rows) == buf.getvalue()
