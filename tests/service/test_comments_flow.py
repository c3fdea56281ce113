"""The whole comment path, for real: a built site (tests/sites/comments-form), its form
posted to the reader service on 127.0.0.1, the author's mail (aiosmtpd), approval through
the link, the comment file without any address, COMMENTS_PUBLISH_COMMAND rebuilding the
site, the comment on the page, in the article's comment feed and in the digest, the reply
notice, the one-click unsubscribe."""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support.comments import (
    SteppedClock,
    comment_form,
    form_fields,
    messages_to,
    one_link,
    press_button,
    send,
)
from tests.support.delivery import RunningService, http, wait_until
from tests.support.sitebuild import ROOT, SITES, Build, build

pytestmark = pytest.mark.build

MODERATOR = "autor@blog.example"
ANNA = "anna@example.org"
START = 1_709_629_200.0  # 2024-03-05 10:00 Europe/Berlin: the week of the article (KW 10)
ARTICLE = "2024/03/offen/index.html"


def approve(service, smtp, count: int) -> None:
    """Approve the newest comment through the link in the author's count-th mail."""
    assert wait_until(lambda: len(messages_to(smtp, MODERATOR)) >= count)
    text = messages_to(smtp, MODERATOR)[count - 1].get_content()
    link = next(
        one_link(line, "/comments/moderate")
        for line in text.splitlines()
        if line.startswith("Freigeben:")
    )
    page = http(link)
    assert page.status == 200
    done = press_button(page, link, "moderation-form")
    assert done.status == 200 and "Freigegeben" in done.text


def test_a_reader_comments_through_the_form_and_sees_it_after_approval(tmp_path, smtp):
    site = tmp_path / "site"
    shutil.copytree(SITES / "comments-form", site)
    output = tmp_path / "output"
    first = build(site, output)
    assert first.returncode == 0, first.log
    built = Build(0, "", "", output)

    # The article's own form, as a browser sends it (no JavaScript: no stamp yet).
    page = built.path(ARTICLE).read_text(encoding="utf-8")
    form = comment_form(page)
    assert form["action"] == "/newsletter/comments"
    fields = form_fields(page) | {
        "author": "Anna",
        "email": ANNA,
        "url": "https://anna.example/",
        "comment": "Danke für den Artikel!\n\n<script>alert(1)</script> Gruß\n\n"
        "![Bild](https://fremd.example/x.png) <img src=https://fremd.example/y.png>",
        "notify": "1",
    }
    publish = f"{sys.executable} {ROOT / 'tests/support/sitebuild.py'} {site} {output}"
    clock = SteppedClock(START)
    with RunningService(
        site,
        smtp_port=smtp.port,
        service_options={"clock": clock},
        PATH=str(site / "content"),
        OUTPUT_PATH=str(output),
        SITEURL_ABSOLUTE="https://blog.example",
        COMMENTS_REPLY_EMAIL=MODERATOR,
        COMMENTS_PUBLISH_COMMAND=publish,
    ) as service:
        again = send(f"{service.url}/comments", fields)
        assert "noch einmal ab" in again.text
        clock.advance(10)
        thanks = send(f"{service.url}/comments", form_fields(again.text))
        assert "Danke! Dein Kommentar erscheint, sobald er freigegeben ist." in thanks.text

        # Double opt-in for the reply notices: the confirm page, then its button.
        assert wait_until(lambda: messages_to(smtp, ANNA))
        confirm_mail = messages_to(smtp, ANNA)[0]
        assert "List-Unsubscribe" not in confirm_mail  # nothing to unsubscribe from yet
        link = one_link(confirm_mail.get_content(), "/comments/notify/confirm")
        confirmed = press_button(http(link), link, "confirm-form")
        assert "Bestätigt" in confirmed.text

        # The author approves through the link; the file has nothing but public fields.
        approve(service, smtp, 1)
        comment_file = site / "content/comments/offen/6.md"
        text = comment_file.read_text(encoding="utf-8")
        # The time of the post in the site's time zone (seconds as the core's writer has them).
        assert re.match(
            r"author: Anna\ndate: 2024-03-05 10:00(:\d\d)?\nurl: https://anna.example/\n", text
        )
        assert "@" not in text and "127.0.0.1" not in text
        assert wait_until(lambda: len(messages_to(smtp, ANNA)) >= 2, timeout=120)
        published = messages_to(smtp, ANNA)[1]
        assert published["Subject"] == "Dein Kommentar zu „Ein offener Artikel“ ist erschienen"
        assert "https://blog.example/2024/03/offen/#comment-6" in published.get_content()
        assert published["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        check_rebuilt_site(built)
        reply_mail = answer_anna(service, smtp, clock, built, site)

        # One-click unsubscribe, as a mail program does it: the address is gone.
        unsubscribe = reply_mail["List-Unsubscribe"].strip("<>")
        gone = http(unsubscribe, data=b"List-Unsubscribe=One-Click")
        assert gone.status == 200 and "Abbestellt" in gone.text
        with sqlite3.connect(site / "var/newsletter.sqlite") as connection:
            assert connection.execute("SELECT COUNT(*) FROM comment_subscriptions").fetchone() == (
                0,
            )
        assert http(unsubscribe).status == 410

    # Nothing of the commenter's address anywhere in content/ or output/.
    for folder in (site / "content", output):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".md", ".html", ".xml", ".json", ".txt"}:
                assert ANNA not in path.read_text(encoding="utf-8", errors="replace"), path


