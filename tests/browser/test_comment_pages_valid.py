"""The reader service's comment pages (form, errors, thanks, moderation, notices) pass the
Nu Html Checker with 0 errors, as the site's own pages do."""

from __future__ import annotations

import re

import pytest

from rundbrief.comments.manifest import ArticleEntry, write_manifest
from tests.support.comments import SteppedClock, messages_to, send
from tests.support.delivery import RunningService, http, wait_until
from tests.support.nuchecker import nu_errors, require_java

pytestmark = pytest.mark.browser

START = 1_709_629_200.0


def test_comment_pages_are_valid_html(tmp_path, smtp):
    require_java()
    (tmp_path / "content/comments/offen").mkdir(parents=True)
    (tmp_path / "content/comments/offen/5.md").write_text(
        "author: Bernd & Co.\ndate: 2024-03-04 12:00\n\nErster.\n", encoding="utf-8"
    )
    write_manifest(tmp_path / "output", [ArticleEntry("offen", "A & B", "2024/03/offen/", "open")])
    clock = SteppedClock(START)
    pages = tmp_path / "pages"
    pages.mkdir()
    with RunningService(
        tmp_path,
        smtp_port=smtp.port,
        service_options={"clock": clock},
        PATH=str(tmp_path / "content"),
        OUTPUT_PATH=str(tmp_path / "output"),
        COMMENTS_REPLY_EMAIL="autor@blog.example",
    ) as service:
        url = f"{service.url}/comments"
        answers = {
            "form": http(f"{url}?slug=offen&replytocom=5"),
            "again": send(url, {"slug": "offen", "author": "A <b>", "comment": "x\ny"}),
            "errors": send(url, {"slug": "offen", "author": "", "comment": ""}),
        }
        stamp = http(f"{url}/stamp?slug=offen").text
        clock.advance(5)
        fields = {"slug": "offen", "author": "Anna", "comment": "Hallo\n\nWelt", "stamp": stamp}
        answers["thanks"] = send(url, fields | {"email": "a@example.org", "notify": "1"})
        assert wait_until(lambda: messages_to(smtp, "autor@blog.example"))
        mail = messages_to(smtp, "autor@blog.example")[0].get_content()
        moderate = re.search(r"Freigeben: (\S+)", mail)[1]
        answers["moderate"] = http(moderate)
        answers["moderated"] = http(moderate, data={"token": moderate.split("token=")[1]})
        confirm = re.search(
            r"\S+/notify/confirm\S+", messages_to(smtp, "a@example.org")[0].get_content()
        )[0]
        answers["notify"] = http(confirm)
        answers["notified"] = http(confirm, data={"token": confirm.split("token=")[1]})
    for name, answer in answers.items():
        assert answer.status in (200, 400), name
        (pages / f"{name}.html").write_text(answer.text, encoding="utf-8")
    status, errors = nu_errors(pages)
    assert status == 0 and errors == [], "\n".join(errors[:20])
