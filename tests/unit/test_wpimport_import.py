"""The import run in-process on small generated exports (wpimport.importer.run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpimport import importer
from wpimport.importer import Options, run
from wpimport.wxr import WXRError

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{v}/">
<channel><title>Blog</title><link>https://blog.example</link>
<wp:wxr_version>{v}</wp:wxr_version>
<wp:base_blog_url>https://blog.example</wp:base_blog_url>
{authors}
"""


def author(login: str, number: int, name: str) -> str:
    return (
        f"<wp:author><wp:author_id>{number}</wp:author_id><wp:author_login>{login}"
        f"</wp:author_login><wp:author_display_name>{name}</wp:author_display_name></wp:author>"
    )


def post(
    number: int,
    *,
    title: str = "Titel",
    name: str = "",
    kind: str = "post",
    status: str = "publish",
    creator: str = "a",
    body: str = "Text",
    meta: str = "",
    extra: str = "",
    date: str = "2016-05-01 10:00:00",
) -> str:
    return (
        f"<item><title><![CDATA[{title}]]></title><dc:creator>{creator}</dc:creator>"
        f"<link>https://blog.example/2016/05/{name}/</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_name>{name}</wp:post_name>"
        f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00"
        f"</wp:post_date_gmt><wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>"
        f"{meta}{extra}</item>\n"
    )


def export(tmp_path: Path, *items: str, version: str = "1.2", authors: str = "") -> Path:
    path = tmp_path / "export.xml"
    text = HEAD.format(v=version, authors=authors) + "".join(items) + "</channel></rss>\n"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    return path


def import_(tmp_path: Path, path: Path, **options):
    return run(Options(wxr=path, content=tmp_path / "content", **options))


def read(tmp_path: Path, relative: str) -> str:
    return (tmp_path / "content" / relative).read_text(encoding="utf-8")


def test_several_authors_get_an_author_field(tmp_path):
    path = export(
        tmp_path,
        post(1, name="eins", creator="a"),
        post(2, name="zwei", creator="b"),
        authors=author("a", 1, "Anna Autorin") + author("b", 2, "Bernd"),
    )
    import_(tmp_path, path)
    assert "\nAuthor: Anna Autorin\n" in read(tmp_path, "articles/2016-05-01-eins.md")
    assert "\nAuthor: Bernd\n" in read(tmp_path, "articles/2016-05-01-zwei.md")


def test_single_author_blog_keeps_the_site_author(tmp_path):
    path = export(tmp_path, post(1, name="eins"), authors=author("a", 1, "Anna"))
    import_(tmp_path, path)
    assert "Author:" not in read(tmp_path, "articles/2016-05-01-eins.md")


def test_featured_image_problems_are_reported(tmp_path):
    thumbnail = "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{}</wp:meta_value></wp:postmeta>"
    path = export(
        tmp_path,
        post(1, name="fehlt", meta=thumbnail.format(99)),
        post(2, name="fremd", meta=thumbnail.format(3)),
        post(4, name="ohne-alt", meta=thumbnail.format(5)),
        post(
            3,
            title="cdn",
            kind="attachment",
            status="inherit",
            extra="<wp:attachment_url>https://cdn.example/x.jpg</wp:attachment_url>",
        ),
        post(
            5,
            title="Titel des Bildes",
            kind="attachment",
            status="inherit",
            extra="<wp:attachment_url>https://blog.example/wp-content/uploads/y.jpg</wp:attachment_url>",
        ),
    )
    report = import_(tmp_path, path).text()
    assert "Image:" not in read(tmp_path, "articles/2016-05-01-fehlt.md")
    assert "das Beitragsbild (Anhang #99) fehlt in der Exportdatei" in report
    assert "das Beitragsbild https://cdn.example/x.jpg liegt nicht im uploads-Ordner" in report
    text = read(tmp_path, "articles/2016-05-01-ohne-alt.md")
    assert "\nImage: images/y.jpg\nImage_alt: Titel des Bildes\n" in text
    assert "keinen Alternativtext" in report


def test_duplicate_and_missing_slugs(tmp_path):
    path = export(
        tmp_path,
        post(1, name="gleich", title="Erster"),
        post(2, name="gleich", title="Zweiter"),
        post(3, name="", title="Ohne Namen: Äpfel", status="draft"),
        post(4, name="", title="", status="draft"),
        post(5, name="gleich", title="Seite", kind="page"),
    )
    report = import_(tmp_path, path)
    paths = sorted(entry.path for entry in report.imported)
    assert paths == [
        "articles/2016-05-01-beitrag-4.md",
        "articles/2016-05-01-gleich-2.md",
        "articles/2016-05-01-gleich.md",
        "articles/2016-05-01-ohne-namen-aepfel.md",
        "pages/gleich.md",
    ]
    assert "Slug „gleich“ kommt mehrfach vor" in report.text()
    assert "/2016/05/gleich/ -> /2016/05/gleich-2/" in report.text()
    untitled = read(tmp_path, "articles/2016-05-01-beitrag-4.md")
    assert untitled.startswith("Title: Ohne Titel\n")


def test_wxr_1_1_and_page_drafts(tmp_path):
    path = export(tmp_path, post(1, name="seite", kind="page", status="draft"), version="1.1")
    report = import_(tmp_path, path)
    assert report.version == "1.1"
    assert read(tmp_path, "pages/seite.md").endswith("Status: draft\n\nText\n")
    assert "1 Seitenentwurf" in report.text()


def test_file_changed_between_the_passes(tmp_path, monkeypatch):
    path = export(tmp_path, post(1, name="eins"), post(2, name="zwei"))
    original = importer.FirstPass.add

    def add_then_change(self, item):
        original(self, item)
        if item.post_id == 2:
            path.write_text(path.read_text().replace("<wp:post_id>2<", "<wp:post_id>7<"))

    monkeypatch.setattr(importer.FirstPass, "add", add_then_change)
    with pytest.raises(WXRError, match="während des Imports geändert"):
        import_(tmp_path, path)


def test_dates_of_drafts_use_the_timezone_option(tmp_path):
    path = export(tmp_path, post(1, name="eins", status="draft"))
    import_(tmp_path, path, timezone="America/New_York")
    assert "\nDate: 2016-05-01T10:00:00-04:00\n" in read(tmp_path, "articles/2016-05-01-eins.md")


def comment_xml(number: int, parent: int, content: str = "Text") -> str:
    return (
        f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
        f"<wp:comment_author>Leser {number}</wp:comment_author>"
        f"<wp:comment_date_gmt>2016-05-02 10:{number % 60:02d}:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def test_deep_thread_self_reply_and_empty_comment_with_crlf(tmp_path):
    chain = "".join(comment_xml(n, n - 1 if n > 1 else 0) for n in range(1, 101))
    odd = comment_xml(500, 500) + comment_xml(501, 0, "<script>alert(1)</script>")
    path = export(tmp_path, post(1, name="tief", extra=chain + odd).replace("\n", "\r\n"))
    report = import_(tmp_path, path)
    text = report.text()
    assert "1 Eintrag in der Datei = 1 Beitrag + 0 übersprungen; 102 Kommentare = " in text
    assert "101 übernommen + 1 übersprungen" in text
    assert "500.md: antwortet auf sich selbst; oben eingereiht" in text
    assert "ohne Text (nach dem Säubern leer)" in text
    assert read(tmp_path, "comments/tief/100.md").startswith(
        "author: Leser 100\ndate: 2016-05-02 12:40\nreplyto: 99\n\n"
    )
    assert "replyto" not in read(tmp_path, "comments/tief/500.md")
