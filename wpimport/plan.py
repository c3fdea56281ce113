"""What happens to each item: imported as article or page (maybe as a draft) or skipped,
with its date and slug; and where the blog's uploads go. Pure.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import quote, unquote, urlsplit

from rundbrief.dates import parse_date
from rundbrief.slugs import slugify
from rundbrief.text import strip_tags
from wpimport.wxr import Author, Comment, Item

TYPE_LABELS = {
    "post": "Beitrag",
    "page": "Seite",
    "attachment": "Anhang",
    "nav_menu_item": "Menüeintrag",
    "revision": "Revision",
    "wp_block": "Wiederverwendbarer Block",
    "wp_navigation": "Navigationsmenü",
    "wp_template": "Vorlage",
    "wp_template_part": "Vorlagenteil",
    "wp_global_styles": "Globale Stile",
    "custom_css": "Zusätzliches CSS",
    "customize_changeset": "Customizer-Änderung",
    "oembed_cache": "oEmbed-Zwischenspeicher",
}
HIDDEN_STATUSES = {
    "private": "privat",
    "pending": "wartet auf Freigabe (pending)",
    "future": "geplant (future)",
}
COMMENT_STATUSES = {
    "0": "wartet auf Freigabe",
    "spam": "Spam",
    "trash": "im Papierkorb",
    "post-trashed": "im Papierkorb",
}
_WP_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$")
_SLUG = re.compile(r"^[\w-]+$")
# What the feeds plugin accepts as a file name, without dots: plain ASCII.
SAFE_SLUG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")
_MAX_OFFSET = timedelta(hours=14)
UPLOADS = "/wp-content/uploads/"
_WPCOM_FILES = re.compile(r"([a-z0-9-]+)\.files\.wordpress\.com")


def label(post_type: str) -> str:
    return TYPE_LABELS.get(post_type, f"Eintrag vom Typ „{post_type or '?'}“")


def title_text(raw: str) -> str:
    """A title as plain text: tags removed, entities decoded, white space collapsed."""
    return strip_tags(raw, separator="")


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str  # "article", "page" or "skip"
    draft: bool = False
    reason: str = ""  # why skipped; for imported items why it became a draft


def decide(item: Item, *, include_private: bool) -> Decision:
    """Posts and pages are imported; drafts stay drafts; everything else is skipped."""
    if item.post_type == "attachment":
        return Decision("skip", reason="Mediendatei, kein Beitrag")
    if item.post_type not in ("post", "page"):
        return Decision("skip", reason="weder Beitrag noch Seite; wird nicht übernommen")
    kind = "article" if item.post_type == "post" else "page"
    hidden = HIDDEN_STATUSES.get(item.status)
    if hidden is None and item.password and item.status in ("publish", "draft"):
        hidden = "passwortgeschützt"
    if hidden is not None:
        if include_private:
            return Decision(kind, draft=True, reason=f"{hidden}; als Entwurf übernommen")
        return Decision("skip", reason=f"{hidden}; mit --include-private als Entwurf übernehmen")
    if item.status == "publish":
        return Decision(kind)
    if item.status == "draft":
        return Decision(kind, draft=True)
    reasons = {
        "trash": "im Papierkorb",
        "auto-draft": "automatischer Entwurf (leer)",
        "inherit": "gehört zu einem anderen Eintrag (inherit)",
    }
    return Decision("skip", reason=reasons.get(item.status, f"unbekannter Status „{item.status}“"))


def comment_skip_reason(comment: Comment) -> str | None:
    """Why a comment is not imported (None: it is an approved comment)."""
    if comment.approved != "1":
        return COMMENT_STATUSES.get(comment.approved, f"Status „{comment.approved}“")
    if comment.type == "pingback":
        return "Pingback"
    if comment.type == "trackback":
        return "Trackback"
    if comment.type not in ("", "comment"):
        return f"Kommentartyp „{comment.type}“"
    return None


def _name_key(name: str) -> str:
    return " ".join(html.unescape(name).split()).casefold()


def by_post_author(comment: Comment, creator: str, author: Author | None) -> bool:
    """Whether the post's author wrote the comment (``by_author: true``).

    By user id when the export has the author's id (WordPress's own rule); exports
    without ``wp:author_id`` (WordPress.com, WXR 1.0) are compared by the comment's name:
    the author's login or display name, case and spacing ignored.
    """
    if author is not None and author.id:
        return comment.user_id == author.id
    names = {_name_key(creator)}
    if author is not None:
        names |= {_name_key(author.login), _name_key(author.display_name)}
    names.discard("")
    return _name_key(comment.author) in names


# --- dates ----------------------------------------------------------------------------


def wp_datetime(value: str) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (naive) or None for ``0000-00-00 …`` and nonsense: the
    site's one date parser (:mod:`rundbrief.dates`), without a time zone."""
    if not _WP_DATE.match(value.strip()):
        return None
    moment = parse_date(value, UTC)
    return moment.replace(tzinfo=None) if moment is not None else None


