"""The delivery commands' view of the project settings: read, validate, derive.

``load_config(path)`` reads a settings file (``rundbrief.settings_file``, no Pelican),
validates ``delivery_settings.SPECS`` (every bad
setting at once, ``SettingsError``) and derives what the settings leave empty. Relative
paths count from the folder of the settings file, so the commands work from anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rundbrief.dates import DEFAULT_TIMEZONE
from rundbrief.delivery_settings import SPECS
from rundbrief.digest.manifest import digest_root
from rundbrief.settings_check import checked_values
from rundbrief.settings_file import path_in, read_settings_file
from rundbrief.urls import site_base
from service.comments.config import CommentsConfig, comments_config_from_settings

MIN_SECRET_LENGTH = 16


class ConfigError(SystemExit):
    """A setting the command needs is missing: a message and exit status 2, no traceback."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
        self.code = 2

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str
    tls: str  # none | starttls | ssl
    timeout: float
    helo: str


@dataclass(frozen=True)
class DeliveryConfig:
    db_path: Path
    output_path: Path
    digests: Path  # <output>/<NEWSLETTER_PATH>: one folder per issue (rundbrief.digest.manifest)
    outbox: Path
    server_host: str
    server_port: int
    server_threads: int
    server_backlog: int
    body_timeout: float  # seconds a request body may take to arrive (then 408)
    confirm_interval: int  # seconds between two confirmation mails to one address
    confirm_per_day: int  # confirmation mails to one address in 24 hours
    rate_limit: int  # requests per minute and client; 0 = off
    proxy_count: int
    smtp: SmtpSettings
    sender: str  # the From header: 'Name <box@domain>'
    sender_address: str  # the bare address (envelope sender)
    reply_to: str  # '' = none
    unsubscribe_mailto: str  # bare address
    list_id: str
    rate: float  # messages per second; 0 = unlimited
    attempts: int
    retry_delay: float
    secrets: tuple[str, ...]  # signing keys, the first signs; () = missing (see secret_keys)
    token_max_age: int  # seconds
    consent_version: str
    service_url: str  # '' = missing (see require_service_url)
    site_url: str
    site_name: str
    stylesheet_url: str
    signup_page_url: str
    mail_domain: str
    pending_days: int
    timezone: str
    theme_path: Path  # the site's theme: the service's pages extend its base.html
    site_context: dict[str, Any]  # what the theme's base.html reads (SITENAME, SITEURL, …)
    comments: CommentsConfig  # the COMMENTS_* settings (shared with the build)

    def secret_keys(self) -> tuple[str, ...]:
        """The signing keys (the first signs); ConfigError with the fix when one is bad."""
        short = [key for key in self.secrets if len(key) < MIN_SECRET_LENGTH]
        if not self.secrets or short:
            state = "fehlt" if not self.secrets else "ist zu kurz"
            raise ConfigError(
                f"Der Schlüssel für die Abmelde- und Bestätigungslinks {state}. "
                f"So beheben: einen zufälligen Wert mit mindestens {MIN_SECRET_LENGTH} "
                "Zeichen als Umgebungsvariable NEWSLETTER_SECRET setzen, z. B. "
                "`export NEWSLETTER_SECRET=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')\"` (oder NEWSLETTER_SECRET in den "
                "Einstellungen, nicht eingecheckt). Zum Wechseln den neuen Schlüssel "
                "vorne anfügen und den alten dahinter stehen lassen (siehe README), sonst "
                "funktionieren die Links der schon verschickten Mails nicht mehr."
            )
        return self.secrets

    def require_service_url(self) -> str:
        if not self.service_url:
            raise ConfigError(
                "Die öffentliche Adresse des Anmeldedienstes ist unbekannt. So beheben: "
                "SITEURL_ABSOLUTE (z. B. 'https://www.ideequadrat.org') oder "
                "NEWSLETTER_SERVICE_URL in den Einstellungen setzen."
            )
        return self.service_url


def _address(value: str) -> tuple[str, str]:
    """('Name <box@domain>' or 'box@domain', 'box@domain') of a validated address setting."""
    name, address = parseaddr(value)
    return (formataddr((name, address)) if name else address), address


def _keys(setting: str | list[str] | tuple[str, ...], environ_value: str) -> tuple[str, ...]:
    """The signing keys: the setting (one key or a list), else the environment variable
    (several keys separated by white space); the first one signs."""
    if isinstance(setting, list | tuple):
        return tuple(key.strip() for key in setting)
    return tuple((setting or environ_value).split())


