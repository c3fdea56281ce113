"""Settings of the comments: the build's (archive, form) and the reader service's (moderation).

Defaults in one place (``SPECS``): the comments plugin's ``settings.py`` uses them, so a
build validates every one, and the reader service reads the same specs (it must not import
the plugin), so ``COMMENTS_MAX_LENGTH`` has one value for the form, the service and the
build. An empty string means "derived" where the description says so. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rundbrief.addresses import is_address
from rundbrief.settings_check import Setting, int_between, is_nonempty_str, is_str

_POST_URL = re.compile(r"^(?:https?://[^\s\"'<>/]+)?/[^\s\"'<>?#]*$")


def _email_or_empty(value: Any) -> bool:
    return value == "" or is_address(value)


def _post_url(value: Any) -> bool:
    return value == "" or (isinstance(value, str) and bool(_POST_URL.match(value)))


def _one_line(value: Any) -> bool:
    return is_str(value) and "\n" not in value and "\r" not in value


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
        _email_or_empty,
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
    Setting(
        "COMMENTS_POST_URL",
        "/newsletter/comments",
        _post_url,
        "die Adresse, an die das Kommentarformular sendet: ein Pfad wie "
        "'/newsletter/comments' (der Lesedienst unter NEWSLETTER_SERVICE_URL + '/comments') "
        "oder eine volle http(s)-Adresse; '' = kein Formular (dann Antworten per E-Mail an "
        "COMMENTS_REPLY_EMAIL)",
    ),
    Setting(
        "COMMENTS_MODERATOR_EMAIL",
        "",
        _email_or_empty,
        "'' (dann COMMENTS_REPLY_EMAIL) oder die Adresse, die jeden neuen Kommentar mit den "
        "Links Freigeben/Spam/Löschen bekommt",
    ),
    Setting(
        "COMMENTS_MAX_LINKS",
        2,
        int_between(0, 100),
        "eine Zahl von 0 bis 100 (Kommentare mit mehr Links nimmt der Dienst nicht an)",
    ),
    Setting(
        "COMMENTS_PUBLISH_COMMAND",
        "",
        _one_line,
        "'' (nichts) oder ein Shell-Befehl, den der Dienst nach jeder Freigabe im Ordner der "
        "Einstellungsdatei ausführt, z. B. 'make publish && rsync -a output/ web:/srv/www/'",
    ),
    Setting(
        "COMMENTS_PUBLISH_TIMEOUT",
        900,
        int_between(1, 86_400),
        "Sekunden, die COMMENTS_PUBLISH_COMMAND laufen darf (1 bis 86400)",
    ),
]


def setting(settings: Mapping[str, Any], name: str) -> Any:
    """The value of one COMMENTS_* setting, its default from SPECS when it is not set."""
    if name in settings:
        return settings[name]
    return next(spec.default for spec in SPECS if spec.name == name)
