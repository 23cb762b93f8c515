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
import re
from html.parser import HTMLParser
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


class _Inline(HTMLParser):
    """The text of each inline script a browser would run, and of each <style>, as the browser reads it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[str, str]] = []  # (directive, text)
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self._text = []
        elif tag == "script":
            kind = (attrs.get("type") or "").strip().lower().split(";")[0].strip()
            self._text = [] if "src" not in attrs and kind in _RUN else None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._text is not None:
            # A browser reads CR LF and CR as LF before anything else (HTML's input preprocessing).
            text = "".join(self._text).replace("\r\n", "\n").replace("\r", "\n")
            self.found.append((f"{tag}-src", text))
            self._text = None


def inline_texts(html: str) -> list[tuple[str, str]]:
    """(directive, text) of each inline script that runs ("script-src") and each <style> ("style-src")."""
    parser = _Inline()
    parser.feed(html)
    parser.close()
    return parser.found


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(hashes: set[tuple[str, str]]) -> str:
    """The policy allowing the (directive, hash) pairs given: script-src always names its hashes, and
    style-src those of <style> elements (the site's pages have none: style-src 'self')."""
    allowed = dict((DIRECTIVES[0], ("script-src", "'self'"), *DIRECTIVES[1:]))
    for directive, digest in sorted(hashes):
        allowed[directive] += " " + digest
    return "; ".join(f"{name} {value}" for name, value in allowed.items())


_seen: dict[bytes, frozenset[tuple[str, str]]] = {}  # a page's digest -> its hashes (one build's pages)


def hashes_of(html: str) -> set[tuple[str, str]]:
    """The hashes of a page's inline scripts and styles, its policy aside.

    Parsing is most of the cost, and a page is hashed twice in a build (secure as it is
    written, unify after the build): the second time it is found by its digest."""
    html = META.sub("", html)
    key = hashlib.sha256(html.encode("utf-8")).digest()
    if key not in _seen:
        if len(_seen) > 10_000:
            _seen.clear()
        _seen[key] = frozenset((directive, source_hash(text)) for directive, text in inline_texts(html))
    return set(_seen[key])


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
