"""The site's absolute URLs, in one place. Pure (no Pelican).

Feeds, Open Graph, JSON-LD, the digest e-mail and the reader service all need absolute
URLs; they all take the site's base from ``SITEURL_ABSOLUTE`` (set in publishconf.py and
for the service) or else ``SITEURL``, and join site paths with ``absolute``.
"""

from __future__ import annotations

from collections.abc import Mapping

ABSOLUTE_PREFIXES = ("http://", "https://")


def site_base(settings: Mapping) -> str:
    """The site's absolute base URL without a trailing slash ('' when none is set)."""
    return (settings.get("SITEURL_ABSOLUTE") or settings.get("SITEURL") or "").rstrip("/")


def absolute(base: str, path: str) -> str:
    """``path`` (site-relative, '' is the start page) joined to ``base``; URLs that are
    already absolute come back unchanged."""
    if path.startswith(ABSOLUTE_PREFIXES):
        return path
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def absolute_url(settings: Mapping, path: str) -> str:
    """``absolute(site_base(settings), path)``."""
    return absolute(site_base(settings), path)
