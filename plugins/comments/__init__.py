"""comments: each article's comment archive from content/comments/<slug>/<id>.md.

Read, validated, threaded and sanitised on every build, in the engine's process pool
while Pelican reads the articles, then handed over by the engine after the article
generator has finished (``engine.events.comments_loaded``): Pelican's content cache never
holds stale comments and `make devserver` shows every change. Each article gets
`comment_thread` (tree), `comments_flat` (date order), `comment_count`, `comments_heading`
and `comments_mode` (open | closed | hidden), rendered once and reused by the page, the
feeds and the digest.
"""

from __future__ import annotations

import difflib
import logging

from comments.loader import LoadedComments
from comments.render import comment_mailto, heading, reply_mailto_for
from engine.events import comments_loaded
from quality.problems import Problem

logger = logging.getLogger(__name__)
MODES = ("open", "closed", "hidden")


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


def attach_comments(generator, *, loaded: LoadedComments, root: str):
    """comments_loaded: each article of the generator gets its thread."""
    articles = _articles_by_slug(generator)
    problems = list(loaded.problems)
    for slug in sorted(set(loaded.threads) - set(articles)):
        problems.append(_unmatched_folder(root, slug, sorted(articles)))
    reply_email = generator.settings.get("COMMENTS_REPLY_EMAIL", "")
    for slug, group in articles.items():
        thread = loaded.threads.get(slug)
        for article in group:
            _attach(article, thread, reply_email)
    for problem in problems:
        logger.warning("%s", problem)


def _attach(article, thread, reply_email):
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
    article.comments_mode = mode
    article.comment_thread = roots
    article.comments_flat = flat
    article.comment_count = len(flat)
    article.comments_heading = heading(len(flat), title)
    article.comment_mailto = (
        comment_mailto(reply_email, title) if mode == "open" and reply_email else None
    )


def register():
    comments_loaded.connect(attach_comments)
