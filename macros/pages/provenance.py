"""A figure's provenance as readers open it in place: a hidden element after each figure link.

The figure link (a.fig) goes to the figure's entry in the sources page, so without
JavaScript a reader still gets there.  With it, docs/assets/tooltips.js shows this
element beside the number on hover, focus or tap (a disclosure: the link says whether
it is open), and Escape closes it.  It is written here, at build time, with every
string from data/ escaped, and the script only moves and shows it: no text from data
is ever parsed as HTML in the browser.  It goes in when the page is written
(pages/markup.py: PROVENANCE_SLOT), after Markdown and the search indexer have read the page:
a search finds the prose, not every label, and a result's excerpt reads as the page does.
Once it went in with the number, marked data-search-exclude, and the index held every
value, date and source after each label anyway (Material's search parser tells elements
apart by tag name alone, so the first ``</span>`` inside the excluded ``<span>`` ended the
exclusion); tests/test_explainer_build.py reads the index.
"""

from __future__ import annotations

from html import escape  # every string from data/: the element is written after Markdown has read the page

from .i18n import fmt, t
from ..data.model import Dataset, Figure
from .updates import revised_note


def line(text: str, cls: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    return f"<span{attrs}>{text}</span>"


def provenance_html(fig: Figure, data: Dataset, entry_href: str, shown: str) -> str:
    """Label, value, as-of date, how it is computed, its sources (linked to the publisher's page where
    there is one, else to the bibliography entry), its note and revisions, and the full entry."""
    sources = []
    for sid in fig.sources:
        s = data.sources[sid]
        text = escape(t("source_short", "{publisher}, {date}").format(publisher=s.publisher, date=fmt.day(s.date))
                      if s.date else s.publisher)
        sources.append(f'<a href="{escape(s.url)}" rel="noopener">{text}</a>' if s.url else text)
    value = t("prov_as_of", "{value}, as of {date}").format(value=shown, date=fmt.day(fig.as_of))
    lines = [line(escape(fig.label), "fig-prov__label"), line(escape(value), "fig-prov__value")]
    if fig.derived:
        lines.append(line(escape(t("prov_computed", "Computed: {formula}").format(formula=fig.formula))))
    lines.append(line(escape(t("prov_source", "Source: {sources}")).format(
        sources=t("source_separator", "; ").join(sources))))
    if fig.note:
        lines.append(line(escape(t("prov_note", "Note: {note}").format(note=fig.note))))
    revised = revised_note(fig).strip()
    if revised:
        lines.append(line(escape(revised), "fig-prov__revised"))
    lines.append(f'<a class="fig-prov__more" href="{escape(entry_href)}">'
                 f'{escape(t("prov_details", "Details in the sources"))}</a>')
    return f'<span class="fig-prov" hidden>{"".join(lines)}</span>'
