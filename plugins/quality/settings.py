"""Settings of the quality plugin and the core site settings it checks (defaults in one place)."""

from __future__ import annotations

import zoneinfo

from rundbrief.dates import DEFAULT_TIMEZONE
from rundbrief.settings_check import Setting, int_between, is_bool, is_nonempty_str, is_url_base


def _is_timezone(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


SPECS = [
    Setting(
        "QUALITY_STRICT",
        False,
        is_bool,
        "True (jede Inhaltswarnung lässt den Build scheitern) oder False",
    ),
    Setting("SITENAME", "Rundbrief", is_nonempty_str, "ein nicht leerer Text"),
    Setting("SITEURL", "", is_url_base, "leer oder eine absolute http(s)-URL ohne / am Ende"),
    Setting(
        "SITEURL_ABSOLUTE",
        "",
        is_url_base,
        "leer (dann gilt SITEURL) oder eine absolute http(s)-URL ohne / am Ende",
    ),
    Setting(
        "TIMEZONE", DEFAULT_TIMEZONE, _is_timezone, "ein IANA-Zeitzonenname wie 'Europe/Berlin'"
    ),
    Setting(
        "DEFAULT_PAGINATION",
        10,
        lambda v: v is False or int_between(1, 1000)(v),
        "False oder eine Zahl von 1 bis 1000",
    ),
]
