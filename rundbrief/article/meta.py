"""Meta lines of articles and comments: words that must stay on one line. Pure.

German typography keeps a number with its unit: "6 Min.", "6 Kommentare",
"um 10:32 Uhr" never split at the end of a line. The
non-breaking space is a character (U+00A0), not HTML, so templates keep autoescaping.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_GLUE = re.compile(
    r"(?<=\d) (?=(?:Min\.|Uhr|Kommentare?\b|Minuten\b))"  # 6|Min., 10:32|Uhr
    r"|(?<=\bum) (?=\d)"  # um|10:32
)


def keep_together(text: str) -> str:
    """The spaces in "6 Min.", "6 Kommentare", "um 10:32 Uhr" become no-break spaces."""
    return _GLUE.sub(NBSP, str(text))


def comment_count_label(count: int) -> str:
    """'1 Kommentar', '6 Kommentare' with a non-breaking space."""
    return f"{count}{NBSP}{'Kommentar' if count == 1 else 'Kommentare'}"


def is_sticky(value) -> bool:
    """The `Sticky:` metadata (WordPress's sticky posts): true, yes, ja, 1."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"true", "yes", "ja", "1", "on"}


def sticky_first(items: list) -> None:
    """Sticky articles first, in place; the rest keeps its order (a stable sort)."""
    items.sort(key=lambda item: not is_sticky(getattr(item, "sticky", None)))


def initials(name: str) -> str:
    """Up to two initials for a comment's avatar: 'Hendrik Epe' → 'HE', 'kevin' → 'K'."""
    words = [word for word in str(name).split() if any(char.isalnum() for char in word)]
    letters = [next(char for char in word if char.isalnum()) for word in words]
    if not letters:
        return "?"
    picked = letters[0] + (letters[-1] if len(letters) > 1 else "")
    return picked.upper()
