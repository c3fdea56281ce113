"""Stable entry ids: tag URIs (RFC 4151) from an entry's URL and its first date. Pure.

``tag:www.example.org,2015-06-19:/2015/06/slug/`` never changes when the article is
edited (``Modified`` is not part of it), so feed readers never show an edit as new.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import quote, urlsplit

from rundbrief.feeds.model import FeedError

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DNS = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
# RFC 4151: specific = *( pchar / "/" / "?" ), a fragment likewise;
# pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
_SAFE = "/?:@!$&'()*+,;=-._~%"


def is_authority(value: object) -> bool:
    """A tagging entity: a lower-case DNS name (no e-mail address: nothing personal in feeds)."""
    return isinstance(value, str) and bool(_DNS.match(value))


def tag_authority(base_url: str, configured: str = "") -> str:
    """The configured authority, else the host of the site's absolute base URL."""
    if configured:
        if not is_authority(configured):
            raise FeedError(
                f"FEEDS_TAG_AUTHORITY = {configured!r} ist kein Domainname "
                "(z. B. 'www.example.org')."
            )
        return configured
    host = urlsplit(base_url).hostname or ""
    if not is_authority(host):
        raise FeedError(
            f"Aus {base_url!r} lässt sich kein Domainname für die Feed-Kennungen ablesen; "
            "SITEURL_ABSOLUTE (oder FEEDS_TAG_AUTHORITY) setzen."
        )
    return host


def tag_uri(authority: str, first_date: date | datetime, url: str, fragment: str = "") -> str:
    """``tag:<authority>,<YYYY-MM-DD>:<path of url>[#fragment]``.

    ``first_date`` is the date of first publication, as the author wrote it (its own time
    zone); never the modification date.
    """
    if not is_authority(authority):
        raise FeedError(f"{authority!r} taugt nicht als Tag-URI-Autorität (Domainname).")
    if not isinstance(first_date, date):
        raise FeedError(f"Das Datum für die Tag-URI fehlt ({first_date!r}).")
    parts = urlsplit(url)
    specific = parts.path or "/"
    if parts.query:
        specific += "?" + parts.query
    specific = quote(specific, safe=_SAFE)
    uri = f"tag:{authority},{first_date.strftime('%Y-%m-%d')}:{specific}"
    if fragment:
        uri += "#" + quote(fragment, safe=_SAFE)
    return uri
