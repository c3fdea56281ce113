"""Comment pages as WordPress has them, and the one URL of a comment. Pure.

A long archive is split by top-level threads (a thread never spans two pages): page 1 is
the article page itself, page n ≥ 2 is ``<article URL>comment-page-<n>/``, the URL
WordPress uses, so old links keep working. ``comment_url`` is the only place that knows
where a comment is shown: the page, the feeds, the digest and the JSON-LD all use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rundbrief.comments.render import RenderedComment

PAGE_FOLDER = "comment-page-{number}/"


@dataclass(frozen=True, slots=True)
class CommentPage:
    """One page of an article's comments: its number (1 = the article page), its
    site-relative URL and the top-level threads shown on it (replies hang below)."""

    number: int
    url: str
    threads: tuple[RenderedComment, ...]


def page_url(article_url: str, number: int) -> str:
    """The URL of comment page ``number`` of the article at ``article_url``.

    Page 1 is the article itself. ``2015/06/slug/`` gives ``2015/06/slug/comment-page-2/``;
    an article URL ending in ``.html`` gives ``2015/06/slug/comment-page-2/`` too.
    Works for site-relative and absolute URLs alike.
    """
    if number <= 1:
        return article_url
    return page_folder_url(article_url, number)


def page_folder_url(article_url: str, number: int) -> str:
    """``<article URL>comment-page-<number>/``, also for 1: WordPress's URL of the first
    page, which this site only keeps as a way back to the article."""
    base = article_url
    if not base.endswith("/"):
        base = base.removesuffix(".html").removesuffix(".htm") + "/"
    return base + PAGE_FOLDER.format(number=number)


def save_as(url: str) -> str:
    """Where a page URL (a folder) is written."""
    return url + "index.html"


def comment_url(article_url: str, comment: RenderedComment) -> str:
    """The URL of one comment: its comment page + ``#comment-<id>``.

    ``article_url`` may be site-relative or absolute; the result is of the same kind.
    """
    return f"{page_url(article_url, getattr(comment, 'page', 1))}#comment-{comment.id}"


def split_pages(
    threads: Sequence[RenderedComment], per_page: int, article_url: str
) -> list[CommentPage]:
    """The pages of an article's comment threads, oldest first; every comment (replies
    too) learns its page number. ``per_page`` 0 puts all on one page; no threads, no page.
    """
    if not threads:
        return []
    size = per_page if per_page > 0 else len(threads)
    pages = []
    for start in range(0, len(threads), size):
        number = len(pages) + 1
        chunk = tuple(threads[start : start + size])
        stack = list(chunk)
        while stack:  # iterative: threads can be thousands of levels deep
            comment = stack.pop()
            comment.page = number
            stack.extend(comment.children)
        pages.append(CommentPage(number, page_url(article_url, number), chunk))
    return pages
