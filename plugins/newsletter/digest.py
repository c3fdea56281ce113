"""A week's digest: its articles, new comments, subject and preheader. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.dates import format_interval

from newsletter.weeks import issue_name

DEFAULT_SUBJECT = "{sitename} Wochenrückblick KW {week}/{year}: {first_title}"
# Where the sender puts each subscriber's personal unsubscribe URL (in email.html and
# email.txt). A valid URL on the reserved .invalid domain: harmless if never replaced.
UNSUBSCRIBE_PLACEHOLDER = "https://abmelden.invalid/UNSUBSCRIBE_URL"
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


@dataclass(slots=True)
class Digest:
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
    count = len(articles)
    head = "1 neuer Artikel" if count == 1 else f"{count} neue Artikel"
    if comments:
        head += f" und {len(comments)} neue{'r' if len(comments) == 1 else ''} Kommentar" + (
            "" if len(comments) == 1 else "e"
        )
    text = f"{head}: " + " · ".join(article.title for article in articles)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def digest_json(digest: Digest) -> dict:
    """What the sender needs (written as digest.json next to email.html and email.txt)."""
    return {
        "issue": digest.issue,
        "year": digest.year,
        "week": digest.week,
        "subject": digest.subject,
        "preheader": digest.preheader,
        "web_url": digest.web_url,
        "articles": [{"title": a.title, "url": a.url} for a in digest.articles],
        "html": "email.html",
        "text": "email.txt",
        "unsubscribe_placeholder": UNSUBSCRIBE_PLACEHOLDER,
    }
