"""HTML for the article's claims: the compact box in a chapter and the audit page.

A chapter's claim is one line a reader can skim past (verdict, the article's words,
our one-sentence judgement); the evidence waits behind a <details> disclosure, which
opens without JavaScript.  The audit opens with a bar of the verdicts, counted from
data/claims.yml, and links that narrow the table by verdict or chapter: plain anchors
to generated lists without JavaScript, an instant filter with it (docs/assets/audit.js).
Every string from data/ is escaped here, where it lands.
"""

from __future__ import annotations

import re
from html import escape

from .html import SOURCES_PAGE, anchor, url_from
from .i18n import fmt, t
from ..errors import DataError, Problem, nearest
from ..data.model import VERDICTS

AUDIT_PAGE = "claims/"
# The box's class for each verdict: styled in docs/assets/explainer.css, green and a
# check mark only for "Accurate", neutral grey and a dash for "Cannot be checked".
VERDICT_STYLE = {"accurate": "verdict-accurate", "needs_context": "verdict-needs-context",
                 "misleading": "verdict-misleading", "inaccurate": "verdict-inaccurate",
                 "cannot_check": "verdict-cannot-check"}


def publisher_name(publisher: str) -> str:
    """Who published it, without who passed it on: 'Bloomberg via NDTV Profit' is Bloomberg.
    (data/sources.yml writes syndication as '<publisher> via <outlet>'; the bibliography keeps it.)"""
    # A trailing aside, such as '(byline: ...)' or '(Japanese)', is bibliography detail too.
    return re.sub(r"\s*\([^)]*\)$", "", publisher.split(" via ", 1)[0]).strip()


def publishers(markup, ids: tuple[str, ...], page_url: str) -> str:
    """'Jiji Press; Bloomberg': each publisher once, linked to its first entry in the bibliography.
    One line under a claim or a chart; dates, titles and syndication are in the bibliography."""
    seen: dict[str, str] = {}
    for sid in ids:
        seen.setdefault(publisher_name(markup.data.sources[sid].publisher), sid)
    links = [f'<a href="{escape(url_from(page_url, SOURCES_PAGE + "#" + anchor("src", sid)))}">{escape(name)}</a>'
             for name, sid in seen.items()]
    return t("source_separator", "; ").join(links)


def _js_text(attribute: str, key: str, english: str) -> str:
    """An interface string the page's script shows, for another edition (docs/assets/*.js has English's)."""
    from .i18n import locale

    return "" if locale() == "en" else f' {attribute}="{escape(t(key, english))}"'


def verdict_label(key: str) -> str:
    from .markup import verdict_label as label  # markup imports this module

    return label(key)


def claim_box(markup, cid: str, page: str, page_url: str) -> str:
    from .markup import _earlier_verdicts

    c = markup.data.claims.get(cid)
    if c is None:
        raise DataError(Problem(page, None, f"claim('{cid}')", f"unknown claim id '{cid}'",
                                f"{nearest(cid, list(markup.data.claims))}."))
    audit = url_from(page_url, f"{AUDIT_PAGE}#{anchor('claim', c.id)}")
    return (
        f'<details class="{VERDICT_STYLE[c.verdict]} claim" id="{anchor("claim", c.id)}" data-verdict="{c.verdict}">'
        f'<summary><span class="claim__verdict">{escape(verdict_label(c.verdict))}</span>'
        f'<span class="claim__label">{escape(t("claim_the_article_says", " · the article says "))}</span>'
        f'<q class="claim__quote">{escape(c.quote)}</q> '
        f'<span class="claim__summary">{escape(c.summary)}</span></summary>'
        f'<p>{markup.text_with_figures(c.evidence, page, page_url)}</p>'
        f"{_earlier_verdicts(c)}"
        f'<p class="claim__sources">{fmt.label(escape(t("claim_sources", "Sources:")))}{publishers(markup, c.sources, page_url)} · '
        f'<a href="{escape(audit)}">{escape(t("claim_all_claims", "All claims"))}</a></p></details>'
    )


def verdict_bar(counts: dict[str, int]) -> str:
    """The verdicts as one bar, a segment each, drawn as SVG (its widths are attributes, which the
    Content-Security-Policy allows, unlike style attributes); the words beside it say the same."""
    total = sum(counts.values()) or 1
    x, rects = 0.0, []
    for v, n in counts.items():
        if n:
            w = 100 * n / total
            rects.append(f'<rect class="verdict-bar__{v}" x="{x:.3f}" y="0" width="{w:.3f}" height="4"></rect>')
            x += w
    return ('<svg class="verdict-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" '
            f'focusable="false">{"".join(rects)}</svg>')


def audit_filters(markup, page_url: str, chapters: dict[str, tuple[str, str]]) -> str:
    """The verdict bar, then links by verdict and by chapter to the lists below the table."""
    counts = markup.verdict_counts()
    by_verdict = "".join(
        f'<li><a class="verdict verdict--{v}" href="#verdict-{v.replace("_", "-")}" data-filter="verdict" '
        f'data-value="{v}">{escape(t("filter_count", "{name}: {count}").format(name=verdict_label(v), count=fmt.count(n)))}'
        '</a></li>' for v, n in counts.items() if n)
    used = {c.page for c in markup.data.claims.values()}
    by_chapter = "".join(
        f'<li><a href="#chapter-{escape(name)}" data-filter="chapter" data-value="{escape(name)}">'
        f"{escape(t('filter_count', '{name}: {count}').format(name=title, count=fmt.count(sum(c.page == name for c in markup.data.claims.values()))))}</a></li>"
        for name, (_, title) in chapters.items() if name in used)
    showing = _js_text("data-showing", "filter_showing", "Showing {shown} of {total} claims in the table below.")
    return (f'<div class="claims-filter">{verdict_bar(counts)}'
            f'<p class="claims-filter__label">{escape(t("filter_by_verdict", "By verdict"))}</p>'
            f'<ul class="claims-filter__list">{by_verdict}</ul>'
            f'<p class="claims-filter__label">{escape(t("filter_by_chapter", "By chapter"))}</p>'
            f'<ul class="claims-filter__list">{by_chapter}</ul>'
            f'<p class="claims-filter__status" role="status"{showing}></p></div>')


def claim_lists(markup, chapters: dict[str, tuple[str, str]]) -> str:
    """One short list per verdict and per chapter, each claim linked to its row: the filter's
    targets when JavaScript is off (with it, the same links narrow the table in place)."""
    number = {cid: n for n, cid in enumerate(markup.data.claims, 1)}

    def items(claims) -> str:
        return "".join(f'<li><a href="#{anchor("claim", c.id)}">{fmt.count(number[c.id])}</a> '
                       f'<q>{escape(c.quote)}</q></li>' for c in claims)

    out = []
    for v in VERDICTS:
        claims = [c for c in markup.data.claims.values() if c.verdict == v]
        if claims:
            out.append(f'<section class="claims-list" id="verdict-{v.replace("_", "-")}">'
                       f'<p class="claims-list__title">{escape(verdict_label(v))}</p><ul>{items(claims)}</ul></section>')
    for name, (_, title) in chapters.items():
        claims = [c for c in markup.data.claims.values() if c.page == name]
        if claims:
            out.append(f'<section class="claims-list" id="chapter-{escape(name)}">'
                       f'<p class="claims-list__title">{escape(title)}</p><ul>{items(claims)}</ul></section>')
    return (f'<p class="claims-lists__intro">{escape(t("claims_lists_intro", "The same claims, by verdict and by chapter:"))}</p>'
            f'<div class="claims-lists">{"".join(out)}</div>')
