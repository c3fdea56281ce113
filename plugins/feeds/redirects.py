"""Redirects from the old WordPress feed URLs to the new feeds, for three kinds of host. Pure.

- ``_redirects``: Netlify and Cloudflare Pages (``/from /to 301``; Netlify matches a
  rule with or without the trailing slash);
- ``.htaccess``: Apache (mod_alias ``RedirectMatch 301``, trailing slash optional);
- ``nginx-redirects.conf``: ``location = … { return 301 …; }`` lines to ``include``
  inside the site's ``server { … }`` block (both with and without the trailing slash).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from feeds.model import FeedError

HEADER = "Alte WordPress-Feed-Adressen -> neue Feeds. Von Rundbrief erzeugt, nicht von Hand ändern."
_PATH = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*(?:[A-Za-z0-9._~-]+)?$")


class RedirectError(FeedError):
    """A path that cannot go into a server configuration safely."""


@dataclass(frozen=True, slots=True)
class Redirect:
    source: str  # URL path, starts with "/"
    target: str  # URL path, starts with "/"

    def __post_init__(self) -> None:
        for name in ("source", "target"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _PATH.match(value) or "/../" in value + "/":
                raise RedirectError(
                    f"Weiterleitung: {name} {value!r} ist kein einfacher Pfad (erlaubt: "
                    "/, Buchstaben, Ziffern, . _ ~ -)."
                )


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


def netlify(rules: Iterable[Redirect]) -> str:
    lines = [f"# {HEADER}", "# Netlify / Cloudflare Pages: diese Datei liegt im Wurzelordner."]
    lines += [f"{rule.source}  {rule.target}  301" for rule in rules]
    return "\n".join(lines) + "\n"


def _apache_pattern(source: str) -> str:
    escaped = source.rstrip("/").replace(".", r"\.")
    return f"^{escaped}/?$" if source.endswith("/") else f"^{escaped}$"


def htaccess(rules: Iterable[Redirect]) -> str:
    lines = [
        f"# {HEADER}",
        "# Apache: braucht mod_alias und AllowOverride FileInfo (oder All) für diesen Ordner.",
        "<IfModule mod_alias.c>",
    ]
    lines += [f"RedirectMatch 301 {_apache_pattern(rule.source)} {rule.target}" for rule in rules]
    lines.append("</IfModule>")
    return "\n".join(lines) + "\n"


def nginx(rules: Iterable[Redirect]) -> str:
    lines = [
        f"# {HEADER}",
        "# nginx: im server-Block der Website einbinden: include /pfad/zu/nginx-redirects.conf;",
    ]
    for rule in rules:
        sources = [rule.source]
        if rule.source.endswith("/") and rule.source != "/":
            sources.append(rule.source.rstrip("/"))
        lines += [f"location = {source} {{ return 301 {rule.target}; }}" for source in sources]
    return "\n".join(lines) + "\n"


FILES = {"_redirects": netlify, ".htaccess": htaccess, "nginx-redirects.conf": nginx}


def redirect_files(rules: Iterable[Redirect]) -> dict[str, str]:
    """File name in the output root -> its text."""
    rules = list(rules)
    return {name: render(rules) for name, render in FILES.items()}
