"""The charts of one build: a slot in the page when a page calls chart(), the figure spliced in when MkDocs writes it.

A mixin of Site (site.py), which it shares its state with: the chart registry in
the edition's language (``charts``), the store that draws or reads them
(``store``), the slots of each page and the charts drawn so far.  Split from
site.py because a chart's way through the build (slot -> drawing -> figure ->
downloads, or an error at the chart function's line) is a concern of its own.
"""

from __future__ import annotations

import logging
import re

from ..charts.catalog import CHARTS
from ..charts.chartdef import source_file
from ..charts.draw import CARD_HEIGHT, CARD_WIDTH
from ..charts.embed import downloads, figure_html
from ..charts.speccheck import spec_fetches, svg_fetches
from ..errors import DataError, Problem, definition_line, error_banner, failure, nearest
from .outputs import OG_DIR
from .usage import SITE_LEAD_CHART

log = logging.getLogger("mkdocs.plugins.explainer")

SLOT = re.compile(r'<div class="chart-slot" data-chart-slot="([a-z0-9_]+)"></div>')


def edition_charts(overlay, data) -> tuple[dict, list[Problem]]:
    """The chart registry in the edition's language (macros/charts/translated.py: chart_overlay): CHARTS for English."""
    if overlay is None:
        return CHARTS, []
    import dataclasses

    from ..charts.translated import chart_overlay

    charts, problems = {}, []
    for cid, chart in CHARTS.items():
        fields, missing = chart_overlay(chart, overlay, data)
        charts[cid] = dataclasses.replace(chart, **fields)
        problems += missing
    return charts, problems


class ChartSlots:
    """Site's chart macros and the splicing of finished figures (Site holds the state)."""

    def chart(self, chart_id: str) -> str:
        """A complete chart figure: static SVG, caption, data table and downloads."""
        if self.markup is None:
            return error_banner(self.load_error.problems)
        page, url = self._page()
        chart = self.charts.get(chart_id)
        if chart is None:
            return self._fail(DataError(Problem(page, None, f"chart('{chart_id}')", f"unknown chart id '{chart_id}'",
                                                f"{nearest(chart_id, sorted(self.charts))}. Charts are the functions "
                                                "in macros/charts/catalog.py.")), chart_id)
        # The figure (tens of KB of SVG and Vega) is made when MkDocs writes the
        # page (finish_charts, from splice) and spliced into the finished page,
        # after Markdown and the search indexer have run: neither has anything to
        # do with it, and both would spend most of a build parsing it.
        self.slots[(url, chart_id)] = ""
        return f'\n\n<div class="chart-slot" data-chart-slot="{chart_id}"></div>\n\n'

    def finish_charts(self, page_url: str | None = None) -> None:
        """Make the figures and downloads of one page's charts (of every page's, and the cards', if None).

        A build calls it for each page as MkDocs writes it (the plugin's on_post_page),
        then for whatever is left (the plugin's on_post_build).  A chart that fails
        becomes an error (the plugin stops the build and removes what it wrote)
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
        """Another edition's chart texts that no chart shows stop its build (charts/translated.py: unused_texts):
        checked once, when every chart the pages place is drawn (a --dirty build draws only some)."""
        overlay = getattr(self.env, "explainer_overlay", None)
        if overlay is None or getattr(self, "_texts_checked", False) or not set(self.usage.charts) <= set(self._made):
            return
        from ..charts.embed import untitled_columns
        from ..charts.translated import unused_texts

        self._texts_checked = True
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
        if self.serving:  # a build reports them all at once (macros/build/plugin.py)
            for p in problems:
                log.error("%s", p)
        return shown if shown is not None else error_banner(problems)

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


def chart_problem(chart, exc: BaseException) -> Problem:
    """A chart function's failure, located at the deepest line of macros/charts/catalog.py it reached."""
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
