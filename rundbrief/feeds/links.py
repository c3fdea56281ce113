"""Autodiscovery: the ``<link rel="alternate">`` targets a page announces. Pure.

The theme's ``partials/feed_links.html`` asks the ``feed_links`` object (a Jinja global
the plugin installs) which feeds to announce: the site feeds on every page, plus the
category's or tag's feed on its pages and an article's comments feed on the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rundbrief.feeds import paths
from rundbrief.feeds.build import ATOM_TYPE, RSS_TYPE
from rundbrief.feeds.select import shows_comments_feed
from rundbrief.urls import absolute


@dataclass(frozen=True, slots=True)
class FeedLink:
    href: str
    type: str
    title: str


def category_title(sitename: str, name: str) -> str:
    return f"{sitename} – Kategorie „{name}“"


def tag_title(sitename: str, name: str) -> str:
    return f"{sitename} – Schlagwort „{name}“"


def comments_title(sitename: str) -> str:
    return f"{sitename} – Kommentare"


def article_comments_title(article_title: str) -> str:
    return f"Kommentare zu „{article_title}“"


class FeedLinks:
    """What each page links; empty everywhere when the site has no absolute base URL."""

    def __init__(self, base: str, sitename: str, now: datetime) -> None:
        self.base = base
        self.sitename = sitename
        self.now = now

    def _link(self, path: str, kind: str, title: str) -> list[FeedLink]:
        if not self.base:
            return []
        return [FeedLink(absolute(self.base, path), kind, title)]

    def site(self) -> list[FeedLink]:
        return [
            *self._link(paths.SITE_ATOM, ATOM_TYPE, f"{self.sitename} – Atom-Feed"),
            *self._link(paths.SITE_RSS, RSS_TYPE, f"{self.sitename} – RSS-Feed"),
            *self._link(paths.COMMENTS_ATOM, ATOM_TYPE, comments_title(self.sitename)),
        ]

    def category(self, category) -> list[FeedLink]:
        if not paths.is_safe_slug(getattr(category, "slug", None)):
            return []
        title = category_title(self.sitename, str(category))
        return self._link(paths.category_atom(category.slug), ATOM_TYPE, title)

    def tag(self, tag) -> list[FeedLink]:
        if not paths.is_safe_slug(getattr(tag, "slug", None)):
            return []
        return self._link(paths.tag_atom(tag.slug), ATOM_TYPE, tag_title(self.sitename, str(tag)))

    def comments(self, article) -> list[FeedLink]:
        if not paths.is_safe_slug(getattr(article, "slug", None)):
            return []
        if not shows_comments_feed(article, self.now):
            return []
        title = article_comments_title(article.title)
        return self._link(paths.article_comments_atom(article.slug), ATOM_TYPE, title)
