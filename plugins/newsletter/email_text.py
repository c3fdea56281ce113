"""The plain-text version of a digest e-mail, with every URL written out. Pure."""

from __future__ import annotations

import textwrap

from german.dates import datum, datum_uhrzeit
from newsletter.digest import UNSUBSCRIBE_PLACEHOLDER, Digest

WIDTH = 72


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def render_text(
    digest: Digest,
    *,
    sitename: str,
    site_url: str,
    impressum_url: str,
    shown: int,
    reason: str,
) -> str:
    lines = [digest.subject, "=" * min(WIDTH, len(digest.subject)), ""]
    lines += _wrap(f"{sitename} – Wochenrückblick {digest.period}")
    lines += ["", f"Im Browser lesen: {digest.web_url}", ""]
    for article in digest.articles[:shown]:
        lines += ["-" * WIDTH, ""]
        lines += _wrap(article.title)
        lines += [datum(article.date), ""]
        if article.summary_text:
            lines += [*_wrap(article.summary_text), ""]
        lines += [f"Weiterlesen: {article.url}", ""]
    rest = len(digest.articles) - shown
    if rest > 0:
        lines += [f"… und {rest} weitere Artikel: {digest.web_url}", ""]
    if digest.comments:
        lines += ["-" * WIDTH, "", "Neue Kommentare", ""]
        for comment in digest.comments:
            lines += _wrap(
                f"{comment.author} am {datum_uhrzeit(comment.date)} zu „{comment.article_title}“:"
            )
            lines += _wrap(comment.excerpt, "  ")
            lines += [f"  {comment.url}", ""]
    lines += ["-" * WIDTH, ""]
    lines += _wrap(reason)
    lines += [
        "",
        f"Abmelden mit einem Klick: {UNSUBSCRIBE_PLACEHOLDER}",
        f"Impressum: {impressum_url}",
        f"{sitename}: {site_url}",
        "",
    ]
    return "\n".join(lines)
