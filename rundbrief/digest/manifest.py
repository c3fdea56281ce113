"""The build→sender contract of the weekly digest, in one place. Pure (no Pelican).

The build (plugins/newsletter) writes digests with it; the sender (``python -m service
send``), the preview (``make newsletter``) and the digest feed read them with it; the
README describes it.

**Where.** ``<OUTPUT_PATH>/<NEWSLETTER_PATH>/<JJJJ>-kw<WW>/`` (``digest_root``,
``issue_name``) holds ``email.html``, ``email.txt`` and ``digest.json`` (the web version
``index.html`` beside them is not part of the contract). The newest issue is the folder
with the largest (year, week) that has a ``digest.json`` (``newest_issue``).

**digest.json** (``FORMAT`` 2)::

    {"format": 2, "issue": "2015-kw25", "year": 2015, "week": 25,
     "subject": "…", "preheader": "…", "web_url": "https://…/newsletter/2015-kw25/",
     "articles": [{"title": "…", "url": "https://…"}],
     "html": "email.html", "text": "email.txt",
     "unsubscribe": {"placeholder": "https://abmelden.invalid/<64 hex digits>",
                     "html": 1, "text": 1}}

**The personal unsubscribe link** goes exactly where the e-mail template puts it, and
nowhere else. The template writes a slot (``new_slot()``: a random URL made for this
one rendering) where the link belongs; ``Digest.seal`` replaces the slot with the
digest's placeholder, ``https://abmelden.invalid/`` plus the SHA-256 of both bodies with
the slot taken out, and records how often it stands in each body. Article or comment
text cannot contain that placeholder (it would have to contain the hash of itself), and
text that looks like an older placeholder (``%%UNSUBSCRIBE_URL%%``,
``https://abmelden.invalid/UNSUBSCRIBE_URL``) is just text. ``load_digest`` checks count
and hash, so a digest that does not match is refused, never half-personalised. The
placeholder is a valid URL on the reserved ``.invalid`` domain: harmless if unreplaced.
"""

from __future__ import annotations

import hashlib
import html as html_escaping
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rundbrief.errors import CommandError

FORMAT = 2
MANIFEST = "digest.json"
HTML = "email.html"
TEXT = "email.txt"
DEFAULT_PATH = "newsletter"
PLACEHOLDER_BASE = "https://abmelden.invalid/"
_SLOT_BASE = PLACEHOLDER_BASE + "slot-"
ISSUE = re.compile(r"^(?P<year>\d{4})-kw(?P<week>\d{2})$")
_PLACEHOLDER = re.compile(re.escape(PLACEHOLDER_BASE) + r"[0-9a-f]{64}")
BUILD_HINT = "Zuerst die Website bauen (`make html` bzw. `make publish`)."


class DigestError(CommandError):
    """A digest cannot be written or sent as it is: a German message with the fix, exit 2."""


# -- where ----------------------------------------------------------------------------
def is_digest_path(value: Any) -> bool:
    """NEWSLETTER_PATH: a folder inside the output, e.g. 'newsletter' or 'a/b' (no / around)."""
    if not isinstance(value, str) or not value or value != value.strip("/ ") or "\\" in value:
        return False
    return all(part not in ("", ".", "..") for part in value.split("/"))


def site_path(newsletter_path: str) -> str:
    """The folder as it appears in URLs and below the output: 'newsletter' (no slashes)."""
    return newsletter_path.strip("/")


def digest_root(output_path: str | Path, newsletter_path: str) -> Path:
    """``<OUTPUT_PATH>/<NEWSLETTER_PATH>``: the folder with one subfolder per issue."""
    return Path(output_path) / site_path(newsletter_path)


def issue_name(year: int, week: int) -> str:
    """2015-kw25"""
    return f"{year}-kw{week:02d}"


def issue_key(name: str) -> tuple[int, int] | None:
    """(2015, 25) for '2015-kw25'; None for anything else."""
    match = ISSUE.match(name)
    return (int(match["year"]), int(match["week"])) if match else None


