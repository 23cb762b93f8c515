"""The Content-Security-Policy's scan for inline scripts and styles (macros/build/csp.py: inline_texts)
against a reference: Python's HTML parser, which the build used until December 2026 and which
tokenizes the whole page.  A script the scan misses is a script the policy blocks."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from macros.build import csp

RUN = {"", "module", "importmap", "speculationrules", "text/javascript", "application/javascript",
       "application/ecmascript", "application/x-javascript", "text/ecmascript", "text/jscript"}


class _Reference(HTMLParser):
    """(directive, text) of each <style> and each inline script a browser runs, by Python's parser."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[str, str]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self._text = []
        elif tag == "script":
            kind = (attrs.get("type") or "").strip().lower().split(";")[0].strip()
            self._text = [] if "src" not in attrs and kind in RUN else None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._text is not None:
            self.found.append((f"{tag}-src", "".join(self._text).replace("\r\n", "\n").replace("\r", "\n")))
            self._text = None


def reference(html: str) -> list[tuple[str, str]]:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    return parser.found


def test_every_page_of_the_site_scans_as_the_reference_parses(site):
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 10 and any("ja" in p.relative_to(site.site).parts for p in pages)
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = csp.inline_texts(html)
        assert found == reference(html), path.relative_to(site.site)
        assert any(d == "script-src" for d, _ in found), f"{path}: Material's inline scripts not found"


HEAD = '<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
CASES = {
    "plain": "<script>a()</script>",
    "the theme's types": '<script type="module">a()</script><script type="text/javascript">b()</script>'
                         "<script type=''>c()</script><script type=\"TEXT/JavaScript; charset=utf-8\">d()</script>",
    "data blocks are not hashed": '<script type="application/json">{"a": 1}</script>'
                                  "<script type=APPLICATION/JSON>{}</script><script type=text/template>x</script>",
    "scripts with src are not": '<script src="a.js"></script><script SRC=b.js>no()</script><script defer src>no()</script>',
    "CR LF and CR read as LF": "<script>a()\r\nb()\rc()\n</script><style>p{}\r\n</style>",
    "upper case tags and end tags with space": "<SCRIPT>a()</SCRIPT ><Style>p{}</style\n><script>b()</script\t>",
    "a > and a <script> in quoted attribute values": "<div title=\"a > <script>no()</script>\">x</div>"
                                                        "<p data-x='<style>' class=\"'\">y</p><script data-x=\">\">a()</script>",
    "unquoted attribute values": "<script type=module data-x=a>a()</script><style media=print>p{}</style>",
    "a </script in a string ends the script, as in a browser": '<script>var s = "</script>"; b()</script>',
    "end tags that are not the script's": "<script>a('</scripts>', '</scriptx', '<\\/script>')</script>",
    "comments are skipped": "<!-- <script>no()</script> --><!----><script>a()</script><!-- x --!><script>b()</script>",
    "character references are not decoded in scripts": "<script>a&amp;b &lt;c&gt;</script>",
    "elements named like script": "<scripts>no()</scripts><styles>p{}</styles><script-x>x</script-x>",
    "SVG inline, with titles": '<svg><title>a &lt; b</title><path d="M0 0L1 1"/><g aria-label="x > y"></g></svg>'
                               "<script>a()</script>",
    "JSON with an escaped end tag": '<script type="application/json">{"a": "<\\/script>"}</script><script>b()</script>',
    "many attributes": '<script async crossorigin="anonymous" integrity=\'sha\' nomodule>a()</script>',
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_the_scan_finds_what_the_reference_finds(body):
    html = HEAD + body + "</head><body></body></html>"
    assert csp.inline_texts(html) == reference(html)


def test_what_the_scan_finds_in_the_cases():
    page = HEAD + "".join(CASES.values())
    texts = [text for _, text in csp.inline_texts(page)]
    assert "no()" not in "".join(texts) and '{"a": 1}' not in texts and "{}" not in texts and "x" not in texts
    assert 'var s = "' in texts and "a()\nb()\nc()\n" in texts and "a&amp;b &lt;c&gt;" in texts


def test_an_unclosed_script_runs_to_the_end_of_the_page():
    assert csp.inline_texts(HEAD + "<script>a()") == [("script-src", "a()")] == reference(HEAD + "<script>a()</script>")


# Where Python's parser and a browser part, the scan reads as a browser does.

def test_a_self_closed_script_still_opens_as_in_a_browser():
    # Python's parser takes "<script/>" for an empty element; a browser ignores the slash and runs what follows.
    assert csp.inline_texts("<script/>a()</script><script />b()</script>") == [("script-src", "a()"), ("script-src", "b()")]


def test_a_space_after_the_slash_makes_no_end_tag_as_in_a_browser():
    assert csp.inline_texts("<script>a('</ script>')</script>") == [("script-src", "a('</ script>')")]


def test_the_first_of_two_type_attributes_counts_as_in_a_browser():
    # Python's parser keeps the last; a browser the first: this data block is never run.
    assert csp.inline_texts('<script type="application/json" type="">{}</script>') == []
    assert csp.inline_texts('<script type="" type="application/json">a()</script>') == [("script-src", "a()")]


def test_an_empty_comment_ends_where_a_browser_ends_it():
    # "<!-->" and "<!--->" are whole (empty) comments in a browser: what follows is markup.
    assert csp.inline_texts("<!--><script>a()</script>") == [("script-src", "a()")]
    assert csp.inline_texts("<!---><script>b()</script>") == [("script-src", "b()")]
    assert csp.inline_texts("<!-- <script>c()</script>") == []  # never closed: all comment


def test_a_script_a_browser_reads_past_its_end_tag_is_refused():
    # "<!--" then "<script" inside a script: a browser's double-escaped state, which the scan does not follow.
    with pytest.raises(ValueError, match="both '<!--' and '<script'"):
        csp.inline_texts("<script><!-- document.write('<script>x()</script>') --></script>")
