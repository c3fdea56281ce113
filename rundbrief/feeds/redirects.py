"""Redirects from the old WordPress feed URLs to the new feeds. Pure.

The redirect type and the three files (``_redirects``, ``.htaccess``,
``nginx-redirects.conf``) are the core's (:mod:`rundbrief.redirects`); the imported
blog's old addresses (``content/redirects.txt``) join them there.
"""

from __future__ import annotations

from collections.abc import Iterable

from rundbrief.redirects import Redirect


def _join(root: str, path: str) -> str:
    return f"{root.rstrip('/')}/{path.lstrip('/')}"


def wordpress_redirects(
    *,
    root: str = "",
    site_rss: str,
    site_atom: str,
    comments: str,
    categories: Iterable[tuple[str, str]] = (),
    tags: Iterable[tuple[str, str]] = (),
    articles: Iterable[tuple[str, str]] = (),
) -> list[Redirect]:
    """The redirects of a WordPress blog's feed URLs; the first rule for a source wins.

    ``root`` is the path the site lives under ("" at the host's root). The other values
    are site-relative paths: the feeds, ``(slug, feed)`` of each category and tag, and
    ``(article URL, comments feed)`` of each article (``2015/06/slug/`` → ``…/feed/``).
    """
    pairs = [
        ("feed/", site_rss),
        ("feed/rss2/", site_rss),
        ("feed/rss/", site_rss),
        ("feed/rdf/", site_rss),
        ("feed/atom/", site_atom),
        ("comments/feed/", comments),
        ("comments/feed/rss2/", comments),
        ("comments/feed/atom/", comments),
    ]
    pairs += [(f"category/{slug}/feed/", feed) for slug, feed in categories]
    pairs += [(f"tag/{slug}/feed/", feed) for slug, feed in tags]
    pairs += [(f"{url.rstrip('/')}/feed/", feed) for url, feed in articles]
    seen: set[str] = set()
    rules = []
    for source, target in pairs:
        rule = Redirect(_join(root, source), _join(root, target))
        if rule.source not in seen:
            seen.add(rule.source)
            rules.append(rule)
    return rules
