"""Comment pages (COMMENTS_PER_PAGE) in a full build of tests/sites/comments-pages/: the
article "lang" has 60 top-level threads (50 on the article page, 10 on comment-page-2/)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from lxml import etree

from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

BASE = "https://blog.example"
ARTICLE = "2024/03/lang/"
PAGE_2 = ARTICLE + "comment-page-2/"
THREADS = [str(n) for n in range(1, 61)]
REPLIES = {"101": "1", "102": "55", "103": "102"}  # reply -> parent
ALL_IDS = set(THREADS) | set(REPLIES)


def expected_page(comment_id: str) -> str:
    """The page a comment belongs on: the page of its thread's top-level comment."""
    while comment_id in REPLIES:
        comment_id = REPLIES[comment_id]
    return ARTICLE if int(comment_id) <= 50 else PAGE_2


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("comments-pages")
    shutil.copytree(SITES / "comments-pages", root / "site")
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def comment_ids(soup) -> list[str]:
    return [li["id"].removeprefix("comment-") for li in soup.select("li.comment")]


def local(site, page_relative: str, href: str) -> tuple[Path, str]:
    """The output file a link on a page points at, and the link's fragment."""
    parts = urlsplit(urljoin(f"{BASE}/{page_relative}", href))
    assert parts.netloc == "blog.example", href
    return site.path(parts.path.lstrip("/")), parts.fragment


def test_every_comment_is_on_exactly_one_page(site):
    first = site.html(ARTICLE)
    second = site.html(PAGE_2)
    on_first, on_second = comment_ids(first), comment_ids(second)
    assert len(on_first) + len(on_second) == len(ALL_IDS)
    assert set(on_first) | set(on_second) == ALL_IDS
    assert {i for i in ALL_IDS if expected_page(i) == ARTICLE} == set(on_first)
    top_first = [li["id"] for li in first.select("#comments > ol.comment-list > li")]
    top_second = [li["id"] for li in second.select("#comments > ol.comment-list > li")]
    assert top_first == [f"comment-{n}" for n in range(1, 51)]
    assert top_second == [f"comment-{n}" for n in range(51, 61)]
    # Replies stay with their thread, on its page.
    assert second.select_one("#comment-55 > ol.children > #comment-102 #comment-103") is not None
    assert first.select_one("#comment-1 > ol.children > #comment-101") is not None


def test_comment_page_has_the_usual_heading_and_leads_back(site):
    second = site.html(PAGE_2)
    heading = second.select_one("#comments-title").get_text()
    assert heading == "63 Kommentare zu „Ein langer Kommentar-Strang“"
    assert len(second.find_all("h1")) == 1
    assert "Seite 2 von 2" in second.get_text()
    assert second.find("link", rel="canonical")["href"] == f"{BASE}/{PAGE_2}"
    back = second.select_one(".comment-page-header a")
    assert local(site, PAGE_2, back["href"])[0] == site.path(ARTICLE)
    # The article page keeps its own canonical and the total count.
    first = site.html(ARTICLE)
    assert first.select_one("#comments-title").get_text() == heading
    assert second.select_one(".comment-reply a")["href"].startswith("mailto:")


def test_pagination_nav_links_both_ways(site):
    first = site.html(ARTICLE)
    nav = first.select_one("nav.comment-pagination")
    newer = nav.find("a", string="Neuere Kommentare »")
    target, fragment = local(site, ARTICLE, newer["href"])
    assert target == site.path(PAGE_2) and fragment == "comments"
    assert nav.select_one("[aria-current=page]").get_text() == "1"
    assert nav.find("a", string="« Ältere Kommentare") is None
    nav2 = site.html(PAGE_2).select_one("nav.comment-pagination")
    older = nav2.find("a", string="« Ältere Kommentare")
    target, fragment = local(site, PAGE_2, older["href"])
    assert target == site.path(ARTICLE) and fragment == "comments"
    assert nav2.select_one("[aria-current=page]").get_text() == "2"
    assert nav2.find("a", string="Neuere Kommentare »") is None
    # A short archive has no pages and no nav.
    short = site.html("2024/03/kurz/")
    assert short.select_one("nav.comment-pagination") is None
    assert not (site.output / "2024/03/kurz/comment-page-2").exists()
    assert not (site.output / "2024/03/kurz/comment-page-1").exists()


def test_comment_page_1_leads_to_the_article(site):
    soup = site.html(ARTICLE + "comment-page-1/")
    assert soup.select("li.comment") == []
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}/{ARTICLE}"
    assert "noindex" in soup.find("meta", attrs={"name": "robots"})["content"]
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert local(site, ARTICLE + "comment-page-1/", refresh.split("url=", 1)[1])[0] == site.path(
        ARTICLE
    )
    assert not (site.output / ARTICLE / "comment-page-3").exists()


