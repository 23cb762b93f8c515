"""One build of the site: the loaded data, what pages use, errors, and written files.

``define_env`` (in __init__.py) creates one Site per build and registers its
methods as macros.  The Site records every error a page causes so the build
can report them all together (hooks.py stops a build that has any), and it
collects the chart downloads and the Vega runtime to write after the build.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from . import pagecheck  # code in pages: shown as written
from . import templates
from .cache import cache_dir
from .charts import CHARTS, spec_fetches, svg_fetches
from .chartdef import source_file
from .embed import downloads, figure_html
from .exports import dataset_files
from .errors import DataError, Problem, definition_line, failure, nearest
from .markup import Markup
from .model import FIG_TOKEN, Dataset
from .outputs import OG_DIR, RUNTIME_DEST, collisions, mkdocs_outputs, planned
from .render import KEEP_DAYS, ChartStore
from .renderer import CARD_HEIGHT, CARD_WIDTH
from .runtime import INTERPRETER_DEST, interpreter
from .yamlfile import utf8_text

log = logging.getLogger("mkdocs.plugins.explainer")

MACRO_CALL = re.compile(r"""\b(fig|as_of|chart|claim)\(\s*["']([^"']+)["']""")
AUDIT = re.compile(r"\bclaims_table\s*\(")  # prints every claim, with its evidence
SLOT = re.compile(r'<div class="chart-slot" data-chart-slot="([a-z0-9_]+)"></div>')
BLOCK = re.compile(r"<!--explainer-block:(\d+)-->")
LATE_BLOCK = re.compile(r"<!--explainer-late-block:(\d+)-->")
RUNTIME_SRC = Path("js/node_modules/vega/build/vega.min.js")
SITE_LEAD_CHART = "stimulus_allocation"  # the card of pages without a chart of their own


# Macros that show what every page cites (the audit links each claim to its chapter, the figure
# index lists the pages showing each figure, the updates list links each entry to a page showing
# it): a --dirty build rebuilds their pages with any page.
READS_EVERY_PAGE = ("claims_table", "figure_index", "updates_list")


def edition_charts(overlay, data) -> tuple[dict, list[Problem]]:
    """The chart registry in the edition's language (macros/i18n.py: chart_overlay): CHARTS for English."""
    if overlay is None:
        return CHARTS, []
    import dataclasses

    from .i18n_charts import chart_overlay

    charts, problems = {}, []
    for cid, chart in CHARTS.items():
        fields, missing = chart_overlay(chart, overlay, data)
        charts[cid] = dataclasses.replace(chart, **fields)
        problems += missing
    return charts, problems


def serving(conf) -> bool:
    """Whether this build is a `mkdocs serve` rebuild (hooks.on_config says so in the config)."""
    return bool(conf.get("explainer_serving"))


@dataclass
class Usage:
    """Which pages call which figures, charts and claims (read from docs/ sources)."""

    figures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    charts: dict[str, list[str]] = field(default_factory=dict)
    claims: dict[str, list[str]] = field(default_factory=dict)
    leads: dict[str, str] = field(default_factory=dict)  # page -> its first chart (its social card)
    pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # every page -> the ids it calls, by kind
    audits: list[str] = field(default_factory=list)  # the pages that print every claim (claims_table)


def scan_usage(docs_dir: Path, use_directory_urls: bool, titles: dict[str, str]) -> Usage:
    usage = Usage()
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith("ja/"):
            continue  # the Japanese edition's pages (mkdocs.yml: exclude_docs), built on their own
        url = page_url(rel, use_directory_urls)
        title = titles.get(rel, rel)
        # A macro in code is an example shown as written, not a use (pagecheck.py).
        text = pagecheck.without_code(utf8_text(path.read_bytes(), f"docs/{rel}", invisible=False))
        calls = MACRO_CALL.findall(text)
        usage.pages[rel] = page = {"figures": [], "charts": [], "claims": []}
        if AUDIT.search(text):
            usage.audits.append(rel)
        usage.leads[rel] = next((i for k, i in calls if k == "chart" and i in CHARTS), SITE_LEAD_CHART)
        for kind, ident in calls:
            bucket = {"fig": usage.figures, "as_of": usage.figures, "chart": usage.charts,
                      "claim": usage.claims}[kind]
            entry = (url, title) if kind in ("fig", "as_of") else rel
            if entry not in bucket.setdefault(ident, []):
                bucket[ident].append(entry)
            named = page["figures" if kind in ("fig", "as_of") else kind + "s"]
            if ident not in named:
                named.append(ident)
    return usage


def page_url(src: str, use_directory_urls: bool) -> str:
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def nav_titles(nav: object, out: dict[str, str] | None = None) -> dict[str, str]:
    """src path -> title, from the mkdocs.yml nav."""
    out = {} if out is None else out
    if isinstance(nav, list):
        for item in nav:
            nav_titles(item, out)
    elif isinstance(nav, dict):
        for title, target in nav.items():
            if isinstance(target, str):
                out[target] = title
            else:
                nav_titles(target, out)
    return out


class Site:
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
        # Set by hooks.on_config from mkdocs.yml (a bool by then); a server never makes them.
        self.serving = serving(conf)
        self.make_cards = bool(conf.get("extra", {}).get("social_cards")) and not self.serving
        self.charts, chart_errors = edition_charts(getattr(env, "explainer_overlay", None), data)
        self.errors.extend(chart_errors)
        # Every file write_files may write, and MkDocs' own: checked against docs/ in hooks.on_files.
        self.outputs = planned(self.make_cards, mkdocs_outputs(conf))
        self._made: dict[str, object] = {}  # chart id -> Rendered, or the banner of a chart that failed
        # Set by hooks.on_env: the pages are written while the charts are drawn,
        # and a chart failing meanwhile stops the build before it publishes (see hooks.py).
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
        """Record a problem: a build reports them all at the end (hooks.py), a server as they happen."""
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

    def chart(self, chart_id: str) -> str:
        """A complete chart figure: static SVG, caption, data table and downloads."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        page, url = self._page()
        chart = self.charts.get(chart_id)
        if chart is None:
            return self._fail(DataError(Problem(page, None, f"chart('{chart_id}')", f"unknown chart id '{chart_id}'",
                                                f"{nearest(chart_id, sorted(self.charts))}. Charts are the functions "
                                                "in macros/charts.py.")), chart_id)
        # The figure (tens of KB of SVG and Vega) is made when MkDocs writes the
        # page (finish_charts, from splice) and spliced into the finished page,
        # after Markdown and the search indexer have run: neither has anything to
        # do with it, and both would spend most of a build parsing it.
        self.slots[(url, chart_id)] = ""
        return f'\n\n<div class="chart-slot" data-chart-slot="{chart_id}"></div>\n\n'

    def finish_charts(self, page_url: str | None = None) -> None:
        """Make the figures and downloads of one page's charts (of every page's, and the cards', if None).

        A build calls it for each page as MkDocs writes it (hooks.on_post_page),
        then for whatever is left (hooks.on_post_build).  A chart that fails
        becomes an error (hooks.py stops the build and removes what it wrote)
        or, under serve, a banner in place of the figure.  The cards are
        rasterised after the build (write_files).
        """
        if self.store is None:
            return
        if page_url is None:
            wanted = sorted(self._charts_shown())
        else:
            wanted = [c for (url, c) in self.slots if url == page_url]
        for chart_id in wanted:
            if chart_id not in self._made:
                self._made[chart_id] = self._rendered(self.charts[chart_id])
        if page_url is None:
            self._unused_chart_texts()
        for (url, chart_id), html in self.slots.items():
            if html or (page_url is not None and url != page_url) or chart_id not in self._made:
                continue
            rendered = self._made[chart_id]
            if isinstance(rendered, str):  # the banner of a chart that failed
                self.slots[(url, chart_id)] = rendered
                continue
            chart = self.charts[chart_id]
            wide, phone = rendered
            self.files.update(downloads(chart, wide, self.data))
            self.slots[(url, chart_id)] = figure_html(chart, wide, self.data, self.markup, url, phone)

    def _unused_chart_texts(self) -> None:
        """Another edition's chart texts that no chart shows stop its build (i18n_charts.unused_texts): checked
        once, when every chart the pages place is drawn (a --dirty build draws only some)."""
        overlay = getattr(self.env, "explainer_overlay", None)
        if overlay is None or getattr(self, "_texts_checked", False) or not set(self.usage.charts) <= set(self._made):
            return
        from .i18n_charts import unused_texts

        self._texts_checked = True
        from .embed import untitled_columns

        # What each chart's drawings translated, and the columns its data tables name by their texts.
        used = {cid: {t for r in made for t in (*r.texts_used, *untitled_columns(r.spec))}
                for cid, made in self._made.items() if isinstance(made, tuple)}  # a chart that failed: not judged
        problems = unused_texts(overlay, used, self.data, shared=len(used) == len(self._made))
        self.errors.extend(problems)
        if self.serving:
            for p in problems:
                log.error("%s", p)

    def _charts_shown(self) -> set[str]:
        """Every chart a page places and, in a build, every chart a social card shows."""
        return {c for _, c in self.slots} | self.cards

    def _rendered(self, chart) -> object:
        """The chart's two drawings (the page's, the phone's), or the banner that replaces them if
        either fails; its errors are recorded (the phone's only when the page's drew: a broken chart
        function is one error, not two).

        A chart drawn with warnings is an error too, but it was drawn: a server shows it."""
        problems, shown, seen = [], [], set()
        for layout in (chart, chart.phone_layout()):
            try:
                rendered = self.store.get(layout)
            except Exception as exc:  # noqa: BLE001 - any failure in a chart function is reported
                problems.append(chart_problem(layout, exc))
                break
            problems.extend(warning_problem(layout, w) for w in rendered.warnings if w not in seen)
            seen.update(rendered.warnings)
            problems += fetch_problems(layout, rendered)
            shown.append(rendered)
        shown = tuple(shown) if len(shown) == 2 else None
        self.errors.extend(problems)
        if self.serving:  # a build reports them all at once (hooks.py)
            for p in problems:
                log.error("%s", p)
        return shown if shown is not None else error_banner(problems)

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
        charted: dict[str, list[tuple[str, str]]] = {}
        for cid, pages in self.usage.charts.items():
            for fig in self.charts[cid].figures(self.data) if cid in self.charts else ():
                for rel in pages:
                    entry = (page_url(rel, self.use_directory_urls), self.titles.get(rel, rel))
                    if entry not in charted.setdefault(fig.id, []):
                        charted[fig.id].append(entry)
        # An event's figures are shown on its chapter, in the timeline placed there.
        shown = {fid: list(pages) for fid, pages in self.usage.figures.items()}
        for event in self.data.events.values():
            rel = f"{event.page}.md"
            entry = (page_url(rel, self.use_directory_urls), self.titles.get(rel, rel))
            for fid in FIG_TOKEN.findall(event.text):
                if entry not in shown.setdefault(fid, []):
                    shown[fid].append(entry)
        return self.block(self.markup.figure_index(url, shown, charted), searched=False)

    def _export_dataset(self) -> None:
        """The figures and the audit as downloads, written with the pages that link to them (once a build)."""
        if not self._exported:
            pages = self.shown_on_pages()
            charts = {c: [f.id for f in CHARTS[c].figures(self.data)] for c in sorted({c for p in pages
                                                                                     for c in p["charts"]})}
            self.files.update(dataset_files(self.data, pages, charts))
            self._exported = True

    def shown_on_pages(self) -> list[dict]:
        """Every page, its title and address, and what it shows: the figures it prints (by fig() and
        as_of(), in its timeline's events, in the evidence of the claims it places), charts and claims
        (those it places; the audit places all).  Exported with the figures (exports.py)."""
        out = []
        for rel, calls in sorted(self.usage.pages.items()):
            claims = list(self.data.claims) if rel in self.usage.audits else calls["claims"]
            claims = [c for c in claims if c in self.data.claims]
            figures = [*calls["figures"], *(f for e in self.data.events.values() if f"{e.page}.md" == rel
                                            for f in FIG_TOKEN.findall(e.text))]
            for cid in claims:
                c = self.data.claims[cid]
                figures += [*c.figures, *FIG_TOKEN.findall(c.evidence)]
            out.append({"path": rel, "title": self.titles.get(rel), "url": page_url(rel, self.use_directory_urls),
                        "figures": sorted({f for f in figures if f in self.data.figures}),
                        "charts": [c for c in calls["charts"] if c in CHARTS], "claims": claims})
        return out

    def social_card(self, page) -> None:
        """Name the page's lead chart as its og:image (drawn with the charts, written after the build),
        in a build that makes the cards; in another the page has no og:image, rather than one not there."""
        if not self.make_cards:
            return
        lead = self.usage.leads.get(page.file.src_uri, SITE_LEAD_CHART)
        self.cards.add(lead)
        page.meta["og_image"] = f"{OG_DIR}{lead}.png"
        # Its size, so a preview can be laid out before the image is fetched.
        page.meta["og_image_width"], page.meta["og_image_height"] = CARD_WIDTH, CARD_HEIGHT

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
        """Generated files that would replace, or trip over, each other or a published file (hooks.on_files)."""
        return collisions(self.outputs, files, self.env.conf["docs_dir"])

    def write_files(self, site_dir: Path) -> None:
        self.files[INTERPRETER_DEST] = interpreter(self.project)  # Vega's CSP-safe expression evaluator
        made = self.store.cards() if self.store is not None else {}
        cards = {f"{OG_DIR}{cid}.png": cid for cid in sorted(self.cards if self.store is not None else ())}
        for rel in [*sorted(self.files), RUNTIME_DEST, *cards]:
            if self.outputs.at(rel) is None:
                raise RuntimeError(f"{rel}: not in the plan of generated files (macros/outputs.py: planned)")
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
            except OSError as exc:  # a full disk, say: one line, and hooks.py publishes nothing
                from mkdocs.exceptions import PluginError

                raise PluginError(f"{rel}: cannot be written to the site: {exc.strerror or exc}") from None
        if self.store is not None:
            self.store.close()
            # A successful build: what no build has used for a month goes.
            self.store.cache.prune()
            templates.prune(cache_dir(self.project, "templates"), KEEP_DAYS)


def chart_problem(chart, exc: BaseException) -> Problem:
    """A chart function's failure, located at the deepest line of macros/charts.py it reached."""
    failed = failure(chart.build, exc)
    return Problem(source_file(chart.build), failed.line, chart.id, f"the chart failed to render: {failed.message}",
                   "Fix the chart function (or the data it reads); the build shows every chart or none.")


def fetch_problems(chart, rendered) -> list[Problem]:
    """What the drawn chart would make a reader's browser load from outside the page: the compiled
    Vega (the interactive view) and the SVG (the static one), checked on every build, cached or not."""
    found = [what for what, _ in spec_fetches(rendered.vega)] + svg_fetches(rendered.svg)
    return [Problem(source_file(chart.build), definition_line(chart.build), chart.id,
                    f"the drawn chart would load an address: {what}",
                    "A chart loads nothing from outside the page: no image marks, href or url, no CSS url().")
            for what in dict.fromkeys(found)]


def warning_problem(chart, warning: str) -> Problem:
    """What Vega-Lite or Vega warned of while drawing a chart: a chart drawn wrong, reported at its function."""
    return Problem(source_file(chart.build), definition_line(chart.build), chart.id, f"Vega-Lite warns: {warning}",
                   "The chart was drawn, but not as written: fix the encoding or the data in the chart function.")


def error_banner(problems: list[Problem], inline: bool = False) -> str:
    """What a page shows under `mkdocs serve` while data or a macro call is wrong."""
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems)
    if inline:
        return '<mark class="explainer-error">[error: see the box at the top of the page]</mark>'
    return (f'\n\n<div class="admonition failure explainer-error"><p class="admonition-title">'
            f"The build has errors; fix them and save: the page reloads.</p><ul>{items}</ul></div>\n\n")
