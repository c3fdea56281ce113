"""The plain-text version of a digest e-mail, with every URL written out. Pure."""

from __future__ import annotations

import textwrap

from rundbrief.digest.issue import Issue, articles_text
from rundbrief.german_dates import datum, datum_uhrzeit

WIDTH = 72


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def render_text(
    issue: Issue,
    *,
    sitename: str,
    site_url: str,
    impressum_url: str,
    shown: int,
    reason: str,
    unsubscribe_url: str,
) -> str:
    """``unsubscribe_url`` is the manifest's slot: the one place the personal link goes."""
    lines = [issue.subject, "=" * min(WIDTH, len(issue.subject)), ""]
    lines += _wrap(f"{sitename} – Wochenrückblick {issue.period}")
    lines += ["", f"Im Browser lesen: {issue.web_url}", ""]
    for article in issue.articles[:shown]:
        lines += ["-" * WIDTH, ""]
        lines += _wrap(article.title)
        lines += [datum(article.date), ""]
        if article.summary_text:
            lines += [*_wrap(article.summary_text), ""]
        lines += [f"Weiterlesen: {article.url}", ""]
    rest = len(issue.articles) - shown
    if rest > 0:
        lines += [f"… und {articles_text(rest, 'weiter')}: {issue.web_url}", ""]
    if issue.comments:
        lines += ["-" * WIDTH, "", "Neue Kommentare", ""]
        for group in issue.comment_groups:
            lines += [*_wrap(f"Zu „{group.article_title}“:"), ""]
            for comment in group.comments:
                lines += _wrap(f"{comment.author} am {datum_uhrzeit(comment.date)}:", "  ")
                lines += _wrap(comment.excerpt, "    ")
                lines += [f"    {comment.url}", ""]
    lines += ["-" * WIDTH, ""]
    lines += _wrap(reason)
    lines += [
        "",
        f"Abmelden mit einem Klick: {unsubscribe_url}",
        f"Impressum: {impressum_url}",
        f"{sitename}: {site_url}",
        "",
    ]
    return "\n".join(lines)
