"""search: the Pagefind full-text index of articles and pages.

Pagefind (from PyPI, with its own binary) reads the written HTML: only regions marked
`data-pagefind-body` (article and page bodies) are indexed, with German stemming from
`<html lang="de">`. The index lives in output/pagefind/ and is served like any file.
Drafts are not indexed.

When Pelican has written the articles and pages (this plugin's generator comes right
after Pelican's own, so list it early in PLUGINS), the plugin knows what Pagefind would
read. In an incremental build (engine.incremental) where none of those pages was rendered
anew and their paths are the same, the last index is kept. Otherwise Pagefind runs at the
end (`finalized`), on the finished output folder (it hung now and then when it read while
the feeds and digests were being written). It is pointed (`--glob`) at the shapes of the
paths the articles and pages were written to, so it does not parse the thousand list, tag
and digest pages that have nothing to index.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys

from pelican import signals

from engine.incremental import IncrementalWriter

logger = logging.getLogger(__name__)
BUNDLE = "pagefind"  # Pagefind's folder in the output
STATE = "search"  # its entry in the incremental build's manifest
PAGEFIND_TIMEOUT = 600  # seconds; a Pagefind that hangs must not hang the build


def pagefind_command(output_path: str, glob: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", output_path, "--silent"]
    return [*command, "--glob", glob] if glob else command


_GLOB_SPECIAL = frozenset("*?[]{}!,\\")


def path_shape(relative: str) -> str | None:
    """``2015/06/slug/index.html`` -> ``*/*/*/index.html``; None if the name needs quoting."""
    *folders, name = relative.split("/")
    if not name.endswith(".html") or _GLOB_SPECIAL.intersection(name):
        return None
    return "*/" * len(folders) + name


def pagefind_glob(shapes: set[str | None]) -> str | None:
    """One glob for all shapes; None (Pagefind's default, every HTML file) if any is odd."""
    if not shapes or None in shapes:
        return None
    return "{" + ",".join(sorted(shapes)) + "}"


def matches_glob(relative: str, shapes: set[str | None]) -> bool:
    """Would Pagefind read ``relative`` with the glob of these shapes (all HTML if odd)?"""
    if not shapes or None in shapes:
        return relative.endswith(".html")
    return path_shape(relative) in shapes


class SearchGenerator:
    """Starts Pagefind once the articles and pages are written; waits for it at the end.

    Everything it knows lives on the instance, for one build: the shapes of the written
    article and page paths (``content_written``) and the running Pagefind process; its
    bound methods are connected for the length of the build and disconnected at the end.
    """

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings = settings
        self.output_path = output_path
        self.shapes: set[str | None] = set()
        self.pages: set[str] = set()
        self.command: list[str] | None = None
        self.incremental = None
        signals.content_written.connect(self.page_written)
        signals.finalized.connect(self.finish_index)

    def page_written(self, path, context):
        """Note the shape of every article and page output (the pages Pagefind indexes);
        drafts are not published, so they are not searchable either."""
        if not context or ("article" not in context and "page" not in context):
            return
        content = context.get("article") or context.get("page")
        if getattr(content, "status", None) == "draft":
            return
        try:
            relative = os.path.relpath(path, self.output_path)
        except ValueError:
            self.shapes.add(None)
            return
        relative = relative.replace(os.sep, "/")
        shape = None if relative.startswith("..") else path_shape(relative)
        self.shapes.add(shape)
        self.pages.add(relative)

    def generate_output(self, writer):
        """The articles and pages are written: decide whether the index must be rebuilt."""
        signals.content_written.disconnect(self.page_written)
        settings = self.settings
        glob = pagefind_glob(self.shapes)
        incremental = writer.incremental if isinstance(writer, IncrementalWriter) else None
        state = {"glob": glob, "pages": sorted(self.pages), "keep": [BUNDLE]}
        if settings["SEARCH_INDEX"] and incremental and self.index_is_current(incremental, state):
            incremental.keep_state(STATE, state)
            logger.info("Suchindex unverändert: keine indizierte Seite hat sich geändert")
            return
        shutil.rmtree(os.path.join(self.output_path, BUNDLE), ignore_errors=True)
        if not settings["SEARCH_INDEX"]:
            return
        if importlib.util.find_spec("pagefind") is None:
            logger.warning(
                "Der Suchindex wurde nicht gebaut: Pagefind ist nicht installiert. So beheben: "
                "`make venv` ausführen (installiert pagefind[extended] aus requirements.txt)."
            )
            return
        self.command = pagefind_command(str(self.output_path), glob)
        self.incremental = incremental
        if incremental:
            incremental.keep_state(STATE, state)

    def index_is_current(self, incremental, state) -> bool:
        """The last build's index is still right: Pagefind read the same pages (by path
        glob) and none of them was rendered anew (so their bytes are the same)."""
        return (
            state["glob"] is not None
            and incremental.previous_state(STATE) == state
            and incremental.unchanged(self.pages)
            and os.path.isfile(os.path.join(self.output_path, BUNDLE, "pagefind.js"))
        )

    def finish_index(self, pelican):
        """finalized: everything is written; Pagefind indexes the finished output folder."""
        signals.content_written.disconnect(self.page_written)
        signals.finalized.disconnect(self.finish_index)
        command, self.command = self.command, None
        if command is None:
            return
        if self.incremental:  # Pagefind must not find last build's pages that are gone now
            self.incremental.remove_unwritten(lambda name: matches_glob(name, self.shapes))
        try:
            result = subprocess.run(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                timeout=PAGEFIND_TIMEOUT,
                check=False,
            )
            status, output = result.returncode, result.stdout
        except subprocess.TimeoutExpired as error:
            status, output = "Zeitüberschreitung", str(error.output or "")
        if status != 0:
            # No half index is kept: the next build indexes again.
            shutil.rmtree(os.path.join(self.output_path, BUNDLE), ignore_errors=True)
            logger.warning(
                "Pagefind ist gescheitert (%s); die Suche funktioniert nicht. "
                "So beheben: die Meldung lesen und neu bauen: %s",
                status,
                (output or "").strip()[-2000:],
            )


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
