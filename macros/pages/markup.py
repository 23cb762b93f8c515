"""HTML for figures, claims and the generated pages.

Every string that comes from data/ is escaped here, where it lands in HTML.
Links are made relative to the page being rendered, so the same build works at
the site root and under a preview sub-path.
"""

from __future__ import annotations

import functools
import re
from html import escape

from . import claimbox
from .html import AUDIT_PAGE, SOURCES_PAGE, anchor, attr, downloads_line, stacked_table, url_from
from .i18n import fmt, locale, t
from ..errors import DataError, Problem, nearest
from .exports import CLAIMS, FIGURES
from .provenance import provenance_html
from ..data.model import FIG_TOKEN, VERDICT_DEFINITIONS, VERDICTS, Dataset, Figure, Source, verdict_name
from .updates import revised_note


def verdict_label(key: str) -> str:
    """A verdict as readers see it, in the edition's language (data/<locale>/site.yml: verdict_<key>)."""
    return t(f"verdict_{key}", verdict_name(key))


VERDICT_STYLE = claimbox.VERDICT_STYLE  # where the claim box is written

# Where a figure's provenance goes until the page is written (build/site.py: splice): Markdown and the search
# indexer never parse it (a third of a chapter's HTML), and a search excerpt reads as the page does.
PROVENANCE_SLOT = re.compile(r"<!--explainer-prov:([^\s<>]+?)-->")  # any id: a series' point can be "….2026F"


# How verdict_summary() counts each verdict in a sentence: (one claim, several claims).
VERDICT_PHRASES = {"accurate": ("is accurate", "are accurate"),
                   "needs_context": ("needs context", "need context"),
                   "misleading": ("is misleading", "are misleading"),
                   "inaccurate": ("is inaccurate", "are inaccurate"),
                   "cannot_check": ("cannot be checked", "cannot be checked")}


def _entry_href(f: Figure, page_url: str) -> str:  # its entry in the figure index, from the page
    return url_from(page_url, f"{SOURCES_PAGE}#{anchor('fig', f.id)}")


def source_short(s: Source) -> str:
    when = fmt.day(s.date) if s.date else t("undated", "undated")
    return t("source_short", "{publisher}, {date}").format(publisher=s.publisher, date=when)


def provenance(fig: Figure, data: Dataset) -> str:
    """Plain text: what the figure is, where it comes from, as of when."""
    srcs = t("source_separator", "; ").join(source_short(data.sources[s]) for s in fig.sources)
    if locale() == "en":
        lead = f"{fig.label}. "
        if fig.derived:
            lead += f"Computed: {fig.formula}. "
        text = f"{lead}Source: {srcs}. As of {fmt.day(fig.as_of)}."
        if fig.note:
            text += f" Note: {fig.note}"
        return text + revised_note(fig)
    text = t("prov_plain", "{label}. Source: {sources}. As of {date}.").format(
        label=fig.label, sources=srcs, date=fmt.day(fig.as_of))
    if fig.derived:
        text += t("prov_computed", "Computed: {formula}").format(formula=fig.formula)
    if fig.note:
        text += t("prov_note", "Note: {note}").format(note=fig.note)
    return text + revised_note(fig)  # what it was before each correction, and why


def _earlier_verdicts(c) -> str:
    from .updates_page import earlier_verdicts  # it builds on this module: imported when first needed

    return earlier_verdicts(c)


