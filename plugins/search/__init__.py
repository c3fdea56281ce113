"""search: the Pagefind full-text index of articles and pages, built on every build.

Pagefind (from PyPI, with its own binary) reads the written HTML: only regions marked
`data-pagefind-body` (article and page bodies) are indexed, with German stemming from
`<html lang="de">`. The index lives in output/pagefind/ and is served like any file.

Pagefind starts as soon as Pelican has written the articles and pages (this plugin's
generator comes right after Pelican's own, so list it early in PLUGINS) and indexes on
the second core while the feeds and digests are written; the build waits for it at the
end (`finalized`). It is pointed (`--glob`) at the shapes of the paths the articles and
pages were written to, so it does not parse the thousand list, tag and digest pages that
have nothing to index.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys

from pelican import signals

logger = logging.getLogger(__name__)


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
        self.process: subprocess.Popen | None = None
        signals.content_written.connect(self.page_written)
        signals.finalized.connect(self.finish_index)

    def page_written(self, path, context):
        """Note the shape of every article and page output (the pages Pagefind indexes)."""
        if not context or ("article" not in context and "page" not in context):
            return
        try:
            relative = os.path.relpath(path, self.output_path)
        except ValueError:
            self.shapes.add(None)
            return
        shape = None if relative.startswith("..") else path_shape(relative.replace(os.sep, "/"))
        self.shapes.add(shape)

    def generate_output(self, writer):
        signals.content_written.disconnect(self.page_written)
        settings = self.settings
        if not settings["SEARCH_INDEX"]:
            return
        if importlib.util.find_spec("pagefind") is None:
            logger.warning(
                "Der Suchindex wurde nicht gebaut: Pagefind ist nicht installiert. So beheben: "
                "`make venv` ausführen (installiert pagefind[extended] aus requirements.txt)."
            )
            return
        self.process = subprocess.Popen(
            pagefind_command(str(self.output_path), pagefind_glob(self.shapes)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish_index(self, pelican):
        signals.content_written.disconnect(self.page_written)
        signals.finalized.disconnect(self.finish_index)
        process, self.process = self.process, None
        if process is None:
            return
        output, _ = process.communicate()
        if process.returncode != 0:
            logger.warning(
                "Pagefind ist mit Status %s gescheitert; die Suche funktioniert nicht. "
                "So beheben: die Meldung lesen: %s",
                process.returncode,
                (output or "").strip()[-2000:],
            )


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
