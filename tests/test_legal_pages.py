"""Impressum and Datenschutz from the IMPRESSUM_* settings; `make publish` refuses placeholders."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.support.sitebuild import ROOT, SITES, build

pytestmark = pytest.mark.build


def legal_site(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "legal", site)
    (site / "content/pages").mkdir()
    for name in ("impressum.md", "datenschutz.md"):
        shutil.copy(ROOT / "content/pages" / name, site / "content/pages" / name)
    return site


def test_pages_show_the_owner_from_the_settings(tmp_path):
    result = build(legal_site(tmp_path), tmp_path / "output", settings="QUALITY_STRICT = True")
    assert result.returncode == 0, result.log
    impressum = result.html("impressum/index.html").main
    text = re.sub(r"\s+", " ", impressum.get_text(" "))
    assert "Erika Probe" in text and "Lindenallee 7" in text and "54321 Probstadt" in text
    assert impressum.find("a", href="mailto:erika@probe-blog.test") is not None
    assert impressum.find("a", href="tel:+4930987654").get_text() == "+49 30 987654"
    assert "Musterstraße" not in text and "Kontaktformular" not in text
    assert "§ 5 DDG" in text.replace("\u00a0", " ")
    privacy = result.html("datenschutz/index.html").main
    headings = [h.get_text(strip=True) for h in privacy.find_all("h2")]
    for needed in (
        "Verantwortlicher",
        "Protokolldateien des Webservers",
        "Kommentare",
        "Benachrichtigung über Antworten",
        "Newsletter",
    ):
        assert needed in headings, needed
    assert "Erika Probe" in privacy.get_text() and "Kontaktformular" not in privacy.get_text()
    assert privacy.find("a", href="mailto:erika@probe-blog.test") is not None


def test_strict_build_fails_while_the_impressum_holds_placeholders(tmp_path):
    result = build(
        legal_site(tmp_path),
        tmp_path / "output",
        settings='QUALITY_STRICT = True\nIMPRESSUM_ADDRESS = ["Musterstraße 1", "12345 Musterstadt"]',
    )
    assert result.returncode != 0
    assert "Traceback" not in result.log
    line = next(line for line in result.stderr.splitlines() if "IMPRESSUM_ADDRESS" in line)
    assert "content/pages/impressum.md" in line and "Platzhalter" in line
    assert "pelicanconf.py" in result.stderr


def test_missing_details_are_shown_in_the_preview_and_fail_publish(tmp_path):
    settings = "IMPRESSUM_EMAIL = None"
    preview = build(legal_site(tmp_path), tmp_path / "preview", settings=settings)
    assert preview.returncode == 0, preview.log
    missing = preview.html("impressum/index.html").select(".legal-missing")
    assert [m.get_text() for m in missing] == ["IMPRESSUM_EMAIL fehlt (pelicanconf.py)"]
    strict = build(
        legal_site(tmp_path / "b"),
        tmp_path / "strict",
        settings=settings + "\nQUALITY_STRICT = True",
    )
    assert strict.returncode != 0 and "IMPRESSUM_EMAIL" in strict.stderr


def test_a_bad_value_stops_the_build(tmp_path):
    result = build(legal_site(tmp_path), tmp_path / "output", settings='IMPRESSUM_EMAIL = "kein"')
    assert result.returncode != 0
    assert "- IMPRESSUM_EMAIL = 'kein'" in result.stderr and "erlaubt:" in result.stderr
