"""An approved comment becomes ``content/comments/<slug>/<id>.md``. Pure (files only).

The file has the format the build reads (``rundbrief.comments.text``): name, date (local
time of the site), ``replyto`` (the comment answered), ``url``; never an e-mail or IP
address. The id continues above the highest numeric id anywhere below
``content/comments/`` (as WordPress's ids did), so ``#comment-<id>`` anchors stay unique.
The caller holds the service's write lock; the file is created exclusively, so even a
second writer could never overwrite a comment.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rundbrief.comments.text import CommentFile, comment_text
from rundbrief.headers import read_header


def highest_id(comments_dir: Path) -> int:
    """The highest numeric comment id below ``comments_dir`` (0 if there is none)."""
    highest = 0
    if not comments_dir.is_dir():
        return highest
    for folder in comments_dir.iterdir():
        if not folder.is_dir() or folder.is_symlink():
            continue
        for entry in folder.iterdir():
            stem = entry.stem
            if entry.suffix.lower() == ".md" and stem.isascii() and stem.isdigit():
                highest = max(highest, int(stem))
    return highest


def comment_exists(comments_dir: Path, slug: str, comment_id: str) -> bool:
    """Whether the published comment ``comment_id`` of the article ``slug`` exists."""
    folder = comments_dir / slug
    return folder.is_dir() and not folder.is_symlink() and (folder / f"{comment_id}.md").is_file()


def write_comment(
    comments_dir: Path,
    *,
    slug: str,
    author: str,
    url: str,
    body: str,
    parent: str | None,
    created_at: float,
    timezone: str,
) -> tuple[str, Path]:
    """Write the file; returns (its id, its path)."""
    folder = comments_dir / slug
    folder.mkdir(parents=True, exist_ok=True)
    moment = datetime.fromtimestamp(created_at, UTC).astimezone(ZoneInfo(timezone))
    text = comment_text(
        CommentFile(author=author, date=moment, body=body, replyto=parent, url=url or None)
    )
    data = text.encode("utf-8")
    number = highest_id(comments_dir) + 1
    while True:
        path = folder / f"{number}.md"
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        return str(number), path


def comment_author(comments_dir: Path, slug: str, comment_id: str) -> str | None:
    """The ``author:`` of a published comment file (for "Antwort auf …"), or None."""
    if not comment_exists(comments_dir, slug, comment_id):
        return None
    try:
        text = (comments_dir / slug / f"{comment_id}.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    author = read_header(text).first().get("author")
    return author.value[:100] if author and author.value else None
