"""The weekly digest, built for real from tests/sites/digest/ and the real content/."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
import subprocess
import sys
from urllib.parse import urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from rundbrief.digest.manifest import PLACEHOLDER_BASE, load_digest
from tests.support.sitebuild import ROOT, SITES, build

pytestmark = pytest.mark.build

BASE = "https://blog.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("digest")
    shutil.copytree(SITES / "digest", root / "site")
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def digest_dirs(result):
    return sorted(p.name for p in (result.output / "newsletter").iterdir() if p.is_dir())


def email_soup(result, issue):
    return BeautifulSoup(
        (result.output / "newsletter" / issue / "email.html").read_text("utf-8"), "lxml"
    )


def test_one_digest_per_week_with_articles(site):
    # 2024-01-07 is a Sunday (week 1), 2024-01-08 00:00 a Monday (week 2); week 3 is empty;
    # the draft, the hidden and the future article appear nowhere.
    assert digest_dirs(site) == ["2024-kw01", "2024-kw02", "2024-kw04", "2024-kw13"]
    titles = {
        issue: [
            a["title"]
            for a in json.loads(
                (site.output / "newsletter" / issue / "digest.json").read_text("utf-8")
            )["articles"]
        ]
        for issue in digest_dirs(site)
    }
    assert [t.split()[1] for t in titles["2024-kw01"]] == ["sonntag"]
    assert [t.split()[1] for t in titles["2024-kw02"]] == ["montag", "dienstag"]
    everything = " ".join(" ".join(v) for v in titles.values())
    for absent in ("entwurf", "versteckt", "zukunft"):
        assert absent not in everything


def test_digest_json_has_what_the_sender_needs(site):
    data = json.loads((site.output / "newsletter/2024-kw02/digest.json").read_text("utf-8"))
    assert data["issue"] == "2024-kw02" and data["week"] == 2 and data["year"] == 2024
    assert (
        data["subject"] == "IdeeQuadrat Wochenrückblick KW 2/2024: Artikel montag – Größe & „Maß“"
    )
    assert data["preheader"]
    assert data["web_url"] == f"{BASE}/newsletter/2024-kw02/"
    assert [a["url"] for a in data["articles"]] == [
        f"{BASE}/2024/01/montag/",
        f"{BASE}/2024/01/dienstag/",
    ]
    unsubscribe = data["unsubscribe"]
    assert unsubscribe["placeholder"].startswith(PLACEHOLDER_BASE)
    assert (unsubscribe["html"], unsubscribe["text"]) == (1, 1)
    # The sender's reader accepts what the build wrote.
    digest = load_digest(site.output / "newsletter", "2024-kw02")
    assert digest.placeholder == unsubscribe["placeholder"] and digest.subject == data["subject"]


def test_email_html_is_self_contained_with_absolute_links(site):
    for issue in digest_dirs(site):
        raw = (site.output / "newsletter" / issue / "email.html").read_text("utf-8")
        placeholder = load_digest(site.output / "newsletter", issue).placeholder
        soup = BeautifulSoup(raw, "lxml")
        assert soup.find("script") is None
        assert soup.find("link") is None and soup.find("style") is None  # all CSS inlined
        for tag in soup.find_all(True):
            for attr in ("href", "src"):
                value = tag.get(attr)
                if value is None or value == placeholder:
                    continue
                assert value.startswith(BASE + "/"), (issue, value)
        assert raw.count(placeholder) == 1
        assert len(raw.encode("utf-8")) < 102 * 1024


def test_email_html_content(site):
    soup = email_soup(site, "2024-kw02")
    # No hidden text at all (the Gmail app shows display:none text): the preheader is the
    # first visible text, which clients show after the subject.
    preheader = soup.select_one(".preheader")
    assert "2 neue Artikel" in preheader.get_text()
    assert soup.body.get_text(" ", strip=True).startswith(preheader.get_text())
    for tag in soup.find_all(style=True):
        style = tag["style"].replace(" ", "")
        for hiding in ("display:none", "max-height:0", "opacity:0", "font-size:0", "font-size:1px"):
            assert hiding not in style, tag
    first_link = soup.body.find("a")
    assert (
        first_link.get_text() == "Im Browser lesen"
        and first_link["href"] == f"{BASE}/newsletter/2024-kw02/"
    )
    # The word mark: text, no image from anywhere.
    wordmark = soup.select_one(".wordmark a")
    assert wordmark.get_text() == "IdeeQuadrat" and wordmark["href"] == f"{BASE}/"
    assert len(soup.find_all("img")) == 1  # montag's featured image; the word mark is text
    headings = soup.select("h2 a")
    assert [h.get_text() for h in headings] == [
        "Artikel montag – Größe & „Maß“",
        "Artikel dienstag – Größe & „Maß“",
    ]
    assert headings[0]["href"] == f"{BASE}/2024/01/montag/"
    assert "8. Januar 2024" in soup.get_text()
    assert "Zusammenfassung von montag" in soup.get_text()
    image = soup.find("img")
    assert image["src"].startswith(f"{BASE}/images/bild-mail-") and image["alt"] == "Ein Testbild"
    assert image["src"].endswith(".jpg")  # a raster: most mail apps show no SVG
    assert (image["width"], image["height"]) == ("560", "280")
    # "Weiterlesen" is a button: a padded, coloured table cell (works in Outlook), no hidden text.
    buttons = soup.select("td.button-cell")
    assert [b.a.get_text() for b in buttons] == ["Weiterlesen", "Weiterlesen"]
    assert "background-color: #1f5f8b" in buttons[0]["style"]
    assert "padding: 10px 20px" in buttons[0]["style"]
    assert buttons[0].a["href"] == f"{BASE}/2024/01/montag/"
    assert buttons[0].a["aria-label"] == "Weiterlesen: Artikel montag – Größe & „Maß“"
    assert "color: #ffffff" in buttons[0].a["style"]
    # Fonts and colours on every cell, not only on <body> (Gmail drops the body's).
    for cell in soup.find_all("td"):
        assert "font-family: " in cell["style"] and "color: #" in cell["style"], cell
    section = soup.find("h2", string="Neue Kommentare")
    assert section is not None and "Kommentatorin" in section.parent.get_text()
    placeholder = load_digest(site.output / "newsletter", "2024-kw02").placeholder
    assert soup.find("a", string="Newsletter abbestellen")["href"] == placeholder
    assert soup.find("a", string="Impressum")["href"] == f"{BASE}/impressum/"
    assert "abonniert" in soup.get_text()
    table = soup.find("table", class_="container")
    assert "max-width: 600px" in table["style"]
    # A comment on an older article shows in the week it was written.
    later = email_soup(site, "2024-kw04").get_text()
    assert "Spätere" in later and "Kommentatorin" not in later


def test_email_text_matches_the_html(site):
    for issue in digest_dirs(site):
        folder = site.output / "newsletter" / issue
        text = (folder / "email.txt").read_text("utf-8")
        data = json.loads((folder / "digest.json").read_text("utf-8"))
        for article in data["articles"]:
            assert article["title"] in text
            assert article["url"] in text
        assert data["web_url"] in text
        assert text.count(data["unsubscribe"]["placeholder"]) == 1
        assert "<" not in text.replace("He<", "")


def test_archive_lists_issues_by_date_and_title_and_web_version(site):
    archive = site.html("newsletter/index.html")
    assert archive.find("ol") is None or not archive.select("ol.digest-list")
    assert [h.get_text() for h in archive.select(".digest-year h2")] == ["2024"]
    items = archive.select(".digest-list li")
    links = [li.a["href"] for li in items]
    assert [link.rstrip("/").rsplit("/", 1)[-1] for link in links] == [
        "2024-kw13",
        "2024-kw04",
        "2024-kw02",
        "2024-kw01",
    ]
    week2 = items[2]
    assert " ".join(week2.a.get_text().split()) == (
        "KW 2/2024 · 8.–14. Jan. 2024 · Artikel montag – Größe & „Maß“"
    )
    assert week2.time["datetime"] == "2024-01-08"
    assert week2.select_one(".digest-more").get_text() == "und 1 weiterer Artikel"
    assert items[0].select_one(".digest-more") is None
    web = site.html("newsletter/2024-kw02/index.html")
    assert web.html["lang"] == "de"
    assert [a.get_text() for a in web.select(".article-card h2 a")] == [
        "Artikel montag – Größe & „Maß“",
        "Artikel dienstag – Größe & „Maß“",
    ]
    assert web.find("link", rel="canonical")["href"] == f"{BASE}/newsletter/2024-kw02/"


def test_digest_feed(site):
    raw = (site.output / "newsletter/feed.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "IdeeQuadrat – Wochenrückblick"
    assert parsed.feed.link == f"{BASE}/newsletter/"
    assert len(parsed.entries) == 4
    entry = next(e for e in parsed.entries if e.link == f"{BASE}/newsletter/2024-kw02/")
    assert entry.title.startswith("IdeeQuadrat Wochenrückblick KW 2/2024")
    fragment = entry.content[0].value
    assert "im Browser lesen" in fragment and PLACEHOLDER_BASE not in fragment
    for whole_document in ("<!DOCTYPE", "<html", "<head", "<body", "style="):
        assert whole_document not in fragment
    soup = BeautifulSoup(fragment, "lxml")
    assert [a.get_text() for a in soup.select("h2 a")] == [
        "Artikel montag – Größe & „Maß“",
        "Artikel dienstag – Größe & „Maß“",
    ]
    assert soup.find("h3").get_text() == "Zu „Artikel montag – Größe & „Maß““"
    # The description is HTML: the "&" of a title arrives escaped, not as a bare entity start.
    item = etree.fromstring(raw).xpath("//item[link='https://blog.example/newsletter/2024-kw02/']")[
        0
    ]
    assert "Größe &amp; „Maß“" in item.findtext("description")


def test_digest_feed_holds_the_newest_digests_only(site, tmp_path):
    result = build(
        site.output.parent / "site", tmp_path / "out", settings="NEWSLETTER_FEED_MAX_ITEMS = 2\n"
    )
    assert result.returncode == 0, result.log
    parsed = feedparser.parse((result.output / "newsletter/feed.xml").read_bytes())
    assert [e.link.rstrip("/").rsplit("/", 1)[-1] for e in parsed.entries] == [
        "2024-kw13",
        "2024-kw04",
    ]
    assert len(list((result.output / "newsletter").glob("*/digest.json"))) == 4


def test_forty_articles_in_one_week_stay_under_gmail_limit(tmp_path):
    shutil.copytree(SITES / "digest", tmp_path / "site")
    articles = tmp_path / "site/content/articles"
    long_summary = "Eine recht lange Zusammenfassung mit Umlauten äöü. " * 12
    for number in range(40):
        (articles / f"viel-{number:02d}.md").write_text(
            f"Title: Viel los Nummer {number}\nDate: 2024-05-{6 + number % 7:02d} {8 + number % 10}:{number:02d}\n"
            f"Category: Test\nSlug: viel-{number:02d}\nSummary: {long_summary}\n"
            "Image: images/bild.svg\nImage_alt: Bild\n\nText.\n",
            encoding="utf-8",
        )
    result = build(tmp_path / "site", tmp_path / "output")
    assert result.returncode == 0, result.log
    folder = result.output / "newsletter/2024-kw19"
    raw = (folder / "email.html").read_text("utf-8")
    assert len(raw.encode("utf-8")) < 102 * 1024
    soup = BeautifulSoup(raw, "lxml")
    assert len(soup.select("h2 a")) == 10  # NEWSLETTER_MAX_ITEMS
    rest = soup.find("a", string=re.compile(r"und \d+ weitere Artikel"))
    assert rest.get_text() == "und 30 weitere Artikel"
    assert rest["href"] == f"{BASE}/newsletter/2024-kw19/"
    data = json.loads((folder / "digest.json").read_text("utf-8"))
    assert len(data["articles"]) == 40
    web = result.html("newsletter/2024-kw19/index.html")
    assert len(web.select(".article-card")) == 40
    assert "und 30 weitere Artikel" in (folder / "email.txt").read_text("utf-8")


def test_make_newsletter_preview_eml(site, tmp_path):
    outbox = tmp_path / "outbox"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.preview",
            "--output",
            str(site.output),
            "--outbox",
            str(outbox),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    assert "2024-kw13" in run.stdout and "Artikel: 1" in run.stdout
    eml = next(outbox.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert "Artikel dst-maerz" in parts[0].get_content()
    assert "Im Browser lesen" in parts[1].get_content()
    assert message["Subject"].startswith("IdeeQuadrat Wochenrückblick KW 13/2024")


def test_real_site_digests_and_newsletter_page(real_site):
    issues = sorted(p.parent.name for p in (real_site.output / "newsletter").glob("*/digest.json"))
    assert issues[0] == "2015-kw25"
    assert "2015-kw27" in issues  # two articles in one week
    data = json.loads((real_site.output / "newsletter/2015-kw27/digest.json").read_text("utf-8"))
    assert len(data["articles"]) == 2
    page = real_site.html("newsletter-anmeldung/index.html")
    hrefs = [urlparse(a["href"]).path for a in page.select("main a")]
    assert any(h.endswith("newsletter/") for h in hrefs)
    assert any(h.endswith("newsletter/feed.xml") for h in hrefs)


def test_a_week_shows_its_first_comments_up_to_the_limit(tmp_path):
    shutil.copytree(SITES / "digest", tmp_path / "site")
    folder = tmp_path / "site/content/comments/montag"
    # Kommentatorin wrote on Tuesday 18:00 of week 2; three more that week, out of file order.
    for name, author, when in [
        ("3", "Spät", "2024-01-14 23:59"),
        ("4", "Früh", "2024-01-08 06:00"),
        ("5", "Mittag", "2024-01-10 12:00"),
    ]:
        (folder / f"{name}.md").write_text(f"author: {author}\ndate: {when}\n\nText.\n", "utf-8")
    result = build(tmp_path / "site", tmp_path / "out", settings="NEWSLETTER_MAX_COMMENTS = 3\n")
    assert result.returncode == 0, result.log
    section = email_soup(result, "2024-kw02").find("h2", string="Neue Kommentare").parent
    text = section.get_text()
    shown = [name for name in ("Früh", "Kommentatorin", "Mittag", "Spät") if name in text]
    assert shown == ["Früh", "Kommentatorin", "Mittag"]  # the first three of the week
    # Grouped under their article: its title once, not above each comment.
    assert [p.get_text() for p in section.select(".comment-article")] == [
        "Zu „Artikel montag – Größe & „Maß““"
    ]
    assert text.count("Artikel montag") == 1 and len(section.select(".comment")) == 3
    plain = (result.output / "newsletter/2024-kw02/email.txt").read_text("utf-8")
    assert plain.count("Zu „Artikel montag") == 1
    assert text.index("Früh") < text.index("Kommentatorin") < text.index("Mittag")


def test_digests_and_feeds_share_the_builds_now(tmp_path):
    # One "now" per build: with FEEDS_NOW on Tuesday 10:00 of week 2, the digests and the
    # feeds both stop at Monday's article and leave out Tuesday's comment (18:00).
    shutil.copytree(SITES / "digest", tmp_path / "site")
    result = build(
        tmp_path / "site",
        tmp_path / "out",
        settings=(
            "from datetime import datetime as _dt\nfrom zoneinfo import ZoneInfo as _zi\n"
            "FEEDS_NOW = _dt(2024, 1, 9, 10, 0, tzinfo=_zi('Europe/Berlin'))\n"
        ),
    )
    assert result.returncode == 0, result.log
    assert digest_dirs(result) == ["2024-kw01", "2024-kw02"]
    data = json.loads((result.output / "newsletter/2024-kw02/digest.json").read_text("utf-8"))
    assert [a["title"].split()[1] for a in data["articles"]] == ["montag"]
    assert "Kommentatorin" not in (result.output / "newsletter/2024-kw02/email.txt").read_text(
        "utf-8"
    )
    atom = feedparser.parse((result.output / "feeds/atom.xml").read_bytes())
    assert sorted(e.title.split()[1] for e in atom.entries) == ["montag", "sonntag"]
