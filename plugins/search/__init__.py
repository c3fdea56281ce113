"""search: the Pagefind full-text index of articles and pages, built after every build.

Pagefind (from PyPI, with its own binary) reads the written HTML: only regions marked
`data-pagefind-body` (article and page bodies) are indexed, with German stemming from
`<html lang="de">`. The index lives in output/pagefind/ and is served like any file.
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


def build_index(pelican):
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    if importlib.util.find_spec("pagefind") is None:
        logger.warning(
            "Der Suchindex wurde nicht gebaut: Pagefind ist nicht installiert. So beheben: "
            "`make venv` ausführen (installiert pagefind[extended] aus requirements.txt)."
        )
        return
    result = subprocess.run(
        pagefind_command(str(pelican.output_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        logger.warning(
            "Pagefind ist mit Status %s gescheitert; die Suche funktioniert nicht. "
            "So beheben: die Meldung lesen: %s",
            result.returncode,
            (result.stderr or result.stdout).strip()[-2000:],
        )


def register():
    signals.finalized.connect(build_index)
