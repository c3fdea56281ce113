"""The extras an article carries for templates, feeds, JSON-LD and the digest: one declared
type instead of attributes bolted onto Pelican's Article. Pure (no Pelican).

Each plugin fills its own fields (the comment below each says which); every other part
reads them, with the defaults below when a plugin is switched off. Pelican's Article gets
one attribute, ``extras``; templates read ``article.extras.<field>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rundbrief.comments.pages import CommentPage
    from rundbrief.comments.render import RenderedComment
    from rundbrief.images.model import ImageInfo

ATTRIBUTE = "extras"
# Fields set from the whole site once every article is read (neighbours, comments); the
# others are set when the article itself is read. The dev loop's quick page of a saved
# article carries these over from the article it replaces (``copy_site_fields``).
SITE = {"set": "from the whole site"}


@dataclass(slots=True, eq=False)
class ArticleExtras:
    # images: the featured image and its renditions (None: no Image: header)
    image_info: ImageInfo | None = None
    # articlepage: whole minutes, the P.S. box (HTML whose links resolve when rendered),
    # the share links, the neighbours in date order (published articles only)
    reading_time: int = 0
    newsletter_box: Any = None
    share_links: tuple = ()
    prev_article: Any = field(default=None, metadata=SITE)
    next_article: Any = field(default=None, metadata=SITE)
    # comments: open | closed | hidden (None: the comments plugin is off); the pages
    # (1 = the article page), the threads of page 1, all shown comments in date order,
    # their number, the section heading, the "write a comment" mailto (None without
    # COMMENTS_REPLY_EMAIL or when not open)
    comments_mode: str | None = field(default=None, metadata=SITE)
    comment_pages: list[CommentPage] = field(default_factory=list, metadata=SITE)
    comment_thread: list[RenderedComment] = field(default_factory=list, metadata=SITE)
    comments_flat: list[RenderedComment] = field(default_factory=list, metadata=SITE)
    comment_count: int = field(default=0, metadata=SITE)
    comments_heading: str = field(default="", metadata=SITE)
    comment_mailto: str | None = field(default=None, metadata=SITE)


def extras_of(article) -> ArticleExtras:
    """The article's extras, created (all defaults) the first time any part asks."""
    found = getattr(article, ATTRIBUTE, None)  # an attribute read (the engine traces reads)
    if found is None:
        found = ArticleExtras()
        setattr(article, ATTRIBUTE, found)
    return found


def copy_site_fields(source: ArticleExtras, target: ArticleExtras) -> None:
    """The fields ``source`` got from the whole site (``SITE``), into ``target``."""
    for item in fields(ArticleExtras):
        if item.metadata == SITE:
            setattr(target, item.name, getattr(source, item.name))
