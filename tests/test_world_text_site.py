"""Real-world text in a full build of tests/sites/world-text/ (issue 13, items 1-3).

Titles, tags and categories in Cyrillic, Greek, Chinese and Turkish; tags that differ only
in case or spacing; two articles with the same slug; a slug that points at the month
archive; a page that would be the year archive; every XML-illegal character in an article
and in a comment dated in a digest week; unpaired bidi controls in a comment.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
from lxml import etree

from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

# Every character XML 1.0 forbids that a UTF-8 file can hold.
ILLEGAL = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]]
ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
RLO, LRE, PDF = "\u202e", "\u202a", "\u202c"


def one_line(log: str) -> str:
    return re.sub(r"\s+", " ", log)


def _illegal_lines() -> str:
    return "".join(f"Zeile U+{ord(c):04X}: vor{c}nach\n\n" for c in ILLEGAL)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("world-text")
    shutil.copytree(SITES / "world-text", root / "site")
    content = root / "site" / "content"
    # The control characters are written here, not committed (editors and diffs mangle them).
    (content / "articles" / "steuerzeichen.md").write_text(
        "Title: Steuerzeichen\x07 im Titel\nDate: 2015-07-08 10:00\nCategory: Soziale Arbeit\n"
        "Tags: Alt\x1bimport\n\n" + _illegal_lines(),
        encoding="utf-8",
    )
    # Dated 2015-07-04: in the digest week of „Привет мир“ (KW 27), so in the digest feed.
    (content / "comments" / "privet-mir" / "1.md").write_text(
        "author: Alt\x08import\ndate: 2015-07-04 11:00\n\n" + _illegal_lines(),
        encoding="utf-8",
    )
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def test_every_xml_output_parses_and_no_output_holds_an_illegal_character(site):
    xml_files = sorted(site.output.rglob("*.xml"))
    assert any(p.name == "feed.xml" for p in xml_files)  # the digest feed is among them
    for path in xml_files:
        etree.parse(str(path))  # raises on anything that is not XML
    for path in site.output.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert ILLEGAL_RE.search(text) is None, path


def test_slugs_in_any_script(site):
    expected = {
        "2015/07/privet-mir/",
        "2015/07/ellenika-greek/",
        "2015/07/yuan-zheng-shou-ji/",
        "2015/07/istanbul/",
        "tag/mir/",
        "tag/istanbul/",
        "tag/ellenika-greek/",
        "tag/yuan-zheng-shou-ji/",
        "category/ellenika/",
        "category/yuan-zheng-shou-ji/",
        "category/tuerkce/",
    }
    for url in expected:
        assert site.path(url).is_file(), url
    for folder in ("tag", "category"):
        for child in (site.output / folder).iterdir():
            if child.is_dir():
                assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", child.name), child
    for folder in sorted((site.output / "2015").glob("*/*/")):
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", folder.name), folder
    for page in site.pages():
        soup = site.html(str(page.relative_to(site.output)))
        for link in soup.find_all("a", href=True):
            assert "//" not in urlsplit(link["href"]).path, (page, link["href"])


def test_page_text_is_all_there(site):
    texts = {
        "2015/07/privet-mir/": ("Привет мир", "Текст на русском языке: привет, мир."),
        "2015/07/ellenika-greek/": ("Ελληνικά-Greek", "Κείμενο στα ελληνικά, greek text."),
        "2015/07/yuan-zheng-shou-ji/": ("远征手记", "中文的正文：远征的手记。"),
        "2015/07/istanbul/": ("İstanbul", "Türkçe metin: İstanbul'da ılık bir gün."),
        "2015/08/gleicher-titel/": ("Gleicher Titel", "behält seine Adresse"),
    }
    for url, (title, body) in texts.items():
        text = site.html(url).get_text()
        assert title in text and body in text, url
    cleaned = site.html("2015/07/steuerzeichen-im-titel/").get_text()
    assert "Steuerzeichen im Titel" in cleaned
    for char in ILLEGAL:
        assert f"Zeile U+{ord(char):04X}: vornach" in cleaned
    # The comment with control characters: shown, without them, also in the digest feed.
    comment = site.html("2015/07/privet-mir/").select_one("#comment-1")
    assert "Altimport" in comment.get_text()
    assert "Zeile U+001F: vornach" in comment.get_text()
    feed = etree.parse(str(site.output / "newsletter" / "feed.xml"))
    assert "Zeile U+0001: vornach" in etree.tostring(feed, encoding="unicode")
    # The emoji title gets a stable fallback slug instead of an empty one.
    emoji = site.html("2015/09/u1f389-u1f389-u1f389/").get_text()
    assert "Ein Titel nur aus Emoji." in emoji


def test_case_twins_are_one_tag_with_one_page_and_one_feed(site):
    tag_dirs = [d.name for d in (site.output / "tag").iterdir() if d.is_dir()]
    assert tag_dirs.count("markup") == 1 and "new-work" in tag_dirs
    soup = site.html("tag/markup/")
    assert "Markup" in soup.h1.get_text()  # the spelling of the earliest article
    listed = soup.get_text()
    for title in ("Привет мир", "Ελληνικά-Greek", "İstanbul"):
        assert title in listed
    feed_link = soup.select_one('link[rel="alternate"][href*="feeds/tag/"]')
    assert feed_link is not None
    feed = etree.parse(str(site.output / "feeds" / "tag" / "markup.atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = {t.text for t in feed.findall("a:entry/a:title", ns)}
    assert titles == {"Привет мир", "Ελληνικά-Greek", "İstanbul"}
    assert feed_link["href"].endswith("feeds/tag/markup.atom.xml")
    # One spelling everywhere: the Turkish article wrote "MARKUP", its page shows "Markup".
    turkish = site.html("2015/07/istanbul/")
    tag_names = [a.get_text(strip=True) for a in turkish.select('a[href*="tag/"]')]
    assert "Markup" in tag_names and "MARKUP" not in tag_names
    # The tag overview lists each tag once.
    overview = [a.get_text(strip=True) for a in site.html("tag/").select('a[href*="tag/"]')]
    assert [name.lower() for name in overview].count("markup") == 1


def test_warnings_name_the_files(site):
    log = one_line(site.log)
    assert "FileOverwriteFailedError" not in log and "Traceback" not in log
    # Same slug in one month: the later one is skipped, both files named, the fix is Slug:.
    clash = re.search(r"content/articles/gleich-2\.md: [^\n]*?gleich-1\.md[^\n]*?Slug: ", log)
    assert clash is not None, log
    assert "Der zweite Beitrag mit demselben Titel" not in site.path(
        "2015/08/gleicher-titel/"
    ).read_text(encoding="utf-8")
    # A slug that points at the month archive, and a page that would be the year archive.
    assert re.search(r"content/articles/punkt\.md: .*?Monatsarchiv", log)
    assert re.search(r"content/pages/jahr\.md: .*?Jahresarchiv", log)
    assert "Dieser Beitrag würde" not in site.path("2015/09/").read_text(encoding="utf-8")
    # Case twins: the articles that spell the tag differently.
    twins = re.search(
        r"Schlagwort „Markup“ \(zuerst so in content/articles/privet\.md\)[^\n]*", log
    )
    assert twins is not None, log
    assert "content/articles/greek.md" in twins[0] and "content/articles/turkish.md" in twins[0]
    # Removed characters: file and line, for the article and the comment.
    assert re.search(r"content/articles/steuerzeichen\.md:1: Steuerzeichen", log)
    assert re.search(r"content/comments/privet-mir/1\.md:1: Steuerzeichen", log)
    assert "Zeile 6: U+0000" in log and "und 25 weitere" in log  # each one counted
    # The emoji-only title and tag: a fallback slug, with a warning naming the file.
    assert re.search(r"content/articles/emoji\.md: Aus dem Titel „🎉🎉🎉“", log)


def test_unpaired_bidi_controls_stay_inside_their_element(site):
    soup = site.html("2015/07/privet-mir/")
    comment = soup.select_one("#comment-2")
    author = comment.select_one(".comment-author bdi")
    assert author is not None and RLO in author.get_text()
    assert author.get_text().endswith(PDF)  # closed inside the <bdi>
    body = comment.select_one(".comment-body")
    assert body["dir"] == "auto"
    text = body.get_text()
    assert LRE in text and text.rstrip().endswith(PDF)