def check_rebuilt_site(built: Build) -> None:
    """The page (escaped), the article's comment feed and the digest show the comment."""
    soup = built.html(ARTICLE)
    anna = soup.select_one("#comment-6")
    assert anna.select_one(".comment-author").get_text() == "Anna"
    assert "Danke für den Artikel!" in anna.get_text()
    assert anna.select("script") == [] and "alert(1)" not in anna.get_text()
    assert anna.select("img, [src]") == []  # nothing loads from another host
    feed = feedparser.parse(built.path("feeds/comments/offen.atom.xml").read_bytes())
    assert any("Danke für den Artikel!" in entry.summary for entry in feed.entries)
    digest = built.path("newsletter/2024-kw10/index.html").read_text(encoding="utf-8")
    assert "Anna" in BeautifulSoup(digest, "lxml").get_text()


def answer_anna(service, smtp, clock, built: Build, site):
    """Someone answers Anna through the service's form ("Antworten" leads there)."""
    reply_link = BeautifulSoup(built.path(ARTICLE).read_text(encoding="utf-8"), "lxml")
    href = reply_link.select_one("#comment-6 .comment-reply a")["href"]
    assert href == "/newsletter/comments?slug=offen&replytocom=6#kommentieren"
    form_page = http(f"{service.root}{href.split('#')[0]}")
    assert "Antwort auf den Kommentar von" in form_page.text and "Anna" in form_page.text
    clock.advance(30)
    answer = form_fields(form_page.text) | {"author": "Carla", "comment": "Ganz meine Meinung."}
    assert answer["comment_parent"] == "6"
    assert "Danke!" in send(f"{service.url}/comments", answer).text
    approve(service, smtp, 2)
    assert "replyto: 6" in (site / "content/comments/offen/7.md").read_text(encoding="utf-8")
    assert wait_until(lambda: len(messages_to(smtp, ANNA)) >= 3, timeout=120)
    reply_mail = messages_to(smtp, ANNA)[2]
    assert reply_mail["Subject"] == "Neue Antwort auf Deinen Kommentar zu „Ein offener Artikel“"
    assert "Carla" in reply_mail.get_content()
    assert "#comment-7" in reply_mail.get_content()
    assert built.html(ARTICLE).select_one("#comment-6 > ol.children > #comment-7")

    # The author answers by hand (a file) and publishes as always: Anna hears of it too.
    (site / "content/comments/offen/8.md").write_text(
        "author: Hendrik\ndate: 2024-03-06 09:00\nreplyto: 6\nby_author: true\n\nDanke!\n",
        encoding="utf-8",
    )
    assert build(site, built.output).returncode == 0
    http(f"{service.url}/comments/stamp?slug=offen")  # the service notices the new build
    assert wait_until(lambda: len(messages_to(smtp, ANNA)) >= 4)
    by_hand = messages_to(smtp, ANNA)[3].get_content()
    assert "Hendrik hat auf Deinen Kommentar" in by_hand and "#comment-8" in by_hand
    http(f"{service.url}/comments/stamp?slug=offen")
    with sqlite3.connect(site / "var/newsletter.sqlite") as connection:
        sent = connection.execute("SELECT reply_id FROM comment_replies_sent").fetchall()
        queued = connection.execute("SELECT COUNT(*) FROM outbox").fetchone()
    assert sorted(sent) == [("7",), ("8",)] and queued == (0,)  # each notice once
    assert len(messages_to(smtp, ANNA)) == 4
    return reply_mail
