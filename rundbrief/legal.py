"""Is the Impressum filled in? Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REQUIRED = ("IMPRESSUM_NAME", "IMPRESSUM_ADDRESS", "IMPRESSUM_EMAIL")
# Values that are plainly examples, not someone's real details.
_PLACEHOLDER_WORDS = ("muster", "beispiel", "platzhalter", "example.", "12345", "vorname nachname")


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(line) for line in value]


def placeholder_settings(settings: Mapping[str, Any]) -> list[str]:
    """The IMPRESSUM_* settings that are missing or still hold example values."""
    bad = []
    for name in (*REQUIRED, "IMPRESSUM_PHONE"):
        lines = _lines(settings.get(name))
        if not lines:
            if name in REQUIRED:
                bad.append(name)
            continue
        text = " ".join(lines).lower()
        if any(word in text for word in _PLACEHOLDER_WORDS) or (
            name == "IMPRESSUM_PHONE" and "0123" in text
        ):
            bad.append(name)
    return bad