def check_link(site, url: str) -> str:
    """The comment id a URL points at, after checking that the page it names shows it."""
    parts = urlsplit(url)
    assert parts.netloc == "blog.example", url
    comment_id = parts.fragment.removeprefix("comment-")
    assert parts.path.lstrip("/") == expected_page(comment_id), url
    soup = site.html(parts.path.lstrip("/"))
    assert soup.select_one(f"li#comment-{comment_id}") is not None, url
    return comment_id


def test_feed_links_go_to_the_right_page(site):
    feed = feedparser.parse(site.path("feeds/comments.atom.xml").read_bytes())
    assert feed.entries
    seen = {check_link(site, entry.link) for entry in feed.entries}
    assert {"55", "60", "102", "103", "101"} <= seen  # page 2 and a late reply on page 1
    own = feedparser.parse(site.path("feeds/comments/lang.atom.xml").read_bytes())
    assert {check_link(site, entry.link) for entry in own.entries} == seen


def test_digest_links_go_to_the_right_page(site):
    urls = []
    for name in ("index.html", "email.html"):
        page = site.output / "newsletter/2024-kw11" / name
        soup = site.html(str(page.relative_to(site.output)))
        urls += [a["href"] for a in soup.find_all("a", href=True) if "#comment-" in a["href"]]
    assert urls
    seen = {check_link(site, url) for url in urls}
    assert "55" in seen or "60" in seen
    text = (site.output / "newsletter/2024-kw11/email.txt").read_text(encoding="utf-8")
    assert f"{BASE}/{PAGE_2}#comment-" in text


def test_json_ld_holds_the_comments_the_page_shows_with_their_links(site):
    # Structured data describes what the page shows: the article page's comments (all
    # of them are counted); a 10,000-comment archive does not weigh on the article page.
    soup = site.html(ARTICLE)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["commentCount"] == len(ALL_IDS)
    linked = [check_link(site, item["url"]) for item in data["comment"]]
    assert sorted(linked) == sorted(comment_ids(soup))
    assert site.html(PAGE_2).find("script", type="application/ld+json") is None


def test_sitemap_has_page_2_but_not_the_redirect(site):
    tree = etree.parse(str(site.path("sitemap.xml")))
    locs = tree.xpath(
        "//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    )
    assert f"{BASE}/{PAGE_2}" in locs
    assert f"{BASE}/{ARTICLE}comment-page-1/" not in locs


def test_comment_pages_are_not_indexed_for_search(site, tmp_path):
    for page in (PAGE_2, ARTICLE + "comment-page-1/"):
        assert site.html(page).select("[data-pagefind-body]") == [], page
    entry = json.loads((site.output / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["de"]["page_count"] == 3  # two articles and the Impressum
    # Pagefind over every HTML file of the site (not only the article shapes) agrees.
    copy = tmp_path / "site"
    shutil.copytree(site.output, copy)
    shutil.rmtree(copy / "pagefind")
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--silent"]
    subprocess.run(command, check=True)
    entry = json.loads((copy / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["de"]["page_count"] == 3


def test_per_page_zero_puts_all_on_the_article_page(tmp_path):
    shutil.copytree(SITES / "comments-pages", tmp_path / "site")
    result = build(
        tmp_path / "site",
        tmp_path / "output",
        settings="COMMENTS_PER_PAGE = 0\nSEARCH_INDEX = False",
    )
    assert result.returncode == 0, result.log
    soup = result.html(ARTICLE)
    assert set(comment_ids(soup)) == ALL_IDS
    assert soup.select_one("nav.comment-pagination") is None
    assert not (result.output / PAGE_2).exists()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert all(urlsplit(item["url"]).path == f"/{ARTICLE}" for item in data["comment"])


def test_bad_per_page_stops_the_build(tmp_path):
    shutil.copytree(SITES / "comments-pages", tmp_path / "site")
    result = build(tmp_path / "site", tmp_path / "output", settings="COMMENTS_PER_PAGE = -1")
    assert result.returncode != 0
    assert "COMMENTS_PER_PAGE = -1" in result.log


@pytest.mark.parametrize("page", [PAGE_2, ARTICLE + "comment-page-1/"])
def test_comment_pages_are_whole_pages_of_the_site(site, page):
    soup = site.html(page)
    assert soup.html["lang"] == "de"
    assert soup.body.find("a")["href"] == "#inhalt"
    assert soup.find("main", id="inhalt") is not None
    assert len(soup.find_all("h1")) == 1
    assert "Ein langer Kommentar-Strang" in soup.title.get_text()
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert local(site, page, stylesheet)[0].is_file()
