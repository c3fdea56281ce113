"""The text of the files we write: article, page and comment, in the project's formats. Pure.

Header values are single lines (white space collapsed), so no value can break the
header or add a field of its own.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from rundbrief.comments.text import one_line
from rundbrief.sanitize import safe_url
from rundbrief.text import strip_tags
from wpimport.convert import EMAIL, IPV4, escape_text

ANONYMOUS = "Anonym"


def header_date(moment: datetime) -> str:
    """``2015-06-19T08:30:00+02:00``: timezone-aware, as Pelican reads it."""
    return moment.isoformat(timespec="seconds")


def summary_value(text: str) -> str:
    """Plain text as a one-line ``Summary:`` (which Pelican renders as Markdown)."""
    value = escape_text(one_line(text))
    return "\\" + value if value[:1] in ("#", ">", "-", "+") else value


@dataclass(slots=True)
class ArticleHeader:
    title: str
    date: datetime | None
    slug: str
    category: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""  # already Markdown
    image: str = ""  # path below content/
    image_alt: str = ""
    author: str = ""
    draft: bool = False
    comments_closed: bool = False
    sticky: bool = False  # pinned to the top of the home page


def _tag(value: str) -> str:
    return one_line(value.replace(",", " "))


def article_text(header: ArticleHeader, body: str) -> str:
    lines = [f"Title: {one_line(header.title)}"]
    if header.date is not None:
        lines.append(f"Date: {header_date(header.date)}")
    if header.category:
        lines.append(f"Category: {_tag(header.category)}")
    tags = [tag for tag in dict.fromkeys(_tag(tag) for tag in header.tags) if tag]
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    lines.append(f"Slug: {header.slug}")
    if header.author:
        lines.append(f"Author: {one_line(header.author)}")
    if header.summary:
        lines.append(f"Summary: {one_line(header.summary)}")
    if header.image:
        lines.append(f"Image: {header.image}")
        lines.append(f"Image_alt: {one_line(header.image_alt)}")
    if header.draft:
        lines.append("Status: draft")
    if header.comments_closed:
        lines.append("Comments: closed")
    if header.sticky:
        lines.append("Sticky: true")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def page_text(title: str, slug: str, date: datetime | None, body: str, *, draft: bool) -> str:
    lines = [f"Title: {one_line(title)}", f"Slug: {slug}"]
    if date is not None:
        lines.append(f"Date: {header_date(date)}")
    if draft:
        lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def commenter_name(raw: str) -> tuple[str, bool]:
    """The name to show, and whether an address had to be removed from it."""
    name = strip_tags(raw, separator="")
    cleaned = one_line(IPV4.sub("", EMAIL.sub("", name)))
    cleaned = cleaned.strip(" ()<>[],;:") if cleaned != name else cleaned
    if _is_ip(cleaned):
        cleaned = ""
    return cleaned or ANONYMOUS, cleaned != name


def commenter_url(raw: str) -> str | None:
    """The commenter's web site, if it is a safe http(s) URL without any address in it."""
    url = safe_url(raw.strip())
    if url is None or "@" in url:
        return None
    host = urlsplit(url).hostname or ""
    if _is_ip(host) or IPV4.search(url):
        return None
    return url
