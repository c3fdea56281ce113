"""Importing what WordPress exports (issue 13, item 10), end to end: `python -m wpimport` on
two exports of our own, then a real build.

- tests/fixtures/wxr/wordpress-com.xml: a WordPress.com export (uploads on
  <blog>.files.wordpress.com, no author ids, day-based permalinks, a sticky post, [gallery],
  [audio], gallery/video/audio/image blocks, a nested page, control characters, tag
  spellings that differ only in case);
- tests/fixtures/wxr/wxr-1.0.xml: a WXR 1.0 export of WordPress 3.0 (default permalinks
  ?p=1 and ?page_id=2, tags as domain="tag", no author list);
- tests/fixtures/wxr/blocks.xml: the kinds of blocks WordPress's block test data uses,
  footnotes included: no word may be lost.

Every old address must arrive on its article or page through each of the three redirect
files, as Netlify, Apache and nginx read them (tests/support/redirects.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.redirects import arrives
from tests.support.sitebuild import build
from tests.support.wpimport import FIXTURES, missing_words, run_import, source_words
from wpimport.wxr import WXRReader

pytestmark = pytest.mark.build


def copy_as_reported(site: Path, report: str) -> list[str]:
    copied = []
    for source, target in re.findall(
        r"^  (wp-content/uploads/\S+) -> (content/images/\S+)$", report, re.M
    ):
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"media file of " + source.encode())
        copied.append(target)
    return copied


def import_and_build(tmp_path_factory, name: str):
    site = tmp_path_factory.mktemp(name.removesuffix(".xml")) / "site"
    (site / "content").mkdir(parents=True)
    result = run_import(site, str(FIXTURES / name))
    assert result.returncode == 0, result.stderr
    copy_as_reported(site, result.stdout)
    built = build(site, site.parent / "output")
    assert built.returncode == 0, built.log
    return site, result.stdout, built


@pytest.fixture(scope="module")
def wpcom(tmp_path_factory):
    return import_and_build(tmp_path_factory, "wordpress-com.xml")


@pytest.fixture(scope="module")
def wxr10(tmp_path_factory):
    return import_and_build(tmp_path_factory, "wxr-1.0.xml")


@pytest.fixture(scope="module")
def blocks(tmp_path_factory):
    return import_and_build(tmp_path_factory, "blocks.xml")


def read(site: Path, relative: str) -> str:
    return (site / "content" / relative).read_text(encoding="utf-8")


# --- images, galleries, audio and video ---------------------------------------------------


def test_linked_image_is_an_image_in_a_link_not_literal_text(wpcom):
    _, _, built = wpcom
    body = built.html("2015/06/galerie-im-garten/").select_one(".article-body")
    link = next(a for a in body.select("a") if a.find("img", alt="Eine rote Rose"))
    assert link["href"].endswith("images/2015/06/rose.jpg")
    assert (built.path("2015/06/galerie-im-garten/").parent / link["href"]).resolve().is_file()
    text = body.get_text()
    assert "[[" not in text and "](" not in text and "![" not in text
    # An image from another server inside a link: the link stays, with the image's alt text.
    other = body.find("a", href="https://fotos.example.net/tulpe/")
    assert other.get_text() == "Bild: Tulpe" and other.find("img") is None


def test_gallery_shortcodes_become_a_grid_of_the_attachment_images(wpcom):
    _, report, built = wpcom
    page = built.path("2015/06/galerie-im-garten/")
    body = built.html("2015/06/galerie-im-garten/").select_one(".article-body")
    galleries = body.select("figure.gallery")
    assert len(galleries) == 2  # [gallery ids="20,21" columns="2"] and [gallery]
    assert "gallery-columns-2" in galleries[0]["class"]
    for gallery in galleries:  # [gallery] without ids: the post's image attachments, in order
        images = gallery.select("figure.gallery-item img")
        assert [img["alt"] for img in images] == ["Eine rote Rose", "nelke"]
        for img in images:
            assert (page.parent / img["src"]).resolve().is_file(), img["src"]
        caption = gallery.select_one("figure.gallery-item figcaption")
        assert caption.get_text() == "Die erste Rose"  # the attachment's caption
    assert "[gallery" not in body.get_text()
    assert "Shortcode [gallery]" not in report and "Shortcode [audio]" not in report


def test_gallery_block_becomes_the_same_grid(wpcom):
    _, _, built = wpcom
    body = built.html("2015/07/bloecke/").select_one(".article-body")
    gallery = body.select_one("figure.gallery")
    assert [img["alt"] for img in gallery.select("img")] == ["Rose im Block", "Nelke im Block"]
    assert gallery.find("figcaption", recursive=False).get_text() == "Blumen im Juni"
    assert [c.get_text() for c in gallery.select("figure.gallery-item figcaption")] == ["Die Rose"]
    # The image that linked to its attachment page (gone) links to its file.
    linked = body.find("img", alt="Rose, verlinkt").find_parent("a")
    assert linked["href"].endswith("images/2015/06/rose.jpg")


def test_audio_and_video_play_the_copied_file(wpcom):
    _, _, built = wpcom
    for url, tag, name in (
        ("2015/06/galerie-im-garten/", "audio", "interview.mp3"),
        ("2015/07/bloecke/", "video", "rundgang.mp4"),
        ("2015/07/bloecke/", "audio", "interview.mp3"),
    ):
        page = built.path(url)
        player = built.html(url).select_one(f".article-body figure.media {tag}")
        assert player is not None, (url, tag)
        assert player.has_attr("controls")
        assert player["src"].endswith(f"images/2015/06/{name}")
        assert (page.parent / player["src"]).resolve().is_file()
        assert player.find("a")["href"] == player["src"]  # a fallback link to the file


def test_nothing_loaded_from_other_hosts(wpcom):
    _, _, built = wpcom
    for page in built.pages():
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""\ssrc=["']?(?:https?:)?//""", html), page
        assert "files.wordpress.com" not in html.replace("meinblog.files.wordpress.com/2015", "")


