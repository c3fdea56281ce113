"""articlepage: reading time, the newsletter (P.S.) box and share links of each article.

(The featured image's ``image_info`` comes from the images plugin.)
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Article

from quality.pelican_internals import raw_html, replace_raw_html, resolve_links
from rundbrief.article.extras import extras_of
from rundbrief.article.meta import (
    comment_count_label,
    initials,
    is_sticky,
    keep_together,
    sticky_first,
)
from rundbrief.article.reading import reading_minutes, split_newsletter_box
from rundbrief.article.share import share_links
from rundbrief.urls import absolute_url


class LinkedHTML:
    """HTML taken out of an article whose `{filename}` links Pelican resolves when rendered."""

    def __init__(self, content, html: str) -> None:
        self.content = content
        self.html = html

    def __html__(self) -> str:
        return resolve_links(self.content, self.html)

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self.html)


def enrich(content):
    """Runs once per article and page when Pelican creates it."""
    if not isinstance(content, Article):
        return
    settings = content.settings
    body, box = split_newsletter_box(raw_html(content))
    if box is not None:  # (the table of contents is a <nav> already: reading.TocNav)
        replace_raw_html(content, body)
    extras = extras_of(content)
    extras.newsletter_box = LinkedHTML(content, box) if box else None
    extras.reading_time = reading_minutes(body, settings["READING_WORDS_PER_MINUTE"])
    extras.share_links = share_links(
        absolute_url(settings, content.url),
        content.title,
        settings["SHARE_LINKS"],
    )


def link_neighbours(generator):
    """prev_article / next_article in date order (published articles only)."""
    articles = sorted(generator.articles, key=lambda article: (article.date, article.source_path))
    for index, article in enumerate(articles):
        extras = extras_of(article)
        extras.prev_article = articles[index - 1] if index > 0 else None
        extras.next_article = articles[index + 1] if index + 1 < len(articles) else None


FILTERS = {
    "keep_together": keep_together,
    "kommentare": comment_count_label,
    "initialen": initials,
    "sticky": is_sticky,
}


def add_filters(generator):
    generator.env.filters.update(FILTERS)


def order_sticky_first(generator):
    """Sticky articles (metadata `Sticky: true`) lead the index, category, tag and author lists."""
    if not any(is_sticky(getattr(article, "sticky", None)) for article in generator.articles):
        return
    sticky_first(generator.articles)
    for _, articles in generator.categories:
        sticky_first(articles)
    for _, articles in generator.authors:
        sticky_first(articles)
    for articles in generator.tags.values():
        sticky_first(articles)


def register():
    signals.generator_init.connect(add_filters)
    signals.content_object_init.connect(enrich)
    signals.article_generator_finalized.connect(link_neighbours)
    signals.article_generator_finalized.connect(order_sticky_first)
