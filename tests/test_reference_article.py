"""The reference article, built from the real content/, as a reader sees it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import article_path
from tests.support.sitebuild import ROOT

pytestmark = pytest.mark.build

SOURCE = next((ROOT / "content/articles").glob("*fuer-wen-machen-wir-das-eigentlich*.md"))
SLUG_START = "fuer-wen-machen-wir-das-eigentlich"


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def markdown_paragraphs(path: Path) -> list[str]:
    """The text of every paragraph, heading and list item of the article's Markdown body."""
    text = path.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    items = []
    for block in re.split(r"\n\s*\n", body):
        for raw in block.splitlines() if re.match(r"\s*[-*] ", block) else [block]:
            line = raw.strip()
            if not line or line == "[TOC]" or re.fullmatch(r"</?aside[^>]*>", line):
                continue
            line = re.sub(r"^(#+|[-*])\s+", "", line)
            line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
            items.append(collapse(re.sub(r"<[^>]+>", "", line)))
    return items


@pytest.fixture(scope="module")
def page(real_site):
    return real_site.html(str(article_path(real_site, SLUG_START).relative_to(real_site.output)))


def test_slug_is_transliterated_and_url_is_wordpress_style(real_site):
    path = article_path(real_site, SLUG_START)
    assert path.relative_to(real_site.output).parts[:2] == ("2015", "06")
    assert path.parent.name.startswith("fuer-wen-machen-wir-das-eigentlich-oder-warum")


def test_every_paragraph_of_the_markdown_is_on_the_page(page):
    paragraphs = markdown_paragraphs(SOURCE)
    assert len(paragraphs) > 50
    blocks = page.find("main").find_all(["p", "li", "h1", "h2", "h3", "blockquote"])
    text = "\n".join(collapse(block.get_text()) for block in blocks)
    missing = [p for p in paragraphs if p not in text]
    assert not missing


def test_title_and_german_date(page):
    assert page.find("h1").get_text(strip=True).startswith("Für wen machen wir das eigentlich")
    time = page.select_one(".article-header time")
    assert time.get_text(strip=True) == "19. Juni 2015"
    assert time["datetime"].startswith("2015-06-19T08:30:00+02:00")


def test_table_of_contents_links_every_heading(page):
    toc = page.select_one("nav.toc")
    assert toc is not None
    assert toc.find(["h2", "span"]).get_text(strip=True) == "Inhalt"
    targets = [a["href"] for a in toc.find_all("a")]
    headings = page.select(".article-body > h2[id]")
    assert len(headings) >= 4
    assert targets == ["#" + h["id"] for h in headings]
    assert all(re.fullmatch(r"[a-z0-9-]+", h["id"]) for h in headings)


def test_question_list_pull_quote_and_image(page):
    questions = [
        li.get_text(strip=True)
        for li in page.select(".article-body ul li")
        if li.find_parent("nav") is None
    ]
    assert questions == [
        "„Was will die Organisation, in der ich arbeite?“",
        "„Was ist der Sinn meiner Organisation?“",
        "„Welchen Beitrag kann ich leisten, um der Organisation zu helfen, ihren Sinn zu verwirklichen?“",
    ]
    quote = page.select_one("blockquote.pullquote")
    assert collapse(quote.get_text()) == "Wer für alles offen ist, kann nicht ganz dicht sein…"
    img = page.select_one("figure.featured-image img")
    assert "Affe" in img["alt"]
    assert not urlparse(img["src"]).netloc
    assert int(img["width"]) > 0 and int(img["height"]) > 0


def test_category_tags_reading_time(page):
    taxonomy = page.select_one(".taxonomy")
    category = taxonomy.select_one("a.p-category")
    assert category.get_text(strip=True) == "Organisationsentwicklung"
    assert category["href"].endswith("category/organisationsentwicklung/")
    tags = {a.get_text(strip=True): a["href"] for a in taxonomy.select("a:not(.p-category)")}
    assert tags["Soziale Arbeit"].endswith("tag/soziale-arbeit/")
    assert tags["Sinn"].endswith("tag/sinn/")
    minutes = re.search(r"Lesezeit: (\d+)\u00a0Min", page.select_one(".reading-time").get_text())
    assert 3 <= int(minutes[1]) <= 15


def test_newsletter_box_holds_the_ps_and_the_form(page):
    box = page.select_one("aside.newsletter-box")
    text = collapse(box.get_text(" "))
    assert "P.S.: Abonniere den IdeeQuadrat Newsletter!" in text
    assert "Frederic Laloux" in text
    form = box.find("form")
    assert form["method"] == "post"
    assert form["action"] == "/newsletter/subscribe"
    assert form.find("input", attrs={"name": "email", "type": "email"}) is not None
    signup = box.find("a", string=re.compile("Newsletter anmelden"))
    assert signup["href"].endswith("newsletter-anmeldung/")
    # The P.S. is no longer inside the article body.
    assert "P.S.: Abonniere" not in page.select_one(".article-body").get_text()


def test_share_links_are_plain_urls(page):
    links = {a.get_text(strip=True): a["href"] for a in page.select(".share a")}
    assert list(links) == ["Facebook", "X", "LinkedIn", "WhatsApp", "Per Mail", "Ausdrucken"]
    canonical = page.find("link", rel="canonical")["href"]
    fb = urlparse(links["Facebook"])
    assert fb.netloc == "www.facebook.com" and parse_qs(fb.query)["u"] == [canonical]
    x = urlparse(links["X"])
    assert x.netloc == "x.com" and parse_qs(x.query)["url"] == [canonical]
    assert parse_qs(x.query)["text"][0].startswith("Für wen machen wir")
    li = urlparse(links["LinkedIn"])
    assert li.netloc == "www.linkedin.com" and parse_qs(li.query)["url"] == [canonical]
    wa = urlparse(links["WhatsApp"])
    assert wa.netloc == "wa.me" and parse_qs(wa.query)["text"][0].endswith(canonical)
    mail = urlparse(links["Per Mail"])
    assert mail.scheme == "mailto" and parse_qs(mail.query)["body"] == [canonical]
    # Printing needs no script: the link leads to a visible hint, the print CSS does the rest.
    assert links["Ausdrucken"] == "#drucken"
    assert page.find(id="drucken") is not None
    assert not page.select(".share script, .share iframe")


def test_seo_metadata(page):
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical.startswith("https://") and SLUG_START in canonical
    meta = {m.get("property"): m.get("content") for m in page.find_all("meta") if m.get("property")}
    assert meta["og:locale"] == "de_DE"
    assert meta["og:url"] == canonical
    # The share image is a 1200×630 raster (social networks show no SVG).
    assert meta["og:image"].startswith("https://") and meta["og:image"].endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["article:published_time"].startswith("2015-06-19T08:30")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "BlogPosting"
    assert data["headline"].startswith("Für wen machen wir")
    assert data["url"] == canonical
    assert data["datePublished"].startswith("2015-06-19T08:30")
    assert data["author"]["name"] == "Hendrik Epe"


def test_previous_and_next_article(real_site, page):
    nav = page.select_one("nav.article-nav")
    links = nav.find_all("a")
    assert links, "the reference article has neighbours"
    for link in links:
        target = (article_path(real_site, SLUG_START).parent / link["href"]).resolve()
        assert (target / "index.html").is_file()
