"""Small parts of importing what WordPress exports: author replies, marked control
characters, tag spellings, footnotes, WordPress.com uploads, shortcodes for media."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

from rundbrief.cleantext import MARKER, CleanBytes
from wpimport import shortcodes
from wpimport.convert import GalleryImage, convert_post
from wpimport.importer import Options, run
from wpimport.plan import Site, Spellings, by_post_author, footnotes, moved, page_key, terms
from wpimport.wxr import Author, Comment


def comment(author: str, user_id: int = 0) -> Comment:
    return Comment(1, author, "", "", "", "x", "1", "", 0, user_id)


@pytest.mark.parametrize(
    ("name", "user_id", "author", "expected"),
    [
        ("Hendrik Epe", 0, Author("hendrik", 0, "Hendrik Epe"), True),  # display name
        ("HENDRIK", 7, Author("hendrik", 0, "Hendrik Epe"), True),  # login, any case
        ("Hendrik  Epe", 0, None, False),  # no author entry: only the creator login counts
        ("hendrik", 0, None, True),
        ("Hendrik", 0, Author("hendrik", 3, "Hendrik Epe"), False),  # ids known: ids decide
        ("Jemand", 3, Author("hendrik", 3, "Hendrik Epe"), True),
        ("", 0, Author("", 0, ""), False),
    ],
)
def test_author_replies(name, user_id, author, expected):
    assert by_post_author(comment(name, user_id), "hendrik", author) is expected


def test_control_characters_are_marked_not_lost_across_reads():
    raw = "a\x01b\x0bc\ufffe\n".encode()
    reader = CleanBytes(io.BytesIO(raw), mark=True)
    out = b"".join(iter(lambda: reader.read(1), b""))
    assert out.decode() == f"a{MARKER}b{MARKER}c{MARKER}\n"
    assert reader.removed == 3
    plain = CleanBytes(io.BytesIO(raw))
    assert plain.read() == b"abc\n"


def test_one_spelling_per_tag_the_oldest_wins():
    spellings = Spellings()
    spellings.add("tag", "markup", (20, 2))
    spellings.add("tag", "Markup", (10, 1))
    spellings.add("tag", "Mark up", (30, 3))  # a space: another slug, another tag
    spellings.add("category", "markup", (40, 4))  # categories are their own
    assert spellings.spelling("tag", "MARKUP") == "Markup"
    assert spellings.spelling("category", "Markup") == "markup"
    assert spellings.merged() == [("tag", "Markup", ["markup"])]
    assert terms(["A", "B", "A"], ["t"]) == ("A", ["B", "t"])


def test_footnotes_meta():
    meta = '[{"id":"a1","content":"Eine <em>Notiz</em>"},{"content":"ohne id"},3]'
    assert footnotes(meta) == [("a1", "Eine <em>Notiz</em>")]
    assert footnotes("kaputt") == [] and footnotes("") == [] and footnotes("{}") == []


def test_wordpress_com_uploads_and_attachment_pages():
    site = Site("https://meinblog.wordpress.com")
    assert site.uploads_path("https://meinblog.files.wordpress.com/2015/06/a.jpg?w=300") == (
        "2015/06/a.jpg"
    )
    assert site.uploads_path("https://anderer.files.wordpress.com/2015/06/a.jpg") is None
    assert site.uploads_path("https://meinblog.files.wordpress.com/../etc/passwd") is None
    assert page_key("HTTPS://www.Blog.example/a/b/") == page_key("http://blog.example/a/b")


def test_old_address_relative_to_the_blog():
    class Candidate:
        kind = "article"
        slug = "x"
        date = __import__("datetime").datetime(2015, 6, 19)
        link = "https://blog.example//blog/2015/06/19/x/"

    assert moved(Candidate, "https://blog.example/blog") == ("/2015/06/19/x/", "/2015/06/x/")
    Candidate.link = "https://blog.example/blog/2015/06/x/"
    assert moved(Candidate, "https://blog.example/blog/") is None
    Candidate.link = "https://blog.example/blog/?p=5"
    assert moved(Candidate, "https://blog.example/blog") == ("/?p=5", "/2015/06/x/")


def test_media_shortcodes():
    result = shortcodes.process(
        '[audio mp3="https://b.example/a.mp3"][/audio] [video src="https://b.example/v.mp4" '
        'poster="https://b.example/p.jpg"] [audio] [gallery ids="3,1" link="none"]'
    )
    assert '<audio src="https://b.example/a.mp3"></audio>' in result.content
    assert '<video src="https://b.example/v.mp4" poster="https://b.example/p.jpg">' in (
        result.content
    )
    assert 'data-ids="3,1" data-link="none"' in result.content
    assert result.kept == ["audio"]  # [audio] without a file stays, named in the report


def test_gallery_link_none_and_missing_attachments():
    site = Site("https://blog.example")
    picked = []

    def gallery(attrs):
        picked.append(attrs)
        return [GalleryImage("https://blog.example/wp-content/uploads/a.jpg", "A & B", "")]

    converted = convert_post('[gallery ids="3" link="none"]', site.map_url, gallery)
    soup = BeautifulSoup(converted.markdown, "html.parser")
    assert picked == [{"ids": "3", "link": "none"}]
    assert soup.select_one("figure.gallery img")["alt"] == "A & B"
    assert soup.select_one("figure.gallery a") is None
    empty = convert_post("Text [gallery ids=9]", site.map_url, lambda attrs: [])
    assert empty.markdown.strip() == "Text" and empty.notes.empty_galleries == 1


def test_a_gallery_class_without_images_is_an_ordinary_block():
    text = '<div class="gallery"><p>Nur Text</p></div>'
    text += '<figure class="gallery"><p>Mehr</p></figure>'
    assert convert_post(text).markdown == "Nur Text\n\nMehr\n"


SPARSE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Vorschau</title><link>https://vorschau.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Elemente</title><link>https://vorschau.example/?p=36</link>
<wp:post_date>2008-09-05 19:39:12</wp:post_date><dc:creator>admin</dc:creator>
<category><![CDATA[Allgemein]]></category><category><![CDATA[boot]]></category>
<content:encoded><![CDATA[<p>Davor</p><form action="/x"><fieldset><legend>Textfeld</legend>
<label>Beschriftung</label><input name="a"></fieldset></form>]]></content:encoded>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def test_a_hand_made_export_without_ids_domains_or_names(tmp_path):
    """theme-preview.xml of WordPress's theme test data has no wp:post_id, no post_name and
    categories without domain: no ?p=0 redirect, the categories kept, a form's text kept."""
    wxr = tmp_path / "export.xml"
    wxr.write_text(SPARSE, encoding="utf-8")
    (tmp_path / "content").mkdir()
    report = run(Options(wxr=wxr, content=tmp_path / "content"))
    (article,) = (tmp_path / "content/articles").glob("*.md")
    text = article.read_text(encoding="utf-8")
    assert "\nCategory: Allgemein\nTags: boot\n" in text
    assert "Textfeld" in text and "Beschriftung" in text and "<input" not in text
    redirects = (tmp_path / "content/redirects.txt").read_text(encoding="utf-8")
    assert "/?p=36 /2008/09/elemente/" in redirects and "?p=0" not in redirects
    assert any("Formular ohne Funktion" in warning for warning in report.warnings)
