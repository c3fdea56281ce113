"""`python -m wpimport` as the author runs it: re-runs, edits, --force, bad input, memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.sitebuild import ROOT
from tests.support.wpimport import run_import

FIXTURES = ROOT / "tests" / "fixtures" / "wxr"
EXPORT = FIXTURES / "export.xml"
ARTICLE = "content/articles/2015-06-19-fuer-wen-machen-wir-das-eigentlich.md"
COMMENT = "content/comments/fuer-wen-machen-wir-das-eigentlich/101.md"


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


@pytest.fixture
def imported(site) -> Path:
    result = run_import(site, str(EXPORT))
    assert result.returncode == 0, result.stderr
    return site


def test_second_import_changes_nothing(imported):
    before = snapshot(imported)
    result = run_import(imported, str(EXPORT))
    assert result.returncode == 0, result.stderr
    assert snapshot(imported) == before
    assert "Dateien: 0 neu, 0 aktualisiert, 13 unverändert," in result.stdout
    assert "Nichts Neues: keine Datei geschrieben." in result.stdout


def test_edited_files_are_kept_unless_forced(imported):
    article, comment = imported / ARTICLE, imported / COMMENT
    article.write_text(article.read_text(encoding="utf-8") + "\nVon Hand ergänzt.\n", "utf-8")
    comment.write_text(comment.read_text(encoding="utf-8").replace("Kevin", "Kevin K."), "utf-8")
    edited = snapshot(imported)

    kept = run_import(imported, str(EXPORT))
    assert kept.returncode == 0
    assert snapshot(imported) == edited
    assert "Nicht überschrieben (von Hand geänderte mit --force überschreiben):" in kept.stdout
    assert f"  {ARTICLE}: von Hand geändert" in kept.stdout
    assert f"{COMMENT}: seit dem letzten Import von Hand geändert" in kept.stdout

    again = run_import(imported, str(EXPORT))  # still edited: still kept
    assert snapshot(imported) == edited and f"  {ARTICLE}: von Hand geändert" in again.stdout

    forced = run_import(imported, str(EXPORT), "--force")
    assert forced.returncode == 0
    assert "Von Hand ergänzt" not in article.read_text(encoding="utf-8")
    assert "author: Kevin\n" in comment.read_text(encoding="utf-8")
    assert "2 überschrieben (--force)" in forced.stdout
    final = run_import(imported, str(EXPORT))
    assert "Nichts Neues" in final.stdout


def test_deleted_file_is_written_again(imported):
    (imported / COMMENT).unlink()
    result = run_import(imported, str(EXPORT))
    assert (imported / COMMENT).is_file()
    assert "Kommentare (7): 1 neu, 6 unverändert" in result.stdout


def test_dry_run_writes_nothing(site):
    result = run_import(site, str(EXPORT), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Probelauf (--dry-run): es wurde nichts geschrieben." in result.stdout
    assert "Dateien: 13 neu" in result.stdout
    assert snapshot(site) == {}


def test_include_private_imports_hidden_posts_as_drafts(site):
    result = run_import(site, str(EXPORT), "--include-private")
    assert result.returncode == 0, result.stderr
    articles = site / "content" / "articles"
    for name in (
        "2016-02-01-notizen.md",
        "2016-02-05-wartet-auf-freigabe.md",
        "2030-01-01-zukunftsmusik.md",
        "2016-03-01-nur-fuer-freunde.md",
    ):
        assert "\nStatus: draft\n" in (articles / name).read_text(encoding="utf-8"), name
    assert "privat; als Entwurf übernommen" in result.stdout
    assert "Summe: 15 Einträge in der Datei = 4 Beiträge + 5 Entwürfe + 1 Seite" in result.stdout


def test_hand_written_article_with_the_same_slug_is_not_touched(site):
    own = site / "content" / "articles" / "mein-artikel.md"
    own.parent.mkdir(parents=True)
    own.write_text("Title: Für wen machen wir das eigentlich?\nDate: 2015-06-19\n\nEigener Text\n")
    result = run_import(site, str(EXPORT))
    assert result.returncode == 0
    assert own.read_text().endswith("Eigener Text\n")
    assert not (site / ARTICLE).exists()
    assert not (site / "content/comments/fuer-wen-machen-wir-das-eigentlich").exists()
    assert (
        "#10 Beitrag „Für wen machen wir das eigentlich?“: den Slug "
        "„fuer-wen-machen-wir-das-eigentlich“ hat schon content/articles/mein-artikel.md"
    ) in result.stdout
    assert "11 zu übersprungenen Einträgen" not in result.stdout
    assert "12  zu übersprungenen Einträgen" in result.stdout


def test_authors_file_with_the_same_name_is_never_replaced(site):
    own = site / ARTICLE
    own.parent.mkdir(parents=True)
    own.write_text("Title: Ein ganz anderer Artikel\nDate: 2015-06-19\n\nEigener Text\n")
    for args in ((), ("--force",), ()):
        result = run_import(site, str(EXPORT), *args)
        assert result.returncode == 0, result.stderr
        assert own.read_text().endswith("Eigener Text\n")
    moved = site / ARTICLE.replace(".md", "-wp10.md")
    assert "\nSlug: fuer-wen-machen-wir-das-eigentlich\n" in moved.read_text(encoding="utf-8")
    assert f"{ARTICLE} gibt es schon (nicht vom Import)" in result.stdout
    assert "Nichts Neues" in result.stdout


BAD = ["not-xml.xml", "plain-rss.xml", "truncated.xml", "wxr-2.0.xml"]


@pytest.mark.parametrize("name", [*BAD, "missing.xml"])
def test_bad_input_one_line_exit_2_nothing_written(site, name):
    existing = site / "content" / "pages" / "impressum.md"
    existing.parent.mkdir()
    existing.write_text("Title: Impressum\n\nText\n")
    before = snapshot(site)
    path = FIXTURES / name
    result = run_import(site, str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}: ")
    assert "Traceback" not in result.stderr
    assert snapshot(site) == before


def test_bad_input_messages(site):
    def message(name):
        return run_import(site, str(FIXTURES / name)).stderr.split(": ", 1)[1].strip()

    assert message("plain-rss.xml") == (
        "keine WordPress-Exportdatei (WXR): das RSS enthält keinen wp:wxr_version-Eintrag."
    )
    assert message("not-xml.xml").startswith("keine XML-Datei")
    assert message("truncated.xml").startswith("die Datei ist unvollständig (abgeschnitten?)")
    assert message("wxr-2.0.xml").startswith(
        "WXR-Version „2.0“ wird nicht unterstützt; lesbar sind die Versionen 1.0, 1.1 und 1.2"
    )


def test_missing_content_folder(tmp_path):
    result = run_import(tmp_path, str(EXPORT))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "content: den Inhaltsordner gibt es nicht; im Projektordner aufrufen oder --content "
        "angeben."
    ]
    assert list(tmp_path.iterdir()) == []


def test_content_option(tmp_path):
    (tmp_path / "blog").mkdir()
    result = run_import(tmp_path, str(EXPORT), "--content", "blog")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "blog/pages/ueber-mich.md").is_file()
    assert "blog/pages/ueber-mich.md" in result.stdout