def issues(root: Path) -> list[str]:
    """Every issue below ``root`` that has a digest.json, oldest first."""
    found = [
        (key, path.parent.name)
        for path in Path(root).glob(f"*/{MANIFEST}")
        if (key := issue_key(path.parent.name)) is not None
    ]
    return [name for _, name in sorted(found)]


def newest_issue(root: Path) -> str | None:
    """The issue with the largest (year, week) below ``root``, or None."""
    found = issues(root)
    return found[-1] if found else None


# -- the unsubscribe slot -------------------------------------------------------------
def new_slot() -> str:
    """A random URL for the template to put where the unsubscribe link goes (one rendering)."""
    return _SLOT_BASE + secrets.token_hex(16)


def placeholder_for(html: str, text: str) -> str:
    """The placeholder of the bodies ``html`` and ``text`` (each without it)."""
    digest = hashlib.sha256()
    digest.update(html.encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return PLACEHOLDER_BASE + digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Digest:
    """One issue as the build wrote it and the sender sends it."""

    issue: str
    year: int
    week: int
    subject: str
    preheader: str
    web_url: str
    articles: tuple[tuple[str, str], ...]  # (title, absolute URL)
    html: str  # the e-mail HTML, with ``placeholder`` where the link goes
    text: str  # the plain-text e-mail, likewise
    placeholder: str
    folder: Path | None = None  # where it was read from

    @classmethod
    def seal(
        cls,
        *,
        year: int,
        week: int,
        subject: str,
        preheader: str,
        web_url: str,
        articles: Iterable[tuple[str, str]],
        html: str,
        text: str,
        slot: str,
    ) -> Digest:
        """The digest whose bodies were rendered with ``slot`` where the link goes."""
        if not slot.startswith(_SLOT_BASE) or len(slot) < len(_SLOT_BASE) + 32:
            raise ValueError("slot: use new_slot()")
        for name, body in (("HTML", html), ("Text", text)):
            if slot not in body:
                raise DigestError(
                    f"Die {name}-Vorlage des Wochenrückblicks setzt keinen Abmeldelink. "
                    "So beheben: in der Vorlage den Link {{ unsubscribe_url }} einfügen."
                )
        placeholder = placeholder_for(html.replace(slot, ""), text.replace(slot, ""))
        return cls(
            issue=issue_name(year, week),
            year=year,
            week=week,
            subject=subject,
            preheader=preheader,
            web_url=web_url,
            articles=tuple((title, url) for title, url in articles),
            html=html.replace(slot, placeholder),
            text=text.replace(slot, placeholder),
            placeholder=placeholder,
        )

    # -- what the sender and the feed do with it ----------------------------------------
    def personal(self, unsubscribe_url: str) -> tuple[str, str]:
        """(HTML, text) with ``unsubscribe_url`` where the template put the link."""
        escaped = html_escaping.escape(unsubscribe_url, quote=True)
        return (
            self.html.replace(self.placeholder, escaped),
            self.text.replace(self.placeholder, unsubscribe_url),
        )

    def manifest(self) -> dict[str, Any]:
        """The content of digest.json."""
        return {
            "format": FORMAT,
            "issue": self.issue,
            "year": self.year,
            "week": self.week,
            "subject": self.subject,
            "preheader": self.preheader,
            "web_url": self.web_url,
            "articles": [{"title": title, "url": url} for title, url in self.articles],
            "html": HTML,
            "text": TEXT,
            "unsubscribe": {
                "placeholder": self.placeholder,
                "html": self.html.count(self.placeholder),
                "text": self.text.count(self.placeholder),
            },
        }

    def write(self, root: Path) -> Path:
        """email.html, email.txt and digest.json into ``root/<issue>/``; returns that folder."""
        folder = Path(root) / self.issue
        folder.mkdir(parents=True, exist_ok=True)
        manifest = json.dumps(self.manifest(), ensure_ascii=False, indent=2) + "\n"
        for name, body in ((HTML, self.html), (TEXT, self.text), (MANIFEST, manifest)):
            with open(folder / name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(body)
        return folder


def folder_hash(folder: Path) -> str | None:
    """SHA-256 over an issue folder's email.html, email.txt and digest.json; None if one
    of them cannot be read (to tell whether a folder is still as the build wrote it)."""
    digest = hashlib.sha256()
    for name in (HTML, TEXT, MANIFEST):
        try:
            data = (Path(folder) / name).read_bytes()
        except OSError:
            return None
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


# -- reading --------------------------------------------------------------------------
def _checked(manifest_path: Path, data: Any, html: str, text: str) -> str:
    """The placeholder, if digest.json and the bodies agree; DigestError otherwise."""
    unsubscribe = data.get("unsubscribe") if isinstance(data, dict) else None
    placeholder = unsubscribe.get("placeholder") if isinstance(unsubscribe, dict) else None
    if data.get("format") != FORMAT or not isinstance(placeholder, str):
        raise DigestError(
            f"{manifest_path} hat nicht das Format {FORMAT} (Abmeldelink fehlt). {BUILD_HINT}"
        )
    if not _PLACEHOLDER.fullmatch(placeholder):
        raise DigestError(f"{manifest_path}: der Platzhalter ist ungültig. {BUILD_HINT}")
    for kind, body in (("html", html), ("text", text)):
        count = body.count(placeholder)
        if count < 1 or count != unsubscribe.get(kind):
            raise DigestError(
                f"{manifest_path.parent / data[kind]}: der Abmeldelink steht {count}-mal darin, "
                f"digest.json sagt {unsubscribe.get(kind)!r}. Die Mail wird nicht verschickt. "
                f"{BUILD_HINT}"
            )
    if placeholder_for(html.replace(placeholder, ""), text.replace(placeholder, "")) != placeholder:
        raise DigestError(
            f"{manifest_path.parent}: email.html oder email.txt wurde nach dem Build geändert. "
            f"Die Mail wird nicht verschickt. {BUILD_HINT}"
        )
    return placeholder


def load_digest(root: Path, issue: str | None = None) -> Digest:
    """The digest ``issue`` (e.g. "2026-kw48") below ``root``, or the newest one when None."""
    root = Path(root)
    if issue is None:
        issue = newest_issue(root)
        if issue is None:
            raise DigestError(
                f"In {root} gibt es keinen Wochenrückblick (…/<JJJJ>-kw<WW>/{MANIFEST}). "
                f"{BUILD_HINT} Gibt es veröffentlichte Artikel? Stimmt NEWSLETTER_PATH?"
            )
    key = issue_key(issue)
    if key is None:
        raise DigestError(
            f"„{issue}“ ist keine Ausgabe. So beheben: sie als JJJJ-kwWW angeben, "
            "z. B. ISSUE=2026-kw48."
        )
    folder = root / issue
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise DigestError(
            f"Den Wochenrückblick {issue} gibt es nicht ({manifest_path}). {BUILD_HINT}"
        )
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
        subject = data["subject"]
        html = (folder / Path(data["html"]).name).read_text(encoding="utf-8")
        text = (folder / Path(data["text"]).name).read_text(encoding="utf-8")
        articles = tuple((item["title"], item["url"]) for item in data["articles"])
        fields = (data["preheader"], data["web_url"], data["year"], data["week"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DigestError(
            f"{manifest_path} ist unvollständig oder unlesbar ({type(error).__name__}: {error}). "
            f"{BUILD_HINT}"
        ) from error
    if not isinstance(subject, str) or not subject.strip() or "\n" in subject or "\r" in subject:
        raise DigestError(f"{manifest_path}: der Betreff fehlt oder ist mehrzeilig. {BUILD_HINT}")
    if (fields[2], fields[3]) != key:
        raise DigestError(f"{manifest_path}: Jahr und Woche passen nicht zu {issue}. {BUILD_HINT}")
    placeholder = _checked(manifest_path, data, html, text)
    return Digest(
        issue=issue,
        year=key[0],
        week=key[1],
        subject=subject.strip(),
        preheader=str(fields[0]),
        web_url=str(fields[1]),
        articles=articles,
        html=html,
        text=text,
        placeholder=placeholder,
        folder=folder,
    )