# --- the header and the comments ------------------------------------------------------------


def test_sticky_is_kept(wpcom):
    site, _, _ = wpcom
    assert "\nSticky: true\n" in read(site, "articles/2015-06-19-galerie-im-garten.md")
    assert "Sticky" not in read(site, "articles/2015-07-02-bloecke.md")


def test_author_replies_recognised_by_display_name_or_login(wpcom, wxr10):
    site, _, built = wpcom
    comments = site / "content/comments/galerie-im-garten"
    by_author = {p.stem for p in comments.glob("*.md") if "by_author: true" in p.read_text()}
    assert by_author == {"502", "503"}  # "Hendrik Epe" (display name), "hendrikepe" (login)
    page = built.html("2015/06/galerie-im-garten/")
    assert {li["id"] for li in page.select(".comment.by-author")} >= {
        "comment-502",
        "comment-503",
    }
    old_site, _, _ = wxr10
    assert "by_author: true" in read(old_site, "comments/hallo-welt/2.md")  # login "admin"
    assert "by_author" not in read(old_site, "comments/hallo-welt/1.md")


def test_comment_dates_keep_their_seconds(wpcom):
    site, _, built = wpcom
    assert "\ndate: 2015-06-19 21:14:07\n" in read(site, "comments/galerie-im-garten/501.md")
    assert "\ndate: 2015-06-19 21:14:45\n" in read(site, "comments/galerie-im-garten/502.md")
    feed = (built.output / "feeds/comments/galerie-im-garten.atom.xml").read_text()
    updated = re.findall(r"<updated>([^<]+)</updated>", feed)
    assert "2015-06-19T21:14:07+02:00" in updated and "2015-06-19T21:14:45+02:00" in updated


def test_control_characters_are_named_per_item(wpcom):
    site, report, _ = wpcom
    line = next(line for line in report.splitlines() if "Steuerzeichen" in line)
    assert "2015-06-19-galerie-im-garten.md" in line
    assert "Text (1×)" in line and "Kommentar 501 (1×)" in line
    assert "\x01" not in read(site, "articles/2015-06-19-galerie-im-garten.md")
    assert read(site, "comments/galerie-im-garten/501.md").endswith("Schöne Rosen!\n")


def test_term_names_unescaped(wpcom):
    site, _, built = wpcom
    assert "\nCategory: Gärten & Höfe\n" in read(site, "articles/2015-07-02-bloecke.md")
    assert built.html("category/gaerten-hoefe/").find(string=lambda t: "Gärten & Höfe" in t)


def test_tag_spellings_merged(wpcom):
    site, report, built = wpcom
    # The oldest article writes "MarkUp"; "Markup" (a second category) and "markup" follow it.
    assert "\nTags: MarkUp, Garten\n" in read(site, "articles/2015-06-19-galerie-im-garten.md")
    assert "\nTags: MarkUp\n" in read(site, "articles/2015-05-01-erster-beitrag.md")
    assert "Schlagwort „MarkUp“ auch als „Markup“, „markup“ geschrieben" in report
    assert (built.output / "feeds/tag/markup.atom.xml").is_file()
    assert "Das Schlagwort" not in built.log  # no spelling warning left for the build


