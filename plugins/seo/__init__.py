"""seo: canonical URLs, Open Graph and JSON-LD helpers for the theme; sitemap.xml, robots.txt."""

from __future__ import annotations

import os
from functools import partial

from markupsafe import Markup
from pelican import signals

from rundbrief.article.extras import extras_of
from rundbrief.comments.pages import comment_url
from rundbrief.seo.jsonld import CommentLD, blog_posting, script_json
from rundbrief.seo.sitemap import Entry, robots_txt, sitemap_xml
from rundbrief.urls import absolute_url


def article_jsonld(article, settings) -> Markup:
    url = absolute_url(settings, article.url)  # Pelican computes .url anew on every access
    extras = extras_of(article)
    comments = extras.comments_flat if extras.comments_mode is not None else None
    comment_items = None
    if comments is not None:
        comment_items = [
            CommentLD(
                author=node.author, date=node.date, text=node.text, url=comment_url(url, node)
            )
            for node in comments
            if getattr(node, "page", 1) == 1  # what the page shows, not later comment pages
        ]
    info = extras.image_info  # the share image: a raster, never SVG
    image = info.og.path if info is not None and info.og is not None else None
    data = blog_posting(
        url=url,
        headline=article.title,
        description=Markup(article.summary or "").striptags(),
        published=article.date,
        modified=getattr(article, "modified", None),
        author=str(article.author),
        publisher=settings["SITENAME"],
        site_url=absolute_url(settings, ""),
        image=absolute_url(settings, image) if image else None,
        keywords=[str(tag) for tag in getattr(article, "tags", [])],
        section=str(article.category) if getattr(article, "category", None) else None,
        comments=comment_items,
        comment_count=extras.comment_count if comments is not None else None,
    )
    return Markup(script_json(data))


def add_template_helpers(generator):
    settings = generator.settings
    generator.env.filters["absolute"] = partial(absolute_url, settings)
    generator.env.filters["jsonld"] = partial(article_jsonld, settings=settings)


class SeoGenerator:
    """Writes sitemap.xml and robots.txt after every other generator has its content."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def entries(self):
        settings = self.settings
        yield Entry(absolute_url(settings, ""), None)
        for article in self.context.get("articles", []):
            yield Entry(
                absolute_url(settings, article.url),
                getattr(article, "modified", None) or article.date,
            )
            for page in extras_of(article).comment_pages[1:]:  # comment page 2, 3, …
                yield Entry(absolute_url(settings, page.url), None)
        for page in self.context.get("pages", []):
            yield Entry(absolute_url(settings, page.url), getattr(page, "modified", None))
        for key in ("categories", "tags"):
            for item, _articles in self.context.get(key, []):
                yield Entry(absolute_url(settings, item.url), None)

    def generate_output(self, writer):
        settings = self.settings
        if settings["SEO_SITEMAP"]:
            self._write("sitemap.xml", sitemap_xml(self.entries()))
        if settings["SEO_ROBOTS"]:
            robots = robots_txt(
                absolute_url(settings, "sitemap.xml"), settings["SEO_ROBOTS_DISALLOW"]
            )
            self._write("robots.txt", robots)

    def _write(self, name, text):
        os.makedirs(self.output_path, exist_ok=True)
        with open(os.path.join(self.output_path, name), "w", encoding="utf-8") as handle:
            handle.write(text)


def get_generators(pelican):
    return SeoGenerator


def register():
    signals.generator_init.connect(add_template_helpers)
    signals.get_generators.connect(get_generators)
