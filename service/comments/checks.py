"""What a comment post must pass before it is stored as pending. Pure.

``read_post`` turns the form fields into a ``Post``; ``field_errors`` lists what the
commenter must fix (German, shown above the form again); ``check_stamp`` judges the
signed form stamp (too fast, too old, missing). The honeypot, the article's state, the
rate limit and duplicates are judged by the view with the store and the manifest.

Every header value of the comment file is one line without an e-mail or IP address, and
the text holds none either: what is approved goes to ``content/`` (often a public
repository) and through the build's own reader, checks and sanitiser.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from rundbrief.addresses import (
    ADDRESS_IN_TEXT,
    IPV4_IN_TEXT,
    AddressError,
    normalise_address,
)
from rundbrief.sanitize import safe_url

MAX_AUTHOR = 100
MAX_URL = 200
MIN_SECONDS = 3  # a form sent faster than this after its stamp was made: a bot
MAX_AGE = 86_400  # a form stamp older than a day: send again
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SLUG = re.compile(r"^[^\s/\\]{1,200}$")
_MAILBOX = re.compile(
    r"^[^\s@<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_LINK = re.compile(r"(?i)\b(?:https?://(?:www\.)?|www\.)")  # one per URL, however marked up
_CONTROL_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Post:
    slug: str
    parent: str | None  # the id of the comment answered; None: top level
    author: str
    email: str
    url: str
    comment: str  # line breaks as \n
    notify: bool
    honeypot: str
    stamp: str

    def fingerprint(self) -> str:
        """The same article, name and text (white space and case aside): a duplicate."""
        text = " ".join(self.comment.split()).casefold()
        name = " ".join(self.author.split()).casefold()
        return hashlib.sha256(f"{self.slug}\n{name}\n{text}".encode()).hexdigest()

    def form_values(self) -> dict[str, object]:
        """The values to show in the form again (the honeypot and the stamp not)."""
        return {
            "author": self.author,
            "email": self.email,
            "url": self.url,
            "comment": self.comment,
            "parent": self.parent or "0",
            "notify": self.notify,
        }


def read_post(form: Mapping[str, str]) -> Post:
    def field(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    def one_line(name: str) -> str:
        # Only blanks are trimmed: a line break in a one-line field is refused, not hidden.
        return field(name).strip(" \t")

    parent = field("comment_parent").strip()
    return Post(
        slug=field("slug").strip(),
        parent=None if parent in ("", "0") else parent,
        author=one_line("author"),
        email=one_line("email"),
        url=one_line("url"),
        comment=field("comment").replace("\r\n", "\n").replace("\r", "\n").strip(),
        notify=field("notify") in ("1", "on", "yes", "ja"),
        honeypot=field("website"),
        stamp=field("stamp").strip(),
    )


def slug_is_plausible(slug: str) -> bool:
    return bool(_SLUG.match(slug)) and slug not in (".", "..")


def parent_is_plausible(parent: str) -> bool:
    return bool(_ID.match(parent))


def _line_break(value: str) -> bool:
    return "\n" in value or "\r" in value


def _controls(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def _addresses(value: str) -> bool:
    return bool(ADDRESS_IN_TEXT.search(value)) or any(
        all(int(part) <= 255 for part in ip.split(".")) for ip in IPV4_IN_TEXT.findall(value)
    )


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def _author_errors(author: str) -> list[str]:
    if not author:
        return ["Bitte gib einen Namen an (er erscheint über Deinem Kommentar)."]
    if len(author) > MAX_AUTHOR:
        return [f"Der Name ist zu lang: höchstens {MAX_AUTHOR} Zeichen."]
    if _line_break(author) or _controls(author):
        return ["Der Name muss in eine Zeile passen (ohne Zeilenumbrüche und Steuerzeichen)."]
    if _addresses(author):
        return [
            "Bitte schreibe keine E-Mail- oder IP-Adresse in den Namen: er wird veröffentlicht."
        ]
    return []


def _email_errors(post: Post) -> list[str]:
    if not post.email:
        if post.notify:
            return [
                "Für Benachrichtigungen über Antworten brauchen wir Deine E-Mail-Adresse – "
                "oder nimm das Häkchen weg."
            ]
        return []
    try:
        normalise_address(post.email)
    except AddressError as error:
        return [str(error)]
    return []


def _url_errors(url: str) -> list[str]:
    if not url:
        return []
    if len(url) > MAX_URL:
        return [f"Die Adresse der Website ist zu lang: höchstens {MAX_URL} Zeichen."]
    if _line_break(url) or safe_url(url) is None or "@" in url or IPV4_IN_TEXT.search(url):
        return [
            "Die Website bitte als vollständige Adresse angeben, z. B. https://example.org/ "
            "(oder das Feld leer lassen)."
        ]
    return []


def _comment_errors(comment: str, *, max_length: int, max_links: int) -> list[str]:
    if not comment:
        return ["Bitte schreibe einen Kommentar."]
    if len(comment) > max_length:
        return [
            f"Der Kommentar ist {len(comment)} Zeichen lang, höchstens {max_length} gehen. "
            "Bitte kürze ihn."
        ]
    errors = []
    if _CONTROL_BODY.search(comment):
        errors.append("Der Kommentar enthält Steuerzeichen; bitte nur normalen Text.")
    links = count_links(comment)
    if links > max_links:
        errors.append(
            f"Der Kommentar enthält {links} Links, höchstens {max_links} gehen "
            "(das hält Werbung fern)."
        )
    if _addresses(comment):
        errors.append(
            "Bitte schreibe keine E-Mail- oder IP-Adresse in den Kommentar: er wird veröffentlicht."
        )
    return errors


def field_errors(post: Post, *, max_length: int, max_links: int) -> list[str]:
    """Everything the commenter must fix, in the order of the form; [] if all is well."""
    return [
        *_comment_errors(post.comment, max_length=max_length, max_links=max_links),
        *_author_errors(post.author),
        *_email_errors(post),
        *_url_errors(post.url),
    ]


STAMP_OK, STAMP_MISSING, STAMP_FAST, STAMP_OLD = "ok", "missing", "fast", "old"


def judge_stamp(issued_at: float | None, slug: str, stamp_slug: str | None, now: float) -> str:
    """``issued_at`` from a valid signature (None: missing or forged)."""
    if issued_at is None or stamp_slug != slug:
        return STAMP_MISSING
    age = now - issued_at
    if age < MIN_SECONDS:
        return STAMP_FAST
    if age > MAX_AGE:
        return STAMP_OLD
    return STAMP_OK