def config_from_settings(
    settings: Mapping[str, Any], *, base_dir: Path, environ: Mapping[str, str] | None = None
) -> DeliveryConfig:
    """Validate the NEWSLETTER_* settings and derive the rest (no Pelican call)."""
    environ = os.environ if environ is None else environ
    value = checked_values(settings, SPECS, source="Einstellungen des Newsletter-Versands")
    path = partial(path_in, base_dir)

    site_url = site_base(settings)
    site_name = settings.get("SITENAME") or "Newsletter"
    host = (urlsplit(site_url).hostname or "") if site_url else ""
    mail_domain = host.removeprefix("www.")

    sender_setting = value["NEWSLETTER_FROM"] or formataddr(
        (site_name, f"newsletter@{mail_domain or 'localhost'}")
    )
    sender, sender_address = _address(sender_setting)
    if not mail_domain:
        mail_domain = sender_address.rpartition("@")[2].lower()
    reply_to = _address(value["NEWSLETTER_REPLY_TO"])[0] if value["NEWSLETTER_REPLY_TO"] else ""
    unsubscribe_mailto = _address(value["NEWSLETTER_UNSUBSCRIBE_MAILTO"])[1] or sender_address
    list_id = value["NEWSLETTER_LIST_ID"] or f"{site_name} Newsletter <newsletter.{mail_domain}>"

    service_url = value["NEWSLETTER_SERVICE_URL"] or (f"{site_url}/newsletter" if site_url else "")
    theme_static = (settings.get("THEME_STATIC_DIR") or "theme").strip("/")
    output_path = settings.get("OUTPUT_PATH") or "output"
    page_url = str(value["NEWSLETTER_PAGE_URL"] or "")

    return DeliveryConfig(
        db_path=path(value["NEWSLETTER_DB"]),
        output_path=path(output_path),
        digests=digest_root(path(output_path), value["NEWSLETTER_PATH"]),
        outbox=path(value["NEWSLETTER_OUTBOX"]),
        server_host=value["NEWSLETTER_SERVER_HOST"],
        server_port=value["NEWSLETTER_SERVER_PORT"],
        server_threads=value["NEWSLETTER_SERVER_THREADS"],
        server_backlog=value["NEWSLETTER_SERVER_BACKLOG"],
        body_timeout=float(value["NEWSLETTER_BODY_TIMEOUT"]),
        confirm_interval=value["NEWSLETTER_CONFIRM_INTERVAL"],
        confirm_per_day=value["NEWSLETTER_CONFIRM_PER_DAY"],
        rate_limit=value["NEWSLETTER_RATE_LIMIT"],
        proxy_count=value["NEWSLETTER_PROXY_COUNT"],
        smtp=SmtpSettings(
            host=value["NEWSLETTER_SMTP_HOST"],
            port=value["NEWSLETTER_SMTP_PORT"],
            user=value["NEWSLETTER_SMTP_USER"],
            password=value["NEWSLETTER_SMTP_PASSWORD"]
            or environ.get("NEWSLETTER_SMTP_PASSWORD", ""),
            tls=value["NEWSLETTER_SMTP_TLS"],
            timeout=float(value["NEWSLETTER_SMTP_TIMEOUT"]),
            helo=host or mail_domain or "localhost",
        ),
        sender=sender,
        sender_address=sender_address,
        reply_to=reply_to,
        unsubscribe_mailto=unsubscribe_mailto,
        list_id=list_id,
        rate=float(value["NEWSLETTER_RATE"]),
        attempts=value["NEWSLETTER_SEND_ATTEMPTS"],
        retry_delay=float(value["NEWSLETTER_RETRY_DELAY"]),
        secrets=_keys(value["NEWSLETTER_SECRET"], environ.get("NEWSLETTER_SECRET", "")),
        token_max_age=value["NEWSLETTER_TOKEN_MAX_AGE_DAYS"] * 86400,
        consent_version=value["NEWSLETTER_CONSENT_VERSION"],
        service_url=service_url,
        site_url=site_url,
        site_name=site_name,
        stylesheet_url=f"{site_url}/{theme_static}/css/site.css",
        signup_page_url=f"{site_url}/{page_url.lstrip('/')}",
        mail_domain=mail_domain,
        pending_days=value["NEWSLETTER_PENDING_DAYS"],
        timezone=settings.get("TIMEZONE") or DEFAULT_TIMEZONE,
        theme_path=path(settings.get("THEME") or "theme"),
        site_context={
            "SITENAME": site_name,
            "SITESUBTITLE": settings.get("SITESUBTITLE") or "",
            "SITE_DESCRIPTION": settings.get("SITE_DESCRIPTION") or "",
            "SITEURL": site_url,
            "AUTHOR": settings.get("AUTHOR") or site_name,
            "THEME_STATIC_DIR": theme_static,
            "MENUITEMS": tuple(settings.get("MENUITEMS") or ()),
            "SEARCH_URL": settings.get("SEARCH_URL") or "suche/",
        },
        comments=comments_config_from_settings(settings, base_dir=base_dir),
    )


def load_config(settings_path: str | Path) -> DeliveryConfig:
    """Read a Pelican settings file (e.g. pelicanconf.py) and make the delivery config."""
    path = Path(settings_path).resolve()
    if not path.is_file():
        raise ConfigError(
            f"Die Einstellungsdatei {settings_path} gibt es nicht. So beheben: den Pfad "
            "prüfen, z. B. `--settings pelicanconf.py` (bzw. SETTINGS=… beim make-Aufruf)."
        )
    try:
        settings = read_settings_file(path)
    except Exception as error:  # the settings file is Python: anything can go wrong
        raise ConfigError(
            f"Die Einstellungsdatei {settings_path} lässt sich nicht lesen "
            f"({type(error).__name__}: {error})."
        ) from error
    return config_from_settings(settings, base_dir=path.parent)
