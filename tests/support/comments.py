"""Helpers for the comment tests over HTTP (no tests here): the form as a reader's
browser sends it, a clock the test moves, mails by recipient and subject."""

from __future__ import annotations

import re
import time
import urllib.parse

from bs4 import BeautifulSoup

from tests.support.delivery import Reply, http


class SteppedClock:
    """Real time from a fixed start (``start`` Unix seconds); ``advance`` jumps ahead."""

    def __init__(self, start: float) -> None:
        self.offset = start - time.time()

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def comment_form(html: str):
    soup = BeautifulSoup(html, "lxml")
    form = soup.select_one("form.comment-form")
    assert form is not None, html[:2000]
    return form


def form_fields(html: str) -> dict[str, str]:
    """The fields of the comment form as a browser would send them untouched."""
    form = comment_form(html)
    fields = {}
    for field in form.select("input, textarea"):
        if field.get("type") == "checkbox" and not field.has_attr("checked"):
            continue
        fields[field["name"]] = (
            field.get_text() if field.name == "textarea" else field.get("value", "")
        )
    return fields


def send(url: str, fields: dict[str, str]) -> Reply:
    return http(url, data=urllib.parse.urlencode(fields).encode("ascii"))


def one_link(text: str, path: str) -> str:
    """The one URL in a mail text whose path ends with ``path``."""
    urls = [
        url
        for url in re.findall(r"https?://\S+", text)
        if urllib.parse.urlsplit(url).path.endswith(path)
    ]
    assert len(urls) == 1, (path, text)
    return urls[0]


def messages_to(smtp, address: str) -> list:
    return [
        received.message() for received in smtp.handler.messages if address in received.rcpt_tos
    ]


def press_button(page: Reply, url: str, form_class: str) -> Reply:
    """Press the one button of a page's form (a POST), as a reader does."""
    soup = BeautifulSoup(page.text, "lxml")
    form = soup.select_one(f"form.{form_class}")
    assert form is not None and form["method"] == "post", page.text[:2000]
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    return http(urllib.parse.urljoin(url, form["action"]), data=fields)
