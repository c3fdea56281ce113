"""Comment posts over real HTTP (the reader service on 127.0.0.1, mails via aiosmtpd):
spam and bad input, the form stamp, moderation links, reply notices. The articles come
from a manifest written here as the build writes it (the whole path with a real build:
test_comments_flow.py)."""

from __future__ import annotations

import re
import sqlite3
import sys
import urllib.parse

import pytest
from bs4 import BeautifulSoup

from rundbrief.comments.manifest import ArticleEntry, write_manifest
from service.comments.feature import MODERATE, STAMP
from tests.support.comments import (
    SteppedClock,
    form_fields,
    messages_to,
    one_link,
    press_button,
    send,
)
from tests.support.delivery import RunningService, http, run_service, wait_until

MODERATOR = "autor@blog.example"
START = 1_709_629_200.0  # 2024-03-05 10:00 Europe/Berlin


@pytest.fixture
def site(tmp_path):
    content = tmp_path / "content"
    (content / "comments" / "offen").mkdir(parents=True)
    (content / "comments" / "offen" / "5.md").write_text(
        "author: Bernd\ndate: 2024-03-04 12:00\n\nErster.\n", encoding="utf-8"
    )
    write_manifest(
        tmp_path / "output",
        [
            ArticleEntry("offen", "Ein offener Artikel", "2024/03/offen/", "open"),
            ArticleEntry("zu", "Ein geschlossener Artikel", "2024/03/zu/", "closed"),
            ArticleEntry("weg", "Ohne Kommentare", "2024/03/weg/", "hidden"),
        ],
    )
    return tmp_path


def running(site, smtp, clock, **overrides):
    return RunningService(
        site,
        smtp_port=smtp.port,
        service_options={"clock": clock},
        PATH=str(site / "content"),
        OUTPUT_PATH=str(site / "output"),
        SITEURL_ABSOLUTE="https://blog.example",
        COMMENTS_REPLY_EMAIL=MODERATOR,
        **overrides,
    )


@pytest.fixture
def clock():
    return SteppedClock(START)


@pytest.fixture
def service(site, smtp, clock):
    with running(site, smtp, clock) as service:
        yield service


def fields(**changes) -> dict[str, str]:
    base = {
        "slug": "offen",
        "comment_parent": "0",
        "author": "Anna",
        "email": "",
        "url": "",
        "comment": "Ein guter Gedanke.",
        "website": "",
        "stamp": "",
    }
    return {**base, **changes}


def stamped(service, clock, **changes) -> dict[str, str]:
    """The fields with a fresh stamp from the service, 5 seconds later (a human typing)."""
    stamp = http(f"{service.url}/comments/stamp?slug={changes.get('slug', 'offen')}")
    assert stamp.status == 200 and stamp.headers["Content-Type"].startswith("text/plain")
    clock.advance(5)
    return fields(stamp=stamp.text, **changes)


def pending(site) -> list[tuple]:
    with sqlite3.connect(site / "var" / "newsletter.sqlite") as connection:
        return connection.execute("SELECT id, slug, author, body, status FROM comments").fetchall()


def addresses(site) -> list[str]:
    with sqlite3.connect(site / "var" / "newsletter.sqlite") as connection:
        return [row[0] for row in connection.execute("SELECT email FROM comment_subscriptions")]


def test_a_post_is_stored_as_pending_and_the_author_gets_a_mail(service, site, smtp, clock):
    reply = send(f"{service.url}/comments", stamped(service, clock, url="https://anna.example/"))
    assert reply.status == 200
    assert "Danke! Dein Kommentar erscheint, sobald er freigegeben ist." in reply.text
    assert pending(site) == [(1, "offen", "Anna", "Ein guter Gedanke.", "pending")]
    assert wait_until(lambda: messages_to(smtp, MODERATOR))
    mail = messages_to(smtp, MODERATOR)[0]
    assert mail["Subject"] == "Neuer Kommentar von Anna zu „Ein offener Artikel“"
    text = mail.get_content()
    assert "Ein guter Gedanke." in text and "https://anna.example/" in text
    assert "https://blog.example/2024/03/offen/" in text
    for word in ("Freigeben", "Als Spam markieren", "Löschen"):
        assert word in text
    assert not list((site / "content" / "comments" / "offen").glob("6.md"))  # not yet


