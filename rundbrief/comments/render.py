"""Comments made ready for the page, the feeds and the digest: rendered once per build. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from rundbrief.comments.model import Node
from rundbrief.sanitize import render_comment_body, safe_url
from rundbrief.text import strip_tags


@dataclass(slots=True, eq=False)
class RenderedComment:
    """One approved comment with its sanitised HTML; ``children`` are its shown replies."""

    id: str
    author: str
    author_url: str | None
    date: datetime
    html: str
    text: str
    by_author: bool
    parent_id: str | None
    depth: int
    reply_href: str | None
    children: list[RenderedComment] = field(default_factory=list)
    page: int = 1  # the comment page it is shown on (rundbrief.comments.pages)


def plain_text(html: str) -> str:
    """Text of sanitised comment HTML (line breaks kept as spaces)."""
    return strip_tags(html)


def reply_mailto_for(email: str, article_title: str) -> Callable[[RenderedComment], str]:
    """A function giving each comment of one article its "Antworten" mailto link."""
    # quote() encodes character by character, so the parts can be quoted apart (the
    # article's part once): the same as quoting the whole subject.
    prefix = f"mailto:{email}?subject=" + quote("Antwort auf Kommentar #")
    suffix = quote(f" zu „{article_title}“")
    by = quote(" von ")

    def href(comment: RenderedComment) -> str:
        return prefix + quote(comment.id) + by + quote(comment.author) + suffix

    return href


def comment_mailto(email: str, article_title: str) -> str:
    return f"mailto:{email}?subject={quote(f'Kommentar zu „{article_title}“')}"


def render_thread(
    nodes: Iterable[Node],
    *,
    reply: Callable[[Node], str | None] | None = None,
    render_body: Callable[[str], str] = render_comment_body,
) -> tuple[list[RenderedComment], list[RenderedComment]]:
    """(tree, flat list in date order). Iterative, so any depth of thread is safe."""
    roots: list[RenderedComment] = []
    flat: list[RenderedComment] = []
    stack: list[tuple[Node, str | None, list[RenderedComment]]] = [
        (node, None, roots) for node in reversed(list(nodes))
    ]
    while stack:
        node, parent_id, siblings = stack.pop()
        comment = node.comment
        html = render_body(comment.body)
        rendered = RenderedComment(
            id=comment.id,
            author=comment.author,
            author_url=safe_url(comment.url) if comment.url else None,
            date=comment.date,
            html=html,
            text=plain_text(html),
            by_author=comment.by_author,
            parent_id=parent_id,
            depth=node.depth,
            reply_href=reply(node) if reply else None,
        )
        siblings.append(rendered)
        flat.append(rendered)
        stack.extend((child, comment.id, rendered.children) for child in reversed(node.children))
    flat.sort(key=lambda item: (item.date, item.id))
    return roots, flat


def heading(count: int, title: str) -> str:
    """The heading over the comments, German."""
    if count == 0:
        return "Noch keine Kommentare"
    if count == 1:
        return f"1 Kommentar zu „{title}“"
    return f"{count} Kommentare zu „{title}“"
