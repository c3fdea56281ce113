"""Reading comment files: one file, and a whole ``content/comments/`` tree. Pure."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from rundbrief.addresses import ADDRESS_IN_TEXT
from rundbrief.cleantext import clean_text, isolate_bidi, removed_problem
from rundbrief.comments.model import STATUSES, Comment, Problem, display_order, id_key, shown
from rundbrief.dates import DEFAULT_TIMEZONE, parse_date
from rundbrief.headers import Header, HeaderField, read_header
from rundbrief.problems import first_bad_utf8_line
from rundbrief.sanitize import safe_url

KEYS = ("author", "date", "replyto", "url", "by_author", "status")
EMAIL_KEYS = frozenset({"email", "e-mail", "e_mail", "mail", "author_email", "author-email"})
IP_KEYS = frozenset({"ip", "ip_address", "ip-address", "author_ip", "author-ip", "ip-adresse"})
TRUE_WORDS = frozenset({"true", "yes", "ja", "1"})
FALSE_WORDS = frozenset({"false", "no", "nein", "0"})

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

DATE_FIX = (
    "Das Datum als „date: JJJJ-MM-TT HH:MM“ angeben, z. B. „date: 2015-06-19 21:14“ "
    "(in der Zeitzone TIMEZONE) oder mit Versatz „2015-06-19T21:14+02:00“."
)


def _too_long(path: str, length: int, max_length: int, line: int) -> Problem:
    return Problem(
        path,
        line,
        f"Der Kommentar ist {length} Zeichen lang, erlaubt sind {max_length} "
        "(COMMENTS_MAX_LENGTH); er wird nicht veröffentlicht, die Datei bleibt.",
        "Den Text kürzen (oder, falls er so lang sein soll, COMMENTS_MAX_LENGTH in "
        "pelicanconf.py erhöhen).",
    )


def _symlink(path: Path) -> Problem:
    kind = "Ordner" if path.is_dir() else "Datei" if path.is_file() else "Eintrag"
    return Problem(
        str(path),
        None,
        f"Dieser {kind} ist ein symbolischer Link; er wird nicht verfolgt und nichts daraus "
        "veröffentlicht.",
        "Die Kommentar-Dateien selbst hierher kopieren statt sie zu verlinken, oder den Link "
        "löschen.",
    )


def _hash_hint(value: str) -> str:
    if "#" in value:
        return " Kommentare mit „#“ hinter dem Wert gibt es nicht: den Teil ab „#“ löschen."
    return ""


def _header_problems(header: Header, path: str) -> list[Problem]:
    if header.stray_line is None:
        return []
    return [
        Problem(
            path,
            header.stray_line,
            "Diese Zeile steht im Kopf, hat aber nicht die Form „schlüssel: wert“; "
            "ab hier wird sie als Text des Kommentars gelesen.",
            "Zwischen dem Kopf (author, date, …) und dem Text eine Leerzeile einfügen.",
        )
    ]


def _is_ip(value: str) -> bool:
    if " " in value or ("." not in value and ":" not in value):
        return False  # most header values, without asking ipaddress
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _personal_data(field: HeaderField, path: str) -> Problem | None:
    """A Problem if the header line holds an e-mail or IP address (never stored)."""
    if field.key in EMAIL_KEYS or ADDRESS_IN_TEXT.search(field.value):
        return Problem(
            path,
            field.line,
            "Die Kopfzeile enthält eine E-Mail-Adresse; sie wird ignoriert. "
            "E-Mail-Adressen werden nie gespeichert.",
            f"Die Zeile „{shown(field.key)}: …“ löschen (das Repository ist oft öffentlich).",
        )
    if field.key in IP_KEYS or _is_ip(field.value):
        return Problem(
            path,
            field.line,
            "Die Kopfzeile enthält eine IP-Adresse; sie wird ignoriert. "
            "IP-Adressen werden nie gespeichert.",
            f"Die Zeile „{shown(field.key)}: …“ löschen (das Repository ist oft öffentlich).",
        )
    return None


def _known_fields(
    fields: list[HeaderField], path: str
) -> tuple[dict[str, HeaderField], list[Problem]]:
    """The first line of each known key; every other line is reported and ignored."""
    known: dict[str, HeaderField] = {}
    problems: list[Problem] = []
    for field in fields:
        personal = _personal_data(field, path)
        if personal is not None:
            problems.append(personal)
        elif field.key not in KEYS:
            problems.append(
                Problem(
                    path,
                    field.line,
                    f"Unbekannter Schlüssel „{shown(field.key)}“; die Zeile wird ignoriert.",
                    f"Nur diese Schlüssel verwenden: {', '.join(KEYS)} (oder die Zeile löschen).",
                )
            )
        elif field.key in known:
            problems.append(
                Problem(
                    path,
                    field.line,
                    f"„{field.key}“ steht doppelt im Kopf (zuerst in Zeile "
                    f"{known[field.key].line}); diese Zeile wird ignoriert.",
                    f"Nur eine Zeile „{field.key}: …“ stehen lassen.",
                )
            )
        else:
            known[field.key] = field
    return known, problems


def _date(
    field: HeaderField | None, path: str, tz: tzinfo
) -> tuple[datetime | None, Problem | None]:
    if field is None or not field.value:
        message = "Das Datum fehlt; der Kommentar wird übersprungen."
        return None, Problem(path, field.line if field else 1, message, DATE_FIX)
    date = parse_date(field.value, tz)
    if date is None:
        message = (
            f"„date: {shown(field.value)}“ ist kein lesbares Datum; "
            "der Kommentar wird übersprungen."
        )
        return None, Problem(path, field.line, message, DATE_FIX + _hash_hint(field.value))
    return date, None


def _by_author(field: HeaderField | None, path: str) -> tuple[bool, Problem | None]:
    if field is None or not field.value:
        return False, None
    word = field.value.lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS, None
    return False, Problem(
        path,
        field.line,
        f"„by_author: {shown(field.value)}“ ist kein Ja/Nein-Wert; es gilt „false“.",
        "„by_author: true“ (Antwort des Autors) oder „by_author: false“ schreiben; "
        "erlaubt sind true/false, yes/no, ja/nein, 1/0." + _hash_hint(field.value),
    )


def _url(field: HeaderField | None, path: str) -> tuple[str | None, Problem | None]:
    if field is None or not field.value:
        return None, None
    url = safe_url(field.value)
    if url is None:
        return None, Problem(
            path,
            field.line,
            f"„url: {shown(field.value)}“ ist keine sichere http(s)-Adresse; "
            "der Link wird weggelassen.",
            "Eine vollständige Adresse wie „url: https://example.org/“ angeben (ohne "
            "Leerzeichen, ohne Benutzername) oder die Zeile löschen." + _hash_hint(field.value),
        )
    return url, None


def parse_comment(
    text: str,
    *,
    path: str,
    article_slug: str,
    comment_id: str,
    tz: tzinfo | None = None,
    max_length: int | None = None,
) -> tuple[Comment | None, list[Problem]]:
    """One comment file's text -> the Comment (None if it must be skipped) and its problems.

    A body longer than ``max_length`` characters is refused before anything else is done
    with it (so a huge file costs no rendering).
    """
    if tz is None:
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    text, removed = clean_text(text)
    header = read_header(text)
    fields, body, body_line = header.fields, header.body, header.body_line
    problems = _header_problems(header, path)
    if removed:
        problems.append(removed_problem(path, removed, "der Kommentar wird ohne sie gezeigt"))
    if max_length is not None and len(body) > max_length:
        return None, [*problems, _too_long(path, len(body), max_length, body_line)]
    known, field_problems = _known_fields(fields, path)
    problems += field_problems
    skip = False

    if not _ID.match(comment_id):
        skip = True
        problems.append(
            Problem(
                path,
                None,
                f"Der Dateiname „{comment_id}“ taugt nicht als Kennung (Anker #comment-…); "
                "der Kommentar wird übersprungen.",
                "Die Datei umbenennen: nur Buchstaben, Ziffern, - und _, z. B. „126.md“.",
            )
        )
    author = known.get("author")
    if author is None or not author.value:
        skip = True
        problems.append(
            Problem(
                path,
                author.line if author else 1,
                "Der Name („author“) fehlt; der Kommentar wird übersprungen.",
                "Eine Zeile „author: Name“ in den Kopf schreiben, z. B. „author: Kevin“.",
            )
        )
    date, date_problem = _date(known.get("date"), path, tz)
    if date_problem is not None:
        skip = True
        problems.append(date_problem)
    status_field = known.get("status")
    status = status_field.value.lower() if status_field and status_field.value else "approved"
    if status not in STATUSES:
        skip = True
        problems.append(
            Problem(
                path,
                status_field.line,
                f"Unbekannter Status „{shown(status_field.value)}“; "
                "der Kommentar wird übersprungen.",
                f"Einen dieser Werte verwenden: {', '.join(STATUSES)} (oder die Zeile löschen, "
                "dann gilt approved)." + _hash_hint(status_field.value),
            )
        )
    if not body.strip():
        skip = True
        problems.append(
            Problem(
                path,
                body_line,
                "Der Kommentar hat keinen Text; er wird übersprungen.",
                "Nach dem Kopf eine Leerzeile und dann den Text des Kommentars schreiben.",
            )
        )
    by_author, by_author_problem = _by_author(known.get("by_author"), path)
    url, url_problem = _url(known.get("url"), path)
    problems += [p for p in (by_author_problem, url_problem) if p is not None]
    if skip:
        return None, problems
    replyto = known.get("replyto")
    comment = Comment(
        id=comment_id,
        article_slug=article_slug,
        author=isolate_bidi(author.value),
        date=date,
        body=isolate_bidi(body),
        replyto=replyto.value if replyto and replyto.value else None,
        url=url,
        by_author=by_author,
        status=status,
        source_path=path,
    )
    return comment, problems


def read_comment_file(
    path: Path, *, article_slug: str, tz: tzinfo | None = None, max_length: int | None = None
) -> tuple[Comment | None, list[Problem]]:
    """Read and parse one comment file; the id is the file stem. A symbolic link is not
    followed (its target may lie outside content/: nothing of it is read or quoted)."""
    shown_path = str(path)
    if path.is_symlink():
        return None, [_symlink(path)]
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"Die Datei kann nicht gelesen werden ({error.strerror}); sie wird übersprungen."
        return None, [Problem(shown_path, None, message, "Dateirechte und Pfad prüfen.")]
    bad_line = first_bad_utf8_line(data)
    if bad_line is not None:
        return None, [
            Problem(
                shown_path,
                bad_line,
                "Die Datei ist nicht UTF-8-kodiert; der Kommentar wird übersprungen.",
                "Die Datei im Editor als UTF-8 speichern (z. B. `iconv -f latin1 -t utf-8`).",
            )
        ]
    return parse_comment(
        data.decode("utf-8"),
        path=shown_path,
        article_slug=article_slug,
        comment_id=path.stem,
        tz=tz,
        max_length=max_length,
    )


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def _is_comment_file(path: Path) -> bool:
    return path.suffix.lower() == ".md" and path.is_file()


def _read_article_folder(
    folder: Path, tz: tzinfo | None, max_length: int | None
) -> tuple[list[Comment], list[Problem]]:
    comments: list[Comment] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    entries = sorted(
        (entry for entry in folder.iterdir() if not _is_hidden(entry)),
        key=lambda entry: (id_key(entry.stem.lower()), entry.name),
    )
    for entry in entries:
        if entry.is_symlink():
            problems.append(_symlink(entry))
            continue
        if entry.is_dir():
            problems.append(
                Problem(
                    str(entry),
                    None,
                    "Unterordner werden nicht gelesen.",
                    f"Die Kommentare direkt in „{folder}“ ablegen.",
                )
            )
            continue
        if not _is_comment_file(entry):
            continue
        key = entry.stem.lower()
        if key in seen:
            problems.append(
                Problem(
                    str(entry),
                    None,
                    f"Die Kennung „{entry.stem}“ gibt es in diesem Ordner schon "
                    f"({seen[key].name}); dieser Kommentar wird übersprungen.",
                    "Die Datei umbenennen (der Dateiname ist die Kennung) oder löschen, "
                    "falls sie doppelt ist.",
                )
            )
            continue
        seen[key] = entry
        comment, found = read_comment_file(
            entry, article_slug=folder.name, tz=tz, max_length=max_length
        )
        problems += found
        if comment is not None:
            comments.append(comment)
    return comments, problems


def comment_folders(root: Path) -> tuple[list[Path], list[Problem]]:
    """The article folders under ``root``, sorted, and the problems of what else is there
    (symbolic links are reported, not followed; files beside the folders are skipped)."""
    folders: list[Path] = []
    problems: list[Problem] = []
    if root.is_symlink():
        return folders, [_symlink(root)]
    if not root.is_dir():
        return folders, problems
    for entry in sorted(root.iterdir(), key=lambda entry: entry.name):
        if _is_hidden(entry):
            continue
        if entry.is_symlink():
            problems.append(_symlink(entry))
        elif entry.is_dir():
            folders.append(entry)
        elif _is_comment_file(entry):
            problems.append(
                Problem(
                    str(entry),
                    None,
                    "Die Datei liegt nicht im Ordner eines Artikels; sie wird übersprungen.",
                    f"Die Datei nach „{root}/<slug-des-artikels>/“ verschieben.",
                )
            )
    return folders, problems


def read_folder(
    folder: Path, *, tz: tzinfo | None = None, max_length: int | None = None
) -> tuple[list[Comment], list[Problem]]:
    """The comments of one article folder, in display order, and the problems found."""
    comments, problems = _read_article_folder(folder, tz, max_length)
    return sorted(comments, key=display_order), problems


def load_comments(
    root: Path, *, tz: tzinfo | None = None, max_length: int | None = None
) -> tuple[dict[str, list[Comment]], list[Problem]]:
    """All comments under ``root/<article-slug>/<id>.md``, by slug, in display order.

    Symbolic links (the root, article folders, comment files) are reported, not followed.
    """
    by_slug: dict[str, list[Comment]] = {}
    folders, problems = comment_folders(root)
    for folder in folders:
        comments, found = read_folder(folder, tz=tz, max_length=max_length)
        problems += found
        if comments:
            by_slug[folder.name] = comments
    return by_slug, problems
