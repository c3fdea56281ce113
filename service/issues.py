"""Reading a digest the build wrote: ``<OUTPUT_PATH>/newsletter/<issue>/digest.json``. Pure.

The contract: ``digest.json`` names the subject, the e-mail HTML and text files (beside
it) and the placeholder that stands where each subscriber's unsubscribe URL goes. The
newest digest is the one with the largest (year, week).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from service.errors import CommandError

ISSUE = re.compile(r"^(?P<year>\d{4})-kw(?P<week>\d{2})$")


class DigestError(CommandError):
    """The digest cannot be sent as it is: a message with the fix, exit status 2."""


@dataclass(frozen=True)
class Digest:
    issue: str
    subject: str
    text: str
    html: str
    placeholder: str
    folder: Path


def _issue_key(name: str) -> tuple[int, int] | None:
    match = ISSUE.match(name)
    return (int(match["year"]), int(match["week"])) if match else None


def newest_issue(output_path: Path) -> str | None:
    found = [
        (key, path.parent.name)
        for path in (output_path / "newsletter").glob("*/digest.json")
        if (key := _issue_key(path.parent.name)) is not None
    ]
    return max(found)[1] if found else None


def load_digest(output_path: Path, issue: str | None = None) -> Digest:
    """The digest ``issue`` (e.g. "2026-kw48"), or the newest one when None."""
    build_hint = "Zuerst die Website bauen (`make html` bzw. `make publish`)."
    if issue is None:
        issue = newest_issue(output_path)
        if issue is None:
            raise DigestError(
                f"In {output_path / 'newsletter'} gibt es keinen Wochenrückblick "
                f"(…/<JJJJ>-kw<WW>/digest.json). {build_hint}"
            )
    elif _issue_key(issue) is None:
        raise DigestError(
            f"„{issue}“ ist keine Ausgabe. So beheben: sie als JJJJ-kwWW angeben, "
            "z. B. ISSUE=2026-kw48."
        )
    folder = output_path / "newsletter" / issue
    manifest = folder / "digest.json"
    if not manifest.is_file():
        raise DigestError(f"Den Wochenrückblick {issue} gibt es nicht ({manifest}). {build_hint}")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        subject = data["subject"]
        placeholder = data["unsubscribe_placeholder"]
        parts = {kind: folder / Path(data[kind]).name for kind in ("text", "html")}
        bodies = {kind: path.read_text(encoding="utf-8") for kind, path in parts.items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DigestError(
            f"{manifest} ist unvollständig oder unlesbar ({type(error).__name__}: {error}). "
            f"{build_hint}"
        ) from error
    if not isinstance(subject, str) or not subject.strip() or "\n" in subject or "\r" in subject:
        raise DigestError(f"{manifest}: der Betreff fehlt oder ist mehrzeilig. {build_hint}")
    if not isinstance(placeholder, str) or not placeholder:
        raise DigestError(f"{manifest}: „unsubscribe_placeholder“ fehlt. {build_hint}")
    for kind, body in bodies.items():
        if placeholder not in body:
            raise DigestError(
                f"{parts[kind]} enthält den Platzhalter {placeholder} nicht: die Mail hätte "
                f"keinen Abmeldelink und wird nicht verschickt. {build_hint}"
            )
    return Digest(
        issue=issue,
        subject=subject.strip(),
        text=bodies["text"],
        html=bodies["html"],
        placeholder=placeholder,
        folder=folder,
    )
