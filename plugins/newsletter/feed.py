"""The RSS feed of all digests, each with its full e-mail HTML (for RSS-to-e-mail services)."""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from newsletter.digest import UNSUBSCRIBE_PLACEHOLDER, Digest


def digest_feed(
    digests: list[tuple[Digest, str]],
    *,
    title: str,
    site_url: str,
    feed_url: str,
    archive_url: str,
    unsubscribe_url: str,
) -> bytes:
    """RSS 2.0, newest digest first. ``digests`` pairs each digest with its e-mail HTML."""
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=archive_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.description(f"Der wöchentliche Rückblick von {site_url}")
    feed.language("de")
    if digests:
        feed.lastBuildDate(max(digest.end for digest, _ in digests))
    for digest, html in sorted(digests, key=lambda pair: pair[0].issue):
        entry = feed.add_entry()
        entry.id(digest.web_url)
        entry.guid(digest.web_url, permalink=True)
        entry.title(digest.subject)
        entry.link(href=digest.web_url)
        entry.description(digest.preheader)
        entry.content(html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url), type="CDATA")
        entry.pubDate(max(article.date for article in digest.articles))
    return feed.rss_str(pretty=True)