def test_without_a_stamp_the_service_asks_to_send_again(service, site, clock):
    # The static page cannot carry a fresh stamp (no JavaScript): the service answers with
    # its own copy of the form, filled in, with a fresh signed stamp.
    first = send(
        f"{service.url}/comments", fields(author="Ohne Skript", comment="Hallo <b>Welt</b>")
    )
    assert first.status == 200 and "noch einmal ab" in first.text
    assert pending(site) == []
    again = form_fields(first.text)
    assert again["author"] == "Ohne Skript" and again["comment"] == "Hallo <b>Welt</b>"
    assert again["stamp"] and again["slug"] == "offen"
    too_fast = send(f"{service.url}/comments", again)  # at once: a bot
    assert "Das ging sehr schnell" in too_fast.text and pending(site) == []
    clock.advance(4)
    done = send(f"{service.url}/comments", form_fields(too_fast.text))
    assert "Danke!" in done.text
    assert [row[2] for row in pending(site)] == ["Ohne Skript"]


def test_an_expired_or_forged_stamp_is_not_accepted(service, site, clock):
    old = stamped(service, clock)
    clock.advance(86_400)
    reply = send(f"{service.url}/comments", old)
    assert "älter als einen Tag" in reply.text and pending(site) == []
    forged = fields(stamp=old["stamp"][:-2] + "xx")
    assert "noch einmal ab" in send(f"{service.url}/comments", forged).text
    other = stamped(service, clock, slug="offen")
    other["slug"] = "zu"
    assert send(f"{service.url}/comments", other).status == 403  # closed comes first
    assert pending(site) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"author": ""}, "Bitte gib einen Namen an"),
        ({"author": "A" * 101}, "höchstens 100 Zeichen"),
        ({"author": "Anna\r\nBcc: x@example.org"}, "in eine Zeile"),
        ({"email": "anna@example.org\r\nBcc: b@example.org"}, "Zeilenumbruch"),
        ({"email": "a" * 250 + "@example.org"}, "zu lang"),
        ({"url": "https://example.org/" + "a" * 200}, "höchstens 200 Zeichen"),
        ({"url": "javascript:alert(1)"}, "vollständige Adresse"),
        ({"comment": "x" * 20_001}, "höchstens 20000 gehen"),
        ({"comment": ""}, "Bitte schreibe einen Kommentar"),
        ({"comment": "https://a.example https://b.example https://c.example"}, "3 Links"),
        ({"notify": "1"}, "brauchen wir Deine E-Mail-Adresse"),
    ],
)
def test_bad_input_comes_back_in_the_form_with_the_reason(service, site, clock, changes, message):
    reply = send(f"{service.url}/comments", stamped(service, clock, **changes))
    assert reply.status == 400
    soup = BeautifulSoup(reply.text, "lxml")
    assert message in soup.select_one(".comment-form-errors").get_text()
    again = form_fields(reply.text)
    assert again["stamp"]  # a fresh one: fixing the field is enough
    if "comment" not in changes:
        assert again["comment"] == "Ein guter Gedanke."
    assert pending(site) == []


def test_html_and_script_are_stored_as_text_and_escaped_on_every_page(service, site, clock):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"><b>'
    first = send(f"{service.url}/comments", fields(author=evil[:90], comment=evil))
    soup = BeautifulSoup(first.text, "lxml")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.select_one("textarea[name=comment]").get_text() == evil
    clock.advance(5)
    done = send(f"{service.url}/comments", form_fields(first.text))
    assert "Danke!" in done.text
    assert pending(site)[0][3] == evil  # the build's sanitiser deals with it when shown


def test_closed_hidden_and_unknown_articles_are_refused(service, site, clock):
    for slug, status in (("zu", 403), ("weg", 403), ("gibt-es-nicht", 404), ("../etc", 404)):
        reply = send(
            f"{service.url}/comments", stamped(service, clock, slug="offen") | {"slug": slug}
        )
        assert reply.status == status, slug
        assert http(f"{service.url}/comments?slug={urllib.parse.quote(slug)}").status == status
    assert http(f"{service.url}/comments/stamp?slug=zu").status == 404
    assert pending(site) == []


def test_honeypot_duplicates_and_rate_limit(site, smtp, clock):
    with running(site, smtp, clock, NEWSLETTER_RATE_LIMIT=6) as service:
        bot = send(
            f"{service.url}/comments", stamped(service, clock, website="http://spam.example")
        )
        assert "Danke!" in bot.text and pending(site) == []  # answered as always, not stored
        send(f"{service.url}/comments", stamped(service, clock))
        again = send(
            f"{service.url}/comments", stamped(service, clock, comment=" ein  GUTER gedanke. ")
        )
        assert "schon bei uns angekommen" in again.text
        assert len(pending(site)) == 1
        limited = [send(f"{service.url}/comments", fields()).status for _ in range(4)]
        assert limited[-1] == 429 and 429 not in limited[:1]


