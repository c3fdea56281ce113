"""Everything about the comments that does not need the articles: read, thread, render.

Pure (no Pelican) and picklable in and out, so the build can run it in a second process
while Pelican reads the articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from rundbrief.comments.files import load_comments
from rundbrief.comments.render import RenderedComment, render_thread
from rundbrief.comments.tree import build_tree, count_by_status
from rundbrief.problems import Problem


@dataclass(slots=True)
class Thread:
    roots: list[RenderedComment]
    flat: list[RenderedComment]  # date order
    pending: int = 0
    spam: int = 0


@dataclass(slots=True)
class LoadedComments:
    threads: dict[str, Thread] = field(default_factory=dict)  # by article slug
    problems: list[Problem] = field(default_factory=list)


def moderation_problem(folder: str, thread: Thread) -> Problem:
    return Problem(
        folder,
        None,
        f"{thread.pending} Kommentar(e) warten auf Freigabe (status: pending), "
        f"{thread.spam} sind als Spam markiert (status: spam); sie werden weder angezeigt "
        "noch gezählt.",
        "Freigeben mit „status: approved“ oder die Dateien löschen.",
    )


def load_threads(
    root: str, timezone: str, max_depth: int, max_length: int | None = None
) -> LoadedComments:
    """All comment folders under ``root``, threaded and rendered (no reply links yet)."""
    by_slug, problems = load_comments(Path(root), tz=ZoneInfo(timezone), max_length=max_length)
    loaded = LoadedComments(problems=problems)
    for slug, comments in by_slug.items():
        counts = count_by_status(comments)
        tree, found = build_tree(comments, max_depth=max_depth)
        loaded.problems += found
        roots, flat = render_thread(tree)
        thread = Thread(roots, flat, counts["pending"], counts["spam"])
        if thread.pending or thread.spam:
            loaded.problems.append(moderation_problem(f"{root}/{slug}/", thread))
        loaded.threads[slug] = thread
    return loaded
