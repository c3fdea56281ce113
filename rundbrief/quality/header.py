"""Checks of an article's or page's metadata header, before Pelican sees it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from rundbrief.dates import FORMATS_HINT, parse_date
from rundbrief.headers import HeaderField
from rundbrief.headers import read_header as parse_header
from rundbrief.problems import Problem

STATUSES = ("published", "draft", "hidden")
COMMENT_MODES = ("open", "closed", "hidden")


def read_header(text: str) -> dict[str, HeaderField]:
    """The first field of each key in the header (rundbrief.headers)."""
    return parse_header(text).first()


@dataclass(frozen=True, slots=True)
class HeaderCheck:
    problems: list[Problem]
    skip: bool  # the file cannot be built as it is
    repaired: dict[str, str]  # metadata values replaced by a safe default


def check_header(text: str, path: str, *, needs_date: bool = False) -> HeaderCheck:
    """Every problem of the header that would make Pelican skip or misread the file."""
    fields = read_header(text)
    problems = []
    repaired = {}
    title = fields.get("title")
    if title is None or not title.value:
        problems.append(
            Problem(
                path,
                title.line if title else 1,
                "Der Titel fehlt; der Beitrag wird übersprungen.",
                "Eine Zeile „Title: …“ an den Anfang der Datei schreiben.",
            )
        )
    for key in ("date", "modified"):
        field = fields.get(key)
        if field is None:
            if key == "date" and needs_date:
                problems.append(
                    Problem(
                        path,
                        1,
                        "Das Datum fehlt; der Beitrag wird übersprungen.",
                        "Eine Zeile „Date: 2015-06-19 08:30“ in den Kopf schreiben.",
                    )
                )
            continue
        if parse_date(field.value, UTC) is None:
            problems.append(
                Problem(
                    path,
                    field.line,
                    f"„{field.key.capitalize()}: {field.value}“ ist kein lesbares Datum; "
                    "der Beitrag wird übersprungen.",
                    f"Das Datum als „{field.key.capitalize()}: JJJJ-MM-TT HH:MM“ angeben "
                    f"({FORMATS_HINT}; ohne Versatz gilt TIMEZONE).",
                )
            )
    status = fields.get("status")
    if status is not None and status.value not in STATUSES:
        problems.append(
            Problem(
                path,
                status.line,
                f"Unbekannter Status „{status.value}“; der Beitrag wird übersprungen.",
                f"Einen dieser Werte verwenden: {', '.join(STATUSES)}.",
            )
        )
    skip = bool(problems)
    comments = fields.get("comments")
    if comments is not None and comments.value not in COMMENT_MODES:
        repaired["comments"] = "open"
        problems.append(
            Problem(
                path,
                comments.line,
                f"Unbekannter Wert „Comments: {comments.value}“; es gilt „open“.",
                f"Einen dieser Werte verwenden: {', '.join(COMMENT_MODES)}.",
            )
        )
    return HeaderCheck(problems, skip, repaired)