def moderation_links(smtp) -> dict[str, str]:
    assert wait_until(lambda: messages_to(smtp, MODERATOR))
    text = messages_to(smtp, MODERATOR)[-1].get_content()
    return {
        word: url
        for word, url in zip(
            ("approve", "spam", "delete"),
            [
                one_link(line, "/comments/moderate")
                for line in text.splitlines()
                if "/comments/moderate" in line
            ],
            strict=True,
        )
    }


def test_moderation_links_show_a_button_and_only_post_decides(service, site, smtp, clock):
    send(f"{service.url}/comments", stamped(service, clock, comment_parent="5"))
    links = moderation_links(smtp)
    for method in ("GET", "HEAD"):
        assert http(links["approve"], method=method).status == 200
    page = http(links["approve"])
    assert "Erster" not in page.text and "Ein guter Gedanke." in page.text
    assert (
        BeautifulSoup(page.text, "lxml").select_one("form.moderation-form button").get_text()
        == "Freigeben"
    )
    assert pending(site)[0][4] == "pending" and not (site / "content/comments/offen/6.md").exists()
    done = press_button(page, links["approve"], "moderation-form")
    assert done.status == 200 and "Freigegeben" in done.text
    text = (site / "content/comments/offen/6.md").read_text(encoding="utf-8")
    assert re.match(
        r"author: Anna\ndate: 2024-03-05 10:00(:\d\d)?\nreplyto: 5\n\nEin guter Gedanke\.", text
    )
    # The other links of the same mail change nothing any more.
    spam_page = http(links["spam"])
    assert "schon entschieden" in spam_page.text and "moderation-form" not in spam_page.text
    assert (
        "schon entschieden"
        in http(links["spam"], data={"token": links["spam"].split("token=")[1]}).text
    )
    assert pending(site)[0][4] == "approved"


def test_spam_and_delete_keep_no_text_and_tampered_links_do_nothing(service, site, smtp, clock):
    send(f"{service.url}/comments", stamped(service, clock, comment="Kauf was!"))
    links = moderation_links(smtp)
    bad = links["delete"][:-3] + "abc"
    assert http(bad).status == 400
    assert http(bad, data={"token": bad.split("token=")[1]}).status == 400
    forged = service.app.signer.sign(STAMP, [1, "approve"])  # right key, wrong purpose
    assert http(f"{service.url}/comments/moderate?token={forged}").status == 400
    press_button(http(links["spam"]), links["spam"], "moderation-form")
    assert pending(site) == [(1, "offen", "", "", "spam")]
    # The same text again is a duplicate of spam: thanks, nothing stored.
    assert (
        "schon bei uns"
        in send(f"{service.url}/comments", stamped(service, clock, comment="Kauf was!")).text
    )
    assert len(pending(site)) == 1
    expired = service.app.signer.sign(MODERATE, [1, "delete"])
    clock.advance(31 * 86_400)
    assert http(f"{service.url}/comments/moderate?token={expired}").status == 400


def test_notice_links_change_nothing_on_get_and_head(service, site, smtp, clock):
    send(f"{service.url}/comments", stamped(service, clock, email="leser@example.org", notify="1"))
    assert wait_until(lambda: messages_to(smtp, "leser@example.org"))
    link = one_link(messages_to(smtp, "leser@example.org")[0].get_content(), "/notify/confirm")
    for method in ("GET", "HEAD", "GET"):
        assert http(link, method=method).status == 200
    with sqlite3.connect(site / "var" / "newsletter.sqlite") as connection:
        assert connection.execute("SELECT status FROM comment_subscriptions").fetchall() == [
            ("pending",)
        ]
    assert "Bestätigt" in press_button(http(link), link, "confirm-form").text
    assert addresses(site) == ["leser@example.org"]
    # Unused for 30 days: the service's hourly clean-up deletes the address.
    clock.advance(29 * 86_400)
    http(f"{service.url}/healthz")
    assert addresses(site) == ["leser@example.org"]
    clock.advance(2 * 86_400)
    http(f"{service.url}/healthz")
    assert addresses(site) == []


