"""WordPress import end to end: `python -m wpimport` on the fixture, then a real build.

The posts must appear at their old URLs with their comment threads intact, and the
report must account for every item of the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rundbrief.comments.files import load_comments
from rundbrief.comments.tree import build_tree
from rundbrief.quality.header import check_header
from tests.support.sitebuild import ROOT, build
from tests.support.wpimport import run_import

pytestmark = pytest.mark.build

FIXTURE = ROOT / "tests" / "fixtures" / "wxr" / "export.xml"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
FOR_WHOM = "2015/06/fuer-wen-machen-wir-das-eigentlich/"


def copy_images_as_reported(site: Path, report: str) -> list[str]:
    """What the author does with the report's list: put each image where it says."""
    copied = []
    for source, target in re.findall(
        r"^  (wp-content/uploads/\S+) -> (content/images/\S+)$", report, re.M
    ):
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((ROOT / "content/images/affe-ganz-oben.svg").read_bytes())
        copied.append(source)
    return copied


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    site = tmp_path_factory.mktemp("wpimport") / "site"
    (site / "content").mkdir(parents=True)
    result = run_import(site, str(FIXTURE))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return site, result.stdout


@pytest.fixture(scope="module")
def built(imported):
    site, report = imported
    copy_images_as_reported(site, report)
    result = build(site, site.parent / "output")
    assert result.returncode == 0, result.log
    return result


def written(site: Path) -> list[str]:
    content = site / "content"
    return sorted(
        p.relative_to(content).as_posix()
        for p in content.rglob("*")
        if p.is_file() and not p.relative_to(content).as_posix().startswith("images/")
    )


def test_files_written(imported):
    site, _ = imported
    assert written(site) == [
        ".wpimport.json",
        "articles/2015-06-19-fuer-wen-machen-wir-das-eigentlich.md",
        "articles/2015-06-30-mitternacht-in-utc.md",
        "articles/2015-07-02-selbstorganisation-im-team.md",
        "articles/2015-12-01-groesser-schneller-weiter.md",
        "articles/2016-01-10-entwurf-ueber-fuehrung.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/101.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/102.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/103.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/110.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/111.md",
        "comments/fuer-wen-machen-wir-das-eigentlich/112.md",
        "comments/groesser-schneller-weiter/201.md",
        "pages/ueber-mich.md",
        "redirects.txt",
    ]


def test_report_accounts_for_every_item(imported):
    _, report = imported
    source = FIXTURE.read_text(encoding="utf-8")
    ids = re.findall(r"<wp:post_id>(\d+)</wp:post_id>", source)
    assert len(ids) == source.count("<item>") == 15
    for post_id in ids:
        assert re.search(rf"\(#{post_id}[,)]|^  #{post_id} ", report, re.M), post_id
    comments = source.count("<wp:comment>")
    assert (
        f"Summe: 15 Einträge in der Datei = 4 Beiträge + 1 Entwurf + 1 Seite + 9 übersprungen; "
        f"{comments} Kommentare = 7 übernommen + 7 übersprungen." in report
    )
    for reason in ("Spam", "wartet auf Freigabe", "im Papierkorb", "Pingback", "Trackback"):
        assert re.search(rf"^\s+1  {reason}$", report, re.M), reason
    assert "#21 Beitrag „Privat: Notizen“: privat; mit --include-private" in report
    assert "#23 Beitrag „Zukunftsmusik“: geplant (future)" in report
    assert "#24 Beitrag „Nur für Freunde“: passwortgeschützt" in report
    assert "#50 Anhang „affe“: Mediendatei, kein Beitrag" in report
    assert "#60 Menüeintrag „Startseite“" in report


def test_report_names_what_needs_a_hand(imported):
    _, report = imported
    assert "111.md: antwortet auf Kommentar 105, der nicht übernommen wird (Spam)" in report
    assert "110.md: antwortet auf Kommentar 999, der in der Exportdatei fehlt" in report
    assert "Shortcode [gallery]" not in report  # a gallery of the attachments now
    assert "Shortcode [contact-form-7] als Text übernommen" in report
    assert "/2015/12/gr%c3%b6%c3%9fer-schneller-weiter/ -> /2015/12/groesser-schneller-weiter/" in (
        report
    )
    assert "https://bilder.example.net/foto.jpg" in report
    images = re.findall(r"^  (wp-content/uploads/\S+) -> (content/images/\S+)$", report, re.M)
    assert images == [
        ("wp-content/uploads/2015/06/affe-600x400.jpg", "content/images/2015/06/affe-600x400.jpg"),
        ("wp-content/uploads/2015/06/affe.jpg", "content/images/2015/06/affe.jpg"),
        ("wp-content/uploads/2015/07/team.png", "content/images/2015/07/team.png"),
    ]


