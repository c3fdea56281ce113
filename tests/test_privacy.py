"""No e-mail or IP address of a commenter or subscriber in content/ or output/."""

from __future__ import annotations

import re
import runpy

import pytest

from tests.support.sitebuild import ROOT

pytestmark = pytest.mark.build

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# The site owner's own addresses are published on purpose (mailto: "Antworten", Impressum).
OWNER = {"kommentare@ideequadrat.org"} | {
    value
    for value in [runpy.run_path(str(ROOT / "pelicanconf.py")).get("IMPRESSUM_EMAIL")]
    if value
}


def text_files(root):
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".html", ".xml", ".txt", ".json", ".svg", ""}:
            yield path


def addresses(text: str) -> set[str]:
    found = set(EMAIL.findall(text)) - OWNER
    found |= {ip for ip in IPV4.findall(text) if all(int(part) <= 255 for part in ip.split("."))}
    return found


def test_no_address_in_content():
    for path in text_files(ROOT / "content"):
        assert not addresses(path.read_text(encoding="utf-8", errors="replace")), path


def test_no_address_in_output(real_site):
    checked = 0
    for path in text_files(real_site.output):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not addresses(text), (path, addresses(text))
        checked += 1
    assert checked > 20
