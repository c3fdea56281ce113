"""Build → send → read, for real: a site with NEWSLETTER_PATH = "rundbrief" is built, its
newest digest is sent with the service's command (``python -m service send``) to an SMTP
server on 127.0.0.1 (aiosmtpd), and the received mail is read back with ``email``.

Article and comment text that looks like an unsubscribe placeholder must arrive as it
was written; the personal link stands exactly where the template puts it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from rundbrief.digest.manifest import PLACEHOLDER_BASE, load_digest
from service.config import load_config
from service.store import Store
from tests.support.delivery import SECRET, add_confirmed, body_text, run_service
from tests.support.sitebuild import ROOT, SITES, build
from tests.support.smtpserver import LoopbackSMTP

pytestmark = pytest.mark.build

BASE = "https://blog.example"
FORGED = ("https://abmelden.invalid/UNSUBSCRIBE_URL", "%%UNSUBSCRIBE_URL%%")
TRAP = f"Abmelden: {FORGED[0]} oder {FORGED[1]}"


def write_traps(site) -> None:
    """Two articles in week 19 of 2024 (the newest digest) and a comment, all with fake links."""
    articles = site / "content/articles"
    for day, slug in ((6, "falle"), (7, "zweite")):
        (articles / f"{slug}.md").write_text(
            f"Title: Artikel {slug}\nDate: 2024-05-{day:02d} 10:00\nCategory: Test\n"
            f"Slug: {slug}\nSummary: {TRAP}\n\n[Abmelden]({FORGED[0]}) {FORGED[1]}\n",
            encoding="utf-8",
        )
    comments = site / "content/comments/falle"
    comments.mkdir(parents=True)
    (comments / "1.md").write_text(
        f"author: Trickser\ndate: 2024-05-08 12:00\n\n{TRAP}\n\n[hier klicken]({FORGED[0]})\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    root = tmp_path_factory.mktemp("send")
    shutil.copytree(SITES / "digest", root / "site")
    write_traps(root / "site")
    with LoopbackSMTP() as smtp:
        # One settings file for the build and the sender, as pelicanconf.py is for both.
        settings = (
            'OUTPUT_PATH = "output"\n'
            'NEWSLETTER_PATH = "rundbrief"\n'
            "NEWSLETTER_MAX_ITEMS = 1\n"
            'NEWSLETTER_DB = "var/newsletter.sqlite"\n'
            f"NEWSLETTER_SECRET = {SECRET!r}\n"
            'NEWSLETTER_SMTP_HOST = "127.0.0.1"\n'
            f"NEWSLETTER_SMTP_PORT = {smtp.port}\n"
            'NEWSLETTER_SERVICE_URL = "https://dienst.example/newsletter"\n'
            "NEWSLETTER_RATE = 0\n"
        )
        result = build(root / "site", root / "output", settings=settings)
        assert result.returncode == 0, result.log
        conf = root / "buildconf.py"
        config = load_config(conf)
        assert config.digests == root / "output" / "rundbrief"
        with Store(config.db_path) as store:
            add_confirmed(store, 1)
        run = run_service(conf, "send", cwd=root)
        assert run.returncode == 0, run.stdout + run.stderr
        assert smtp.handler.accepted == 1, run.stdout + run.stderr
    return result, run, smtp.handler.messages[0].message()


def test_the_build_writes_below_newsletter_path_and_the_sender_finds_it(sent):
    result, run, message = sent
    assert not (result.output / "newsletter").exists()
    folder = result.output / "rundbrief" / "2024-kw19"
    assert sorted(p.name for p in folder.iterdir()) == [
        "digest.json",
        "email.html",
        "email.txt",
        "index.html",
    ]
    assert "2024-kw19" in run.stdout + run.stderr  # the newest issue was sent
    assert message["Subject"] == "IdeeQuadrat Wochenrückblick KW 19/2024: Artikel falle"
    archive = result.html("rundbrief/index.html")
    assert archive.select_one(".digest-list a")["href"].endswith("/rundbrief/2024-kw19/")


def test_the_personal_link_goes_only_where_the_template_puts_it(sent):
    _, _, message = sent
    match = re.fullmatch(r"<(https://[^>]+)>, <mailto:[^>]+>", message["List-Unsubscribe"])
    personal = match.group(1)
    assert personal.startswith("https://dienst.example/newsletter/unsubscribe?token=")
    text, html = body_text(message, "plain"), body_text(message, "html")

    # Text part: once, on the template's "Abmelden mit einem Klick" line.
    assert text.count(personal) == 1
    (line,) = [line for line in text.splitlines() if personal in line]
    assert line == f"Abmelden mit einem Klick: {personal}"

    # HTML part: once, as the href of the footer's "Newsletter abbestellen".
    soup = BeautifulSoup(html, "lxml")
    assert [a.get_text() for a in soup.find_all("a", href=personal)] == ["Newsletter abbestellen"]
    assert html.count(personal.replace("&", "&amp;")) == 1

    # What articles and comments wrote arrives as written (and no placeholder is left).
    page_text = soup.get_text()
    for part in (text, page_text):
        for forged in FORGED:
            assert forged in part
        assert "Trickser" in part
        assert not re.search(re.escape(PLACEHOLDER_BASE) + "[0-9a-f]{64}", part)
    assert not soup.find_all("a", href=re.compile("abmelden.invalid"))

    # The German plural of the rest (NEWSLETTER_MAX_ITEMS = 1, two articles).
    assert soup.find("a", string="und 1 weiterer Artikel")["href"] == f"{BASE}/rundbrief/2024-kw19/"
    assert "… und 1 weiterer Artikel: " in text


def test_preview_reads_the_same_folder(sent, tmp_path):
    result, _, _ = sent
    conf = result.output.parent / "buildconf.py"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.preview",
            "--settings",
            str(conf),
            "--outbox",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    assert f"{result.output / 'rundbrief' / '2024-kw19'}" in run.stdout
    digest = load_digest(result.output / "rundbrief")
    assert (tmp_path / f"{digest.issue}-vorschau.eml").is_file()
