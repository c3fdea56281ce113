"""The files the importer writes (wpimport.documents) and re-runs (wpimport.writer)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil import parser as dateparser

from rundbrief.comments.files import parse_comment
from rundbrief.comments.text import CommentFile, comment_header_date, comment_text
from rundbrief.quality.header import check_header, read_header
from wpimport.documents import (
    ANONYMOUS,
    ArticleHeader,
    article_text,
    commenter_name,
    commenter_url,
    page_text,
    summary_value,
)
from wpimport.report import Imported, Report, Skipped
from wpimport.writer import EDITED, FORCED, FOREIGN, MANIFEST, NEW, UNCHANGED, UPDATED, Writer

BERLIN = ZoneInfo("Europe/Berlin")


def test_article_header():
    header = ArticleHeader(
        title="Für wen?\nZweite Zeile",
        date=datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN),
        slug="fuer-wen",
        category="Organisationsentwicklung",
        tags=("Soziale Arbeit", "Sinn, Zweck", "Sinn", "Soziale Arbeit"),
        summary=summary_value("# Kein Titel, *kein* Akzent"),
        image="images/2015/06/affe.jpg",
        image_alt="Ein Affe",
        draft=True,
        comments_closed=True,
    )
    text = article_text(header, "Text\n")
    assert text == (
        "Title: Für wen? Zweite Zeile\n"
        "Date: 2015-06-19T08:30:00+02:00\n"
        "Category: Organisationsentwicklung\n"
        "Tags: Soziale Arbeit, Sinn Zweck, Sinn\n"
        "Slug: fuer-wen\n"
        "Summary: \\# Kein Titel, \\*kein\\* Akzent\n"
        "Image: images/2015/06/affe.jpg\n"
        "Image_alt: Ein Affe\n"
        "Status: draft\n"
        "Comments: closed\n"
        "\n"
        "Text\n"
    )
    checked = check_header(text, "x.md", needs_date=True)
    assert checked.problems == [] and not checked.skip
    fields = read_header(text)
    date = dateparser.parse(fields["date"].value)
    assert date.utcoffset().total_seconds() == 7200


def test_page_header():
    text = page_text("Über mich", "ueber-mich", None, "Text", draft=False)
    assert text == "Title: Über mich\nSlug: ueber-mich\n\nText\n"
    assert check_header(text, "p.md").problems == []


def test_comment_file_parses_in_the_comments_plugin():
    document = CommentFile(
        author="Jürgen  Müller\nzwei",
        date=datetime(2015, 6, 19, 21, 14, 7, tzinfo=BERLIN),
        body="Hallo,\nzweite Zeile.",
        replyto=101,
        url="https://kevin.example/",
        by_author=True,
    )
    text = comment_text(document)
    assert text == (
        "author: Jürgen Müller zwei\ndate: 2015-06-19 21:14:07\nreplyto: 101\n"
        "url: https://kevin.example/\nby_author: true\n\nHallo,\nzweite Zeile.\n"
    )
    comment, problems = parse_comment(text, path="c/102.md", article_slug="a", comment_id="102")
    assert problems == []
    assert comment.author == "Jürgen Müller zwei"
    assert comment.date == datetime(2015, 6, 19, 21, 14, 7, tzinfo=BERLIN)  # seconds kept
    assert (comment.replyto, comment.url, comment.by_author) == ("101", document.url, True)
    assert comment.body == "Hallo,\nzweite Zeile."


def test_comment_date_in_the_ambiguous_hour_has_its_offset():
    first = datetime(2015, 10, 25, 0, 30, 5, tzinfo=ZoneInfo("UTC")).astimezone(BERLIN)
    second = datetime(2015, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC")).astimezone(BERLIN)
    assert comment_header_date(first) == "2015-10-25 02:30:05 +02:00"
    assert comment_header_date(second) == "2015-10-25 02:30 +01:00"
    noon = datetime(2015, 6, 1, 12, 0, tzinfo=BERLIN)
    assert comment_header_date(noon) == "2015-06-01 12:00"  # no seconds: none written
    for moment in (first, second):
        text = comment_text(CommentFile("A", moment, "x"))
        comment, problems = parse_comment(text, path="p", article_slug="a", comment_id="1")
        # In the repeated hour, aware datetimes of different zones never compare equal.
        assert problems == [] and comment.date.timestamp() == moment.timestamp()


@pytest.mark.parametrize(
    ("raw", "name", "changed"),
    [
        ("Kevin", "Kevin", False),
        ("  Jürgen \n Müller ", "Jürgen Müller", False),
        ("Tom &amp; Jerry", "Tom & Jerry", False),
        ("Lisa (lisa@mail.example)", "Lisa", True),
        ("lisa@mail.example", ANONYMOUS, True),
        ("192.0.2.1", ANONYMOUS, True),
        ("", ANONYMOUS, False),
        ("<b>Fett</b>", "Fett", False),
    ],
)
def test_commenter_name(raw, name, changed):
    assert commenter_name(raw) == (name, changed)


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://kevin.example/blog/", "https://kevin.example/blog/"),
        ("http://kevin.example", "http://kevin.example"),
        ("javascript:alert(1)", None),
        ("mailto:kevin@mail.example", None),
        ("http://user@kevin.example/", None),
        ("https://kevin.example/?mail=kevin@mail.example", None),
        ("http://203.0.113.5/wilma", None),
        ("http://[2001:db8::1]/", None),
        ("kevin.example", None),
    ],
)
def test_commenter_url(raw, url):
    assert commenter_url(raw) == url


# --- writer ---------------------------------------------------------------------------


def snapshot(root):
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_write_then_rerun_changes_nothing(tmp_path):
    writer = Writer(tmp_path)
    assert writer.write("articles/a.md", "Eins\n") == NEW
    assert writer.write("comments/a/1.md", "Zwei\n") == NEW
    writer.finish()
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == ["articles/a.md", "comments/a/1.md"]
    before = snapshot(tmp_path)

    again = Writer(tmp_path)
    assert again.write("articles/a.md", "Eins\n") == UNCHANGED
    assert again.write("comments/a/1.md", "Zwei\n") == UNCHANGED
    again.finish()
    assert snapshot(tmp_path) == before


def test_new_import_text_replaces_an_untouched_file(tmp_path):
    first = Writer(tmp_path)
    first.write("articles/a.md", "alt\n")
    first.finish()
    second = Writer(tmp_path)
    assert second.write("articles/a.md", "neu\n") == UPDATED
    second.finish()
    assert (tmp_path / "articles/a.md").read_text() == "neu\n"


def test_edited_file_is_kept_unless_forced(tmp_path):
    first = Writer(tmp_path)
    first.write("articles/a.md", "importiert\n")
    first.finish()
    (tmp_path / "articles/a.md").write_text("von Hand\n")

    kept = Writer(tmp_path)
    assert kept.write("articles/a.md", "importiert\n") == EDITED
    kept.finish()
    assert (tmp_path / "articles/a.md").read_text() == "von Hand\n"

    forced = Writer(tmp_path, force=True)
    assert forced.write("articles/a.md", "importiert\n") == FORCED
    forced.finish()
    assert (tmp_path / "articles/a.md").read_text() == "importiert\n"
    assert Writer(tmp_path).write("articles/a.md", "importiert\n") == UNCHANGED


def test_file_the_importer_never_wrote_is_kept(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages/impressum.md").write_text("Title: Impressum\n\nvon Hand\n")
    for force in (False, True):  # the author's own file: not even --force replaces it
        writer = Writer(tmp_path, force=force)
        assert writer.write("pages/impressum.md", "Title: Impressum\n\nimportiert\n") == FOREIGN
        assert (tmp_path / "pages/impressum.md").read_text().endswith("von Hand\n")
    same = Writer(tmp_path)
    (tmp_path / "pages/x.md").write_text("gleich\n")
    assert same.write("pages/x.md", "gleich\n") == UNCHANGED
    assert "pages/x.md" in same.manifest.files


def test_choose_avoids_the_authors_files_and_stays_stable(tmp_path):
    (tmp_path / "articles").mkdir()
    own = tmp_path / "articles/2015-06-19-x.md"
    own.write_text("eigener Artikel\n")
    names = ["articles/2015-06-19-x.md", "articles/2015-06-19-x-wp10.md"]
    writer = Writer(tmp_path)
    chosen = writer.choose(names, "importiert\n")
    assert chosen == names[1]
    assert writer.write(chosen, "importiert\n") == NEW
    writer.finish()
    own.unlink()  # even when the author's file is gone, the import keeps its own name
    assert Writer(tmp_path).choose(names, "importiert\n") == names[1]
    assert Writer(tmp_path).choose(["articles/neu.md"], "x") == "articles/neu.md"


def test_dry_run_writes_nothing(tmp_path):
    writer = Writer(tmp_path, dry_run=True)
    assert writer.write("articles/a.md", "x\n") == NEW
    writer.finish()
    assert list(tmp_path.iterdir()) == []


def test_broken_manifest_protects_every_file(tmp_path):
    (tmp_path / MANIFEST).write_text("{kaputt")
    (tmp_path / "a.md").write_text("alt\n")
    writer = Writer(tmp_path)
    assert "beschädigt" in writer.manifest.problem
    assert writer.write("a.md", "neu\n") == FOREIGN


def test_report_lists_everything():
    report = Report(source="export.xml", content="content", version="1.2", site_title="Blog")
    report.item_count, report.comment_count = 3, 4
    report.imported.append(Imported("Beitrag", 10, "Für wen?", "articles/a.md", NEW, 2))
    report.imported.append(Imported("Entwurf", 20, "Entwurf", "articles/b.md", EDITED))
    report.skipped.append(Skipped(21, "Beitrag", "Privat", "privat; mit --include-private …"))
    report.comments_written[NEW] += 2
    report.comments_skipped["Spam"] += 2
    report.images["wp-content/uploads/a.jpg"] = "images/a.jpg"
    report.warn("content/comments/a/3.md", "antwortet auf Kommentar 9, der fehlt")
    text = report.text()
    assert "content/articles/a.md  „Für wen?“ (#10, 2 Kommentare)" in text
    assert "#21 Beitrag „Privat“: privat" in text
    assert "2  Spam" in text
    assert "wp-content/uploads/a.jpg -> content/images/a.jpg" in text
    assert "Nicht überschrieben (von Hand geänderte mit --force überschreiben):" in text
    assert (
        "Summe: 3 Einträge in der Datei = 1 Beitrag + 1 Entwurf + 1 übersprungen; "
        "4 Kommentare = 2 übernommen + 2 übersprungen." in text
    )
