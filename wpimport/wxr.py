"""Reading a WordPress export (WXR 1.0/1.1/1.2) as a stream, one ``<item>`` at a time. Pure.

Memory stays bounded whatever the size of the file: each item is turned into an
:class:`Item` and removed from the tree as soon as it is complete. The e-mail and IP
address of commenters and all comment meta (Akismet …) are never read into an Item.
"""

from __future__ import annotations

import errno
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from rundbrief.cleantext import MARKER, CleanBytes

# WXR 1.0 (WordPress 3.0) has no <wp:author> list and calls tags domain="tag"; the rest
# is the same as in 1.1 and 1.2.
SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
_WP_NS = re.compile(r"^https?://wordpress\.org/export/(\d+(?:\.\d+)*)/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/(\d+(?:\.\d+)*)/excerpt/$")
_TRUNCATED = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
}


class WXRError(Exception):
    """The file cannot be imported; the message is one German sentence without the path."""


@dataclass(frozen=True, slots=True)
class Author:
    login: str
    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class Comment:
    """One ``<wp:comment>``: only what may be published (no e-mail, no IP, no meta)."""

    id: int
    author: str
    author_url: str
    date: str  # "YYYY-MM-DD HH:MM:SS", local time of the blog
    date_gmt: str
    content: str
    approved: str  # "1", "0", "spam", "trash", "post-trashed"
    type: str  # "", "comment", "pingback", "trackback", …
    parent: int
    user_id: int
    controls: int = 0  # XML-illegal characters taken out of its text


@dataclass(slots=True)
class Item:
    """One ``<item>``: a post, page, attachment or any other post type."""

    post_id: int = 0
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    post_name: str = ""
    creator: str = ""
    date: str = ""
    date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    content: str = ""
    excerpt: str = ""
    comment_status: str = ""
    password: str = ""
    parent: int = 0
    menu_order: int = 0
    sticky: bool = False
    attachment_url: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # only the keys in WANTED_META
    comments: list[Comment] = field(default_factory=list)
    # XML-illegal characters taken out: where ("Titel", "Text", …) -> how many
    controls: dict[str, int] = field(default_factory=dict)
    # WordPress's slug (nicename) of each category and tag: (kind, name) -> nicename
    term_slugs: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def thumbnail_id(self) -> int:
        return _int(self.meta.get("_thumbnail_id", ""))


@dataclass(slots=True)
class Channel:
    """What the file says about the blog; filled while the items stream by."""

    version: str | None = None
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)  # by login
    category_parents: dict[str, str] = field(default_factory=dict)  # nicename -> parent's
    item_count: int = 0


WANTED_META = frozenset(
    {"_thumbnail_id", "_wp_attachment_image_alt", "_wp_attached_file", "footnotes"}
)
_COMMENT_FIELDS = {
    "comment_id",
    "comment_author",
    "comment_author_url",
    "comment_date",
    "comment_date_gmt",
    "comment_content",
    "comment_approved",
    "comment_type",
    "comment_parent",
    "comment_user_id",
}


