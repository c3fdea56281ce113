"""Settings of newsletter delivery: subscription service, subscriber store, sender.

Defaults in one place (``SPECS``); the newsletter plugin's ``settings.py`` includes them,
so a build validates them too, and the delivery commands validate them when they start.
An empty string means "derived" where the description says so (derived in
``service.config``). Pure: imports no Pelican.
"""

from __future__ import annotations

import re
from typing import Any

from rundbrief.addresses import is_address
from rundbrief.digest.manifest import DEFAULT_PATH, is_digest_path
from rundbrief.settings_check import Setting, int_between, is_nonempty_str, is_str, is_url_base


def _no_line_break(value: Any) -> bool:
    return isinstance(value, str) and "\r" not in value and "\n" not in value


def is_address_or_empty(value: Any) -> bool:
    """ "" or an address, bare or with a display name: 'Name <box@example.org>'."""
    if not _no_line_break(value):
        return False
    if value == "":
        return True
    match = re.fullmatch(r"\s*(?:[^<>]*<([^<>]+)>|([^<>\s]+))\s*", value)
    return bool(match) and is_address(match.group(1) or match.group(2))


def is_number_at_least(low: float):
    def check(value: Any) -> bool:
        return not isinstance(value, bool) and isinstance(value, int | float) and value >= low

    return check


def is_positive_number(value: Any) -> bool:
    return is_number_at_least(0)(value) and value > 0


def is_header_text(value: Any) -> bool:
    return _no_line_break(value)


def is_secret_or_keys(value: Any) -> bool:
    """'' (from the environment), one key, or a non-empty list of keys (rotation)."""
    if isinstance(value, str):
        return True
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(key, str) and key.strip() for key in value)
    )


