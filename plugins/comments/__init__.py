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
sends the reader back to the article. ``rundbrief.comments.pages.comment_url`` is the one URL of a
comment (its page + ``#comment-<id>``), used by the feeds, the digest and the JSON-LD.

With ``COMMENTS_POST_URL`` set, an open article ends with the comment form (theme partial
``partials/comment_form.html``) and "Antworten" leads to the reader service's form for that
comment; the build writes ``rundbrief.comments.manifest`` (which articles take comments)
for the service.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from comments.settings import setting
from engine.events import comments_loaded
from rundbrief.article.extras import extras_of
from rundbrief.comments.loader import LoadedComments
from rundbrief.comments.manifest import ArticleEntry, write_manifest
from rundbrief.comments.pages import page_folder_url, save_as, split_pages
from rundbrief.comments.render import comment_mailto, heading, reply_mailto_for
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
        self.manifest: list[ArticleEntry] = []  # the articles, for the reader service
        comments_loaded.connect(self.attach)

    def attach(self, generator, *, loaded: LoadedComments, root: str):
        """engine.events.comments_loaded: the comments of the article generator's articles."""
        comments_loaded.disconnect(self.attach)
        self.paged = attach_comments(generator, loaded=loaded, root=root)
        self.manifest = manifest_entries(generator)

    def generate_context(self):
        """Nothing to read: the comments are attached when the articles are done."""

    def generate_output(self, writer):
        write_manifest(Path(self.output_path), self.manifest)
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
            for page in extras_of(article).comment_pages[1:]:
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


def manifest_entries(generator) -> list[ArticleEntry]:
    """Every article a reader can open (published and hidden), for the reader service."""
    site_url = generator.settings["SITEURL"].rstrip("/")
    entries = {}
    for article in (*generator.articles, *generator.translations, *generator.hidden_articles):
        if not article.save_as or article.slug in entries:
            continue
        mode = article.metadata.get("comments", "open")
        entries[article.slug] = ArticleEntry(
            slug=article.slug,
            title=Markup(article.title).striptags(),
            url=f"{site_url}/{article.url}" if site_url else article.url,
            comments=mode if mode in MODES else "open",
            shown=tuple(
                (comment.id, comment.parent_id) for comment in extras_of(article).comments_flat
            ),
        )
    return list(entries.values())


def reply_form_for(post_url: str, slug: str):
    """A function giving each comment its "Antworten" link: the reader service's form set
    to answer it (``?slug=…&replytocom=…`` as WordPress; with JavaScript the page's own
    form moves under the comment instead)."""

    def href(comment) -> str:
        query = urlencode({"slug": slug, "replytocom": comment.id})
        return f"{post_url}?{query}#kommentieren"

    return href


def attach_comments(generator, *, loaded: LoadedComments, root: str) -> list:
    """Each article of the generator gets its thread; returns the articles with more than
    one comment page."""
    articles = _articles_by_slug(generator)
    problems = list(loaded.problems)
    for slug in sorted(set(loaded.threads) - set(articles)):
        problems.append(_unmatched_folder(root, slug, sorted(articles)))
    reply_email = setting(generator.settings, "COMMENTS_REPLY_EMAIL")
    post_url = setting(generator.settings, "COMMENTS_POST_URL")
    per_page = setting(generator.settings, "COMMENTS_PER_PAGE")
    paged = []
    for slug, group in articles.items():
        thread = loaded.threads.get(slug)
        for article in group:
            _attach(article, thread, "" if post_url else reply_email, per_page, post_url)
            if len(extras_of(article).comment_pages) > 1 and article.save_as:
                paged.append(article)
    for problem in problems:
        logger.warning("%s", problem)
    return paged


def _attach(article, thread, reply_email, per_page, post_url=""):
    mode = article.metadata.get("comments", "open")
    mode = mode if mode in MODES else "open"
    shown = thread is not None and mode != "hidden"
    roots = thread.roots if shown else []
    flat = thread.flat if shown else []
    title = article.title
    if flat:
        reply = None
        if mode == "open" and post_url:
            reply = reply_form_for(post_url, article.slug)
        elif mode == "open" and reply_email:
            reply = reply_mailto_for(reply_email, title)
        for comment in flat:
            comment.reply_href = reply(comment) if reply else None
    pages = split_pages(roots, per_page, article.url)
    extras = extras_of(article)
    extras.comments_mode = mode
    extras.comment_pages = pages
    extras.comment_thread = list(pages[0].threads) if pages else []
    extras.comments_flat = flat
    extras.comment_count = len(flat)
    extras.comments_heading = heading(len(flat), title)
    extras.comment_mailto = (
        comment_mailto(reply_email, title) if mode == "open" and reply_email else None
    )


def register():
    signals.get_generators.connect(get_generators)
