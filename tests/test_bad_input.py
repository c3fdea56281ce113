"""Broken content and broken settings are reported with file, line and fix (tests/sites/)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.build

EXPECTED = {
    # file: (line, words of the message)
    "content/articles/kaputtes-datum.md": (2, "kein lesbares Datum"),
    "content/articles/ohne-titel.md": (1, "Der Titel fehlt"),
    "content/articles/falscher-status.md": (4, "Unbekannter Status „veröffentlicht“"),
    "content/articles/latin1.md": (5, "nicht UTF-8"),
    "content/articles/ohne-datum.md": (1, "Das Datum fehlt"),
}


def one_line(log: str) -> str:
    """Pelican's console handler wraps long lines; join them back for matching."""
    return re.sub(r"\s+", " ", log)


def test_each_problem_is_reported_and_the_rest_is_built(scenario):
    result = scenario("bad-input")
    assert result.returncode == 0, result.log
    log = one_line(result.log)
    for path, (line, words) in EXPECTED.items():
        assert f"{path}:{line}: " in log, path
        assert words in log, words
    assert log.count("So beheben:") == len(EXPECTED)
    assert "Traceback" not in result.log
    built = [p.relative_to(result.output).as_posix() for p in result.pages()]
    assert "2024/03/ein-gueltiger-beitrag-ueber-groesse/index.html" in built
    assert "seite/index.html" in built  # pages need no date
    articles = [p for p in built if re.fullmatch(r"\d{4}/\d{2}/[^/]+/index.html", p)]
    assert articles == ["2024/03/ein-gueltiger-beitrag-ueber-groesse/index.html"]


def test_strict_build_fails_and_lists_every_problem(scenario):
    result = scenario("bad-input", settings="QUALITY_STRICT = True")
    assert result.returncode != 0
    summary = result.stderr.split("Build fehlgeschlagen", 1)[1]
    for path in EXPECTED:
        assert path in summary
    assert "Traceback" not in result.log


def test_strict_build_of_clean_content_succeeds(scenario):
    result = scenario("minimal", settings="QUALITY_STRICT = True")
    assert result.returncode == 0, result.log


def test_bad_settings_stop_the_build_naming_every_setting(scenario):
    result = scenario("bad-settings")
    assert result.returncode != 0
    assert "Traceback" not in result.log
    for name, value in [
        ("TIMEZONE", "'Europe/Nirgendwo'"),
        ("DEFAULT_PAGINATION", "'zehn'"),
        ("SHARE_LINKS", "'myspace'"),
        ("QUALITY_STRICT", "'ja'"),
    ]:
        line = next(line for line in result.stderr.splitlines() if f"- {name} = " in line)
        assert value in line and "erlaubt:" in line
    assert not (result.output / "index.html").exists()


def test_publishconf_reads_siteurl_from_environment_and_is_strict(scenario):
    result = scenario("minimal", base="publishconf", env={"SITEURL": "https://blog.example.test"})
    assert result.returncode == 0, result.log
    soup = result.html("2024/03/ein-gueltiger-beitrag-ueber-groesse/index.html")
    assert soup.find("link", rel="canonical")["href"] == (
        "https://blog.example.test/2024/03/ein-gueltiger-beitrag-ueber-groesse/"
    )
    assert soup.find("link", rel="stylesheet")["href"].startswith("https://blog.example.test/")
    failed = scenario("bad-input", base="publishconf", env={"SITEURL": "https://blog.example.test"})
    assert failed.returncode != 0