def test_article_headers(imported):
    site, _ = imported
    articles = site / "content" / "articles"
    for path in [*sorted(articles.glob("*.md")), site / "content/pages/ueber-mich.md"]:
        checked = check_header(path.read_text(encoding="utf-8"), str(path), needs_date=True)
        assert checked.problems == [], path
    first = (articles / "2015-06-19-fuer-wen-machen-wir-das-eigentlich.md").read_text()
    assert first.startswith(
        "Title: Für wen machen wir das eigentlich?\n"
        "Date: 2015-06-19T08:30:00+02:00\n"
        "Category: Organisationsentwicklung\n"
        "Tags: Soziale Arbeit, Sinn, Kundenorientierung\n"
        "Slug: fuer-wen-machen-wir-das-eigentlich\n"
        "Summary: Soziale Organisationen sollen sich an ihren Kunden orientieren – aber "
        "wofür eigentlich? Eine Frage, die selten gestellt wird.\n"
        "Image: images/2015/06/affe.jpg\n"
        "Image_alt: Ein Affe sitzt ganz oben auf einem Organigramm\n\n"
    )
    closed = (articles / "2015-12-01-groesser-schneller-weiter.md").read_text()
    assert "\nComments: closed\n" in closed
    assert "\nSummary: Wachstum in Zahlen – und warum größer nicht besser ist.\n" in closed
    draft = (articles / "2016-01-10-entwurf-ueber-fuehrung.md").read_text()
    assert "\nDate: 2016-01-10T09:15:00+01:00\n" in draft and "\nStatus: draft\n" in draft


def test_comment_files_load_without_problems(imported):
    site, _ = imported
    by_slug, problems = load_comments(site / "content" / "comments")
    assert problems == []
    comments = {c.id: c for c in by_slug["fuer-wen-machen-wir-das-eigentlich"]}
    assert sorted(comments) == ["101", "102", "103", "110", "111", "112"]
    assert (comments["102"].replyto, comments["103"].replyto) == ("101", "102")
    assert comments["110"].replyto is None and comments["111"].replyto is None
    assert [c.id for c in comments.values() if c.by_author] == ["102"]
    assert comments["101"].url == "https://kevin.example/blog/"
    assert comments["110"].url is None  # an IP address as host is never written
    assert comments["111"].author == "Lisa"
    assert str(comments["101"].date) == "2015-06-19 21:14:00+02:00"
    for thread in by_slug.values():
        _, tree_problems = build_tree(thread)
        assert tree_problems == []


def test_no_address_script_or_javascript_in_any_file_written(imported):
    site, _ = imported
    source = FIXTURE.read_text(encoding="utf-8")
    commenters = set(re.findall(r"<wp:comment_author_email><!\[CDATA\[(.*?)\]\]>", source))
    commenters |= set(re.findall(r"<wp:comment_author_IP><!\[CDATA\[(.*?)\]\]>", source))
    commenters.discard("")
    assert len(commenters) > 20
    files = [p for p in (site / "content").rglob("*") if p.is_file() and "images" not in p.parts]
    assert len(files) == 15  # with redirects.txt
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not EMAIL.search(text), (path, EMAIL.search(text))
        assert not IPV4.search(text), (path, IPV4.search(text))
        assert not any(value in text for value in commenters), path
        assert "<script" not in text.lower(), path
        assert "javascript:" not in text.lower(), path
        assert "akismet" not in text.lower(), path


def test_build_has_no_warning_about_imported_files(built):
    for line in built.log.splitlines():
        assert "content/articles" not in line and "content/comments" not in line, line
        assert "content/pages" not in line, line


@pytest.mark.parametrize(
    "url",
    [
        FOR_WHOM,
        "2015/06/mitternacht-in-utc/",  # posted 23:30 on a blog set to UTC: still June
        "2015/07/selbstorganisation-im-team/",
        "2015/12/groesser-schneller-weiter/",
        "ueber-mich/",
        "entwuerfe/entwurf-ueber-fuehrung/",
    ],
)
def test_posts_at_their_old_urls(built, url):
    assert built.path(url).is_file(), url


