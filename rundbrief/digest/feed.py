"""The RSS feed of the newest digests (for feed readers and RSS-to-e-mail services). Pure.

Each item's content is an HTML fragment (no DOCTYPE, html or head: the feed reader or
the mailing service frames it), rendered from the theme's ``newsletter_feed_item.html``;
the description is the preheader, escaped as HTML (RSS descriptions are HTML).
"""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from markupsafe import escape

from rundbrief.digest.issue import Issue


def newest(issues: list[Issue], count: int) -> list[Issue]:
    """The ``count`` newest issues, newest first."""
    return sorted(issues, key=lambda issue: (issue.year, issue.week), reverse=True)[:count]


def digest_feed(
    items: list[tuple[Issue, str]],
    *,
    title: str,
    site_url: str,
    feed_url: str,
    archive_url: str,
) -> bytes:
    """RSS 2.0, newest first. ``items`` pairs each issue with its content fragment."""
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=feed_url, rel="self")
    feed.link(href=archive_url, rel="alternate")  # the last link is RSS's <link>
    feed.description(f"Der wöchentliche Rückblick von {site_url}")
    feed.language("de")
    if items:
        feed.lastBuildDate(max(issue.end for issue, _ in items))
    # feedgen puts each added entry first: add the oldest first.
    for issue, fragment in sorted(items, key=lambda pair: pair[0].issue):
        entry = feed.add_entry()
        entry.id(issue.web_url)
        entry.guid(issue.web_url, permalink=True)
        entry.title(issue.subject)
        entry.link(href=issue.web_url)
        entry.description(str(escape(issue.preheader)))
        entry.content(fragment, type="html")
        entry.pubDate(max(article.date for article in issue.articles))
    return feed.rss_str(pretty=True)
