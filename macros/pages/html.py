"""Small HTML pieces every page writer uses: attributes inert to Markdown, relative links, anchors, tables.

Split from markup.py so that the claim box, the provenance, the updates and the
chart figures can use them without importing markup.py, which imports them.
"""

from __future__ import annotations

import functools
import posixpath
import re
from html import escape

from .exports import DATA_DIR
from .i18n import t

SOURCES_PAGE = "sources/"
AUDIT_PAGE = "claims/"


# Python-Markdown runs some inline patterns (code spans, backslash escapes, links, images, line
# breaks) before it sets raw HTML aside, so in an attribute of a tag the macros write into a
# paragraph (a figure link's title) a backtick, backslash or bracket from data is read as Markdown:
# a backtick tears the tag apart, and [x](javascript:...) or ![x](x) becomes a link or an image.
# As character references they are plain characters to a browser and nothing to Markdown.
_MARKDOWN_ACTIVE = str.maketrans({"`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;", "!": "&#33;",
                                  "\n": "&#10;", "\r": "&#13;"})


def attr(text: str) -> str:
    """Text for an attribute of inline HTML that Markdown will read: escaped, and inert to Markdown."""
    return escape(text).translate(_MARKDOWN_ACTIVE)


def url_from(page_url: str, target: str) -> str:
    """A link from one page (its URL, e.g. 'stimulus/') to a site path like 'sources/#x'."""
    path, _, fragment = target.partition("#")
    return _relative(page_url, path) + (f"#{fragment}" if fragment else "")


@functools.lru_cache(maxsize=1024)  # a thousand links a build, between a few dozen paths
def _relative(page_url: str, path: str) -> str:
    base = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else ""
    rel = posixpath.relpath(path or ".", base or ".") if path else ""
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def anchor(kind: str, ident: str) -> str:
    """An HTML id for a figure, source or claim: only [A-Za-z0-9-], so it is safe in an id, an href and
    a CSS selector as it is.  Validation already limits ids to those characters (and . and _);
    anything else is spelled out rather than trusted."""
    safe = ident.replace(".", "-").replace("_", "-")
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9-]", lambda m: f"-u{ord(m.group()):x}-", safe)


def stacked_table(cls: str, columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> str:
    """A table of prose that a phone shows one row to a block (docs/assets/explainer.css).

    ``columns`` are (heading, label): a non-empty label is printed before the
    cell when the row is a block and the heading is out of sight.  ``rows`` are
    (id, cells) or (id, cells, attributes), cells and attributes already HTML.  The explicit roles keep it a table for the
    browsers that drop a table's semantics with its display; not on <th>, which
    Material styles as sortable when it has role=columnheader.
    """
    def td(label: str, cell: str) -> str:
        return f'<td role="cell" data-label="{escape(label)}">{cell}</td>' if label else f'<td role="cell">{cell}</td>'

    # A line break between cells: the site search (Material's parser) joins the text of cells with none,
    # and an excerpt of the audit read "The stimulus6¥387.3 billion … applicationsAccurateBloomberg".
    head = "\n".join(f'<th scope="col">{escape(h)}</th>' for h, _ in columns)
    body = "\n".join(f'<tr id="{escape(row[0])}"{row[2] if len(row) > 2 else ""} role="row">'
                      + "\n".join(td(label, cell) for (_, label), cell in zip(columns, row[1], strict=True)) + "</tr>"
                      for row in rows)
    return ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f'<table class="{cls} stacked-table" role="table"><thead role="rowgroup"><tr role="row">{head}</tr></thead>\n'
            f'<tbody role="rowgroup">{body}</tbody></table></div></div>')


def downloads_line(page_url: str, what: str, files: tuple[str, ...]) -> str:
    """'Download every figure: CSV · JSON', linked from the page to files under assets/data/."""
    links = " · ".join(f'<a href="{escape(url_from(page_url, DATA_DIR + name))}" download>'
                       f'{escape(name.rsplit(".", 1)[1].upper())}</a>' for name in files)
    return f'<p class="dataset-downloads">{escape(t("download_line", "Download {what}: {links}")).format(what=escape(what), links=links)}</p>'