def aware(local: str, gmt: str, tz: tzinfo) -> datetime | None:
    """The moment from ``gmt``, shown in the blog's own local time.

    WordPress builds its URLs (/2015/06/…) from the local ``post_date``, so the wall
    time stays and the offset comes from the difference to ``post_date_gmt``. Without a
    usable GMT value (drafts: ``0000-00-00``) the local time counts, in ``tz``.
    """
    moment, wall = wp_datetime(gmt), wp_datetime(local)
    if moment is None:
        return wall.replace(tzinfo=tz) if wall is not None else None
    if wall is not None:
        offset = wall - moment
        if abs(offset) <= _MAX_OFFSET and offset % timedelta(minutes=15) == timedelta(0):
            return wall.replace(tzinfo=timezone(offset))
    return moment.replace(tzinfo=UTC).astimezone(tz)


def post_date(item: Item, tz: tzinfo) -> datetime | None:
    return aware(item.date, item.date_gmt, tz) or aware(item.modified, item.modified_gmt, tz)


def comment_date(comment: Comment, tz: tzinfo) -> datetime | None:
    """Comments: from ``comment_date_gmt``, in ``tz`` (local time only without it)."""
    moment = wp_datetime(comment.date_gmt)
    if moment is not None:
        return moment.replace(tzinfo=UTC).astimezone(tz)
    wall = wp_datetime(comment.date)
    return wall.replace(tzinfo=tz) if wall is not None else None


# --- tag and category spellings ------------------------------------------------------


def term_key(name: str) -> str:
    """Names with one key are one tag (or category) on the site: the same slug."""
    return slugify(name) or " ".join(name.split()).casefold()


class Spellings:
    """One spelling per tag (and per category): the one of the oldest post, as the site
    shows it (the quality plugin's rule), so "Markup" and "markup" are written one way."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[tuple, str]] = {}
        self._others: dict[tuple[str, str], set[str]] = {}

    def add(self, kind: str, name: str, order: tuple) -> None:
        key = (kind, term_key(name))
        known = self._first.get(key)
        if known is None or order < known[0]:
            self._first[key] = (order, name)
        self._others.setdefault(key, set()).add(name)

    def spelling(self, kind: str, name: str) -> str:
        known = self._first.get((kind, term_key(name)))
        return known[1] if known is not None else name

    def merged(self) -> list[tuple[str, str, list[str]]]:
        """(kind, spelling used, other spellings) for every name written more than one way."""
        found = []
        for key, (_, name) in self._first.items():
            others = sorted(self._others[key] - {name})
            if others:
                found.append((key[0], name, others))
        return sorted(found)


def category_path(nicename: str, parents: dict[str, str]) -> str:
    """WordPress's address of a category below its parents: ``eltern/kind``."""
    path = [nicename]
    while len(path) < 10 and parents.get(path[0]) and parents[path[0]] not in path:
        path.insert(0, parents[path[0]])
    return "/".join(path)


def old_term_pages(item: Item, parents: dict[str, str]) -> list[tuple[str, str, str]]:
    """(old path, new kind, name) of the category and tag pages a published post was on.

    The first category stays a category; further categories become tags here, so their
    old category page leads to the tag's page.
    """
    categories = list(dict.fromkeys(item.categories))
    found = []
    for number, name in enumerate(categories):
        nicename = item.term_slugs.get(("category", name))
        if nicename:
            old = f"/category/{category_path(nicename, parents)}/"
            found.append((old, "category" if number == 0 else "tag", name))
    for name in item.tags:
        nicename = item.term_slugs.get(("tag", name))
        if nicename:
            found.append((f"/tag/{nicename}/", "tag", name))
    return found


