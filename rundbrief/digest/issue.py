"""A week's issue as the build sees it: articles, new comments, subject, preheader. Pure.

What the build hands to the sender is ``rundbrief.digest.manifest.Digest``; this is the
richer view the templates render from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.dates import format_interval

from rundbrief.digest.manifest import issue_name

DEFAULT_SUBJECT = "{sitename} Wochenrückblick KW {week}/{year}: {first_title}"
SUBJECT_FIELDS = {"sitename": "S", "week": 1, "year": 2015, "first_title": "T", "count": 1}


@dataclass(frozen=True, slots=True)
class DigestArticle:
    title: str
    url: str  # absolute
    date: datetime
    summary_html: str
    summary_text: str
    image_url: str | None = None  # absolute
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None


@dataclass(frozen=True, slots=True)
class DigestComment:
    author: str
    date: datetime
    url: str  # absolute link to the comment on its article page
    excerpt: str
    article_title: str
    article_url: str  # absolute


@dataclass(frozen=True, slots=True)
class CommentGroup:
    """The new comments of one article, in date order (the title is shown once)."""

    article_title: str
    article_url: str
    comments: tuple[DigestComment, ...]


def group_comments(comments: list[DigestComment]) -> list[CommentGroup]:
    """By article, the article of the earliest comment first; each group in date order."""
    groups: dict[str, list[DigestComment]] = {}
    for comment in sorted(comments, key=lambda c: (c.date, c.url)):
        groups.setdefault(comment.article_url, []).append(comment)
    return [
        CommentGroup(items[0].article_title, url, tuple(items)) for url, items in groups.items()
    ]


@dataclass(slots=True)
class Issue:
    year: int
    week: int
    start: datetime
    end: datetime  # exclusive
    articles: list[DigestArticle]
    comments: list[DigestComment] = field(default_factory=list)
    subject: str = ""
    preheader: str = ""
    web_url: str = ""

    @property
    def issue(self) -> str:
        return issue_name(self.year, self.week)

    @property
    def period(self) -> str:
        """15.–21. Juni 2015"""
        return format_interval(
            self.start.date(), (self.end - timedelta(days=1)).date(), "yMMMd", locale="de_DE"
        )

    @property
    def comment_groups(self) -> list[CommentGroup]:
        return group_comments(self.comments)


def articles_text(count: int, adjective: str = "neu") -> str:
    """German number and plural: "1 neuer Artikel", "2 neue Artikel", "1 weiterer Artikel"."""
    return f"{count} {adjective}{'er' if count == 1 else 'e'} Artikel"


def comments_text(count: int) -> str:
    """ "1 neuer Kommentar", "3 neue Kommentare" """
    return "1 neuer Kommentar" if count == 1 else f"{count} neue Kommentare"


def subject_line(template: str, *, sitename: str, year: int, week: int, articles) -> str:
    return template.format(
        sitename=sitename,
        week=week,
        year=year,
        first_title=articles[0].title,
        count=len(articles),
    )


def preheader_text(articles, comments, limit: int = 140) -> str:
    """The hidden line mail clients show after the subject."""
    head = articles_text(len(articles))
    if comments:
        head += f" und {comments_text(len(comments))}"
    text = f"{head}: " + " · ".join(article.title for article in articles)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
