"""The comment form with JavaScript, in Chromium: "Antworten" moves the form under the
comment, the script fetches a fresh form stamp from the reader service, and the comment
is accepted at the first try. The built site and the service share one origin on
127.0.0.1, as behind the reverse proxy."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from werkzeug.middleware.shared_data import SharedDataMiddleware

from tests.support.comments import SteppedClock
from tests.support.delivery import RunningService
from tests.support.sitebuild import SITES, build

pytestmark = [pytest.mark.browser, pytest.mark.build]

START = 1_709_629_200.0  # 2024-03-05 10:00 Europe/Berlin


def test_reply_in_place_and_a_fresh_stamp(browser, tmp_path, smtp):
    site = tmp_path / "site"
    shutil.copytree(SITES / "comments-form", site)
    output = tmp_path / "output"
    assert build(site, output).returncode == 0
    clock = SteppedClock(START)
    with RunningService(
        site,
        smtp_port=smtp.port,
        service_options={"clock": clock},
        PATH=str(site / "content"),
        OUTPUT_PATH=str(output),
        SITEURL_ABSOLUTE="https://blog.example",
    ) as service:
        service.server.app = SharedDataMiddleware(service.app, {"/": str(output)})
        context = browser.new_context()
        try:
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{service.root}/2024/03/offen/index.html")
            parent = page.locator("input[name=comment_parent]")
            page.click("#comment-5 .comment-reply a")
            assert page.locator("#comment-5 #kommentieren").count() == 1
            assert parent.input_value() == "5"
            assert page.locator("[data-reply-name]").inner_text() == "Bernd"
            page.click("[data-reply-cancel]")
            assert page.locator("#comment-5 #kommentieren").count() == 0
            assert parent.input_value() == "0"
            page.click("#comment-5 .comment-reply a")
            page.fill("#comment-text", "Mit Skript geantwortet.")
            page.wait_for_function("document.querySelector('input[name=stamp]').value.length > 10")
            clock.advance(5)
            page.fill("#comment-author", "Dora")
            page.click("form.comment-form button[type=submit]")
            page.wait_for_load_state()
            assert "Dein Kommentar erscheint, sobald er freigegeben ist." in page.content()
            assert errors == []
        finally:
            context.close()
    with sqlite3.connect(site / "var" / "newsletter.sqlite") as connection:
        rows = connection.execute("SELECT author, parent, body FROM comments").fetchall()
    assert rows == [("Dora", "5", "Mit Skript geantwortet.")]
