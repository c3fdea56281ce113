"""Writing the files, safe to re-run: a manifest of checksums tells edited files apart.

``content/.wpimport.json`` maps each path the importer wrote (relative to content/) to
the SHA-256 of what it wrote. On a later run a file is

- written when it is missing ("neu"),
- left alone when it already holds exactly the new text ("unverändert"),
- replaced when it still holds what the importer wrote last time ("aktualisiert"),
- left alone when the author edited it since ("von Hand geändert"), unless ``force``
  is given ("überschrieben (--force)"),
- always left alone when the importer never wrote it ("nicht vom Import"): that file
  belongs to the author, ``force`` or not.

Nothing touches the disk in a dry run. The manifest is rewritten only when it changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from rundbrief.files import write_atomic

MANIFEST = ".wpimport.json"
NEW = "neu"
UPDATED = "aktualisiert"
UNCHANGED = "unverändert"
EDITED = "von Hand geändert"
FOREIGN = "nicht vom Import"
FORCED = "überschrieben (--force)"
OUTCOMES = (NEW, UPDATED, UNCHANGED, EDITED, FOREIGN, FORCED)
KEPT = (EDITED, FOREIGN)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Manifest:
    path: Path
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    problem: str = ""  # why an existing manifest could not be read
    _saved: str = ""

    @classmethod
    def load(cls, content: Path) -> Manifest:
        path = content / MANIFEST
        manifest = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return manifest
        except OSError as error:
            manifest.problem = f"{path}: nicht lesbar ({error.strerror})"
            return manifest
        try:
            data = json.loads(text)
            files = data["files"]
            if not isinstance(files, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            manifest.problem = (
                f"{path}: beschädigt; alle vorhandenen Dateien gelten als von Hand geändert"
            )
            return manifest
        manifest.files = {str(key): str(value) for key, value in files.items()}
        manifest._saved = text
        return manifest

    def text(self) -> str:
        data = {
            "about": "Von `make import` geschriebene Dateien und ihre SHA-256-Prüfsummen; "
            "erkennt beim nächsten Import, was von Hand geändert wurde.",
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def save(self) -> bool:
        text = self.text()
        if text == self._saved:
            return False
        write_atomic(self.path, text.encode("utf-8"))
        self._saved = text
        return True


class Writer:
    """Writes (or, in a dry run, only judges) one file after the other."""

    def __init__(self, content: Path, *, force: bool = False, dry_run: bool = False) -> None:
        self.content = content
        self.force = force
        self.dry_run = dry_run
        self.manifest = Manifest.load(content)

    def write(self, relative: str, text: str) -> str:
        """Write ``text`` to ``content/relative`` if allowed; return the outcome."""
        data = text.encode("utf-8")
        checksum = sha256(data)
        path = self.content / relative
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            current = None
        if current is None:
            outcome = NEW
        elif current == data:
            self.manifest.files[relative] = checksum
            return UNCHANGED
        elif relative not in self.manifest.files:
            return FOREIGN
        elif self.manifest.files[relative] == sha256(current):
            outcome = UPDATED
        elif self.force:
            outcome = FORCED
        else:
            return EDITED
        if not self.dry_run:
            write_atomic(path, data)
        self.manifest.files[relative] = checksum
        return outcome

    def choose(self, relatives: list[str], text: str) -> str:
        """The first of ``relatives`` this import may use for ``text``.

        A path the importer wrote before wins (so the choice is stable across runs),
        then a free path or one that already holds ``text``; a file of the author's
        own is never taken. Falls back to the first path (reported as "nicht vom Import").
        """
        for relative in relatives:
            if relative in self.manifest.files:
                return relative
        data = text.encode("utf-8")
        for relative in relatives:
            path = self.content / relative
            if not path.exists():
                return relative
            try:
                if path.read_bytes() == data:
                    return relative
            except OSError:
                continue
        return relatives[0]

    def finish(self) -> None:
        if not self.dry_run:
            self.manifest.save()
