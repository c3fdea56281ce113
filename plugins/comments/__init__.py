"""comments: each article's comment archive from content/comments/<slug>/<id>.md.

Read, validated, threaded and sanitised on every build, in the engine's process pool
while Pelican reads the articles, then handed over by the engine after the article
generator has finished (``engine.events.comments_loaded``): Pelican's content cache never
holds stale comments and `make devserver` shows every change. Each article gets
`comment_thread` (tree), `comments_flat` (date order), `comment_count`, `comments_heading`
and `comments_mode` (open | closed | hidden), rendered once and reused by the page, the
feeds and the digest.

A long archive is split into comment pages as WordPress does (``COMMENTS_PER_PAGE``
top-level threads each): page 1 is the article page (``comment_thread``), pages 2, 3, …
are written by this plugin to ``<article URL>comment-page-<n>/``; ``comment-page-1/``
sends the reader back to the article. ``comments.pages.comment_url`` is the one URL of a
comment (its page + ``#comment-<id>``), used by the feeds, the digest and the JSON-LD.
"""

from __future__ import annotations

import difflib
import logging

from pelican import signals
from pelican.generators import Generator

from comments.loader import LoadedComments
from comments.pages import page_folder_url, save_as, split_pages
from comments.render import comment_mailto, heading, reply_mailto_for
from comments.settings import setting
from engine.events import comments_loaded
from rundbrief.problems import Problem

logger = logging.getLogger(__name__)
MODES = ("open", "closed", "hidden")
PAGE_TEMPLATE = "comment_page"
FIRST_PAGE_TEMPLATE = "comment_page_first"


class CommentsGenerator(Generator):
    """Gives each article its comments when the engine hands them over, and writes the
    comment pages 2, 3, … of long archives. Its state lives on the instance, one build."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        super().__init__(context, settings, path, theme, output_path, *args, **kwargs)
        self.paged: list = []  # the articles with more than one comment page
        comments_loaded.connect(self.attach)

    def attach(self, generator, *, loaded: LoadedComments, root: str):
        """engine.events.comments_loaded: the comments of the article generator's articles."""
        comments_loaded.disconnect(self.attach)
        self.paged = attach_comments(generator, loaded=loaded, root=root)

    def generate_context(self):
        """Nothing to read: the comments are attached when the articles are done."""

    def generate_output(self, writer):
        if not self.paged:
            return
        relative = self.settings["RELATIVE_URLS"]
        page_template = self.get_template(PAGE_TEMPLATE)
        first_template = self.get_template(FIRST_PAGE_TEMPLATE)
        for article in self.paged:
            # comment-page-1/ (a WordPress URL for the oldest comments) leads to the article.
            writer.write_file(
                save_as(page_folder_url(article.url, 1)),
                first_template,
                self.context,
                relative_urls=relative,
                article=article,
            )
            for page in article.comment_pages[1:]:
                writer.write_file(
                    save_as(page.url),
                    page_template,
                    self.context,
                    relative_urls=relative,
                    article=article,
                    comment_page=page,
                )


def get_generators(pelican):
    return CommentsGenerator


def _articles_by_slug(generator):
    found = {}
    for article in (
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.drafts,
    ):
        found.setdefault(article.slug, []).append(article)
    return found


def _unmatched_folder(root: str, folder: str, slugs: list[str]) -> Problem:
    close = difflib.get_close_matches(folder, slugs, n=1, cutoff=0.5)
    hint = f" (ähnlich: „{close[0]}“)" if close else ""
    return Problem(
        f"{root}/{folder}/",
        None,
        f"Zu diesem Kommentar-Ordner gibt es keinen Artikel{hint} – wahrscheinlich wurde der "
        "Artikel umbenannt; seine Kommentare werden nicht angezeigt.",
        "Den Ordner in den neuen Slug des Artikels umbenennen, oder im Artikel "
        f"„Slug: {folder}“ setzen, damit die alte URL bleibt.",
    )


def attach_comments(generator, *, loaded: LoadedComments, root: str) -> list:
    """Each article of the generator gets its thread; returns the articles with more than
    one comment page."""
    articles = _articles_by_slug(generator)
    problems = list(loaded.problems)
    for slug in sorted(set(loaded.threads) - set(articles)):
        problems.append(_unmatched_folder(root, slug, sorted(articles)))
    reply_email = setting(generator.settings, "COMMENTS_REPLY_EMAIL")
    per_page = setting(generator.settings, "COMMENTS_PER_PAGE")
    paged = []
    for slug, group in articles.items():
        thread = loaded.threads.get(slug)
        for article in group:
            _attach(article, thread, reply_email, per_page)
            if len(article.comment_pages) > 1 and article.save_as:
                paged.append(article)
    for problem in problems:
        logger.warning("%s", problem)
    return paged


def _attach(article, thread, reply_email, per_page):
    mode = article.metadata.get("comments", "open")
    mode = mode if mode in MODES else "open"
    shown = thread is not None and mode != "hidden"
    roots = thread.roots if shown else []
    flat = thread.flat if shown else []
    title = article.title
    if flat:
        reply = reply_mailto_for(reply_email, title) if mode == "open" and reply_email else None
        for comment in flat:
            comment.reply_href = reply(comment) if reply else None
    pages = split_pages(roots, per_page, article.url)
    article.comments_mode = mode
    article.comment_pages = pages
    article.comment_thread = list(pages[0].threads) if pages else []
    article.comments_flat = flat
    article.comment_count = len(flat)
    article.comments_heading = heading(len(flat), title)
    article.comment_mailto = (
        comment_mailto(reply_email, title) if mode == "open" and reply_email else None
    )


def register():
    signals.get_generators.connect(get_generators)
