"""Where the feeds live (site-relative paths below /feeds/). Pure.

The one place that knows the feed URLs: the generator writes to them, the theme's
autodiscovery links and the WordPress redirects point to them.
"""

from __future__ import annotations

import re

SITE_ATOM = "feeds/atom.xml"
SITE_RSS = "feeds/rss.xml"
COMMENTS_ATOM = "feeds/comments.atom.xml"

# A slug becomes a file name: no path separators, no leading dot.
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.~-]*$")


def is_safe_slug(slug: object) -> bool:
    return isinstance(slug, str) and bool(_SAFE_SLUG.match(slug)) and ".." not in slug


def _checked(slug: str) -> str:
    if not is_safe_slug(slug):
        raise ValueError(f"Slug {slug!r} taugt nicht als Dateiname eines Feeds.")
    return slug


def category_atom(slug: str) -> str:
    return f"feeds/category/{_checked(slug)}.atom.xml"


def tag_atom(slug: str) -> str:
    return f"feeds/tag/{_checked(slug)}.atom.xml"


def article_comments_atom(slug: str) -> str:
    return f"feeds/comments/{_checked(slug)}.atom.xml"
