"""Plain text from HTML, in one place. Pure.

For reading times, comment teasers, summaries and titles: tags become separators,
entities are decoded, white space is collapsed. Not a sanitiser (that is
``rundbrief.sanitize``); the input is HTML we made or have already sanitised.
"""

from __future__ import annotations

import re
from html import unescape

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def strip_tags(html: str, separator: str = " ", *, collapse: bool = True) -> str:
    """The text of ``html``: tags replaced by ``separator``, entities decoded, runs of
    white space collapsed to one space, no space at either end (``collapse=False``: the
    white space as it is; for counting words, which it does not change, in half the time)."""
    text = unescape(_TAG.sub(separator, html))
    return _SPACE.sub(" ", text).strip() if collapse else text
