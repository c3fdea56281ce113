"""What a feed and its entries hold, as plain values, checked before anything is written. Pure.

The glue turns Pelican articles and comments into these specs; ``feeds.build`` turns a
spec into Atom or RSS 2.0 with feedgen. Every spec checks itself when it is created, so
a bad value is reported with what is wrong and where, never deep inside feedgen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

# Characters XML 1.0 does not allow (lxml refuses them): C0 controls but tab, CR, LF;
# lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class FeedError(ValueError):
    """A feed or entry that cannot be written; the message says what is wrong."""


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (a stray control character)."""
    return _NOT_XML.sub("", value)


def _where(kind: str, title: str) -> str:
    return f"{kind} „{title}“" if title else kind


def check_aware(value: object, name: str, where: str) -> None:
    if not isinstance(value, datetime):
        raise FeedError(f"{where}: „{name}“ muss ein datetime sein, nicht {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise FeedError(
            f"{where}: „{name}“ ({value.isoformat()}) hat keine Zeitzone; Feeds brauchen "
            "Zeitangaben mit Zeitzone (z. B. datetime(..., tzinfo=ZoneInfo('Europe/Berlin')))."
        )


def check_absolute(url: object, name: str, where: str) -> None:
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise FeedError(
            f"{where}: „{name}“ = {url!r} ist keine absolute http(s)-Adresse; "
            "Feeds brauchen absolute URLs (SITEURL_ABSOLUTE setzen)."
        )


def check_text(value: object, name: str, where: str) -> None:
    if not isinstance(value, str) or not xml_text(value).strip():
        raise FeedError(f"{where}: „{name}“ fehlt oder ist leer.")


def check_id(value: object, where: str) -> None:
    check_text(value, "id", where)
    scheme = urlsplit(value).scheme
    if scheme not in ("tag", "http", "https", "urn") or any(c.isspace() for c in value):
        raise FeedError(
            f"{where}: „id“ = {value!r} ist keine URI (erwartet tag:…, urn:… oder http(s)://…)."
        )


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    term: str
    scheme: str | None = None  # URI of the categorisation (RSS: domain)
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A media file of an entry (the featured image): RSS enclosure, Atom rel="enclosure"."""

    url: str
    mime: str
    length: int  # bytes

    def __post_init__(self) -> None:
        where = "Anhang (enclosure)"
        check_absolute(self.url, "url", where)
        if not isinstance(self.mime, str) or not re.fullmatch(r"[\w.+-]+/[\w.+-]+", self.mime):
            raise FeedError(f"{where} {self.url}: Typ {self.mime!r} ist kein MIME-Typ.")
        if isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 0:
            raise FeedError(f"{where} {self.url}: Länge {self.length!r} ist keine Byte-Zahl.")


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """One entry (an article or a comment). ``content_html`` None means: summary only."""

    id: str
    title: str
    link: str  # absolute URL of the HTML page
    published: datetime
    updated: datetime
    authors: tuple[Person, ...] = ()
    categories: tuple[Category, ...] = ()
    summary_html: str = ""
    content_html: str | None = None
    enclosure: Enclosure | None = None
    comments_url: str | None = None  # RSS <comments>

    def __post_init__(self) -> None:
        where = _where("Eintrag", self.title if isinstance(self.title, str) else "")
        check_text(self.title, "title", where)
        check_id(self.id, where)
        check_absolute(self.link, "link", where)
        check_aware(self.published, "published", where)
        check_aware(self.updated, "updated", where)
        if self.updated < self.published:
            raise FeedError(
                f"{where}: „updated“ ({self.updated.isoformat()}) liegt vor „published“ "
                f"({self.published.isoformat()})."
            )
        for person in self.authors:
            check_text(person.name, "author", where)
        if self.comments_url is not None:
            check_absolute(self.comments_url, "comments", where)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed. ``self_url`` is where it is published; ``home_url`` the HTML page it mirrors."""

    id: str
    title: str
    self_url: str
    home_url: str
    updated: datetime
    language: str = "de"
    subtitle: str = ""  # Atom subtitle, RSS description
    authors: tuple[Person, ...] = ()
    entries: tuple[EntrySpec, ...] = ()

    def __post_init__(self) -> None:
        where = _where("Feed", self.title if isinstance(self.title, str) else "")
        check_text(self.title, "title", where)
        check_id(self.id, where)
        check_absolute(self.self_url, "self_url", where)
        check_absolute(self.home_url, "home_url", where)
        check_aware(self.updated, "updated", where)
        check_text(self.language, "language", where)
        for person in self.authors:
            check_text(person.name, "author", where)
        ids = [entry.id for entry in self.entries]
        if len(ids) != len(set(ids)):
            duplicate = next(i for i in ids if ids.count(i) > 1)
            raise FeedError(f"{where}: die Eintrags-id {duplicate!r} kommt mehrfach vor.")
