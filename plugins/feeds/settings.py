"""Settings of the feeds plugin (defaults in one place)."""

from datetime import datetime

from rundbrief.feeds.ids import is_authority
from rundbrief.settings_check import Setting, int_between, is_bool, one_of


def _is_aware_or_none(value: object) -> bool:
    return value is None or (
        isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None
    )


SPECS = [
    Setting(
        "FEEDS_MAX_ITEMS",
        20,
        int_between(1, 1000),
        "eine Zahl von 1 bis 1000 (Einträge je Feed, die neuesten zuerst)",
    ),
    Setting(
        "FEEDS_CONTENT",
        "full",
        one_of("full", "summary"),
        "'full' (ganzer Beitrag im Feed) oder 'summary' (nur die Zusammenfassung)",
    ),
    Setting(
        "FEEDS_REDIRECTS",
        True,
        is_bool,
        "True (Weiterleitungen der alten WordPress-Feed-Adressen und der Adressen aus "
        "content/redirects.txt schreiben: _redirects, .htaccess, nginx-redirects.conf) oder False",
    ),
    Setting(
        "FEEDS_TAG_AUTHORITY",
        "",
        lambda value: value == "" or is_authority(value),
        "leer (dann gilt der Host von SITEURL_ABSOLUTE) oder ein Domainname in Kleinbuchstaben "
        "wie 'www.ideequadrat.org' – für die dauerhaften Kennungen (tag:-URIs) der Einträge",
    ),
    Setting(
        "FEEDS_NOW",
        None,
        _is_aware_or_none,
        "None (die Zeit des Builds) oder ein datetime mit Zeitzone – ab wann Beiträge mit "
        "Datum in der Zukunft in die Feeds und Wochenrückblicke kommen (für Tests und "
        "Vorschauen)",
    ),
]
