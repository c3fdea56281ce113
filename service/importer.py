"""Taking over an existing list of confirmed subscribers from a CSV file.

For example the export of the old WordPress newsletter plugin. Required: a column with
the address and one with the date of the consent (the proof of the old double opt-in).
Optional: the time of the request, a status column (rows not confirmed are refused) and
the version of the consent text. Comma, semicolon or tab separated; UTF-8 (or, failing
that, Windows-1252 as Excel writes it). Every refused row is reported with its line.
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rundbrief.addresses import AddressError, normalise_address
from rundbrief.dates import DEFAULT_TIMEZONE, parse_import_date
from rundbrief.errors import CommandError
from service.store import ImportRow, Store, utc_iso

# Accepted column names, after lower-casing, ä→ae …, and " "/"-" → "_"; in order of preference.
EMAIL_COLUMNS = (
    "email",
    "e_mail",
    "email_address",
    "e_mail_adresse",
    "emailadresse",
    "user_email",
    "subscriber_email",
    "mail",
    "adresse",
)
CONSENT_COLUMNS = (
    "consent_date",
    "consented_at",
    "consent",
    "confirmed_at",
    "confirmation_date",
    "confirm_time",
    "optin_date",
    "opt_in_date",
    "optin_time",
    "einwilligung",
    "einwilligungsdatum",
    "einwilligung_am",
    "bestaetigt_am",
    "bestaetigungsdatum",
    "subscribed_at",
    "created_at",
    "created",
    "datum",
    "date",
)
REQUEST_COLUMNS = ("requested_at", "request_date", "signup_date", "angemeldet_am", "anmeldedatum")
STATUS_COLUMNS = ("status", "state")
VERSION_COLUMNS = ("consent_version", "einwilligungstext", "einwilligung_version")
CONFIRMED_STATUSES = {
    "confirmed",
    "bestaetigt",
    "active",
    "aktiv",
    "subscribed",
    "c",
    "1",
    "yes",
    "ja",
    "true",
}
MAX_FIELD = 1000


class CsvError(CommandError):
    """The file cannot be imported at all: a message with the fix, exit status 2."""


@dataclass
class ImportReport:
    added: int = 0
    existing: int = 0
    rejected: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"übernommen: {self.added}, schon bestätigt eingetragen: {self.existing}, "
            f"abgelehnt: {len(self.rejected)}"
        )


def _column_key(name: str) -> str:
    key = name.strip().lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        key = key.replace(umlaut, plain)
    return re.sub(r"[\s\-]+", "_", key)


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_column_key(name) for name in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def parse_date(value: str, timezone: ZoneInfo) -> datetime:
    """A date as newsletter services export it (rundbrief.dates.parse_import_date) →
    aware UTC; ValueError if it is none of those formats."""
    moment = parse_import_date(value, timezone)
    if moment is None:
        raise ValueError(value)
    return moment.astimezone(UTC)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path) -> tuple[list[str], Any]:
    """The header and a csv reader for the rest (its ``line_num`` names each row)."""
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        raise CsvError(f"Die Datei {path} lässt sich nicht lesen: {error}.") from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise CsvError(f"{path} ist leer: erwartet wird eine Kopfzeile mit Spaltennamen.")
    return header, reader


@dataclass(frozen=True)
class Columns:
    """Where each field is in a row (None: the file has no such column)."""

    email: int
    consent: int
    consent_name: str
    request: int | None
    status: int | None
    version: int | None

    @classmethod
    def find(cls, header: list[str], path: Path) -> Columns:
        email_at = _find(header, EMAIL_COLUMNS)
        consent_at = _find(header, CONSENT_COLUMNS)
        if email_at is None or consent_at is None:
            missing = []
            if email_at is None:
                missing.append("die E-Mail-Adresse (z. B. „email“)")
            if consent_at is None:
                missing.append(
                    "das Datum der Einwilligung (z. B. „consent_date“, „confirmed_at“, "
                    "„Einwilligung“, „created“ oder „date“)"
                )
            raise CsvError(
                f"{path}: es fehlt eine Spalte für {' und '.join(missing)}. Gefundene "
                f"Spalten: {', '.join(repr(name) for name in header)}. So beheben: die Spalte "
                "in der Kopfzeile so benennen. Ohne Einwilligungsdatum gibt es keinen "
                "Nachweis der Einwilligung, und die Liste darf nicht übernommen werden."
            )
        return cls(
            email=email_at,
            consent=consent_at,
            consent_name=header[consent_at],
            request=_find(header, REQUEST_COLUMNS),
            status=_find(header, STATUS_COLUMNS),
            version=_find(header, VERSION_COLUMNS),
        )


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def check_row(
    row: list[str], columns: Columns, *, zone: ZoneInfo, now: float, consent_version: str
) -> ImportRow | str:
    """The subscriber of one CSV row, or why the row is refused."""
    if any(len(part) > MAX_FIELD for part in row):
        return f"ein Feld ist länger als {MAX_FIELD} Zeichen."
    try:
        address = normalise_address(_cell(row, columns.email))
    except AddressError as error:
        return str(error)
    status = _cell(row, columns.status)
    if columns.status is not None and _column_key(status) not in CONFIRMED_STATUSES:
        return (
            f"Status „{status}“ ist keine bestätigte Anmeldung; nur bestätigte Abonnenten "
            "werden übernommen."
        )
    consent_text = _cell(row, columns.consent)
    try:
        consented = parse_date(consent_text, zone)
    except (ValueError, OverflowError):
        what = "fehlt" if not consent_text else f"„{consent_text}“ ist kein lesbares Datum"
        return (
            f"das Einwilligungsdatum ({columns.consent_name}) {what}. Ohne Nachweis der "
            "Einwilligung wird die Adresse nicht übernommen (Format z. B. 2019-05-04 12:30 "
            "oder 04.05.2019 12:30)."
        )
    if consented.timestamp() > now + 86400:
        return f"das Einwilligungsdatum „{consent_text}“ liegt in der Zukunft."
    requested = consented
    if request_text := _cell(row, columns.request):
        try:
            requested = parse_date(request_text, zone)
        except (ValueError, OverflowError):
            requested = consented
    return ImportRow(
        email=address,
        requested_at=utc_iso(requested.timestamp()),
        confirmed_at=utc_iso(consented.timestamp()),
        consent_version=_cell(row, columns.version)[:100] or consent_version,
    )


def import_csv(
    store: Store,
    path: Path,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    consent_version: str = "import",
    now: float | None = None,
) -> ImportReport:
    """Import every valid row; report every other one ("Zeile N: …")."""
    now = time.time() if now is None else now
    zone = ZoneInfo(timezone)
    header, reader = read_rows(path)
    columns = Columns.find(header, path)
    report = ImportReport()
    seen: dict[str, int] = {}  # lower-cased address → line
    for row in reader:
        line = reader.line_num
        if not any(part.strip() for part in row):
            continue
        checked = check_row(row, columns, zone=zone, now=now, consent_version=consent_version)
        if isinstance(checked, str):
            report.rejected.append(f"Zeile {line}: {checked}")
            continue
        key = checked.email.lower()
        if key in seen:
            report.rejected.append(f"Zeile {line}: die Adresse steht schon in Zeile {seen[key]}.")
            continue
        seen[key] = line
        outcome = store.import_confirmed(checked)
        if outcome == "added":
            report.added += 1
        elif outcome == "exists":
            report.existing += 1
        else:
            report.rejected.append(
                f"Zeile {line}: diese Adresse hat sich abgemeldet und wird nicht wieder "
                "eingetragen."
            )
    return report
