"""Settings of the comments plugin (defaults in one place)."""

import re

from rundbrief.settings_check import Setting, int_between, is_nonempty_str

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")

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
        lambda value: value == "" or bool(_EMAIL.match(value)),
        "leer (keine Antworten-Links) oder die E-Mail-Adresse, an die Antworten gehen",
    ),
]
