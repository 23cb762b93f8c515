"""One build of the site: the loaded data, what pages use, errors, and written files.

``define_env`` (macros/pages/register.py) creates one Site per build and registers
its methods as macros.  The Site records every error a page causes so the build
can report them all together (the site's plugin, macros/build/plugin.py, stops a
build that has any), and it collects the chart downloads and the Vega runtime to
write after the build.  What the pages call is read before Jinja runs (usage.py);
the chart macros and their figures are ChartSlots' (chart_slots.py).
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from . import templates
from .cache import cache_dir
from .chart_slots import SLOT, ChartSlots, edition_charts
from ..charts.catalog import CHARTS
from ..pages.exports import dataset_files
from ..errors import DataError, Problem, error_banner
from ..pages.markup import Markup
from ..data.model import Dataset
from .outputs import OG_DIR, RUNTIME_DEST, collisions, mkdocs_outputs, planned
from ..charts.store import KEEP_DAYS, ChartStore
from .runtime import INTERPRETER_DEST, interpreter
from .usage import SITE_LEAD_CHART, figures_shown, nav_titles, page_url, scan_usage, shown_on_pages

log = logging.getLogger("mkdocs.plugins.explainer")

BLOCK = re.compile(r"<!--explainer-block:(\d+)-->")
LATE_BLOCK = re.compile(r"<!--explainer-late-block:(\d+)-->")
RUNTIME_SRC = Path("js/node_modules/vega/build/vega.min.js")


def serving(conf) -> bool:
    """Whether this build is a `mkdocs serve` rebuild (the plugin's on_config says so in the config)."""
    return bool(conf.get("explainer_serving"))


class Site(ChartSlots):
    """One build: its data, its pages' macros (the chart ones in ChartSlots), its errors and generated files."""

    def __init__(self, env, data: Dataset | None, load_error: DataError | None):
        self.env = env
        self.project = Path(env.project_dir)
        # Where this edition's pages are under docs/ ("ja" for docs/ja/), so a problem names the file as written.
        docs_dir = Path(env.conf["docs_dir"]).resolve()
        docs = (self.project / "docs").resolve()
        self.docs_sub = docs_dir.relative_to(docs).as_posix() if docs_dir.is_relative_to(docs) else "."
        conf = env.conf
        self.use_directory_urls = bool(conf.get("use_directory_urls", True))
        self.titles = nav_titles(conf.get("nav") or [])
        self.data = data
        self.load_error = load_error
        self.errors: list[Problem] = []
        self.files: dict[str, str] = {}
        self._exported = False
        self.slots: dict[tuple[str, str], str] = {}
        self.blocks: list[str] = []
        self.cards: set[str] = set()
        self._located: dict[tuple[str, str, str], int] = {}  # failing calls of an id seen so far, per page
        # Set by the plugin's on_config from mkdocs.yml (a bool by then); a server never makes them.
        self.serving = serving(conf)
        self.make_cards = bool(conf.get("extra", {}).get("social_cards")) and not self.serving
        self.charts, chart_errors = edition_charts(getattr(env, "explainer_overlay", None), data)
        self.errors.extend(chart_errors)
        # Every file write_files may write, and MkDocs' own: checked against docs/ in the plugin's on_files.
        self.outputs = planned(self.make_cards, mkdocs_outputs(conf))
        self._made: dict[str, object] = {}  # chart id -> Rendered, or the banner of a chart that failed
        # Set by the plugin's on_env: the pages are written while the charts are drawn,
        # and a chart failing meanwhile stops the build before it publishes (see macros/build/plugin.py).
        self.charts_while_writing = False
        self.markup = Markup(data) if data else None
        self.store = ChartStore(data, cache_dir(self.project, "charts")) if data else None
        self.usage = scan_usage(Path(conf["docs_dir"]), self.use_directory_urls, self.titles)
        if self.store is not None and self.make_cards:
            # Each page's lead chart, and the site's, as a social card (written after the build).
            self.store.want_cards([self.charts[c] for c in sorted({SITE_LEAD_CHART, *self.usage.leads.values()})
                                   if c in self.charts])

    # -- where we are -------------------------------------------------------
    def _page(self) -> tuple[str, str]:
        page = self.env.page
        return f"docs/{page.file.src_uri}", page.url

    def page_uri(self, file) -> str:
        """A page's path under docs/: its src_uri, in the edition's folder (ja/stimulus.md)."""
        return file.src_uri if self.docs_sub == "." else f"{self.docs_sub}/{file.src_uri}"

    def _locate(self, problem: Problem, ident: str) -> Problem:
        """Add the line of the page where the failing macro call is written."""
        if not problem.file.startswith("docs/") or problem.line:
            return problem  # a problem in data/ already says where it is
        # The page's own file, not env.markdown, which has lost its front matter.
        path = self.env.page.file.abs_src_path
        text = Path(path).read_text(encoding="utf-8") if path else ""
        call = re.compile(r"""\(\s*["']""" + re.escape(ident) + r"""["']""")
        lines = [text.count("\n", 0, m.start()) + 1 for m in call.finditer(text)]
        if not lines:
            return problem
        # Macros run in the order they are written: the n-th failing call of this id is its n-th call.
        key = (problem.file, ident, problem.message)
        self._located[key] = seen = self._located.get(key, -1) + 1
        return Problem(problem.file, lines[min(seen, len(lines) - 1)], problem.key, problem.message, problem.hint)

    def _fail(self, exc: DataError, ident: str) -> str:
        problems = [self._locate(p, ident) for p in exc.problems]
        for p in problems:
            self.report(p)
        return error_banner(problems)

    def report(self, problem: Problem) -> None:
        """Record a problem: a build reports them all at the end (macros/build/plugin.py), a server as they happen."""
        self.errors.append(problem)
        if self.serving:
            log.error("%s", problem)

    # -- macros -------------------------------------------------------------
    def fig(self, fid: str) -> str:
        """A figure's formatted value, with source and as-of date on hover and focus."""
        if self.markup is None:
            return error_banner(self.load_error.problems, inline=True)
        page, url = self._page()
        try:
            return self.markup.fig(fid, page, url)
        except DataError as exc:
            return self._fail(exc, fid)

    def as_of(self, fid: str) -> str:
        """A figure's as-of date as prose shows it (26 Dec 2025)."""
        if self.markup is None:
            return error_banner(self.load_error.problems, inline=True)
        page, url = self._page()
        try:
            return self.markup.as_of(fid, page, url)
        except DataError as exc:
            return self._fail(exc, fid)

    def evidence_until(self) -> str:
        """Where the evidence stops: the newest source's date, or a newer figure's as-of date, linked."""
        if self.markup is None:
            return error_banner(self.load_error.problems, inline=True)
        _, url = self._page()
        try:
            return self.markup.evidence_until(url)
        except DataError as exc:
            return self._fail(exc, "evidence_until")

    def block(self, html: str, searched: bool = True) -> str:
        """Hand Markdown a placeholder for a block of finished HTML.

        Python-Markdown parses every raw HTML block it meets (md_in_html); for
        the generated tables and claim boxes, tens of KB, that was most of a
        warm build's Markdown time.  The HTML goes back in by splice_blocks,
        before the search indexer and the theme see the page, or, for a block
        the site search should skip, by splice with the charts, after it.
        """
        self.blocks.append(html)
        kind = "block" if searched else "late-block"
        return f"\n\n<!--explainer-{kind}:{len(self.blocks) - 1}-->\n\n"

    def splice_blocks(self, html: str) -> str:
        return BLOCK.sub(lambda m: self.blocks[int(m.group(1))], html)

    def splice(self, html: str, page_url: str) -> str:
        """Put the page's chart figures (made now, if they are not yet) in place of their slots."""
        self.finish_charts(page_url)

        def fill(m: re.Match) -> str:
            return self.slots.get((page_url, m.group(1))) or m.group(0)
        html = LATE_BLOCK.sub(lambda m: self.blocks[int(m.group(1))], html)
        html = self.markup.fill_provenance(html, page_url) if self.markup else html
        return SLOT.sub(fill, html)

    def claim(self, cid: str) -> str:
        """The article's words, our verdict and the evidence, as an admonition."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        page, url = self._page()
        try:
            return self.block(self.markup.claim(cid, page, url))
        except DataError as exc:
            return self._fail(exc, cid)

    def verdict_summary(self) -> str:
        """A sentence counting the claims by verdict (the overview's counts, never typed)."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        return self.markup.verdict_summary()

    def verdict_scale(self) -> str:
        """The verdict scale and its definitions (the audit page)."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        return self.block(self.markup.verdict_scale())

    def claims_table(self) -> str:
        """The audit table of every claim in data/claims.yml."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        page, url = self._page()
        chapters = {}
        for src, title in self.titles.items():
            chapters[src[: -len(".md")]] = (page_url(src, self.use_directory_urls), title)
        # The audit links each claim to its chapter's box; a chapter that does not
        # place the claim would leave a dead anchor, so that is an error too.
        unplaced = [c for c in self.data.claims.values()
                    if f"{c.page}.md" not in self.usage.claims.get(c.id, []) and c.page in chapters]
        if unplaced:
            return self._fail(DataError([
                Problem(c.origin.file, c.origin.line_of("page"), f"claims.{c.id}.page",
                        f"chapter '{c.page}' does not place this claim",
                        f'Add {{{{ claim("{c.id}") }}}} to docs/{c.page}.md, or change the claim\'s page.')
                for c in unplaced]), "claims_table")
        try:
            html = self.markup.claims_table(page, url, chapters)
        except DataError as exc:
            return self._fail(exc, "claims_table")
        self._export_dataset()
        return self.block(html)

    def sources_list(self) -> str:
        """The bibliography generated from data/sources.yml."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        _, url = self._page()
        return self.block(self.markup.sources_list(url))

    def figure_index(self) -> str:
        """Every figure with its value, date, sources and the pages that show it."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        _, url = self._page()
        # Not indexed by the site search: its 145 rows were a third of the indexer's
        # work, and every figure is found, in its prose, on the chapter that shows it.
        self._export_dataset()
        shown, charted = figures_shown(self.usage, self.data, self.charts, self.titles, self.use_directory_urls)
        return self.block(self.markup.figure_index(url, shown, charted), searched=False)

    def _export_dataset(self) -> None:
        """The figures and the audit as downloads, written with the pages that link to them (once a build)."""
        if not self._exported:
            pages = shown_on_pages(self.usage, self.data, self.titles, self.use_directory_urls)
            charts = {c: [f.id for f in CHARTS[c].figures(self.data)] for c in sorted({c for p in pages
                                                                                     for c in p["charts"]})}
            self.files.update(dataset_files(self.data, pages, charts))
            self._exported = True

    # -- compiled templates -------------------------------------------------
    def cache_page_templates(self, jinja_env) -> None:
        templates.cache_pages(jinja_env, cache_dir(self.project, "templates"), self._page_template)

    def _page_template(self, source: str) -> str | None:
        """The cache name of the page mkdocs-macros is compiling, if source is that page."""
        page = getattr(self.env, "page", None)
        if page is None or source != self.env.markdown:
            return None
        return f"page:{page.file.src_uri}"

    # -- after the build ----------------------------------------------------
    def close(self) -> None:
        """Stop background work (a failed build exits without waiting for it)."""
        if self.store is not None:
            self.store.close()

    def collisions(self, files) -> list[Problem]:
        """Generated files that would replace, or trip over, each other or a published file (the plugin's on_files)."""
        return collisions(self.outputs, files, self.env.conf["docs_dir"])

    def write_files(self, site_dir: Path) -> None:
        self.files[INTERPRETER_DEST] = interpreter(self.project)  # Vega's CSP-safe expression evaluator
        made = self.store.cards() if self.store is not None else {}
        cards = {f"{OG_DIR}{cid}.png": cid for cid in sorted(self.cards if self.store is not None else ())}
        for rel in [*sorted(self.files), RUNTIME_DEST, *cards]:
            if self.outputs.at(rel) is None:
                raise RuntimeError(f"{rel}: not in the plan of generated files (macros/build/outputs.py: planned)")
            dest = site_dir / rel
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                if rel in self.files:
                    dest.write_text(self.files[rel], encoding="utf-8")
                elif rel == RUNTIME_DEST:
                    shutil.copyfile(self.project / RUNTIME_SRC, dest)  # its presence is checked in define_env
                else:
                    cid = cards[rel]
                    dest.write_bytes(made[cid] if cid in made else self.store.card(self.charts[cid]))
            except OSError as exc:  # a full disk, say: one line, and the plugin publishes nothing
                from mkdocs.exceptions import PluginError

                raise PluginError(f"{rel}: cannot be written to the site: {exc.strerror or exc}") from None
        if self.store is not None:
            self.store.close()
            # A successful build: what no build has used for a month goes.
            self.store.cache.prune()
            templates.prune(cache_dir(self.project, "templates"), KEEP_DAYS)