def terms(categories: list[str], tags: list[str]) -> tuple[str, list[str]]:
    """The category (the first WordPress category) and the tags (further categories, then
    the tags), each name once."""
    categories = list(dict.fromkeys(categories))
    return (categories[0] if categories else ""), categories[1:] + tags


# --- slugs ----------------------------------------------------------------------------


def wp_slug(post_name: str) -> tuple[str | None, str]:
    """WordPress's ``post_name`` as our slug, and a note when it had to change.

    ``post_name`` is percent-encoded UTF-8. An ASCII slug is kept as it is (the old URL
    keeps working); one with umlauts or other letters is transliterated like every slug
    of the site (ä→ae …), because slugs become file names and must be plain ASCII.
    """
    raw = post_name.strip()
    if not raw:
        return None, ""
    try:
        decoded = unicodedata.normalize("NFC", unquote(raw, errors="strict"))
    except UnicodeDecodeError:
        decoded = ""
    if SAFE_SLUG.match(decoded) and len(decoded) <= 200:
        return decoded, ""
    if decoded and _SLUG.match(decoded):
        slug = slugify(decoded)[:200].strip("-")
        if SAFE_SLUG.match(slug):
            return slug, f"Slug „{decoded}“ enthält Nicht-ASCII-Zeichen; neu: „{slug}“"
    return None, f"post_name „{raw}“ taugt nicht als Slug"


def fallback_slug(title: str, post_id: int, kind: str) -> str:
    slug = slugify(title)[:120].strip("-")
    return slug or f"{'beitrag' if kind == 'article' else 'seite'}-{post_id}"


@dataclass(slots=True)
class Candidate:
    """An item that will be imported (pass 1 keeps only this, not the body)."""

    seq: int  # position in the file
    post_id: int
    kind: str
    draft: bool
    reason: str
    title: str
    wanted: str | None  # the slug from post_name
    fallback: str
    date: datetime | None
    link: str = ""  # the old permalink (published items only)
    comments: int = 0  # how many comments the item has (all statuses)
    slug: str = ""
    note: str = ""


def assign_slugs(
    candidates: Iterable[Candidate], taken: dict[str, dict[str, str]]
) -> list[tuple[Candidate, str]]:
    """Give every candidate a unique slug per kind; return those that must be skipped.

    WordPress's own slugs (old URLs) go first, so a draft without one never takes the
    slug of a published post. A slug that a hand-written file already uses is not
    taken: that post is skipped (``taken``: kind -> slug -> path of the file).
    """
    candidates = list(candidates)
    used: dict[str, set[str]] = {"article": set(), "page": set()}
    skipped: list[tuple[Candidate, str]] = []
    for candidate in candidates:
        if candidate.wanted is None:
            continue
        owner = taken.get(candidate.kind, {}).get(candidate.wanted)
        if owner is not None:
            skipped.append(
                (
                    candidate,
                    f"den Slug „{candidate.wanted}“ hat schon {owner} (nicht vom Import "
                    "geschrieben); eine der beiden Dateien entfernen oder umbenennen",
                )
            )
            continue
        candidate.slug = _unique(candidate.wanted, used[candidate.kind], {})
        if candidate.slug != candidate.wanted:
            duplicate = (
                f"Slug „{candidate.wanted}“ kommt mehrfach vor; dieser Eintrag heißt "
                f"„{candidate.slug}“"
            )
            candidate.note = f"{candidate.note}; {duplicate}" if candidate.note else duplicate
        used[candidate.kind].add(candidate.slug)
    for candidate in candidates:
        if candidate.wanted is not None:
            continue
        candidate.slug = _unique(
            candidate.fallback, used[candidate.kind], taken.get(candidate.kind, {})
        )
        used[candidate.kind].add(candidate.slug)
    return skipped


def new_path(candidate: Candidate) -> str:
    """The path of the imported article or page on the new site."""
    if candidate.kind == "article" and candidate.date is not None:
        return f"/{candidate.date:%Y}/{candidate.date:%m}/{candidate.slug}/"
    return f"/{candidate.slug}/"