SPECS = [
    Setting(
        "NEWSLETTER_PATH",
        DEFAULT_PATH,
        is_digest_path,
        "ein Ordner in output/ ohne '..', z. B. 'newsletter' – dort schreibt der Build die "
        "Wochenrückblicke, dort sucht der Versand sie",
    ),
    Setting(
        "NEWSLETTER_PAGE_URL",
        "newsletter-anmeldung/",
        is_nonempty_str,
        "die URL der Newsletter-Seite (Anmeldung), relativ zur Website",
    ),
    Setting(
        "NEWSLETTER_DB",
        "var/newsletter.sqlite",
        lambda v: is_nonempty_str(v) and _no_line_break(v),
        "ein Dateipfad (relativ zum Ordner der Einstellungsdatei), z. B. 'var/newsletter.sqlite'",
    ),
    Setting(
        "NEWSLETTER_SERVER_HOST",
        "127.0.0.1",
        is_nonempty_str,
        "die Adresse, an der `make newsletter-server` lauscht, z. B. '127.0.0.1'",
    ),
    Setting(
        "NEWSLETTER_SERVER_PORT",
        8025,
        int_between(1, 65535),
        "eine Portnummer von 1 bis 65535",
    ),
    Setting(
        "NEWSLETTER_RATE_LIMIT",
        10,
        int_between(0, 100_000),
        "Anfragen pro Minute und Client-Adresse (0 = keine Begrenzung)",
    ),
    Setting(
        "NEWSLETTER_PROXY_COUNT",
        0,
        int_between(0, 5),
        "Zahl der vertrauenswürdigen Reverse-Proxys vor dem Dienst (0 bis 5); die "
        "Client-Adresse kommt dann aus X-Forwarded-For",
    ),
    Setting(
        "NEWSLETTER_SERVER_THREADS",
        16,
        int_between(1, 256),
        "Threads des Anmeldedienstes unter gunicorn (1 bis 256)",
    ),
    Setting(
        "NEWSLETTER_SERVER_BACKLOG",
        2048,
        int_between(16, 65535),
        "Länge der Warteschlange für neue Verbindungen (16 bis 65535)",
    ),
    Setting(
        "NEWSLETTER_BODY_TIMEOUT",
        10,
        is_positive_number,
        "Sekunden, die der Dienst auf den Inhalt einer Anfrage wartet, bevor er mit 408 "
        "antwortet (größer als 0)",
    ),
    Setting(
        "NEWSLETTER_CONFIRM_INTERVAL",
        900,
        int_between(0, 86400),
        "Sekunden, die mindestens zwischen zwei Bestätigungs-Mails an dieselbe Adresse "
        "liegen (0 bis 86400)",
    ),
    Setting(
        "NEWSLETTER_CONFIRM_PER_DAY",
        3,
        int_between(1, 100),
        "Bestätigungs-Mails an dieselbe Adresse in 24 Stunden höchstens (1 bis 100)",
    ),
    Setting(
        "NEWSLETTER_SMTP_HOST",
        "localhost",
        is_nonempty_str,
        "der Name oder die Adresse des SMTP-Servers",
    ),
    Setting("NEWSLETTER_SMTP_PORT", 25, int_between(1, 65535), "eine Portnummer von 1 bis 65535"),
    Setting("NEWSLETTER_SMTP_USER", "", is_str, "ein Benutzername oder '' (ohne Anmeldung)"),
    Setting(
        "NEWSLETTER_SMTP_PASSWORD",
        "",
        is_str,
        "ein Passwort oder '' (dann aus der Umgebungsvariable NEWSLETTER_SMTP_PASSWORD)",
    ),
    Setting(
        "NEWSLETTER_SMTP_TLS",
        "none",
        lambda v: v in ("none", "starttls", "ssl"),
        "'none', 'starttls' oder 'ssl'",
    ),
    Setting(
        "NEWSLETTER_SMTP_TIMEOUT",
        60,
        is_positive_number,
        "Sekunden, die auf eine Antwort des SMTP-Servers gewartet wird (größer als 0)",
    ),
    Setting(
        "NEWSLETTER_FROM",
        "",
        is_address_or_empty,
        "'' (dann SITENAME <newsletter@Domain von SITEURL_ABSOLUTE>) oder eine Adresse wie "
        "'IdeeQuadrat <newsletter@ideequadrat.org>'",
    ),
    Setting(
        "NEWSLETTER_REPLY_TO",
        "",
        is_address_or_empty,
        "'' (kein Reply-To) oder eine Adresse wie 'Hendrik Epe <post@ideequadrat.org>'",
    ),
    Setting(
        "NEWSLETTER_UNSUBSCRIBE_MAILTO",
        "",
        is_address_or_empty,
        "'' (dann die Absenderadresse) oder die Adresse für Abmeldungen per E-Mail",
    ),
    Setting(
        "NEWSLETTER_LIST_ID",
        "",
        is_header_text,
        "'' (dann 'SITENAME Newsletter <newsletter.Domain>') oder ein List-Id-Wert ohne "
        "Zeilenumbruch",
    ),
    Setting(
        "NEWSLETTER_RATE",
        10,
        is_number_at_least(0),
        "Nachrichten pro Sekunde beim Versand (Zahl ab 0; 0 = unbegrenzt)",
    ),
    Setting(
        "NEWSLETTER_SEND_ATTEMPTS",
        5,
        int_between(1, 20),
        "Zustellversuche pro Nachricht und Lauf bei vorübergehenden Fehlern (1 bis 20)",
    ),
    Setting(
        "NEWSLETTER_RETRY_DELAY",
        2,
        is_positive_number,
        "Sekunden bis zum ersten Wiederholungsversuch; jede weitere Pause verdoppelt sich",
    ),
    Setting(
        "NEWSLETTER_SECRET",
        "",
        is_secret_or_keys,
        "'' (dann aus der Umgebungsvariable NEWSLETTER_SECRET, mehrere Schlüssel durch "
        "Leerzeichen getrennt), ein zufälliger Schlüssel von mindestens 16 Zeichen oder eine "
        "Liste solcher Schlüssel (der erste signiert, alle prüfen)",
    ),
    Setting(
        "NEWSLETTER_TOKEN_MAX_AGE_DAYS",
        7,
        int_between(1, 90),
        "Tage, die ein Bestätigungslink gilt (1 bis 90)",
    ),
    Setting(
        "NEWSLETTER_CONSENT_VERSION",
        "2026-11-01",
        lambda v: is_nonempty_str(v) and _no_line_break(v) and len(v) <= 100,
        "die Version des Einwilligungstexts (z. B. das Datum der Datenschutzerklärung)",
    ),
    Setting(
        "NEWSLETTER_SERVICE_URL",
        "",
        is_url_base,
        "'' (dann SITEURL_ABSOLUTE + '/newsletter') oder die öffentliche Basis-URL des "
        "Anmeldedienstes ohne / am Ende",
    ),
    Setting(
        "NEWSLETTER_PENDING_DAYS",
        30,
        int_between(1, 365),
        "Tage, nach denen unbestätigte Anmeldungen gelöscht werden (1 bis 365)",
    ),
    Setting(
        "NEWSLETTER_OUTBOX",
        "var/outbox",
        is_nonempty_str,
        "der Ordner für den Probelauf (DRY_RUN=1), relativ zum Ordner der Einstellungsdatei",
    ),
]
