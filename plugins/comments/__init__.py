"""comments: each article's comment archive from content/comments/<slug>/<id>.md.

Read, validated, threaded and sanitised after the article generator has finished
(`article_generator_finalized`), on every build: Pelican's content cache never holds
stale comments, and `make devserver` shows every change. Each article gets
`comment_thread` (tree), `comments_flat` (date order), `comment_count` and
`comments_mode` (open | closed | hidden), rendered once and reused by page, feeds and
digest.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from comments.files import load_comments
from comments.render import comment_mailto, heading, render_thread, reply_mailto
from comments.tree import build_tree, count_by_status
from quality.problems import Problem, display_path

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


def _unmatched_folder(folder: str, root: Path, slugs: list[str]) -> Problem:
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


def _moderation_problem(folder: Path, counts: dict[str, int]) -> Problem:
    return Problem(
        f"{folder}/",
        None,
        f"{counts['pending']} Kommentar(e) warten auf Freigabe (status: pending), "
        f"{counts['spam']} sind als Spam markiert (status: spam); sie werden weder angezeigt "
        "noch gezählt.",
        "Freigeben mit „status: approved“ oder die Dateien löschen.",
    )


def attach_comments(generator):
    settings = generator.settings
    root = Path(
        display_path(str(Path(settings["PATH"]) / settings.get("COMMENTS_PATH", "comments")))
    )
    by_slug, problems = load_comments(root, tz=ZoneInfo(settings.get("TIMEZONE", "Europe/Berlin")))
    articles = _articles_by_slug(generator)
    reply_email = settings.get("COMMENTS_REPLY_EMAIL", "")
    max_depth = settings.get("COMMENTS_MAX_DEPTH", 5)

    for slug in sorted(set(by_slug) - set(articles)):
        problems.append(_unmatched_folder(slug, root, sorted(articles)))

    for slug, group in articles.items():
        comments = by_slug.get(slug, [])
        counts = count_by_status(comments)
        if counts["pending"] or counts["spam"]:
            problems.append(_moderation_problem(root / slug, counts))
        tree, found = build_tree(comments, max_depth=max_depth) if comments else ([], [])
        problems += found
        for article in group:
            _attach(article, tree, reply_email)

    for problem in problems:
        logger.warning("%s", problem)


def _attach(article, tree, reply_email):
    mode = article.metadata.get("comments", "open")
    mode = mode if mode in MODES else "open"
    if mode == "hidden":
        tree = []
    title = article.title
    reply = None
    if mode == "open" and reply_email:

        def reply(node):
            return reply_mailto(reply_email, title, node.comment.id, node.comment.author)

    thread, flat = render_thread(tree, reply=reply)
    article.comments_mode = mode
    article.comment_thread = thread
    article.comments_flat = flat
    article.comment_count = len(flat)
    article.comments_heading = heading(len(flat), title)
    article.comment_mailto = (
        comment_mailto(reply_email, title) if mode == "open" and reply_email else None
    )


def register():
    signals.article_generator_finalized.connect(attach_comments)