def test_wxr_1_0_is_read(wxr10):
    site, report, built = wxr10
    assert "(WXR 1.0, „Altes Blog“" in report
    article = read(site, "articles/2010-10-20-hallo-welt.md")
    assert "\nTags: Sinn\n" in article and "\nCategory: Allgemein\n" in article
    assert built.html("2010/10/hallo-welt/").select_one(".article-body").get_text().strip() == (
        "Willkommen bei WordPress.\nZweiter Absatz."
    )
    assert (built.output / "ueber-uns/index.html").is_file()
    texts = " ".join(p.read_text() for p in (site / "content").rglob("*.md"))
    assert "192.0.2." not in texts and "leser.example" not in texts.replace("https://", "")


# --- every old address ------------------------------------------------------------------------


OLD_WPCOM = {
    "/2015/06/19/galerie-im-garten/": "/2015/06/galerie-im-garten/",
    "/2015/06/19/galerie-im-garten": "/2015/06/galerie-im-garten/",
    "/2015/05/01/erster-beitrag/": "/2015/05/erster-beitrag/",
    "/2015/07/02/bloecke/": "/2015/07/bloecke/",
    "/eltern/kind/": "/kind/",
    "/eltern/": "/eltern/",  # unchanged: served as it is
    "/?p=10": "/2015/06/galerie-im-garten/",
    "/index.php?p=12": "/2015/07/bloecke/",
    "/?page_id=32": "/kind/",
    "/?p=12&replytocom=5": "/2015/07/bloecke/",
    # a second category became a tag; a child category with an umlaut lost its parent path
    "/category/markup/": "/tag/markup/",
    "/category/natur/g%c3%a4rten-hoefe/": "/category/gaerten-hoefe/",
    "/category/natur/g%C3%A4rten-hoefe": "/category/gaerten-hoefe/",
    "/category/allgemein/": "/category/allgemein/",  # unchanged: served as it is
    "/tag/garten/": "/tag/garten/",
}
OLD_WXR10 = {
    "/?p=1": "/2010/10/hallo-welt/",
    "/?page_id=2": "/ueber-uns/",
    "/index.php?page_id=2": "/ueber-uns/",
}


@pytest.mark.parametrize(("old", "new"), sorted(OLD_WPCOM.items()))
def test_old_wordpress_com_addresses_arrive(wpcom, old, new):
    _, _, built = wpcom
    assert arrives(built.output, old) == dict.fromkeys(
        ("_redirects", ".htaccess", "nginx-redirects.conf"), new
    )


@pytest.mark.parametrize(("old", "new"), sorted(OLD_WXR10.items()))
def test_old_default_permalinks_arrive(wxr10, old, new):
    _, _, built = wxr10
    assert arrives(built.output, old) == dict.fromkeys(
        ("_redirects", ".htaccess", "nginx-redirects.conf"), new
    )


def test_a_home_page_request_is_no_redirect(wxr10):
    _, _, built = wxr10
    assert set(arrives(built.output, "/").values()) == {"/"}
    assert set(arrives(built.output, "/?p=999").values()) == {None}  # no such post


def test_redirects_file_and_report(wpcom):
    site, report, _ = wpcom
    lines = read(site, "redirects.txt").splitlines()
    assert "/2015/06/19/galerie-im-garten/ /2015/06/galerie-im-garten/" in lines
    assert "/?page_id=32 /kind/" in lines
    assert "Weiterleitungen (301) in content/redirects.txt" in report
    again = run_import(site, str(FIXTURES / "wordpress-com.xml"))
    assert "Nichts Neues" in again.stdout  # a second run leaves redirects.txt as it is


# --- blocks: nothing lost -----------------------------------------------------------------


def test_every_word_of_the_blocks_reaches_the_page(blocks):
    _, _, built = blocks
    (item,) = [i for i in WXRReader(FIXTURES / "blocks.xml").items() if i.post_type == "post"]
    assert len(source_words(item)) > 50
    page = built.path("2024/02/alle-bloecke/").read_text(encoding="utf-8")
    assert missing_words(item, page) == []


def test_footnotes_block_keeps_its_notes(blocks):
    _, _, built = blocks
    body = built.html("2024/02/alle-bloecke/").select_one(".article-body")
    reference = body.select_one("sup a")
    note = body.find(id=reference["href"].removeprefix("#"))  # the link finds its note
    assert "Die Fußnote zum Rhabarber." in note.get_text()
    texts = body.get_text(" ")
    assert "Saatplan als PDF Herunterladen" in " ".join(texts.split())


def test_blocks_without_content_in_the_export_are_named(blocks):
    _, report, _ = blocks
    line = next(line for line in report.splitlines() if "Blöcke, die WordPress" in line)
    assert "2024-02-05-alle-bloecke.md" in line and "(wp:latest-posts)" in line
