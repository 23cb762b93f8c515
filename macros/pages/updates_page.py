"""HTML for the corrections record: the updates list, a chapter's timeline, a claim's earlier verdicts.

Every string from data/ is escaped here or by the Markup helpers it calls; links
are relative to the page being rendered, like every other link of the site.
"""

from __future__ import annotations

from html import escape
from typing import Callable

from .i18n import fmt, t
from .feed import FEED_PATH
from .html import anchor, url_from
from .markup import Markup, verdict_label
from ..data.model import Claim, verdict_name
from .updates import Update, changed_to, updates, value_as

KIND_LABEL = {"figure": ("update_figure_revised", "Figure revised"),
              "claim": ("update_verdict_changed", "Verdict changed"), "event": ("update_event", "Event")}


def _time(day) -> str:
    return f'<time datetime="{day.isoformat()}">{escape(fmt.day(day))}</time>'


def updates_list(markup: Markup, page: str, page_url: str, link: Callable[[Update], str],
                 titles: Callable[[Update], str]) -> str:
    """Every revision and event, newest first; ``link(u)`` is the site path where readers meet it,
    ``titles(u)`` the name of that page."""
    data = markup.data
    items = []
    for u in updates(data):
        where = escape(url_from(page_url, link(u)))
        place = f'<a href="{where}">{escape(titles(u))}</a>'
        if u.kind == "figure":
            f = data.figures[u.ident]
            # The value it was changed to: today's (with its provenance), or one a later revision replaced.
            now = markup.fig(f.id, page, page_url) if u.after == f.value else escape(value_as(f, u.after))
            body = escape(t("update_summary_figure", "{label}: {value}, was {previous}. {reason}")).format(
                label=escape(f.label), value=now, previous=escape(value_as(f, u.revision.previous)),
                reason=escape(u.revision.reason))
            index = url_from(page_url, f"sources/#{anchor('fig', f.id)}")
            place += f' · <a href="{escape(index)}">{escape(t("figure_index_link", "figure index"))}</a>'
        elif u.kind == "claim":
            c = data.claims[u.ident]
            body = escape(t("update_body_claim", "“{quote}”: {verdict}, was {previous}. {reason}")).format(
                quote=escape(c.quote), verdict=f"<strong>{escape(verdict_label(str(u.after)))}</strong>",
                previous=escape(verdict_label(str(u.revision.previous))), reason=escape(u.revision.reason))
        else:
            e = data.events[u.ident]
            body = f"<strong>{escape(e.title)}</strong>. {markup.text_with_figures(e.text, page, page_url)}"
        items.append(
            f'<li class="update update--{u.kind}" id="{escape(anchor("update", u.key))}">'
            f'<p class="update__head">{_time(u.date)} · {escape(t(*KIND_LABEL[u.kind]))} · {place}</p>'
            f"<p>{body}</p>"
            f'<p class="update__sources"><small>'
            f'{escape(t("update_sources", "Sources: {sources}")).format(sources=markup.source_links(u.sources, page_url))}'
            '</small></p></li>')
    feed = escape(url_from(page_url, FEED_PATH))
    link = f'<a href="{feed}" type="application/atom+xml">{escape(t("updates_feed_link", "Atom feed"))}</a>'
    head = (f'<p class="updates-feed">'
            f'{escape(t("updates_feed", "Follow them in a feed reader: {link}.")).format(link=link)}</p>')
    if not items:
        return head + (f'<p class="updates-empty">'
                       f'{escape(t("updates_empty", "No figure revised, no verdict changed and no event recorded yet."))}</p>')
    return head + f'<ul class="updates-list">{"".join(items)}</ul>'


def timeline(markup: Markup, chapter: str | None, page: str, page_url: str) -> str:
    """The dated events of one chapter (of every chapter if ``chapter`` is None), oldest first."""
    events = [e for e in markup.data.events.values() if chapter is None or e.page == chapter]
    if not events:
        return f'<p class="timeline-empty">{escape(t("timeline_empty", "No events recorded yet."))}</p>'
    items = "".join(
        f'<li class="timeline__event" id="{anchor("event", e.id)}">'
        f'<p class="timeline__head">{_time(e.date)} · <strong>{escape(e.title)}</strong></p>'
        f"<p>{markup.text_with_figures(e.text, page, page_url)}</p>"
        f'<p class="timeline__sources"><small>'
        f'{escape(t("update_sources", "Sources: {sources}")).format(sources=markup.source_links(e.sources, page_url))}'
        '</small></p></li>'
        for e in events)
    return f'<ol class="timeline">{items}</ol>'


def earlier_verdicts(c: Claim) -> str:
    """'Earlier verdict: X, changed on <date>: reason', one line per revision, newest first; '' if none."""
    lines = [escape(t("claim_earlier_verdict", "Earlier verdict: {verdict}, changed on {date} to {after}: {reason}").format(
                 verdict=verdict_label(str(r.previous)), date=fmt.day(r.date), after=verdict_label(str(after)),
                 reason=r.reason))
             for r, after in reversed(changed_to(c.revisions, c.verdict))]
    return "".join(f'<p class="claim__earlier"><small>{line}</small></p>' for line in lines)
