"""Which articles and comments belong in feeds. Pure (duck-typed Pelican objects).

Pelican's ``context["articles"]`` already holds published articles only (no drafts, no
hidden ones), but Pelican 4.12 publishes future-dated articles; feeds leave them out
until their date has come. Comments: only what the comments plugin approved, never for
an article whose comments are hidden.
"""

from __future__ import annotations

from datetime import datetime

from rundbrief.article.extras import extras_of

COMMENT_MODES = ("open", "closed", "hidden")


def has_aware_date(article) -> bool:
    date = getattr(article, "date", None)
    return isinstance(date, datetime) and date.utcoffset() is not None


def is_listed(article, now: datetime) -> bool:
    """A published article whose date (with time zone) has come."""
    return (
        getattr(article, "status", "published") == "published"
        and has_aware_date(article)
        and article.date <= now
    )


def comments_mode(article) -> str:
    mode = extras_of(article).comments_mode
    if mode is None:
        metadata = getattr(article, "metadata", {}) or {}
        mode = metadata.get("comments", "open")
    return mode if mode in COMMENT_MODES else "open"


def shows_comments_feed(article, now: datetime) -> bool:
    """Whether the article page links its comments feed (autodiscovery).

    Every listed article gets a comments feed file (so its old WordPress ``…/feed/`` URL
    keeps working); one whose comments are hidden stays empty and is not advertised.
    """
    return is_listed(article, now) and comments_mode(article) != "hidden"


def visible_comments(article) -> list:
    """The article's approved comments, oldest first; none when its comments are hidden."""
    if comments_mode(article) == "hidden":
        return []
    found = [
        comment
        for comment in extras_of(article).comments_flat
        if getattr(comment, "status", "approved") == "approved"
    ]
    return sorted(found, key=lambda comment: (comment.date, str(comment.id)))


def newest(items, limit: int, key):
    """The ``limit`` newest of ``items`` by ``key`` (a date), newest first."""
    return sorted(items, key=key, reverse=True)[:limit]
