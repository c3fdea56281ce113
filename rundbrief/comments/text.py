"""The text of one comment file (``content/comments/<slug>/<id>.md``), as the build reads it.

Written by the WordPress importer and by the reader service when the author approves a
comment. Header values are single lines (white space collapsed), so no value can break
the header or add a field of its own; there is no field for an e-mail or IP address. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def one_line(value: str) -> str:
    return " ".join(value.split())


def comment_header_date(moment: datetime) -> str:
    """``2015-06-19 21:14`` in local time, ``21:14:07`` where there are seconds (two
    comments of one minute stay apart in the feeds); with the offset where the hour is
    ambiguous."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")
    if moment.tzinfo is None:
        return text
    wall = moment.replace(tzinfo=None)
    other = wall.replace(tzinfo=moment.tzinfo, fold=1 - moment.fold)
    if other.utcoffset() != moment.utcoffset():
        offset = moment.strftime("%z")
        return f"{text} {offset[:-2]}:{offset[-2:]}"
    return text


@dataclass(slots=True)
class CommentFile:
    author: str
    date: datetime
    body: str  # Markdown
    replyto: int | str | None = None
    url: str | None = None
    by_author: bool = False


def comment_text(comment: CommentFile) -> str:
    """The comment file's text (the format plugins/comments reads)."""
    date = comment_header_date(comment.date)
    lines = [f"author: {one_line(comment.author)}", f"date: {date}"]
    if comment.replyto is not None:
        lines.append(f"replyto: {one_line(str(comment.replyto))}")
    if comment.url:
        lines.append(f"url: {one_line(comment.url)}")
    if comment.by_author:
        lines.append("by_author: true")
    return "\n".join(lines) + "\n\n" + comment.body.strip("\n") + "\n"