def moved(candidate: Candidate, base_url: str) -> tuple[str, str] | None:
    """(old path, new path) when the old permalink is not the new URL, else None.

    The old path is relative to the blog's base (``/blog/2015/06/19/x/`` of a blog at
    ``/blog/`` is ``/2015/06/19/x/``): the new site takes the blog's place.
    """
    if not candidate.link:
        return None
    try:
        old = urlsplit(candidate.link)
        base = urlsplit(base_url).path.rstrip("/")
    except ValueError:
        return None
    path = re.sub(r"/{2,}", "/", old.path) or "/"  # WordPress.com writes "//greek/…"
    relative = path[len(base) :] if base and (path + "/").startswith(base + "/") else path
    relative = relative or "/"
    new = new_path(candidate)
    if not old.query and unquote(relative).rstrip("/").lower() == new.rstrip("/").lower():
        return None
    return relative + (f"?{old.query}" if old.query else ""), new


def short_link(candidate: Candidate) -> str:
    """The address WordPress answers for every post and page whatever the permalinks:
    ``/?p=123`` (posts), ``/?page_id=7`` (pages)."""
    key = "p" if candidate.kind == "article" else "page_id"
    return f"/?{key}={candidate.post_id}"


def _unique(slug: str, used: set[str], taken: dict[str, str]) -> str:
    number = 1
    found = slug
    while found in used or found in taken:
        number += 1
        found = f"{slug}-{number}"
    return found


def footnotes(meta: str) -> list[tuple[str, str]]:
    """The (id, HTML) notes of the footnotes block, from the post's ``footnotes`` meta
    (JSON: ``[{"id": "…", "content": "…"}]``); [] when missing or unreadable."""
    try:
        notes = json.loads(meta) if meta.strip() else []
    except ValueError:
        return []
    if not isinstance(notes, list):
        return []
    return [
        (str(note.get("id", "")), str(note.get("content", "")))
        for note in notes
        if isinstance(note, dict) and note.get("id")
    ]


def page_key(url: str) -> str:
    """A page URL compared without scheme, ``www.``, case of the host and final slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def attachment_id(url: str) -> int | None:
    """The id of ``…/?attachment_id=123`` links (WordPress's plain attachment pages)."""
    match = re.search(r"[?&]attachment_id=(\d+)(?:&|#|$)", url)
    return int(match[1]) if match else None


# --- the blog's uploads ---------------------------------------------------------------


class Site:
    """Which URLs are the old blog's own; its uploads move to ``content/images/``."""

    def __init__(self, *urls: str) -> None:
        hosts = set()
        for url in urls:
            host = urlsplit(url).hostname if url else None
            if host:
                hosts.add(host.lower().removeprefix("www."))
        self.hosts = frozenset(hosts)

    def _wordpress_com_files(self, host: str) -> bool:
        """``<blog>.files.wordpress.com`` of this blog (``blog.wordpress.com``, or a custom
        domain: ``example.com`` keeps its files at ``examplecom.files.wordpress.com``)."""
        match = _WPCOM_FILES.fullmatch(host)
        if match is None:
            return False
        names = {h.removesuffix(".wordpress.com") for h in self.hosts}
        names |= {h.replace(".", "").replace("-", "") for h in self.hosts}
        return match[1] in names or match[1].replace("-", "") in names

    def uploads_path(self, url: str) -> str | None:
        """``2015/06/affe.jpg`` for an upload of this blog, else None."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = parts.path
        if re.fullmatch(r"i\d\.wp\.com", host):  # Jetpack's image CDN: /<host>/wp-content/…
            first, _, rest = path.lstrip("/").partition("/")
            host, path = first.lower().removeprefix("www."), "/" + rest
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if self._wordpress_com_files(host):  # WordPress.com: <blog>.files.wordpress.com/2015/06/…
            relative = unquote(path.lstrip("/"))
            segments = relative.split("/")
            if not relative or any(segment in ("", ".", "..") for segment in segments):
                return None
            return relative
        if (parts.netloc or parts.scheme) and host not in self.hosts:
            return None
        position = ("/" + path.lstrip("/")).find(UPLOADS)
        if position < 0:
            return None
        relative = unquote(("/" + path.lstrip("/"))[position + len(UPLOADS) :])
        segments = relative.split("/")
        if not relative or any(segment in ("", ".", "..") for segment in segments):
            return None
        return relative

    def map_url(self, url: str) -> tuple[str, str | None]:
        """For the converter: (URL to write, ``wp-content/uploads/…`` or None)."""
        relative = self.uploads_path(url)
        if relative is None:
            return url, None
        fragment = urlsplit(url).fragment
        target = "{static}/images/" + quote(relative) + (f"#{fragment}" if fragment else "")
        return target, "wp-content/uploads/" + relative
