"""`make publish` (strict: any warning fails) passes on a site full of real-world content
that needs no warning (issue 13, "Done when"): titles, tags and categories in Cyrillic,
Greek, Chinese and Turkish, the unsubscribe placeholders written as text, an article
without a body, a comment with a list nested twelve levels deep, paired right-to-left
text, and a 60-thread comment archive (two comment pages)."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.support.sitebuild import ROOT, SITES, build

pytestmark = pytest.mark.build

FAKE_LINKS = ("https://abmelden.invalid/UNSUBSCRIBE_URL", "%%UNSUBSCRIBE_URL%%")
HEBREW = "שלום עולם"


def article(slug: str, title: str, date: str, *, category: str, tags: str, body: str) -> str:
    """An article without a ``Slug:``: its address comes from the title, whatever the script
    (``slug`` only names the summary)."""
    return (
        f"Title: {title}\nDate: {date}\nCategory: {category}\nTags: {tags}\n"
        f"Summary: Zusammenfassung von {slug}.\n\n{body}"
    )


def nested_list(depth: int) -> str:
    return "".join(f"{'    ' * level}- Ebene {level + 1}\n" for level in range(depth))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("world-publish")
    site = root / "site"
    articles = site / "content" / "articles"
    articles.mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", site / "content" / "pages")
    shutil.copy(SITES / "legal" / "settings.py", site / "settings.py")  # made-up owner
    texts = {
        "privet.md": article(
            "privet-mir",
            "Привет мир",
            "2024-05-06 10:00",
            category="Мир",
            tags="İstanbul, 远征手记",
            body=f"Ein Text, der {FAKE_LINKS[0]} und {FAKE_LINKS[1]} nur erwähnt.\n",
        ),
        "greek.md": article(
            "ellinika",
            "Ελληνικά-Greek",
            "2024-05-07 10:00",
            category="Ελληνικά",
            tags="Türkçe",
            body="Κείμενο.\n",
        ),
        "leer.md": article(
            "leer", "Ohne Text", "2024-05-08 10:00", category="Test", tags="Leer", body=""
        ),
    }
    for name, text in texts.items():
        (articles / name).write_text(text, encoding="utf-8")
    comments = site / "content" / "comments" / "privet-mir"
    comments.mkdir(parents=True)
    for number in range(1, 61):
        body = f"Kommentar {number}, {HEBREW} und weiter auf Deutsch.\n"
        if number == 2:
            body = "Eine tiefe Liste:\n\n" + nested_list(12) + "\nDanach ein Absatz.\n"
        if number == 3:
            body = f"Im Kommentar: {FAKE_LINKS[0]} und {FAKE_LINKS[1]}\n"
        (comments / f"{number}.md").write_text(
            f"author: Leserin {number}\ndate: 2024-05-0{6 + number % 3} 12:{number % 60:02d}"
            f"\n\n{body}",
            encoding="utf-8",
        )
    result = build(
        site, root / "output", base="publishconf", env={"SITEURL": "https://blog.example.test"}
    )
    assert result.returncode == 0, result.log
    return result


def test_a_strict_build_passes_without_a_warning(published):
    assert "WARNING" not in published.log, published.log


def test_every_title_and_tag_has_a_page_with_an_ascii_address(published):
    pages = [p.relative_to(published.output).as_posix() for p in published.pages()]
    assert all(page.isascii() for page in pages), [p for p in pages if not p.isascii()]
    for title in ("Привет мир", "Ελληνικά-Greek", "Ohne Text"):
        assert any(title in p.read_text("utf-8") for p in published.output.rglob("index.html"))
    for tag in ("İstanbul", "远征手记", "Türkçe", "Мир"):
        found = [p for p in published.pages() if f">{tag}<" in p.read_text("utf-8")]
        assert found, tag


def test_no_text_of_the_comments_is_lost(published):
    page = next(published.output.glob("*/*/privet-mir/index.html"))
    second = page.parent / "comment-page-2" / "index.html"
    text = BeautifulSoup(page.read_text("utf-8"), "lxml").get_text(" ")
    text += BeautifulSoup(second.read_text("utf-8"), "lxml").get_text(" ")
    for level in range(1, 13):
        assert f"Ebene {level}" in text, level
    assert "Danach ein Absatz." in text
    for number in (1, 4, 59, 60):
        assert f"Kommentar {number}," in text
    assert text.count(HEBREW) == 58


def test_the_placeholders_stay_text_everywhere(published):
    digest = next(published.output.glob("newsletter/*/email.html")).read_text("utf-8")
    for fake in FAKE_LINKS:
        assert fake in digest
    soup = BeautifulSoup(digest, "lxml")
    assert not soup.find("a", href=FAKE_LINKS[0])


def test_every_xml_output_parses(published):
    files = sorted(published.output.rglob("*.xml"))
    assert len(files) > 5
    for path in files:
        etree.parse(str(path))
