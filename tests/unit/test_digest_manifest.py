"""The build→sender contract (rundbrief.digest.manifest): where, what, which link where."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from engine.events import build_now, now_asked
from rundbrief.delivery_settings import SPECS as DELIVERY_SPECS
from rundbrief.digest.manifest import (
    PLACEHOLDER_BASE,
    Digest,
    DigestError,
    digest_root,
    is_digest_path,
    load_digest,
    new_slot,
    newest_issue,
)
from rundbrief.settings_check import validate

FORGED = ("https://abmelden.invalid/UNSUBSCRIBE_URL", "%%UNSUBSCRIBE_URL%%")


def sealed(issue="2026-kw48", *, body="Text", slots=(1, 1)) -> Digest:
    year, week = (int(part) for part in issue.split("-kw"))
    slot = new_slot()
    return Digest.seal(
        year=year,
        week=week,
        subject=f"Ausgabe {issue}",
        preheader="Vorschau & mehr",
        web_url=f"https://blog.example/newsletter/{issue}/",
        articles=[("Titel & Co.", "https://blog.example/2026/11/x/")],
        html=f"<p>{body}</p>" + f'<a href="{slot}">Abmelden</a>' * slots[0],
        text=f"{body}\n" + f"Abmelden: {slot}\n" * slots[1],
        slot=slot,
    )


def test_seal_puts_the_placeholder_only_where_the_slot_was():
    forged_body = " ".join(FORGED)
    digest = sealed(body=forged_body, slots=(2, 1))
    assert digest.placeholder.startswith(PLACEHOLDER_BASE)
    assert len(digest.placeholder) == len(PLACEHOLDER_BASE) + 64
    assert digest.html.count(digest.placeholder) == 2
    assert digest.text.count(digest.placeholder) == 1
    html, text = digest.personal("https://dienst.example/abmelden?token=a&b=1")
    assert html.count('href="https://dienst.example/abmelden?token=a&amp;b=1"') == 2
    assert text.count("https://dienst.example/abmelden?token=a&b=1") == 1
    for forged in FORGED:  # text that only looks like a placeholder stays text
        assert forged in html and forged in text


def test_same_bodies_same_placeholder_other_bodies_other():
    # Deterministic (a rebuild writes the same bytes), and bound to the content.
    assert sealed().placeholder == sealed().placeholder
    assert sealed(body="Anders").placeholder != sealed().placeholder


def test_a_template_without_the_link_is_refused():
    slot = new_slot()
    with pytest.raises(DigestError, match="keinen Abmeldelink"):
        Digest.seal(
            year=2026,
            week=48,
            subject="S",
            preheader="",
            web_url="https://blog.example/",
            articles=[],
            html="<p>ohne Link</p>",
            text=f"Abmelden: {slot}",
            slot=slot,
        )


def test_write_and_load_round_trip(tmp_path):
    root = digest_root(tmp_path / "output", "rundbrief/archiv")
    assert root == tmp_path / "output" / "rundbrief" / "archiv"
    folder = sealed(slots=(2, 1)).write(root)
    assert sorted(p.name for p in folder.iterdir()) == ["digest.json", "email.html", "email.txt"]
    data = json.loads((folder / "digest.json").read_text("utf-8"))
    assert data["format"] == 2 and data["issue"] == "2026-kw48"
    assert data["html"] == "email.html" and data["text"] == "email.txt"
    assert data["unsubscribe"]["html"] == 2 and data["unsubscribe"]["text"] == 1
    assert load_digest(root) == replace(sealed(slots=(2, 1)), folder=folder)


def test_newest_issue_is_the_largest_year_and_week(tmp_path):
    for issue in ("2025-kw52", "2026-kw01", "2026-kw10", "2026-kw09"):
        sealed(issue).write(tmp_path)
    (tmp_path / "feed.xml").write_text("")
    (tmp_path / "archiv").mkdir()
    (tmp_path / "2027-kw1x").mkdir()
    assert newest_issue(tmp_path) == "2026-kw10"
    assert load_digest(tmp_path).subject == "Ausgabe 2026-kw10"
    assert load_digest(tmp_path, "2025-kw52").issue == "2025-kw52"


def test_unsendable_digests_are_refused_with_the_reason(tmp_path):
    with pytest.raises(DigestError, match="make html") as missing:
        load_digest(tmp_path)
    assert missing.value.code == 2 and "NEWSLETTER_PATH" in str(missing.value)
    with pytest.raises(DigestError, match="JJJJ-kwWW"):
        load_digest(tmp_path, "../../etc")
    folder = sealed().write(tmp_path)
    good_html = (folder / "email.html").read_text("utf-8")
    placeholder = load_digest(tmp_path).placeholder

    # Someone puts the placeholder somewhere else: count no longer matches.
    (folder / "email.html").write_text(good_html + f'<a href="{placeholder}">x</a>', "utf-8")
    with pytest.raises(DigestError, match="2-mal"):
        load_digest(tmp_path)
    # Edited after the build (text changed, count equal): the hash no longer matches.
    (folder / "email.html").write_text(good_html.replace("Text", "Werbung"), "utf-8")
    with pytest.raises(DigestError, match="nach dem Build geändert"):
        load_digest(tmp_path)
    (folder / "email.html").write_text("kein Link", "utf-8")
    with pytest.raises(DigestError, match="0-mal"):
        load_digest(tmp_path)
    # An old digest.json (format 1, a fixed placeholder) is refused, never half-sent.
    data = json.loads((folder / "digest.json").read_text("utf-8"))
    del data["format"]
    data["unsubscribe_placeholder"] = "%%UNSUBSCRIBE_URL%%"
    (folder / "digest.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(DigestError, match="Format 2"):
        load_digest(tmp_path)
    (folder / "digest.json").write_text("{")
    with pytest.raises(DigestError, match="unvollständig oder unlesbar"):
        load_digest(tmp_path)


def test_newsletter_path_setting():
    for good in ("newsletter", "rundbrief", "a/b"):
        assert is_digest_path(good), good
    for bad in ("", "/newsletter", "newsletter/", "../x", "a/../b", "a//b", ".", "a\\b", 3):
        assert not is_digest_path(bad), bad
    assert validate({"NEWSLETTER_PATH": "rundbrief"}, DELIVERY_SPECS) == []
    (error,) = validate({"NEWSLETTER_PATH": "../raus"}, DELIVERY_SPECS)
    assert error.startswith("NEWSLETTER_PATH = '../raus' ist ungültig")


def test_one_now_per_build():
    fixed = datetime(2024, 6, 1, tzinfo=UTC)
    assert build_now({"FEEDS_NOW": fixed}) is fixed  # no build running: the setting
    assert build_now({}).tzinfo is not None

    def running_build(sender):
        return datetime(2030, 1, 1, tzinfo=UTC)

    now_asked.connect(running_build)
    try:  # a running build answers for everyone who asks
        assert build_now({}) == datetime(2030, 1, 1, tzinfo=UTC)
        assert build_now({"FEEDS_NOW": fixed}) == datetime(2030, 1, 1, tzinfo=UTC)
    finally:
        now_asked.disconnect(running_build)
