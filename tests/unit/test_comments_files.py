"""Reading comment files and a comments folder: good fields and every bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rundbrief.comments.files import load_comments, parse_comment, read_comment_file
from rundbrief.comments.model import shown

BERLIN = ZoneInfo("Europe/Berlin")
PATH = "content/comments/artikel/116.md"

GOOD = """\
author: Kevin
date: 2015-06-19 21:14
replyto: 115
url: https://example.org/kevin
by_author: false
status: approved

Erste Zeile.
Zweite Zeile.

Zweiter Absatz.
"""


def parse(text, comment_id="116", tz=BERLIN):
    return parse_comment(text, path=PATH, article_slug="artikel", comment_id=comment_id, tz=tz)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def comment_text(author="Kevin", date="2015-06-19 21:14", extra="", body="Hallo."):
    return f"author: {author}\ndate: {date}\n{extra}\n{body}\n"


def test_good_fields_parse():
    comment, problems = parse(GOOD)
    assert problems == []
    assert comment is not None
    assert comment.id == "116"
    assert comment.article_slug == "artikel"
    assert comment.author == "Kevin"
    assert comment.date == datetime(2015, 6, 19, 21, 14, tzinfo=BERLIN)
    assert comment.date.utcoffset() == timedelta(hours=2)
    assert comment.replyto == "115"
    assert comment.url == "https://example.org/kevin"
    assert comment.by_author is False
    assert comment.status == "approved"
    assert comment.body == "Erste Zeile.\nZweite Zeile.\n\nZweiter Absatz."
    assert comment.source_path == PATH


def test_optional_fields_default():
    comment, problems = parse("author: Kevin\ndate: 2015-06-19 21:14\n\nHallo.")
    assert problems == []
    assert (comment.replyto, comment.url, comment.by_author, comment.status) == (
        None,
        None,
        False,
        "approved",
    )


def test_keys_are_case_insensitive_and_values_stripped():
    text = "AUTHOR:   Hendrik Epe  \nDate:2015-06-20 09:05\nBy_Author: Ja\nStatus: Pending\n\nHi"
    comment, problems = parse(text)
    assert problems == []
    assert comment.author == "Hendrik Epe"
    assert comment.by_author is True
    assert comment.status == "pending"


def test_crlf_bom_and_empty_optional_values():
    text = "\ufeffauthor: Kevin\r\ndate: 2015-06-19 21:14\r\nurl:\r\nreplyto:\r\n\r\nZeile\r\n"
    comment, problems = parse(text)
    assert problems == []
    assert comment.author == "Kevin"
    assert comment.body == "Zeile"
    assert comment.url is None and comment.replyto is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-06-19 21:14", datetime(2015, 6, 19, 21, 14, tzinfo=BERLIN)),
        ("2015-06-19 21:14:05", datetime(2015, 6, 19, 21, 14, 5, tzinfo=BERLIN)),
        ("2015-06-19T21:14", datetime(2015, 6, 19, 21, 14, tzinfo=BERLIN)),
        ("2015-12-24 18:00", datetime(2015, 12, 24, 18, 0, tzinfo=BERLIN)),
        ("2015-06-19T19:14:00Z", datetime(2015, 6, 19, 19, 14, tzinfo=UTC)),
        ("2015-06-19 21:14+02:00", datetime(2015, 6, 19, 19, 14, tzinfo=UTC)),
        ("2015-06-19T21:14:00+0200", datetime(2015, 6, 19, 19, 14, tzinfo=UTC)),
        ("2015-06-19 15:14 -04:00", datetime(2015, 6, 19, 19, 14, tzinfo=UTC)),
    ],
)
def test_date_formats(value, expected):
    comment, problems = parse(comment_text(date=value))
    assert problems == []
    assert comment.date == expected
    assert comment.date.tzinfo is not None


def test_winter_date_is_cet_and_other_timezones_apply():
    comment, _ = parse(comment_text(date="2015-12-24 18:00"))
    assert comment.date.utcoffset() == timedelta(hours=1)
    comment, _ = parse(comment_text(date="2015-06-19 21:14"), tz=ZoneInfo("America/New_York"))
    assert comment.date.utcoffset() == timedelta(hours=-4)


def test_default_timezone_is_berlin():
    comment, _ = parse_comment(comment_text(), path=PATH, article_slug="artikel", comment_id="116")
    assert comment.date.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("True", True),
        ("yes", True),
        ("ja", True),
        ("1", True),
        ("false", False),
        ("no", False),
        ("NEIN", False),
        ("0", False),
    ],
)
def test_by_author_values(value, expected):
    comment, problems = parse(comment_text(extra=f"by_author: {value}\n"))
    assert problems == []
    assert comment.by_author is expected


# (name, text, comment kept?, line of the problem, words in the message, words in the fix)
BAD = [
    ("no author", "date: 2015-06-19 21:14\n\nHallo.", False, 1, "author", "author: Name"),
    ("empty author", "author:\ndate: 2015-06-19 21:14\n\nHallo.", False, 1, "author", "author:"),
    ("no date", "author: Kevin\n\nHallo.", False, 1, "Datum fehlt", "JJJJ-MM-TT HH:MM"),
    ("bad date", comment_text(date="19.06.2015 21:14"), False, 2, "19.06.2015", "JJJJ-MM-TT"),
    (
        "offset, no time",
        comment_text(date="2015-06-19+02:00"),
        False,
        2,
        "kein lesbares Datum",
        "HH:MM",
    ),
    ("impossible date", comment_text(date="2015-02-30 10:00"), False, 2, "2015-02-30", "JJJJ"),
    (
        "empty body",
        "author: Kevin\ndate: 2015-06-19 21:14\n\n   \n",
        False,
        4,
        "keinen Text",
        "Text",
    ),
    ("no body", "author: Kevin\ndate: 2015-06-19 21:14\n", False, 3, "keinen Text", "Leerzeile"),
    ("unknown status", comment_text(extra="status: draft\n"), False, 3, "draft", "pending"),
    (
        "status with yaml comment",
        comment_text(extra="status: approved  # default\n"),
        False,
        3,
        "Status",
        "#",
    ),
    ("javascript url", comment_text(extra="url: javascript:alert(1)\n"), True, 3, "url", "https"),
    ("relative url", comment_text(extra="url: www.example.org\n"), True, 3, "url", "https://"),
    (
        "url with login",
        comment_text(extra="url: https://a:b@example.org\n"),
        True,
        3,
        "E-Mail",
        "url",
    ),
    (
        "url with space",
        comment_text(extra="url: https://example.org/a b\n"),
        True,
        3,
        "url",
        "https",
    ),
    ("unknown key", comment_text(extra="website: x\n"), True, 3, "website", "author, date"),
    ("email key", comment_text(extra="email: kevin@example.org\n"), True, 3, "E-Mail", "email"),
    ("e-mail key", comment_text(extra="E-Mail: \n"), True, 3, "E-Mail-Adressen", "löschen"),
    ("email in name", comment_text(author="kevin@example.org"), False, 1, "E-Mail", "löschen"),
    ("ip key", comment_text(extra="ip: 192.0.2.1\n"), True, 3, "IP-Adresse", "ip"),
    ("ip value", comment_text(extra="replyto: 2001:db8::1\n"), True, 3, "IP-Adresse", "löschen"),
    ("bad by_author", comment_text(extra="by_author: vielleicht\n"), True, 3, "vielleicht", "true"),
    ("double key", comment_text(extra="author: Kevin2\n"), True, 3, "doppelt", "Nur eine"),
    (
        "no blank line",
        "author: Kevin\ndate: 2015-06-19 21:14\nHallo ohne Leerzeile.",
        True,
        3,
        "schlüssel: wert",
        "Leerzeile",
    ),
]


@pytest.mark.parametrize(
    ("text", "kept", "line", "said", "fix"), [case[1:] for case in BAD], ids=[c[0] for c in BAD]
)
def test_bad_input_is_reported_with_path_line_and_fix(text, kept, line, said, fix):
    comment, problems = parse(text)
    assert (comment is not None) is kept
    assert problems, "a problem must be reported"
    matching = [p for p in problems if said in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.path == PATH
    assert problem.line == line
    assert fix in problem.fix
    assert str(problem).startswith(f"{PATH}:{line}: ")
    assert " So beheben: " in str(problem)


def test_bad_url_is_dropped_but_the_comment_kept():
    comment, _ = parse(comment_text(extra="url: javascript:alert(1)\n"))
    assert comment.url is None
    assert comment.author == "Kevin"


def test_email_key_is_ignored_and_never_kept():
    comment, problems = parse(comment_text(extra="email: kevin@example.org\n"))
    assert "kevin@example.org" not in repr(comment)
    assert all("kevin@example.org" not in str(p) for p in problems)
    assert "E-Mail-Adressen werden nie gespeichert" in problems[0].message


def test_every_problem_of_a_file_is_reported_at_once():
    text = "Author: \nstatus: spamm\nfoo: bar\nurl: ftp://x\n\n"
    comment, problems = parse(text)
    assert comment is None
    messages = " | ".join(p.message for p in problems)
    for word in ("author", "Datum", "spamm", "foo", "url", "keinen Text"):
        assert word in messages


def test_a_yaml_style_comment_is_part_of_the_value():
    comment, problems = parse(comment_text(extra="replyto: 116   # optional\n"))
    assert problems == []
    assert comment.replyto == "116   # optional"  # reported by the threading as an orphan


def test_body_keeps_markdown_and_key_like_lines():
    body = "Fazit: gut\n\n    code: x\n\n> Zitat"
    comment, problems = parse(comment_text(body=body))
    assert problems == []
    assert comment.body == body


@pytest.mark.parametrize("bad_id", ["mein kommentar", "ä1", "-1", ""])
def test_ids_must_be_usable_as_anchors(bad_id):
    comment, problems = parse(comment_text(), comment_id=bad_id)
    assert comment is None
    assert "umbenennen" in problems[0].fix


def test_read_comment_file_uses_stem_as_id(tmp_path):
    path = write(tmp_path / "artikel" / "0116.md", GOOD)
    comment, problems = read_comment_file(path, article_slug="artikel", tz=BERLIN)
    assert problems == []
    assert comment.id == "0116"
    assert comment.source_path == str(path)


def test_non_utf8_file_names_the_line(tmp_path):
    data = "author: Kevin\ndate: 2015-06-19 21:14\n\nZeile\nMütter\n".encode("latin-1")
    path = tmp_path / "artikel" / "116.md"
    path.parent.mkdir()
    path.write_bytes(data)
    comment, problems = read_comment_file(path, article_slug="artikel", tz=BERLIN)
    assert comment is None
    assert len(problems) == 1
    assert problems[0].path == str(path)
    assert problems[0].line == 5
    assert "als UTF-8 speichern" in problems[0].fix
    assert str(problems[0]).startswith(f"{path}:5: ")


def test_unreadable_file_is_a_problem(tmp_path):
    comment, problems = read_comment_file(tmp_path / "fehlt.md", article_slug="a", tz=BERLIN)
    assert comment is None
    assert problems[0].path == str(tmp_path / "fehlt.md")


def test_load_comments_reads_a_tree_sorted_and_skips_the_rest(tmp_path):
    root = tmp_path / "comments"
    write(root / "b-artikel" / "10.md", comment_text(date="2015-06-19 10:00"))
    write(root / "b-artikel" / "9.md", comment_text(date="2015-06-19 10:00"))
    write(root / "b-artikel" / "2.md", comment_text(date="2015-06-19 09:00"))
    write(root / "b-artikel" / "notiz.txt", "keine Kommentardatei")
    write(root / "b-artikel" / ".7.md", "versteckt, kaputt")
    write(root / ".versteckt" / "1.md", "versteckt, kaputt")
    write(root / "a-artikel" / "1.md", comment_text())
    write(root / "leer" / "README", "nichts")
    by_slug, problems = load_comments(root, tz=BERLIN)
    assert problems == []
    assert list(by_slug) == ["a-artikel", "b-artikel"]
    assert [c.id for c in by_slug["b-artikel"]] == ["2", "9", "10"]
    assert {c.article_slug for c in by_slug["b-artikel"]} == {"b-artikel"}
    assert by_slug == load_comments(root, tz=BERLIN)[0]


def test_load_comments_reports_broken_files_and_keeps_the_others(tmp_path):
    root = tmp_path / "comments"
    write(root / "artikel" / "1.md", comment_text())
    broken = write(root / "artikel" / "2.md", "author: Kevin\n\nOhne Datum.")
    by_slug, problems = load_comments(root, tz=BERLIN)
    assert [c.id for c in by_slug["artikel"]] == ["1"]
    assert [p.path for p in problems] == [str(broken)]


def test_duplicate_ids_differing_in_case_skip_the_second(tmp_path):
    root = tmp_path / "comments"
    write(root / "artikel" / "abc.md", comment_text(author="Erster"))
    second = write(root / "artikel" / "ABC.md", comment_text(author="Zweiter"))
    if len(list((root / "artikel").iterdir())) < 2:
        pytest.skip("case-insensitive file system")
    by_slug, problems = load_comments(root, tz=BERLIN)
    assert len(by_slug["artikel"]) == 1
    assert len(problems) == 1
    assert problems[0].path in {str(second), str(root / "artikel" / "abc.md")}
    assert "schon" in problems[0].message
    assert "umbenennen" in problems[0].fix


def test_loose_files_and_subfolders_are_reported(tmp_path):
    root = tmp_path / "comments"
    loose = write(root / "116.md", comment_text())
    nested = root / "artikel" / "alt"
    write(nested / "1.md", comment_text())
    by_slug, problems = load_comments(root, tz=BERLIN)
    assert by_slug == {}
    assert sorted(p.path for p in problems) == sorted([str(loose), str(nested)])


def test_missing_root_is_empty(tmp_path):
    assert load_comments(tmp_path / "gibt-es-nicht", tz=BERLIN) == ({}, [])


# --- length limit, symbolic links, quoted values --------------------------------------


def test_comment_over_max_length_is_refused_naming_the_file():
    body = "x" * 101
    comment, problems = parse_comment(
        comment_text(body=body), path=PATH, article_slug="artikel", comment_id="1", max_length=100
    )
    assert comment is None
    assert len(problems) == 1
    assert problems[0].path == PATH and "101" in problems[0].message
    assert "COMMENTS_MAX_LENGTH" in problems[0].message + problems[0].fix
    kept, problems = parse_comment(
        comment_text(body="x" * 100),
        path=PATH,
        article_slug="artikel",
        comment_id="1",
        max_length=100,
    )
    assert kept is not None and problems == []


def test_length_counts_characters_of_the_body_not_bytes_or_header():
    text = comment_text(author="Ä" * 200, body="ü" * 50)
    comment, problems = parse_comment(
        text, path=PATH, article_slug="artikel", comment_id="1", max_length=50
    )
    assert comment is not None and problems == []


def test_symlinked_files_and_folders_are_reported_not_read(tmp_path):
    outside = tmp_path / "outside"
    write(outside / "secret.md", comment_text(body="GEHEIM"))
    write(outside / "folder/1.md", comment_text(body="AUCHGEHEIM"))
    write(outside / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    root = tmp_path / "comments"
    write(root / "artikel/1.md", comment_text(body="Echt."))
    (root / "artikel/2.md").symlink_to(outside / "secret.md")
    (root / "artikel/3.md").symlink_to(outside / "passwd")
    (root / "artikel/4.md").symlink_to(outside / "gibt-es-nicht.md")
    (root / "fremd").symlink_to(outside / "folder", target_is_directory=True)
    by_slug, problems = load_comments(root)
    assert [c.body for c in by_slug["artikel"]] == ["Echt."]
    assert "fremd" not in by_slug
    reported = sorted(p.path for p in problems)
    assert reported == sorted(
        str(root / name) for name in ("artikel/2.md", "artikel/3.md", "artikel/4.md", "fremd")
    )
    said = " ".join(f"{p.message} {p.fix}" for p in problems)
    assert "symbolischer Link" in said
    for secret in ("GEHEIM", "root", "/bin/bash", str(outside)):
        assert secret not in said


def test_symlinked_root_is_not_read(tmp_path):
    real = tmp_path / "real"
    write(real / "artikel/1.md", comment_text())
    (tmp_path / "comments").symlink_to(real, target_is_directory=True)
    by_slug, problems = load_comments(tmp_path / "comments")
    assert by_slug == {}
    assert [p.path for p in problems] == [str(tmp_path / "comments")]


def test_read_comment_file_refuses_a_symlink(tmp_path):
    write(tmp_path / "x.md", comment_text())
    (tmp_path / "1.md").symlink_to(tmp_path / "x.md")
    comment, problems = read_comment_file(tmp_path / "1.md", article_slug="a")
    assert comment is None and "symbolischer Link" in problems[0].message


@pytest.mark.parametrize(
    "line",
    [
        "k" * 500 + ": wert",
        "schluessel: " + "w" * 500,
        "date: " + "9" * 500,
        "status: " + "<script>" * 50,
        "by_author: " + "\u202e" * 10 + "x" * 300,
        "url: javascript:" + "a" * 500,
    ],
)
def test_messages_never_quote_long_or_arbitrary_text(line):
    _, problems = parse(f"author: Kevin\ndate: 2015-06-19 21:14\n{line}\n\nHallo.")
    assert problems
    for problem in problems:
        assert len(problem.message) < 300, problem.message
        assert "<" not in problem.message and "\u202e" not in problem.message


def test_shown_keeps_short_plain_values():
    assert shown("gestern abend #1") == "gestern abend #1"
    assert shown("a" * 41) == "a" * 39 + "…"
    assert shown("x<y>\u202ez") == "x?y??z"
