"""schema.org JSON-LD for an article (BlogPosting). Pure: takes plain values."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CommentLD:
    author: str
    date: datetime
    text: str
    url: str


def blog_posting(
    *,
    url: str,
    headline: str,
    description: str,
    published: datetime,
    modified: datetime | None,
    author: str,
    publisher: str,
    site_url: str,
    image: str | None = None,
    keywords: Iterable[str] = (),
    section: str | None = None,
    comments: Iterable[CommentLD] | None = None,
    comment_count: int | None = None,
) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": headline,
        "description": description,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": publisher, "url": site_url},
        "inLanguage": "de-DE",
    }
    if image:
        data["image"] = image
    keywords = list(keywords)
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if section:
        data["articleSection"] = section
    if comment_count is not None:
        data["commentCount"] = comment_count
    if comments:
        data["comment"] = [
            {
                "@type": "Comment",
                "author": {"@type": "Person", "name": item.author},
                "dateCreated": item.date.isoformat(),
                "text": item.text,
                "url": item.url,
            }
            for item in comments
        ]
    return data


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/ld+json"> (no `</script>` break-out)."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
