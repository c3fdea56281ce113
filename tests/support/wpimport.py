"""Running the WordPress importer as a user does, in a subprocess (shared by its tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from tests.support.sitebuild import ROOT
from wpimport import shortcodes
from wpimport.plan import footnotes

FIXTURES = ROOT / "tests" / "fixtures" / "wxr"


def run_import(site: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "wpimport", *args],
        cwd=site,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


WORD = re.compile(r"\w{4,}")


def source_words(item) -> set[str]:
    """The words (4 letters and more) a reader saw in a WordPress item: its content with
    shortcodes handled, without scripts, styles and captions, plus its footnotes."""
    notes = " ".join(text for _, text in footnotes(item.meta.get("footnotes", "")))
    html = shortcodes.process(item.content).content + " " + notes
    source = BeautifulSoup(html, "lxml")
    for hidden in source.select("script, style, figcaption"):
        hidden.decompose()
    return set(WORD.findall(source.get_text(" ")))


def missing_words(item, page_html: str) -> list[str]:
    """The words of ``item`` that its built page does not show."""
    soup = BeautifulSoup(page_html, "lxml")
    body = soup.select_one(".article-body") or soup.select_one("article.page") or soup
    return sorted(source_words(item) - set(WORD.findall(body.get_text(" "))))
