"""Settings of the newsletter plugin (digest part; delivery settings are added below)."""

from __future__ import annotations

from rundbrief.delivery_settings import SPECS as DELIVERY_SPECS
from rundbrief.digest.issue import DEFAULT_SUBJECT, SUBJECT_FIELDS
from rundbrief.settings_check import Setting, int_between, is_bool


def _is_subject(value: object) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        value.format(**SUBJECT_FIELDS)
    except (KeyError, IndexError, ValueError):
        return False
    return True


DIGEST_SPECS = [
    Setting("NEWSLETTER_DIGEST", True, is_bool, "True (Wochenrückblicke bauen) oder False"),
    Setting(
        "NEWSLETTER_MAX_ITEMS",
        10,
        int_between(1, 100),
        "eine Zahl von 1 bis 100 (Artikel pro E-Mail; der Rest wird verlinkt)",
    ),
    Setting(
        "NEWSLETTER_FEED_MAX_ITEMS",
        20,
        int_between(1, 200),
        "eine Zahl von 1 bis 200 (die neuesten Wochenrückblicke im Feed newsletter/feed.xml)",
    ),
    Setting(
        "NEWSLETTER_COMMENTS",
        True,
        is_bool,
        "True (Abschnitt „Neue Kommentare“ in der E-Mail) oder False",
    ),
    Setting(
        "NEWSLETTER_MAX_COMMENTS",
        10,
        int_between(0, 100),
        "eine Zahl von 0 bis 100 (Kommentare pro E-Mail)",
    ),
    Setting(
        "NEWSLETTER_SUBJECT",
        DEFAULT_SUBJECT,
        _is_subject,
        "ein Text mit den Platzhaltern {sitename}, {week}, {year}, {first_title}, {count}",
    ),
]


SPECS = DIGEST_SPECS + DELIVERY_SPECS
