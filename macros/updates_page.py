"""HTML for the corrections record: the updates list, a chapter's timeline, a claim's earlier verdicts.

Every string from data/ is escaped here or by the Markup helpers it calls; links
are relative to the page being rendered, like every other link of the site.
"""

from __future__ import annotations

from html import escape
from typing import Callable

from .i18n import fmt
from .feed import FEED_PATH
from .markup import Markup, anchor, url_from
from .model import Claim, verdict_name
from .updates import Update, changed_to, updates, value_as

KIND_LABEL = {"figure": "Figure revised", "claim": "Verdict changed", "event": "Event"}


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
            body = (f'{escape(f.label)}: {now}, was {escape(value_as(f, u.revision.previous))}. '
                    f'{escape(u.revision.reason)}')
            index = url_from(page_url, f"sources/#{anchor('fig', f.id)}")
            place += f' · <a href="{escape(index)}">figure index</a>'
        elif u.kind == "claim":
            c = data.claims[u.ident]
            body = (f'“{escape(c.quote)}”: <strong>{escape(verdict_name(str(u.after)))}</strong>, '
                    f'was {escape(verdict_name(str(u.revision.previous)))}. {escape(u.revision.reason)}')
        else:
            e = data.events[u.ident]
            body = f"<strong>{escape(e.title)}</strong>. {markup.text_with_figures(e.text, page, page_url)}"
        items.append(
            f'<li class="update update--{u.kind}" id="{escape(anchor("update", u.key))}">'
            f'<p class="update__head">{_time(u.date)} · {KIND_LABEL[u.kind]} · {place}</p>'
            f"<p>{body}</p>"
            f'<p class="update__sources"><small>Sources: {markup.source_links(u.sources, page_url)}</small></p></li>')
    feed = escape(url_from(page_url, FEED_PATH))
    head = (f'<p class="updates-feed">Follow them in a feed reader: '
            f'<a href="{feed}" type="application/atom+xml">Atom feed</a>.</p>')
    if not items:
        return head + '<p class="updates-empty">No figure revised, no verdict changed and no event recorded yet.</p>'
    return head + f'<ul class="updates-list">{"".join(items)}</ul>'


def timeline(markup: Markup, chapter: str | None, page: str, page_url: str) -> str:
    """The dated events of one chapter (of every chapter if ``chapter`` is None), oldest first."""
    events = [e for e in markup.data.events.values() if chapter is None or e.page == chapter]
    if not events:
        return '<p class="timeline-empty">No events recorded yet.</p>'
    items = "".join(
        f'<li class="timeline__event" id="{anchor("event", e.id)}">'
        f'<p class="timeline__head">{_time(e.date)} · <strong>{escape(e.title)}</strong></p>'
        f"<p>{markup.text_with_figures(e.text, page, page_url)}</p>"
        f'<p class="timeline__sources"><small>Sources: {markup.source_links(e.sources, page_url)}</small></p></li>'
        for e in events)
    return f'<ol class="timeline">{items}</ol>'


def earlier_verdicts(c: Claim) -> str:
    """'Earlier verdict: X, changed on <date>: reason', one line per revision, newest first; '' if none."""
    lines = [f"Earlier verdict: {escape(verdict_name(str(r.previous)))}, changed on {escape(fmt.day(r.date))}"
             f" to {escape(verdict_name(str(after)))}: {escape(r.reason)}"
             for r, after in reversed(changed_to(c.revisions, c.verdict))]
    return "".join(f'<p class="claim__earlier"><small>{line}</small></p>' for line in lines)
