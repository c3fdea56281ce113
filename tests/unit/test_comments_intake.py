"""The pure parts of the comment intake: checks, the comment file, the store, the
publisher, the manifest. (The whole path over HTTP: tests/service/test_comments_*.py.)"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

from rundbrief.comments.files import parse_comment
from rundbrief.comments.manifest import (
    ArticleEntry,
    ManifestError,
    manifest_text,
    parse_manifest,
    read_manifest,
    write_manifest,
)
from service.comments import checks, files
from service.comments import store as db
from service.comments.config import comments_config_from_settings
from service.comments.publisher import Publisher, run_command

FORM = {
    "slug": "offen",
    "comment_parent": "0",
    "author": "Anna",
    "email": "",
    "url": "",
    "comment": "Ein guter Gedanke.\r\nZweite Zeile.",
    "website": "",
    "stamp": "x",
}


def errors(**changes) -> list[str]:
    post = checks.read_post({**FORM, **changes})
    return checks.field_errors(post, max_length=500, max_links=2)


def test_a_plain_comment_passes_and_line_breaks_are_normalised():
    post = checks.read_post(FORM)
    assert post.comment == "Ein guter Gedanke.\nZweite Zeile."
    assert post.parent is None and not post.notify
    assert errors() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"author": ""}, "Bitte gib einen Namen an"),
        ({"author": "A" * 101}, "höchstens 100 Zeichen"),
        ({"author": "Anna\r\nBcc: x@example.org"}, "in eine Zeile"),
        ({"author": "anna@example.org"}, "keine E-Mail- oder IP-Adresse in den Namen"),
        ({"author": "10.0.0.1"}, "keine E-Mail- oder IP-Adresse in den Namen"),
        ({"email": "anna@example.org\r\nBcc: b@example.org"}, "Zeilenumbruch"),
        ({"email": "kein-at"}, "keine gültige E-Mail-Adresse"),
        ({"email": "a" * 250 + "@example.org"}, "zu lang"),
        ({"url": "javascript:alert(1)"}, "vollständige Adresse"),
        ({"url": "https://example.org/\nx"}, "vollständige Adresse"),
        ({"url": "https://example.org/" + "a" * 200}, "höchstens 200 Zeichen"),
        ({"url": "https://user@example.org/"}, "vollständige Adresse"),
        ({"comment": ""}, "Bitte schreibe einen Kommentar"),
        ({"comment": "x" * 501}, "höchstens 500 gehen"),
        ({"comment": "a https://a.example b www.b.example c https://c.example"}, "3 Links"),
        (
            {"comment": "[a](https://a.example) <a href='http://b.example'>b</a> www.c.example"},
            "3 Links",
        ),
        ({"comment": "Schreib mir: anna@example.org"}, "keine E-Mail- oder IP-Adresse"),
        ({"comment": "Text\x00mit Null"}, "Steuerzeichen"),
        ({"notify": "1"}, "brauchen wir Deine E-Mail-Adresse"),
    ],
)
def test_bad_input_is_refused_with_a_german_reason(changes, expected):
    found = errors(**changes)
    assert len(found) == 1 and expected in found[0], found


def test_a_link_counts_once_however_it_is_marked_up():
    assert checks.count_links("[a](https://www.a.example/) ![b](http://b.example/x.png)") == 2
    assert errors(comment="[a](https://a.example) <a href='https://b.example'>b</a>") == []


def test_html_and_script_are_no_reason_to_refuse_they_are_escaped_later():
    # The build's sanitiser deals with markup, as for every comment.
    assert errors(comment="<script>alert(1)</script> <b>fett</b>") == []


def test_stamp_judgement():
    assert checks.judge_stamp(None, "offen", None, 1000.0) == checks.STAMP_MISSING
    assert checks.judge_stamp(999.0, "offen", "andere", 1000.0) == checks.STAMP_MISSING
    assert checks.judge_stamp(998.0, "offen", "offen", 1000.0) == checks.STAMP_FAST
    assert checks.judge_stamp(990.0, "offen", "offen", 1000.0) == checks.STAMP_OK
    assert checks.judge_stamp(1000.0 - 86_401, "offen", "offen", 1000.0) == checks.STAMP_OLD


def test_fingerprint_ignores_white_space_and_case():
    one = checks.read_post({**FORM, "comment": "Ein  guter\nGedanke"})
    two = checks.read_post({**FORM, "comment": "ein guter gedanke", "author": " anna "})
    other = checks.read_post({**FORM, "slug": "anderer"})
    assert one.fingerprint() == two.fingerprint() != other.fingerprint()


def test_written_file_is_read_back_by_the_builds_own_reader(tmp_path):
    root = tmp_path / "comments"
    (root / "offen").mkdir(parents=True)
    (root / "offen" / "116.md").write_text("author: K\ndate: 2015-06-19 21:14\n\nx\n")
    (root / "anderer").mkdir()
    (root / "anderer" / "200.md").write_text("author: L\ndate: 2015-06-19 21:14\n\ny\n")
    (root / "anderer" / "b7.md").write_text("author: M\ndate: 2015-06-19 21:14\n\nz\n")
    body = "Erste Zeile\nzweite: Zeile\n\n<script>alert(1)</script>"
    number, path = files.write_comment(
        root,
        slug="offen",
        author="Anna Beispiel",
        url="https://anna.example/",
        body=body,
        parent="116",
        created_at=1_434_741_240.0,  # 2015-06-19 19:14 UTC
        timezone="Europe/Berlin",
    )
    assert number == "201" and path == root / "offen" / "201.md"  # above the highest id
    text = path.read_text(encoding="utf-8")
    comment, problems = parse_comment(text, path=str(path), article_slug="offen", comment_id="201")
    assert problems == []
    assert comment.author == "Anna Beispiel" and comment.replyto == "116"
    assert comment.url == "https://anna.example/" and comment.body == body
    assert comment.date.isoformat() == "2015-06-19T21:14:00+02:00"
    assert "@" not in text
    assert files.comment_author(root, "offen", "201") == "Anna Beispiel"
    assert files.comment_author(root, "offen", "999") is None
    # Never overwritten: a file that appears meanwhile pushes the id up.
    (root / "offen" / "202.md").write_text("schon da")
    number, _ = files.write_comment(
        root, slug="offen", author="B", url="", body="b", parent=None, created_at=0, timezone="UTC"
    )
    assert number == "203" and (root / "offen" / "202.md").read_text() == "schon da"


def test_store_keeps_addresses_only_for_subscriptions_and_purges_them():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    db.create_tables(connection)
    db.create_tables(connection)  # idempotent
    first = db.add_comment(
        connection, slug="a", parent=None, author="A", url="", body="t", fingerprint="f", now=0
    )
    assert db.is_duplicate(connection, "f") and not db.is_duplicate(connection, "g")
    subscription = db.add_subscription(connection, first, "a@example.org", now=0)
    assert [s.id for s in db.subscriptions_of(connection, first)] == []  # not confirmed yet
    db.confirm_subscription(connection, subscription.id, now=10)
    assert [s.email for s in db.subscriptions_of(connection, first)] == ["a@example.org"]
    assert db.purge(connection, now=10 + 29 * 86_400) == 0
    assert db.purge(connection, now=11 + 30 * 86_400) == 1
    assert db.get_subscription(connection, subscription.id) is None
    # Spam keeps nothing but the fingerprint; its addresses go.
    db.add_subscription(connection, first, "b@example.org", now=0)
    db.mark_rejected(connection, first, db.SPAM, now=1)
    row = db.get_comment(connection, first)
    assert (row.status, row.author, row.body) == ("spam", "", "")
    assert db.is_duplicate(connection, "f")
    assert connection.execute("SELECT COUNT(*) FROM comment_subscriptions").fetchone()[0] == 0


def test_publisher_runs_one_at_a_time_and_coalesces(tmp_path):
    log = tmp_path / "runs.txt"
    gate = tmp_path / "gate"
    script = tmp_path / "publish.py"
    started = tmp_path / "started"
    script.write_text(
        "import pathlib, sys, time\n"
        f"pathlib.Path({str(started)!r}).touch()\n"
        f"gate = pathlib.Path({str(gate)!r})\n"
        "while not gate.exists(): time.sleep(0.01)\n"
        f"with open({str(log)!r}, 'a') as f: f.write('run\\n')\n"
    )
    results = []

    def on_result(ok, output, reason):
        results.append(ok)

    publisher = Publisher(
        f"{sys.executable} {script}", cwd=tmp_path, timeout=30, on_result=on_result
    )
    publisher.request()  # starts a run that waits for the gate
    while not started.exists():
        time.sleep(0.01)
    for _ in range(5):
        publisher.request()  # all served by one more run
    gate.touch()
    assert publisher.wait(timeout=30)
    assert log.read_text().count("run") == 2 and results == [True, True]


def test_publish_failure_is_reported_with_the_tail_of_the_output(tmp_path):
    ok, output, reason = run_command(
        f"{sys.executable} -c \"print('kaputt'); raise SystemExit(3)\"", cwd=tmp_path, timeout=30
    )
    assert not ok and "kaputt" in output and reason == "Exit-Status 3"
    ok, _, reason = run_command(
        f'{sys.executable} -c "import time; time.sleep(5)"', cwd=tmp_path, timeout=0.5
    )
    assert not ok and "abgebrochen" in reason


def test_manifest_round_trip_and_errors(tmp_path):
    entries = [
        ArticleEntry("b", "B & Co.", "2024/03/b/", "closed"),
        ArticleEntry(
            "a", "Ä", "https://blog.example/2024/03/a/", "open", (("6", None), ("7", "6"))
        ),
    ]
    assert manifest_text(entries) == manifest_text(reversed(entries))  # deterministic
    write_manifest(tmp_path, entries)
    read = read_manifest(tmp_path)
    assert read["a"].open and not read["b"].open and read["b"].title == "B & Co."
    assert read["a"].shown == (("6", None), ("7", "6")) and read["b"].shown == ()
    with pytest.raises(ManifestError, match="make html"):
        read_manifest(tmp_path / "nirgends")
    with pytest.raises(ManifestError):
        parse_manifest('{"version": 99, "articles": {}}')


def test_config_reads_the_shared_specs(tmp_path):
    config = comments_config_from_settings(
        {"PATH": "content", "COMMENTS_REPLY_EMAIL": "k@example.org"}, base_dir=tmp_path
    )
    assert config.comments_dir == tmp_path / "content" / "comments"
    assert config.max_length == 20_000 and config.moderator == "k@example.org"
    assert config.post_url == "/newsletter/comments" and config.publish_command == ""
    from rundbrief.settings_check import SettingsError  # noqa: PLC0415

    with pytest.raises(SettingsError, match="COMMENTS_MAX_LINKS"):
        comments_config_from_settings({"COMMENTS_MAX_LINKS": -1}, base_dir=Path("."))


def test_publishers_of_two_processes_wait_for_each_other(tmp_path):
    log = tmp_path / "log.txt"
    script = tmp_path / "publish.py"
    script.write_text(
        "import sys, time\n"
        f"log = open({str(log)!r}, 'a', buffering=1)\n"
        "log.write('start\\n'); time.sleep(0.3); log.write('end\\n')\n"
    )
    lock = tmp_path / "db.sqlite.publish.lock"
    publishers = [
        Publisher(
            f"{sys.executable} {script}",
            cwd=tmp_path,
            timeout=30,
            on_result=lambda *result: None,
            lock=lock,
        )
        for _ in range(2)
    ]
    for publisher in publishers:
        publisher.request()
    assert all(publisher.wait(timeout=30) for publisher in publishers)
    assert log.read_text().split() == ["start", "end", "start", "end"]
