"""Which articles exist and take comments: the manifest the build writes
(``rundbrief.comments.manifest``, ``<output>/comments/articles.json``).

Read again whenever the file changes (its modification time and size), so a rebuild that
opens or closes an article's comments counts at once, without restarting the service.
The cache lives on the ``Articles`` object the service owns, never in the module.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from rundbrief.comments.manifest import (
    MANIFEST_PATH,
    ArticleEntry,
    ManifestError,
    read_manifest,
)

logger = logging.getLogger(__name__)


class Articles:
    def __init__(self, output_path: Path) -> None:
        self.output_path = output_path
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._entries: dict[str, ArticleEntry] = {}
        self.version = 0  # counts the readings of a changed manifest

    def _current(self) -> dict[str, ArticleEntry]:
        path = self.output_path / MANIFEST_PATH
        try:
            stat = path.stat()
        except OSError:
            return read_manifest(self.output_path)  # raises ManifestError with the fix
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key != self._key:
                self._entries = read_manifest(self.output_path)
                self._key = key
                self.version += 1
            return self._entries

    def get(self, slug: str) -> ArticleEntry | None:
        """The article, or None if there is none by that slug (or no manifest yet)."""
        try:
            return self._current().get(slug)
        except ManifestError as error:
            logger.warning("Kommentare: %s", error)
            return None

    def all(self) -> dict[str, ArticleEntry]:
        return self._current()
