"""search: the Pagefind full-text index of articles and pages, built on every build.

Pagefind (from PyPI, with its own binary) reads the written HTML: only regions marked
`data-pagefind-body` (article and page bodies) are indexed, with German stemming from
`<html lang="de">`. The index lives in output/pagefind/ and is served like any file.

Pagefind starts as soon as Pelican has written the articles and pages (this plugin's
generator comes right after Pelican's own, so list it early in PLUGINS) and indexes on
the second core while the feeds and digests are written; the build waits for it at the
end (`finalized`).
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys

from pelican import signals

logger = logging.getLogger(__name__)


def pagefind_command(output_path: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", output_path, "--silent"]


JOB_KEY = "_search_pagefind"  # the running Pagefind process, for the length of one build


class SearchGenerator:
    """Starts Pagefind once the articles and pages are written."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.settings = settings
        self.output_path = output_path

    def generate_output(self, writer):
        settings = self.settings
        if not settings.get("SEARCH_INDEX", True):
            return
        if importlib.util.find_spec("pagefind") is None:
            logger.warning(
                "Der Suchindex wurde nicht gebaut: Pagefind ist nicht installiert. So beheben: "
                "`make venv` ausführen (installiert pagefind[extended] aus requirements.txt)."
            )
            return
        settings[JOB_KEY] = subprocess.Popen(
            pagefind_command(str(self.output_path)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


def get_generators(pelican):
    return SearchGenerator


def finish_index(pelican):
    process = pelican.settings.pop(JOB_KEY, None)
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


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finish_index)
