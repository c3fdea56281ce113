"""The feeds of the real site (content/, pelicanconf.py): parse cleanly, autodiscovery, redirects."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.support.feeds import (
    all_urls,
    alternate_links,
    check_required_elements,
    feed_files,
    is_absolute,
    local_file,
    parse,
)

pytestmark = pytest.mark.build

BASE = "https://www.ideequadrat.org"
SITE_FEEDS = [f"{BASE}/feeds/atom.xml", f"{BASE}/feeds/rss.xml", f"{BASE}/feeds/comments.atom.xml"]


def article_pages(site):
    """Published article pages: /yyyy/mm/slug/index.html (drafts live under /entwuerfe/)."""
    return sorted(site.output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def own_feeds(links):
    """The autodiscovery links of the feeds plugin (other plugins may add their own)."""
    return [link for link in links if link["href"].startswith(f"{BASE}/feeds/")]


def test_every_feed_parses_cleanly(real_site):
    files = feed_files(real_site.output)
    assert len(files) > 10
    for path in files:
        result = parse(path)
        check_required_elements(path)
        urls = all_urls(result)
        assert all(is_absolute(url) for url in urls), (path, urls)
        site_urls = [url for url in urls if url.startswith("https://")]
        assert all(url.startswith(BASE + "/") for url in site_urls), path
        for entry in result.entries:
            assert entry.title.strip(), path
            assert entry.link.startswith(BASE + "/"), path
            assert local_file(real_site.output, BASE, entry.link.split("#")[0]).is_file()


def test_site_feeds_hold_every_published_article(real_site):
    pages = article_pages(real_site)
    expected = min(20, len(pages))
    for name in ("atom.xml", "rss.xml"):
        result = parse(real_site.output / "feeds" / name)
        assert len(result.entries) == expected, name
        links = [entry.link for entry in result.entries]
        assert len(set(links)) == len(links)
        assert all(entry.id.startswith("tag:www.ideequadrat.org,") for entry in result.entries)
        published = [entry.published_parsed for entry in result.entries]
        assert published == sorted(published, reverse=True), name
    titles = {entry.title for entry in parse(real_site.output / "feeds/atom.xml").entries}
    assert 'Lernen & Scheitern: Warum "Fehlerkultur" mehr ist als ein Plakat im Flur' in titles
    for draft in (real_site.output / "entwuerfe").glob("*/"):
        assert draft.name not in (real_site.output / "feeds/atom.xml").read_text(encoding="utf-8")


def test_category_and_tag_feeds_match_their_pages(real_site):
    for kind in ("category", "tag"):
        folders = sorted(page.parent for page in (real_site.output / kind).glob("*/index.html"))
        assert folders, kind
        for folder in folders:
            listing = [folder / "index.html", *sorted(folder.glob("page/*/index.html"))]
            links = [
                card.select_one("a")["href"]
                for page in listing
                for card in real_site.html(str(page.relative_to(real_site.output))).select(
                    ".article-card"
                )
            ]
            result = parse(real_site.output / f"feeds/{kind}/{folder.name}.atom.xml")
            assert len(result.entries) == min(20, len(links)), (kind, folder.name)
            slugs = {link.rstrip("/").rsplit("/", 1)[-1] for link in links}
            assert {e.link.rstrip("/").rsplit("/", 1)[-1] for e in result.entries} <= slugs


def test_comment_feeds(real_site):
    everything = parse(real_site.output / "feeds/comments.atom.xml")
    assert everything.entries, "the reference article has comments"
    for entry in everything.entries:
        assert re.fullmatch(
            r"tag:www\.ideequadrat\.org,\d{4}-\d{2}-\d{2}:/\S+#comment-\w+", entry.id
        )
        assert "#comment-" in entry.link and entry.author
    for page in article_pages(real_site):
        slug = page.parent.name
        assert (real_site.output / f"feeds/comments/{slug}.atom.xml").is_file(), slug


def test_autodiscovery_on_every_page(real_site):
    pages = real_site.pages()
    assert len(pages) > 20
    for path in pages:
        relative = str(path.relative_to(real_site.output))
        links = own_feeds(alternate_links(real_site.html(relative)))
        hrefs = [link["href"] for link in links]
        assert hrefs[:3] == SITE_FEEDS, relative
        for link in links:
            assert link["title"], relative
            assert local_file(real_site.output, BASE, link["href"]).is_file(), (relative, link)
        if re.fullmatch(r"(category|tag)/[^/]+/index\.html", relative):
            kind, slug = relative.split("/")[:2]
            assert hrefs[3:] == [f"{BASE}/feeds/{kind}/{slug}.atom.xml"], relative


def test_article_pages_announce_their_comments_feed(real_site):
    for page in article_pages(real_site):
        relative = str(page.relative_to(real_site.output))
        soup = real_site.html(relative)
        feed = f"{BASE}/feeds/comments/{page.parent.name}.atom.xml"
        links = [link["href"] for link in alternate_links(soup)]
        # The comments section is missing exactly when the article's comments are hidden.
        assert (feed in links) == (soup.select_one("section#comments") is not None), relative


def test_redirect_files_cover_every_article(real_site):
    output = real_site.output
    assert (output / ".htaccess").is_file()
    redirects = (output / "_redirects").read_text(encoding="utf-8")
    htaccess = (output / ".htaccess").read_text(encoding="utf-8")
    nginx = (output / "nginx-redirects.conf").read_text(encoding="utf-8")
    rules = {}
    for line in redirects.splitlines():
        if line and not line.startswith("#"):
            source, target, code = line.split()
            assert code == "301" and (output / target.lstrip("/")).is_file(), line
            rules[source] = target
    for source in ("/feed/", "/feed/atom/", "/feed/rss2/", "/comments/feed/"):
        assert source in rules
    pages = article_pages(real_site)
    assert pages
    for page in pages:
        path = "/" + str(page.parent.relative_to(output)) + "/"
        target = f"/feeds/comments/{page.parent.name}.atom.xml"
        assert rules[f"{path}feed/"] == target, path
        assert f"RedirectMatch 301 ^{path}feed/?$ {target}" in htaccess, path
        assert f"location = {path}feed/ {{ return 301 {target}; }}" in nginx, path
    for kind in ("category", "tag"):
        for page in (output / kind).glob("*/index.html"):
            slug = page.parent.name
            assert rules[f"/{kind}/{slug}/feed/"] == f"/feeds/{kind}/{slug}.atom.xml"
    assert all(urlsplit(target).path == target for target in rules.values())
