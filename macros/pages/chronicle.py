"""The corrections record in one build: the updates page and timeline macros, the Atom feed, and each
page's "last updated" date.

Kept beside site.py (which owns the build's state) rather than in it: it reads the
Site's data, page list and usage record, reports through it, and registers feed.xml
in its ``files``, the one place generated files are written from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .i18n import fmt, t
from ..charts.catalog import CHARTS
from ..errors import DataError, Problem, nearest
from .feed import FEED_PATH, UPDATES_PAGE, atom
from .html import AUDIT_PAGE, SOURCES_PAGE, anchor, url_from
from .updates import Update, last_updated, newest_touching, shown_on, updates
from .updates_page import timeline, updates_list
from ..data.yamlfile import utf8_text

@dataclass(frozen=True)
class Stamp:
    """A page's last-updated line: the date (ISO and as readers see it), and the updates entry it links to."""

    iso: str
    text: str
    href: str | None


TIMELINE_CALL = re.compile(r"""\btimeline\(\s*(?:["']([^"']*)["'])?\s*\)""")


class Chronicle:
    def __init__(self, site):
        self.site = site
        self.data = site.data
        from ..build.usage import page_url  # build/site.py imports this module; the function is needed only here

        self.chapters = {src[: -len(".md")]: (page_url(src, site.use_directory_urls), title)
                         for src, title in site.titles.items()}
        # Which chapters place a timeline showing their own events (their entries can be linked to).
        self.timelines: set[str] = set()
        docs = Path(site.env.conf["docs_dir"])
        for chapter in self.chapters:
            path = docs / f"{chapter}.md"
            if path.exists():
                for arg in TIMELINE_CALL.findall(utf8_text(path.read_bytes(), f"docs/{chapter}.md", invisible=False)):
                    if arg in ("", chapter):
                        self.timelines.add(chapter)
        if self.data is None:
            return
        for e in self.data.events.values():
            if e.page not in self.chapters:
                site.report(Problem(e.origin.file, e.origin.line_of("page"), f"events.{e.id}.page",
                                    f"unknown chapter '{e.page}'",
                                    "Known: " + ", ".join(sorted(self.chapters)) + "."))
        site.files[FEED_PATH] = atom(updates(self.data), self.data, site.env.conf.get("site_url") or "",
                                     site.env.conf.get("site_name") or "", self.link, self._newest_date())

    # -- where readers meet an update --------------------------------------------------------
    def _figure_pages(self, fid: str) -> list[tuple[str, str]]:
        """The pages that show a figure: in prose, in a chart, or in a claim's evidence."""
        usage, pages = self.site.usage, list(self.site.usage.figures.get(fid, []))
        for cid, srcs in sorted(usage.charts.items()):
            if cid in CHARTS and any(f.id == fid for f in CHARTS[cid].figures(self.data)):
                pages += [self._chapter(src[: -len(".md")]) for src in srcs]
        for c in self.data.claims.values():
            if fid in c.figures or f"[[{fid}]]" in c.evidence:
                pages.append(self._claim_target(c.id))
        return list(dict.fromkeys(p for p in pages if p is not None))

    def _chapter(self, chapter: str) -> tuple[str, str] | None:
        return self.chapters.get(chapter)

    def _claim_target(self, cid: str) -> tuple[str, str]:
        c = self.data.claims[cid]
        placed = f"{c.page}.md" in self.site.usage.claims.get(cid, [])
        if placed and c.page in self.chapters:
            url, title = self.chapters[c.page]
            return f"{url}#{anchor('claim', cid)}", title
        return f"{AUDIT_PAGE}#{anchor('claim', cid)}", t("claims_audit_link", "Claims audit")

    def target(self, u: Update) -> tuple[str, str]:
        """(site path, page title) where readers meet what an update changed."""
        if u.kind == "figure":
            pages = self._figure_pages(u.ident)
            return pages[0] if pages else (f"{SOURCES_PAGE}#{anchor('fig', u.ident)}", t("figure_index_link", "Figure index"))
        if u.kind == "claim":
            return self._claim_target(u.ident)
        e = self.data.events[u.ident]
        url, title = self.chapters.get(e.page, ("", e.page))
        return (f"{url}#{anchor('event', e.id)}" if e.page in self.timelines else url), title

    def link(self, u: Update) -> str:
        return self.target(u)[0]

    def _newest_date(self):
        """The feed's date while it has no entry: the newest date anywhere in the data."""
        dated = [f.as_of for f in self.data.figures.values()] + [s.date for s in self.data.sources.values() if s.date]
        return max(dated) if dated else date(1970, 1, 1)

    # -- macros ------------------------------------------------------------------------------
    def updates_list(self) -> str:
        """Every revision of a figure or claim and every event, newest first, each linked to where it is."""
        from ..errors import error_banner

        if self.data is None:
            return error_banner(self.site.load_error.problems)
        page, url = self.site._page()
        return self.site.block(updates_list(self.site.markup, page, url, self.link, lambda u: self.target(u)[1]))

    def timeline(self, chapter: str | None = None) -> str:
        """The dated events of one chapter (all of them without one), oldest first."""
        from ..errors import error_banner

        if self.data is None:
            return error_banner(self.site.load_error.problems)
        page, url = self.site._page()
        if chapter is not None and chapter not in self.chapters:
            return self.site._fail(DataError(Problem(page, None, f"timeline('{chapter}')",
                                                     f"unknown chapter '{chapter}'",
                                                     f"{nearest(chapter, sorted(self.chapters))}.")), chapter)
        return self.site.block(timeline(self.site.markup, chapter, page, url))

    # -- last updated ------------------------------------------------------------------------
    def stamp(self, page, markdown: str) -> None:
        """Give the page its last-updated line's facts, for the theme (overrides/main.html).

        An attribute of the page, not its meta: the meta is the author's front matter, and
        checks read an empty one as a front matter MkDocs could not read (macros/pages/register.py)."""
        if self.data is None:
            return
        chapter = page.file.src_uri[: -len(".md")]

        def chart_figures(cid: str):
            return CHARTS[cid].figures(self.data) if cid in CHARTS else ()

        shown = shown_on(markdown, chapter, self.data, chart_figures)
        when = last_updated(shown, self.data)
        if when is None:
            return
        day, changed = when
        href = None
        newest = newest_touching(shown, self.data) if changed else None
        if newest is not None and "updates" in self.chapters and chapter != "updates":
            # Straight to the entry that dates the page (the updates page anchors every entry).
            href = url_from(page.url, f"{self.chapters['updates'][0]}#{anchor('update', newest.key)}")
        page.explainer_updated = Stamp(day.isoformat(), fmt.day(day), href)


__all__ = ["Chronicle", "FEED_PATH", "UPDATES_PAGE"]
