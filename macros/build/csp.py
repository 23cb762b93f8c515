"""The Content-Security-Policy every page carries, as a <meta> (GitHub Pages sets no headers).

Scripts run only from the site itself, plus the theme's few inline scripts,
each allowed by the sha256 of its text as the built page holds it (computed
here from the final HTML, never typed).  No 'unsafe-inline', no 'unsafe-eval':
the charts' Vega runtime evaluates expressions with vega-interpreter instead
of the Function constructor (docs/assets/charts.js).  Styles come only from
the site's stylesheets: neither Material's templates nor our chart SVGs write
a <style> element or a style="" attribute (scripts that style elements do it
through the CSSOM, which a policy does not govern), so style-src needs
neither 'unsafe-inline' nor hashes; a test keeps it so.  (A page that has a
<style> element, as the review report a preview publishes does, gets its hash
in style-src; a style="" attribute would need 'unsafe-hashes', so none is
allowed.)

Material's instant navigation keeps the policy of the first page a reader
opens and adds each next page's <meta> if it differs; a script it re-runs
from the next page must pass both.  So every page carries one policy: the
theme's scripts are the same on every page (``extra.scope``, set in macros/build/plugin.py,
makes the one that named the page's depth site-wide), and ``unify`` gives
every page the hashes of every inline script the site has, should one page
ever gain a script of its own.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
from pathlib import Path

# Types a browser runs (anything else, application/json say, is a data block, never run).
_RUN = {"", "module", "importmap", "speculationrules", "text/javascript", "application/javascript",
        "application/ecmascript", "application/x-javascript", "text/ecmascript", "text/jscript"}
# Everything but script-src, in the order written.
DIRECTIVES = (
    ("default-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


# Where the scan stops: a comment (skipped whole, as a browser ends it), or a start tag (its name, and its
# attributes read with their quotes, so a ">" or "<script" inside a quoted value is never taken for markup).
# Only these are tokens; the text between, the SVG drawings' bulk, is passed over by the regex engine.
_TOKEN = re.compile(r"""<!--(?:>|->|.*?(?:--!?>|\Z))|<([a-zA-Z][^\s/>]*+)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""", re.S)
_ATTR = re.compile(r"""([^\s/>=][^\s/>=]*+)(?:\s*+=\s*+("[^"]*+"|'[^']*+'|[^\s>]++))?""")
# What ends a <script> or <style>'s text in a browser: the first "</script" (any case) followed by
# whitespace, "/" or ">", even inside a string of the script's own.
_END = {tag: re.compile(rf"</{tag}[\t\n\f\r />]", re.I) for tag in ("script", "style")}


def _attributes(text: str) -> dict[str, str]:
    """A start tag's attributes, names lower-cased and values unquoted and unescaped; the first of two
    with one name counts, as in a browser."""
    out: dict[str, str] = {}
    for name, value in _ATTR.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        out.setdefault(name.lower(), html_lib.unescape(value))
    return out


def inline_texts(html: str) -> list[tuple[str, str]]:
    """(directive, text) of each inline script that runs ("script-src") and each <style> ("style-src"), in
    the order of the page, each text as a browser reads it (CR LF and CR as LF: HTML's input preprocessing).

    Not an HTML parser (Python's took 4 s of a 16x build, most of it tokenizing the charts' SVG): the
    page is searched for comments and start tags only, and a <script> or <style> read to its end tag.
    Like Python's parser, and unlike a browser, it reads <title>, <textarea> and <noscript> as markup:
    a "<script>" written as text in one would be hashed for nothing (allowed, never blocked).  A script
    whose text holds both "<!--" and "<script" is refused: a browser may read past its first "</script>"."""
    found: list[tuple[str, str]] = []
    pos = 0
    while (m := _TOKEN.search(html, pos)) is not None:
        pos = m.end()
        tag = (m.group(1) or "").lower()
        if tag not in _END:
            continue
        close = _END[tag].search(html, pos)
        text, pos = html[pos:close.start() if close else len(html)], close.start() if close else len(html)
        if tag == "script":
            if "<!--" in text and "<script" in text.lower():
                raise ValueError(f"an inline script holds both '<!--' and '<script': {text[:80]!r}")
            attrs = _attributes(m.group(2))
            kind = attrs.get("type", "").strip().lower().split(";")[0].strip()
            if "src" in attrs or kind not in _RUN:
                continue
        found.append((f"{tag}-src", text.replace("\r\n", "\n").replace("\r", "\n")))
    return found


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes: set[tuple[str, str]]) -> str:
    """The policy allowing the (directive, hash) pairs given: script-src always names its hashes, and
    style-src those of <style> elements (the site's pages have none: style-src 'self')."""
    allowed = dict((DIRECTIVES[0], ("script-src", "'self'"), *DIRECTIVES[1:]))
    for directive, digest in sorted(hashes):
        allowed[directive] += " " + digest
    return "; ".join(f"{name} {value}" for name, value in allowed.items())


def hashes_of(html: str) -> set[tuple[str, str]]:
    """The hashes of a page's inline scripts and styles (its policy is a <meta>: not among them)."""
    return {(directive, source_hash(text)) for directive, text in inline_texts(html)}


def secure(html: str, hashes: set[tuple[str, str]] | None = None, where: str = "") -> str:
    """The page with its policy first in <head> (before any script, which it must precede to govern),
    right after <meta charset> (which must stay in the first 1024 bytes); an older policy is replaced.

    A page with no <head> stops the build (a PluginError naming ``where``)."""
    content = policy(hashes_of(html) if hashes is None else hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    if META.search(html):
        return META.sub(lambda _: meta, html, count=1)
    at = _CHARSET.search(html) or _HEAD.search(html)
    if at is None:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{where}: no <head> to put the Content-Security-Policy in")
    return html[:at.end()] + meta + html[at.end():]


def unify(site_dir: Path) -> list[Path]:
    """Give every HTML file under site_dir the one policy that allows every inline script (and <style>)
    of the site.

    Returns the files rewritten (none when every page already runs the same scripts)."""
    pages = sorted(site_dir.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    every = set().union(*(hashes_of(t) for t in texts.values())) if texts else set()
    changed = []
    for path, text in texts.items():
        new = secure(text, every, where=path.relative_to(site_dir).as_posix())
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