def test_threads_intact(built):
    soup = built.html(FOR_WHOM)
    top = [li["id"] for li in soup.select("#comments > ol.comment-list > li")]
    assert top == ["comment-101", "comment-110", "comment-111", "comment-112"]
    reply = soup.select_one("#comment-101 > ol.children > li")
    assert reply["id"] == "comment-102"
    assert "by-author" in reply["class"]
    deepest = soup.select_one("#comment-102 > ol.children > li")
    assert deepest["id"] == "comment-103"
    assert "by-author" not in deepest["class"]
    assert "Jürgen Müller-Lüdenscheidt" in deepest.select_one(".comment-author").get_text()
    assert soup.select_one("#comments-title").get_text() == (
        "6 Kommentare zu „Für wen machen wir das eigentlich?“"
    )
    body = soup.select_one("#comment-101 .comment-body")
    assert len(body.find_all("p")) == 2 and body.find("br") is not None
    author = soup.select_one("#comment-101 a.comment-author")
    assert author["href"] == "https://kevin.example/blog/"


def test_hostile_comment_is_harmless(built):
    soup = built.html(FOR_WHOM)
    body = soup.select_one("#comment-112 .comment-body")
    assert body.find(["script", "img", "iframe"]) is None
    assert [a["href"] for a in body.find_all("a")] == ["https://mallory.example/"]
    assert "alert" not in str(body)


def test_moderated_comments_and_pings_are_not_shown(built):
    text = built.html(FOR_WHOM).get_text()
    for name in ("Billig Pillen", "Wartende Wanda", "Papierkorb Paul", "Verlinkt", "Trackback"):
        assert name not in text


def test_closed_post_shows_its_archive(built):
    soup = built.html("2015/12/groesser-schneller-weiter/")
    assert soup.select_one("#comment-201") is not None
    assert soup.select_one(".comments-closed") is not None
    link = soup.select_one("#comment-201 .comment-body a")
    assert link["href"] == "https://zahlen.example/statistik_2015"


def test_body_conversion_in_the_page(built):
    soup = built.html("2015/12/groesser-schneller-weiter/")
    table = soup.select_one(".article-body table")
    assert [th.get_text() for th in table.find_all("th")] == ["Jahr", "Klienten", "Mitarbeitende"]
    code = soup.select_one(".article-body pre code.language-python")
    assert "print(a[b[0]]>1)" in code.get_text()
    links = [a["href"] for a in soup.select(".article-body a")]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in links
    # [gallery ids="50,51"]: the image attachment 50 (51 is a PDF), as a grid of figures
    gallery = soup.select_one(".article-body figure.gallery.gallery-columns-2")
    assert [img["alt"] for img in gallery.select("figure.gallery-item img")] == [
        "Ein Affe sitzt ganz oben auf einem Organigramm"
    ]
    assert "[gallery" not in soup.select_one(".article-body").get_text()

    first = built.html(FOR_WHOM)
    figure = first.select_one(".article-body img[alt='Ein Affe ganz oben auf dem Organigramm']")
    assert figure["src"].endswith("images/2015/06/affe-600x400.jpg")
    assert "Der Affe sitzt ganz oben" in figure.find_parent("p").em.get_text()
    assert "images/2015/06/affe-" in first.select_one(".featured-image img")["src"]  # a rendition

    team = built.html("2015/07/selbstorganisation-im-team/")
    assert team.select_one(".article-body table td").get_text() == "Rolle"
    assert team.select_one(".article-body a[href='https://vimeo.com/123456']") is not None
    assert team.select_one("img[src*='bilder.example.net']") is None  # a link, not loaded


def test_drafts_and_skipped_items_are_not_published(built):
    listed = built.html("index.html").get_text() + built.html("archiv/").get_text()
    assert "Entwurf: Über Führung" not in listed
    assert "Für wen machen wir das eigentlich?" in listed
    everything = "".join(p.read_text(encoding="utf-8") for p in built.pages())
    for title in (
        "Privat: Notizen",
        "Wartet auf Freigabe",
        "Zukunftsmusik",
        "Nur für Freunde",
        "Weggeworfen",
        "Seitenleser",
    ):
        assert title not in everything, title


def test_output_has_no_commenter_address(built):
    source = FIXTURE.read_text(encoding="utf-8")
    secrets = set(re.findall(r"<wp:comment_author_(?:email|IP)><!\[CDATA\[(.+?)\]\]>", source))
    for path in built.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(secret in text for secret in secrets), path
