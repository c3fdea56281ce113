"""Settings of the comments plugin (defaults in one place)."""

from rundbrief.addresses import is_address
from rundbrief.settings_check import Setting, int_between, is_nonempty_str

SPECS = [
    Setting(
        "COMMENTS_PATH",
        "comments",
        is_nonempty_str,
        "ein Ordner unterhalb von content/ (Standard: 'comments')",
    ),
    Setting(
        "COMMENTS_MAX_DEPTH",
        5,
        int_between(1, 50),
        "eine Zahl von 1 bis 50 (tiefere Antworten erscheinen auf der tiefsten Ebene)",
    ),
    Setting(
        "COMMENTS_REPLY_EMAIL",
        "",
        lambda value: value == "" or is_address(value),
        "leer (keine Antworten-Links) oder die E-Mail-Adresse, an die Antworten gehen",
    ),
    Setting(
        "COMMENTS_MAX_LENGTH",
        20_000,
        int_between(1, 10_000_000),
        "eine Zahl von 1 bis 10000000 (Zeichen; längere Kommentare werden nicht "
        "veröffentlicht, die Datei bleibt)",
    ),
    Setting(
        "COMMENTS_PER_PAGE",
        50,
        int_between(0, 1_000_000),
        "eine Zahl ab 0 (Kommentar-Stränge je Seite wie bei WordPress, ab Seite 2 unter "
        "…/comment-page-2/; 0 = alle auf der Artikelseite)",
    ),
]


def setting(settings, name: str):
    """The value of one COMMENTS_* setting, its default from SPECS when it is not set."""
    if name in settings:
        return settings[name]
    return next(spec.default for spec in SPECS if spec.name == name)