def _int(text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return 0


def _text(element: ElementTree.Element) -> str:
    return element.text or ""


def _unmarked(value: str) -> tuple[str, int]:
    """``value`` without the markers of removed characters, and how many there were."""
    count = value.count(MARKER)
    return (value.replace(MARKER, ""), count) if count else (value, 0)


# Where a removed character was, as the report names it.
_PLACES = {"title": "Titel", "content": "Text", "excerpt": "Auszug"}


class _Names:
    """Sorts ``{namespace}local`` tags into our short kinds (cached per tag)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str]] = {}

    def __call__(self, tag: str) -> tuple[str, str]:
        known = self._cache.get(tag)
        if known is not None:
            return known
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            if _WP_NS.match(uri):
                kind = "wp"
            elif _EXCERPT_NS.match(uri):
                kind = "excerpt"
            elif uri == CONTENT_NS:
                kind = "content"
            elif uri == DC_NS:
                kind = "dc"
            else:
                kind = "other"
        else:
            kind, local = "", tag
        self._cache[tag] = (kind, local)
        return kind, local


def _comment(element: ElementTree.Element, names: _Names) -> Comment:
    values: dict[str, str] = {}
    controls = 0
    for child in element:
        kind, local = names(child.tag)
        if kind == "wp" and local in _COMMENT_FIELDS:  # never e-mail, IP or commentmeta
            values[local], count = _unmarked(_text(child))
            controls += count
    return Comment(
        id=_int(values.get("comment_id")),
        author=values.get("comment_author", ""),
        author_url=values.get("comment_author_url", "").strip(),
        date=values.get("comment_date", "").strip(),
        date_gmt=values.get("comment_date_gmt", "").strip(),
        content=values.get("comment_content", ""),
        approved=values.get("comment_approved", "").strip(),
        type=values.get("comment_type", "").strip(),
        parent=_int(values.get("comment_parent")),
        user_id=_int(values.get("comment_user_id")),
        controls=controls,
    )


_ITEM_TEXT = {
    ("", "title"): "title",
    ("", "link"): "link",
    ("dc", "creator"): "creator",
    ("content", "encoded"): "content",
    ("excerpt", "encoded"): "excerpt",
    ("wp", "post_date"): "date",
    ("wp", "post_date_gmt"): "date_gmt",
    ("wp", "post_modified"): "modified",
    ("wp", "post_modified_gmt"): "modified_gmt",
    ("wp", "comment_status"): "comment_status",
    ("wp", "post_name"): "post_name",
    ("wp", "status"): "status",
    ("wp", "post_type"): "post_type",
    ("wp", "post_password"): "password",
    ("wp", "attachment_url"): "attachment_url",
}
_STRIPPED = {"creator", "date", "date_gmt", "modified", "modified_gmt", "comment_status"} | {
    "post_name",
    "status",
    "post_type",
    "attachment_url",
    "link",
}


def _add_term(item: Item, element: ElementTree.Element, plain: list[str]) -> None:
    """A ``<category domain=… nicename=…>`` of an item: a category, a tag or (without a
    domain) a name for later."""
    domain = element.get("domain", "")
    # WordPress keeps term names HTML-escaped ("Gärten &amp; Höfe")
    name = " ".join(html.unescape(_unmarked(_text(element))[0]).split())
    if not name:
        return
    nicename = element.get("nicename", "").strip()
    if domain == "category":
        item.categories.append(name)
    elif domain in ("post_tag", "tag"):  # "tag" in WXR 1.0
        item.tags.append(name)
    elif not domain:
        plain.append(name)
        return
    else:
        return
    if nicename:
        item.term_slugs[("category" if domain == "category" else "tag", name)] = nicename


def parse_item(element: ElementTree.Element, names: _Names) -> Item:
    """An ``<item>`` element -> Item."""
    item = Item()
    plain: list[str] = []  # <category> without a domain
    for child in element:
        key = names(child.tag)
        attribute = _ITEM_TEXT.get(key)
        if attribute is not None:
            value, count = _unmarked(_text(child))
            if count:
                place = _PLACES.get(attribute, attribute)
                item.controls[place] = item.controls.get(place, 0) + count
            setattr(item, attribute, value.strip() if attribute in _STRIPPED else value)
            continue
        kind, local = key
        if kind == "wp":
            if local == "post_id":
                item.post_id = _int(child.text)
            elif local == "post_parent":
                item.parent = _int(child.text)
            elif local == "menu_order":
                item.menu_order = _int(child.text)
            elif local == "is_sticky":
                item.sticky = _int(child.text) == 1
            elif local == "postmeta":
                meta_key = meta_value = ""
                for part in child:
                    part_kind, part_local = names(part.tag)
                    if part_kind == "wp" and part_local == "meta_key":
                        meta_key = _text(part).strip()
                    elif part_kind == "wp" and part_local == "meta_value":
                        meta_value = _unmarked(_text(part))[0]
                if meta_key in WANTED_META:
                    item.meta[meta_key] = meta_value.strip()
            elif local == "comment":
                item.comments.append(_comment(child, names))
        elif key == ("", "category"):
            _add_term(item, child, plain)
    if plain and not item.categories and not item.tags:
        # Only <category> without domain (hand-made exports; WXR 1.0 repeats them with one):
        # the first is the category, as in WordPress's RSS.
        item.categories = plain
    return item


def _os_reason(error: OSError) -> str:
    reasons = {
        errno.ENOENT: "sie existiert nicht",
        errno.EACCES: "keine Leserechte",
        errno.EISDIR: "das ist ein Ordner",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def _syntax_error(error: ElementTree.ParseError, size: int, start: bytes) -> WXRError:
    line, column = error.position
    message = expat.errors.messages.get(error.code, str(error))
    if size == 0 or not start.strip():
        return WXRError("die Datei ist leer.")
    if not start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return WXRError("keine XML-Datei; erwartet wird ein WordPress-Export (WXR, .xml).")
    if error.code in _TRUNCATED:
        return WXRError(
            f"die Datei ist unvollständig (abgeschnitten?): in Zeile {line} endet das XML "
            "mitten in einem Element; die Datei neu exportieren oder vollständig kopieren."
        )
    return WXRError(f"kein gültiges XML: Zeile {line}, Spalte {column + 1}: {message}.")


class WXRReader:
    """Streams the items of one export file; :attr:`channel` fills up on the way.

    The root must be ``<rss>``; ``<wp:wxr_version>`` must come before the first item
    and name a supported version. Any problem raises :class:`WXRError`.
    """

    def __init__(self, path: Path, *, progress: Callable[[int], None] | None = None) -> None:
        self.path = Path(path)
        self.channel = Channel()
        self._progress = progress

    def items(self) -> Iterator[Item]:
        try:
            size = self.path.stat().st_size
            handle = self.path.open("rb")
        except OSError as error:
            raise WXRError(f"die Datei kann nicht gelesen werden: {_os_reason(error)}.") from None
        with handle:
            start = handle.read(256)
            handle.seek(0)
            try:
                # XML-illegal characters become markers, removed (and named) per item
                yield from self._items(CleanBytes(handle, mark=True))
            except ElementTree.ParseError as error:
                raise _syntax_error(error, size, start) from None
        if self.channel.version is None:
            raise WXRError(
                "keine WordPress-Exportdatei (WXR): das RSS enthält keinen wp:wxr_version-Eintrag."
            )

    def _items(self, handle) -> Iterator[Item]:
        names = _Names()
        channel = self.channel
        stack: list[ElementTree.Element] = []
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):
            if event == "start":
                if not stack and element.tag != "rss":
                    kind, local = names(element.tag)
                    raise WXRError(
                        "keine WordPress-Exportdatei (WXR): das Wurzelelement ist "
                        f"<{local}>, erwartet wird <rss>."
                    )
                stack.append(element)
                continue
            stack.pop()
            if len(stack) != 2 or stack[-1].tag != "channel":
                continue
            parent = stack[-1]
            kind, local = names(element.tag)
            if (kind, local) == ("", "item"):
                if channel.version is None:
                    raise WXRError(
                        "keine WordPress-Exportdatei (WXR): das RSS enthält keinen "
                        "wp:wxr_version-Eintrag."
                    )
                item = parse_item(element, names)
                parent.remove(element)
                channel.item_count += 1
                if self._progress is not None and channel.item_count % 500 == 0:
                    self._progress(channel.item_count)
                yield item
                continue
            self._channel_field(kind, local, element, names)
            if kind == "wp":
                parent.remove(element)

    def _channel_field(self, kind: str, local: str, element, names: _Names) -> None:
        channel = self.channel
        text = _unmarked(element.text or "")[0].strip()
        if kind == "wp" and local == "wxr_version":
            if text not in SUPPORTED_VERSIONS:
                raise WXRError(
                    f"WXR-Version „{text}“ wird nicht unterstützt; lesbar sind die Versionen "
                    f"{', '.join(SUPPORTED_VERSIONS[:-1])} und {SUPPORTED_VERSIONS[-1]} "
                    "(WordPress 3.0 und neuer). Die Datei "
                    "mit einem aktuellen WordPress neu exportieren (Werkzeuge → Daten "
                    "exportieren)."
                )
            channel.version = text
        elif kind == "wp" and local == "base_site_url":
            channel.base_site_url = text
        elif kind == "wp" and local == "base_blog_url":
            channel.base_blog_url = text
        elif kind == "wp" and local == "author":
            values = {}
            for child in element:
                child_kind, child_local = names(child.tag)
                if child_kind == "wp":
                    values[child_local] = _unmarked(child.text or "")[0].strip()
            login = values.get("author_login", "")
            if login:
                channel.authors[login] = Author(
                    login, _int(values.get("author_id")), values.get("author_display_name", "")
                )
        elif kind == "wp" and local == "category":
            values = {}
            for child in element:
                child_kind, child_local = names(child.tag)
                if child_kind == "wp":
                    values[child_local] = _unmarked(child.text or "")[0].strip()
            if values.get("category_nicename"):
                channel.category_parents[values["category_nicename"]] = values.get(
                    "category_parent", ""
                )
        elif (kind, local) == ("", "title"):
            channel.title = " ".join(text.split())
        elif (kind, local) == ("", "link"):
            channel.link = text