class Markup:
    """Renders the macros' HTML for one dataset; the page URL is passed per call."""

    def __init__(self, data: Dataset):
        self.data = data

    def figure_ref(self, fid: str, page: str, macro: str = "fig") -> Figure:
        fig = self.data.figures.get(fid)
        if fig is None:
            raise DataError(Problem(page, None, f"{macro}('{fid}')", f"unknown figure id '{fid}'",
                                    f"{nearest(fid, sorted(self.data.figures))}. Figure ids are "
                                    "<data file>.<key>, e.g. stimulus.ai_models."))
        return fig

    def fig(self, fid: str, page: str, page_url: str) -> str:
        """A figure's value, with its provenance on hover and focus, linked to its source."""
        f = self.figure_ref(fid, page)
        return (f'<a class="fig" href="{escape(_entry_href(f, page_url))}" title="{attr(provenance(f, self.data))}" '
                f'data-fig="{escape(f.id)}">{escape(fmt.value(f))}</a><!--explainer-prov:{f.id}-->')

    def as_of(self, fid: str, page: str, page_url: str, opens: bool = True) -> str:
        """A figure's as-of date, linked like a figure; ``opens``: with its provenance beside it."""
        f = self.figure_ref(fid, page, "as_of")
        return (f'<a class="fig fig--date" href="{escape(_entry_href(f, page_url))}" '
                f'title="{attr(provenance(f, self.data))}" data-fig="{escape(f.id)}">{escape(fmt.day(f.as_of))}</a>'
                + (f"<!--explainer-prov:{f.id}-->" if opens else ""))

    def fill_provenance(self, html: str, page_url: str) -> str:
        """Each figure's provenance in its place (PROVENANCE_SLOT), made once a figure per page."""
        made: dict[str, str] = {}  # the audit shows some figures tens of times

        def one(m: re.Match) -> str:
            f = self.data.figures.get(m.group(1))
            if f is None:  # not one fig() wrote (it checks its id): left as the comment it is
                return m.group(0)
            if f.id not in made:
                made[f.id] = provenance_html(f, self.data, _entry_href(f, page_url), fmt.value(f))
            return made[f.id]
        return PROVENANCE_SLOT.sub(one, html)

    def evidence_until(self, page_url: str) -> str:
        """Where the evidence stops: the newest date a source is dated or a figure stands as of, linked
        to what gives it.  A figure can be newer than every dated source: an undated source gives it."""
        dated = [s for s in self.data.sources.values() if s.date]
        if not dated:
            raise DataError([Problem("data/sources.yml", None, "sources", "no source has a date",
                                     "Give the sources their publication dates (date: YYYY-MM-DD).")])
        newest = max(dated, key=lambda s: (s.date, s.id))
        latest = max(self.data.figures.values(), key=lambda f: (f.as_of, f.id), default=None)
        if latest is not None and latest.as_of > newest.date:
            # A plain link, like the source's below: it says where the evidence stops, not a number.
            return self.as_of(latest.id, "", page_url, opens=False)
        href = url_from(page_url, f"{SOURCES_PAGE}#{anchor('src', newest.id)}")
        return f'<a href="{escape(href)}" title="{attr(source_short(newest))}">{escape(fmt.day(newest.date))}</a>'

    def text_with_figures(self, text: str, page: str, page_url: str) -> str:
        """Escape prose from data, turning [[figure.id]] tokens into figure links."""
        out, last = [], 0
        for m in FIG_TOKEN.finditer(text):
            out.append(escape(text[last:m.start()]))
            out.append(self.fig(m.group(1), page, page_url))
            last = m.end()
        out.append(escape(text[last:]))
        return "".join(out)

    def source_links(self, ids: tuple[str, ...], page_url: str) -> str:
        links = []
        for sid in ids:
            s = self.data.sources[sid]
            href = url_from(page_url, f"{SOURCES_PAGE}#{anchor('src', sid)}")
            links.append(f'<a href="{escape(href)}">{escape(source_short(s))}</a>')
        return t("source_separator", "; ").join(links)

    def claim(self, cid: str, page: str, page_url: str) -> str:
        """A chapter's claim: one line, the evidence behind a disclosure (macros/pages/claimbox.py)."""
        return claimbox.claim_box(self, cid, page, page_url)

    def verdict_counts(self) -> dict[str, int]:
        """How many claims carry each verdict, in the scale's order (every verdict, zero too)."""
        counts = {v: 0 for v in VERDICTS}
        for c in self.data.claims.values():
            counts[c.verdict] += 1
        return counts

    def verdict_summary(self) -> str:
        """A sentence counting the audit's claims by verdict, computed from data/claims.yml."""
        counts = self.verdict_counts()
        parts = [t(f"verdict_phrase_{v}", "{count} " + VERDICT_PHRASES[v][n != 1]).format(count=fmt.count(n))
                 for v, n in counts.items() if n]
        if locale() == "en":
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        else:
            listed = t("verdict_summary_separator", ", ").join(parts)
        # "Checkable" would contradict the claims that cannot be checked: say what we did instead.
        return escape(t("verdict_summary", "We checked {count} of the article's claims: {listed}.")
                      .format(count=fmt.count(sum(counts.values())), listed=listed))

    def verdict_scale(self) -> str:
        """The verdict scale with a one-line definition of each verdict, as a list."""
        items = "".join("<li>" + fmt.labelled(f'<span class="verdict verdict--{v}">{escape(verdict_label(v))}</span>',
                                              escape(t(f"verdict_definition_{v}", VERDICT_DEFINITIONS[v]))) + "</li>"
                        for v in VERDICTS)  # "正確：…" in Japanese, with the full-width colon
        return f'<ul class="verdict-scale">{items}</ul>'

    def claims_table(self, page: str, page_url: str, chapters: dict[str, tuple[str, str]]) -> str:
        """The audit: every claim, its verdict and where a chapter discusses it.

        ``chapters`` maps a chapter name (a claim's ``page``) to (url, title).
        """
        rows = []
        for n, c in enumerate(self.data.claims.values(), 1):
            if c.page not in chapters:
                raise DataError(Problem(c.origin.file, c.origin.line_of("page"), f"claims.{c.id}.page",
                                        f"unknown chapter '{c.page}'", "Known: " + ", ".join(sorted(chapters)) + "."))
            url, title = chapters[c.page]
            where = url_from(page_url, f"{url}#{anchor('claim', c.id)}")
            # The judgement shows; its evidence opens on demand, so the table is a list to scan.
            rows.append((anchor("claim", c.id), [
                fmt.count(n), f"<q>{escape(c.quote)}</q>",  # quoted as the page's language quotes (「」 in Japanese)
                f'<span class="verdict verdict--{c.verdict}">{escape(verdict_label(c.verdict))}</span>',
                f'{escape(c.summary)}\n<details class="claims-table__evidence"><summary>'
                f'{escape(t("table_evidence", "Evidence"))}</summary>'
                f"<p>{self.text_with_figures(c.evidence, page, page_url)}</p>"
                f"<p><small>{fmt.label(escape(t('claim_sources', 'Sources:')))}{self.source_links(c.sources, page_url)}"
                "</small></p></details>",
                f'<a href="{escape(where)}">{escape(title)}</a>'],
                f' data-verdict="{c.verdict}" data-chapter="{escape(c.page)}"'))
        columns = ((t("table_number", "#"), t("table_claim", "Claim")), (t("table_article_says", "The article says"), ""),
                   (t("table_verdict", "Verdict"), ""), (t("table_evidence", "Evidence"), ""),
                   (t("table_discussed_in", "Discussed in"), t("table_discussed_in_label", "Discussed in:")))
        return (claimbox.audit_filters(self, page_url, chapters) + stacked_table("claims-table", columns, rows)
                + downloads_line(page_url, t("download_what_audit", "the audit"), CLAIMS) + claimbox.claim_lists(self, chapters))

    def sources_list(self, page_url: str) -> str:
        """The bibliography, with the figures and claims that cite each source."""
        items = []
        for s in sorted(self.data.sources.values(), key=lambda s: (s.publisher.lower(), s.date or fmt.date.min, s.id)):
            figs, claims = self.data.citing(s.id)
            title = escape(s.title)
            if s.url:
                title = f'<a class="source-link" href="{escape(s.url)}" rel="noopener">{title}</a>'
            # What a source is cited for opens on demand: listed in full, the bibliography's 400 links
            # were a third of the sources page, laid out (and restyled by Material's script) as it
            # loaded, which kept a phone busy (Lighthouse TBT).  Closed, the browser skips them.
            lists, counts = [], []
            if figs:
                counts.append(t("bib_n_figures", "{n} figures" if len(figs) > 1 else "{n} figure").format(
                    n=fmt.count(len(figs))))
                lists.append(fmt.label(escape(t("bib_figures", "Figures:"))) + fmt.listed(
                    (f'<a href="#{anchor("fig", f)}">{escape(self.data.figures[f].label)}</a>' for f in figs), phrases=True))
            if claims:
                counts.append(t("bib_n_claims", "{n} claims" if len(claims) > 1 else "{n} claim").format(
                    n=fmt.count(len(claims))))
                lists.append(fmt.label(escape(t("bib_claims", "Claims:"))) + self._claim_links(claims, page_url))
            cited = ""
            if lists:
                what = t("bib_cited", "Cited for {what}").format(what=t("bib_and", " and ").join(counts))
                cited = (f'<details class="source-cited"><summary>{escape(what)}</summary>'
                         "<p>" + "<br>\n".join(lists) + "</p></details>")
            when = fmt.day(s.date) if s.date else t("undated", "undated")
            # Each edition punctuates an entry its own way (data/<locale>/site.yml: bib_entry).
            entry = escape(t("bib_entry", "{publisher} ({date}). {title}.")).format(
                publisher=f"<strong>{escape(s.publisher)}</strong>", date=escape(when), title=title)
            items.append(f'<li id="{anchor("src", s.id)}">{entry}\n{cited}</li>')  # apart in the search index
        return f'<ol class="sources-list">{"".join(items)}</ol>'

    @functools.cached_property
    def _claim_numbers(self) -> dict[str, int]:
        """Each claim's number in the audit (its # column): its place in data/claims.yml."""
        return {cid: n for n, cid in enumerate(self.data.claims, 1)}

    def _claim_links(self, claim_ids, page_url: str) -> str:
        """Claims as the audit numbers them, each linked to its row."""
        number = self._claim_numbers
        return fmt.listed(
            f'<a href="{escape(url_from(page_url, AUDIT_PAGE + "#" + anchor("claim", c)))}">{fmt.count(number[c])}</a>'
            for c in sorted(claim_ids, key=number.__getitem__))

    def figure_index(self, page_url: str, figure_pages: dict[str, list[tuple[str, str]]],
                     chart_pages: dict[str, list[tuple[str, str]]] | None = None) -> str:
        """Every figure: value, as-of date, sources, and where readers meet it: the pages whose
        prose shows it, the pages whose charts plot it, the claims that weigh it."""
        chart_pages = chart_pages or {}
        weighed: dict[str, set[str]] = {}
        for c in self.data.claims.values():
            for fid in (*c.figures, *FIG_TOKEN.findall(c.evidence)):
                weighed.setdefault(fid, set()).add(c.id)

        def links(pages: list[tuple[str, str]]) -> str:
            # The overview's URL is '' (the site root), which url_from reads as this very page.
            return fmt.listed(f'<a href="{escape(url_from(page_url, u or "./"))}">{escape(t)}</a>' for u, t in pages)

        rows = []
        for f in self.data.figures.values():
            parts = [links(figure_pages[f.id])] if figure_pages.get(f.id) else []
            if chart_pages.get(f.id):
                parts.append(escape(t("index_chart", "chart: ")) + links(chart_pages[f.id]))
            if weighed.get(f.id):
                parts.append(escape(t("index_claim", "claim ") if len(weighed[f.id]) == 1 else t("index_claim", "claims "))
                             + self._claim_links(weighed[f.id], page_url))
            where = "; ".join(parts) or escape(t("index_not_shown", "not shown: kept for reference")
                                               if f.reference_only else "—")
            # Readers get what a figure is and where it comes from, not its id or data file
            # (the downloads keep both); a computed figure says how, beside its inputs' sources.
            sources = self.source_links(f.sources, page_url)
            if f.derived:
                sources = escape(t("index_computed", "Computed: {formula}").format(formula=f.formula)) + ". " + sources
            rows.append((anchor("fig", f.id), [
                escape(f.label), escape(fmt.value(f)), fmt.day(f.as_of), sources, where]))
        columns = ((t("index_figure", "Figure"), ""),
                   (t("index_value", "Value"), t("index_value_label", "Value:")),
                   (t("index_as_of", "As of"), t("index_as_of_label", "As of:")),
                   (t("index_sources", "Sources"), t("index_sources_label", "Sources:")),
                   (t("index_shown_on", "Shown on"), t("index_shown_on_label", "Shown on:")))
        # Closed until a reader opens it or a link lands on a row (the browser opens it then; so does
        # docs/assets/tooltips.js for one that does not): laid out as the page loaded, its 1,700
        # elements kept a phone's main thread busy (Lighthouse TBT about 300 ms).  Paper prints it open.
        what = t("index_open", "Show all {n} figures").format(
            n=fmt.count(len(rows)))
        return (f'<details class="figure-index-all"><summary>{escape(what)}</summary>'
                + stacked_table("figure-index", columns, rows) + "</details>"
                + downloads_line(page_url, t("download_what_figures", "every figure"), FIGURES))