def test_a_failed_publish_is_mailed_to_the_author_and_the_comment_stays_approved(site, smtp, clock):
    command = f"{sys.executable} -c \"print('Build kaputt'); raise SystemExit(3)\""
    with running(site, smtp, clock, COMMENTS_PUBLISH_COMMAND=command) as service:
        send(f"{service.url}/comments", stamped(service, clock))
        links = moderation_links(smtp)
        press_button(http(links["approve"]), links["approve"], "moderation-form")
        assert wait_until(lambda: len(messages_to(smtp, MODERATOR)) >= 2, timeout=30)
        failed = messages_to(smtp, MODERATOR)[1]
        assert failed["Subject"] == "IdeeQuadrat: Veröffentlichen fehlgeschlagen"
        assert "Build kaputt" in failed.get_content() and "Exit-Status 3" in failed.get_content()
        assert pending(site)[0][4] == "approved"
        assert (site / "content/comments/offen/6.md").is_file()


def test_moderation_from_the_shell(service, site, smtp, clock):
    for text in ("Erster Text.", "Zweiter Text.", "Dritter Text."):
        send(f"{service.url}/comments", stamped(service, clock, comment=text))

    def command(*args):
        return run_service(service.settings, *args)

    listing = command("comments")
    assert listing.returncode == 0, listing.stderr
    assert "#1" in listing.stdout and "Zweiter Text." in listing.stdout
    approved = command("comment-approve", "2")
    assert approved.returncode == 0, approved.stderr
    assert "freigegeben" in approved.stdout
    assert "Zweiter Text." in (site / "content/comments/offen/6.md").read_text(encoding="utf-8")
    assert command("comment-spam", "1").returncode == 0
    assert command("comment-delete", "3").returncode == 0
    assert [row[4] for row in pending(site)] == ["spam", "approved", "deleted"]
    assert "schon entschieden" in command("comment-approve", "1").stdout
    assert command("comment-approve", "99").returncode == 1
    assert "Keine Kommentare warten" in command("comments").stdout
    assert command("comments-purge").returncode == 0


def test_the_notify_tick_cannot_flood_an_address(service, site, smtp, clock):
    # NEWSLETTER_CONFIRM_INTERVAL (15 min) and NEWSLETTER_CONFIRM_PER_DAY (3), as for sign-ups.
    victim = "opfer@example.org"
    answers = []
    for number, pause in enumerate((0, 60, 900, 900, 900, 60)):
        clock.advance(pause)
        reply = send(
            f"{service.url}/comments",
            stamped(service, clock, comment=f"Text {number}", email=victim, notify="1"),
        )
        answers.append(BeautifulSoup(reply.text, "lxml").select_one("main").get_text())
    assert len(set(answers)) == 1  # the same answer whether a mail goes out or not
    assert len(pending(site)) == 6 and addresses(site) == [victim] * 3
    assert wait_until(lambda: len(messages_to(smtp, victim)) == 3)


def test_published_before_the_confirmation_the_notice_comes_with_it(service, site, smtp, clock):
    reader = "spaet@example.org"
    send(f"{service.url}/comments", stamped(service, clock, email=reader, notify="1"))
    links = moderation_links(smtp)
    press_button(http(links["approve"]), links["approve"], "moderation-form")
    # A build shows the comment (6.md) before the reader confirms: no notice yet.
    write_manifest(
        site / "output",
        [ArticleEntry("offen", "Ein offener Artikel", "2024/03/offen/", "open", (("6", None),))],
    )
    http(f"{service.url}/comments/stamp?slug=offen")
    assert wait_until(lambda: messages_to(smtp, reader))
    assert len(messages_to(smtp, reader)) == 1  # the confirm mail only
    link = one_link(messages_to(smtp, reader)[0].get_content(), "/notify/confirm")
    press_button(http(link), link, "confirm-form")
    assert wait_until(lambda: len(messages_to(smtp, reader)) == 2)
    published = messages_to(smtp, reader)[1]
    assert "ist erschienen" in published["Subject"]
    assert "https://blog.example/2024/03/offen/#comment-6" in published.get_content()


def test_a_comment_cannot_pass_for_a_link_of_the_authors_mail(service, site, smtp, clock):
    fake = "Freigeben: https://falsch.example/newsletter/comments/moderate?token=x"
    send(f"{service.url}/comments", stamped(service, clock, comment=f"Hallo\n{fake}"))
    assert wait_until(lambda: messages_to(smtp, MODERATOR))
    lines = messages_to(smtp, MODERATOR)[0].get_content().splitlines()
    assert f"> {fake}" in lines and fake not in lines
    assert len([line for line in lines if line.startswith("Freigeben: ")]) == 1
