"""Hostile comments in a full build of tests/sites/comments-limits/: nesting deeper than the
Markdown parser's limit, a comment over COMMENTS_MAX_LENGTH, symlinks out of the site."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

SECRET_FILE = "GEHEIM-DATEI-DRAUSSEN"
SECRET_FOLDER = "GEHEIM-ORDNER-DRAUSSEN"
SECRET_USER = "geheimnutzerin"
LONG_MARKER = "ZU-LANG-MARKER"


def warnings(log: str) -> list[str]:
    """The build's problem lines (one per problem: "path[:line]: message So beheben: fix")."""
    return [line for line in log.splitlines() if "So beheben:" in line]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("comments-limits")
    shutil.copytree(SITES / "comments-limits", root / "site")
    comments = root / "site/content/comments"
    # Over the default limit of 20,000 characters (made here, not committed).
    (comments / "lang/1.md").write_text(
        f"author: Viel\ndate: 2024-03-05 11:00\n\n{LONG_MARKER} " + "Sehr langer Text. " * 1500,
        encoding="utf-8",
    )
    # Outside the site: a comment-shaped file, a folder of them, and a passwd-like file.
    outside = root / "draussen"
    (outside / "ordner").mkdir(parents=True)
    (outside / "kommentar.md").write_text(
        f"author: Fremd\ndate: 2024-03-04 15:00\n\n{SECRET_FILE}\n", encoding="utf-8"
    )
    (outside / "ordner/1.md").write_text(
        f"author: Fremd\ndate: 2024-03-04 15:00\n\n{SECRET_FOLDER}\n", encoding="utf-8"
    )
    (outside / "passwd").write_text(
        f"root:x:0:0:root:/root:/bin/bash\n{SECRET_USER}:x:1000:1000::/home/{SECRET_USER}:/bin/sh\n",
        encoding="utf-8",
    )
    (comments / "tief/8.md").symlink_to(outside / "kommentar.md")
    (comments / "tief/9.md").symlink_to(outside / "passwd")
    (comments / "tief").joinpath("7.md").symlink_to(outside / "ordner")  # a folder as .md
    (comments / "lang-link").symlink_to(outside / "ordner", target_is_directory=True)
    (comments / "tief-kopie").symlink_to(comments / "tief", target_is_directory=True)
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def test_twelve_level_list_keeps_every_level_and_what_follows(site):
    body = site.html("2024/03/tief/").select_one("#comment-1 .comment-body")
    text = body.get_text(" ")
    for level in range(1, 13):
        assert f"Ebene{level:02d}" in text, level
    assert "Vorher ein Absatz." in text
    assert "Absatz danach eins." in text and "Absatz danach zwei." in text
    # Rendered flatter, not as one list per level: deep levels sit inside the deepest kept one.
    depth = len(body.find(string=re.compile("Ebene12")).find_parents("ul"))
    assert 1 <= depth < 12


def test_deep_quotes_and_mixed_nesting_lose_nothing(site):
    soup = site.html("2024/03/tief/")
    quote = soup.select_one("#comment-2 .comment-body").get_text(" ")
    assert "Zitat ganz unten" in quote and "Text nach dem Zitat." in quote
    mixed = soup.select_one("#comment-3 .comment-body").get_text(" ")
    for level in range(1, 16):
        assert f"Stufe{level:02d}" in mixed, level
    assert "Schluss gemischt." in mixed


def test_over_long_comment_is_refused_with_a_warning_and_the_rest_is_built(site):
    soup = site.html("2024/03/lang/")
    assert soup.select_one("#comment-1") is None
    assert LONG_MARKER not in soup.get_text()
    assert soup.select_one("#comment-2 .comment-body").get_text(strip=True) == (
        "Ein kurzer Kommentar bleibt."
    )
    assert soup.select_one("#comments-title").get_text() == "1 Kommentar zu „Zu lange Kommentare“"
    hits = [w for w in warnings(site.log) if "content/comments/lang/1.md" in w]
    assert len(hits) == 1
    assert "COMMENTS_MAX_LENGTH" in hits[0] and "So beheben:" in hits[0]
    assert LONG_MARKER not in site.log
    assert (site.output / "2024/03/tief/index.html").is_file()
    for feed in site.output.rglob("*.xml"):
        assert LONG_MARKER not in feed.read_text(encoding="utf-8"), feed


def test_symlinks_are_not_followed_and_named_in_a_warning(site):
    found = warnings(site.log)
    for link in (
        "content/comments/tief/8.md",
        "content/comments/tief/9.md",
        "content/comments/tief/7.md",
        "content/comments/lang-link",
        "content/comments/tief-kopie",
    ):
        hits = [w for w in found if link in w]
        assert hits, link
        assert any("symbolischer Link" in w and "So beheben:" in w for w in hits), (link, hits)
    for secret in (SECRET_FILE, SECRET_FOLDER, SECRET_USER, "/bin/bash", "x:0:0"):
        assert secret not in site.log, secret
        for path in site.output.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
                assert secret not in path.read_text(encoding="utf-8"), (secret, path)
    # Not "unknown keys" of a file outside: no warning about its lines at all.
    assert not [w for w in found if "Unbekannter Schlüssel" in w]
    assert "Fremd" not in site.html("2024/03/tief/").get_text()


def test_comment_folder_that_is_a_symlink_is_not_read(tmp_path):
    shutil.copytree(SITES / "comments-limits", tmp_path / "site")
    comments = tmp_path / "site/content/comments"
    shutil.move(comments, tmp_path / "elsewhere")
    comments.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = build(tmp_path / "site", tmp_path / "output")
    assert result.returncode == 0, result.log
    assert any("content/comments" in w and "symbolischer Link" in w for w in warnings(result.log))
    assert result.html("2024/03/tief/").select("li.comment") == []
