"""The Atom 1.0 feed of the updates page (RFC 4287), written to feed.xml at the site root.

Byte-identical across builds: no clock (each entry is dated by its revision or
event, the feed by its newest entry), ids that depend on what changed and never
on where the site is served, and links absolute from site_url, so a preview's
feed points at the preview.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from .i18n import locale, t
from ..data.model import Dataset
from .updates import Update

FEED_PATH = "feed.xml"
UPDATES_PAGE = "updates/"
# A fixed namespace for the entries' urn:uuid ids (RFC 4122 name-based): the same change keeps the
# same id in every build and at every address, so a reader's feed client never shows it twice.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/japan-chips-explainer/updates")


def entry_id(u: Update) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, u.key)}"


def _stamp(day: date) -> str:
    # Atom dates are RFC 3339 date-times; a revision is dated to the day.
    return f"{day.isoformat()}T00:00:00Z"


def atom(entries: list[Update], data: Dataset, site_url: str, site_name: str,
         link: Callable[[Update], str], fallback: date) -> str:
    """The feed: ``entries`` newest first, ``link(u)`` each entry's site path (e.g. 'rapidus/#claim-x'),
    ``fallback`` the feed's date when it has no entry yet (the newest date in the data)."""
    base = site_url.rstrip("/") + "/"
    updated = entries[0].date if entries else fallback
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{locale()}">',
        f"  <id>urn:uuid:{uuid.uuid5(_NAMESPACE, 'feed')}</id>",
        f"  <title>{escape(t('feed_link_title', '{site_name}: updates').format(site_name=site_name))}</title>",
        f"  <subtitle>{escape(t('feed_subtitle', 'Corrected figures, re-judged claims and new events, newest first.'))}"
        "</subtitle>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(site_name)}</name></author>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + FEED_PATH)}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + UPDATES_PAGE)}/>",
    ]
    for u in entries:
        sources = "; ".join(data.sources[s].publisher for s in u.sources if s in data.sources)
        summary = (f'{u.summary} {t("feed_entry_sources", "Sources: {sources}.").format(sources=sources)}'
                   if sources else u.summary)
        out += [
            "  <entry>",
            f"    <id>{entry_id(u)}</id>",
            f"    <title>{escape(u.title)}</title>",
            f"    <updated>{_stamp(u.date)}</updated>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + link(u))}/>",
            f"    <category term=\"{u.kind}\"/>",
            f"    <summary type=\"text\">{escape(summary)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
