"""The comment data: a comment, a threaded node and a content problem. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rundbrief.problems import Problem

__all__ = ["STATUSES", "Comment", "Node", "Problem", "display_order", "id_key", "shown"]

STATUSES = ("approved", "pending", "spam")
SHOWN_LENGTH = 40
_UNPRINTABLE = re.compile(r"[^\w .,:;/@#+=?!&%~()\[\]'-]")


def shown(value: str, limit: int = SHOWN_LENGTH) -> str:
    """A value read from a file, made fit to quote in a message: at most ``limit``
    characters, anything but letters, digits and plain punctuation replaced by "?"."""
    text = _UNPRINTABLE.sub("?", value[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment, as read from ``content/comments/<article_slug>/<id>.md``."""

    id: str
    article_slug: str
    author: str
    date: datetime
    body: str
    replyto: str | None
    url: str | None
    by_author: bool
    status: str
    source_path: str


@dataclass(slots=True, eq=False)
class Node:
    """A comment in its thread; ``depth`` 1 is the top level. Compared by identity."""

    comment: Comment
    depth: int
    children: list[Node]

    def __repr__(self) -> str:
        # Shallow on purpose: a thread can be thousands of levels deep.
        return f"Node(id={self.comment.id!r}, depth={self.depth}, children={len(self.children)})"


def id_key(comment_id: str) -> tuple[tuple[int, int, str], ...]:
    """Numeric-aware sort key of an id: ``"9" < "10" < "116" < "a2" < "a10"``."""
    if comment_id.isascii() and comment_id.isdigit():  # the usual case: a WordPress number
        return ((0, int(comment_id), comment_id),)
    chunks = re.split(r"([0-9]+)", comment_id)
    return tuple(
        (0, int(chunk), chunk) if chunk.isascii() and chunk.isdigit() else (1, 0, chunk)
        for chunk in chunks
        if chunk
    )


def display_order(comment: Comment) -> tuple:
    """How comments are ordered among their siblings: by date, then id (numeric-aware)."""
    return (comment.date, id_key(comment.id), comment.source_path)
