"""The feeds plugin in full builds of tests/sites/feeds-basic/ (FEEDS_MAX_ITEMS = 3).

The site has a title with & < quotes and umlauts, a featured image, relative links in
the text, a draft, a hidden and a future-dated article, an old article edited later,
comments that are approved, pending and spam (read by the real comments plugin), and an
article whose comments are hidden.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime

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
from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

BASE = "https://blog.example"
TITLE = "Kaffee & <Kuchen>: \"Zitate\", 'Apostrophe' und Umlaute – Äpfel, Öl, Übermut, Straße"
LISTED = [
    "sonderzeichen",
    "vierter",
    "dritter",
    "kommentare-versteckt",
    "zweiter",
    "alt-bearbeitet",
]
NEVER = ["GEHEIMER", "VERSTECKTER", "ZUKUNFTS", "entwurf", "zukunft", "/versteckt/"]
NEVER_COMMENTS = ["WARTEND", "SPAMMER", "UNSICHTBAR", "ZEITREISENDE", "VERSTECKT-", "ENTWURF-"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    shutil.copytree(SITES / "feeds-basic", root / "site")
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def article_url(slug: str) -> str:
    month = "01" if slug == "alt-bearbeitet" else "05"
    return f"{BASE}/2024/{month}/{slug}/"


def test_every_feed_is_written(site):
    written = {str(path.relative_to(site.output)) for path in feed_files(site.output)}
    assert written == {
        "feeds/atom.xml",
        "feeds/rss.xml",
        "feeds/comments.atom.xml",
        "feeds/category/allgemeines.atom.xml",
        "feeds/category/kueche-keller.atom.xml",
        "feeds/tag/aepfel.atom.xml",
        "feeds/tag/test-co.atom.xml",
        "feeds/tag/zweites.atom.xml",
        *(f"feeds/comments/{slug}.atom.xml" for slug in LISTED),
    }


def test_every_feed_parses_with_required_elements_and_absolute_urls(site):
    for path in feed_files(site.output):
        result = parse(path)
        check_required_elements(path)
        assert result.feed.language == "de", path
        urls = all_urls(result)
        assert urls, path
        assert all(is_absolute(url) for url in urls), (path, urls)


def test_max_items_newest_first_by_first_publication(site):
    for name in ("atom.xml", "rss.xml"):
        result = parse(site.output / "feeds" / name)
        # alt-bearbeitet has the newest Modified, but an edit never makes an article new
        assert [entry.link for entry in result.entries] == [
            article_url(slug) for slug in ("sonderzeichen", "vierter", "dritter")
        ], name
    category = parse(site.output / "feeds/category/allgemeines.atom.xml")
    assert [entry.link for entry in category.entries] == [
        article_url(slug) for slug in ("vierter", "dritter", "kommentare-versteckt")
    ]
    tag = parse(site.output / "feeds/tag/test-co.atom.xml")
    assert [entry.link for entry in tag.entries] == [
        article_url(slug) for slug in ("sonderzeichen", "vierter")
    ]


def test_title_with_special_characters(site):
    for name in ("atom.xml", "rss.xml", "category/kueche-keller.atom.xml", "tag/aepfel.atom.xml"):
        entry = parse(site.output / "feeds" / name).entries[0]
        assert entry.title == TITLE, name
    comments = parse(site.output / "feeds/comments/sonderzeichen.atom.xml")
    assert comments.feed.title == f"Kommentare zu „{TITLE}“"
    category = parse(site.output / "feeds/category/kueche-keller.atom.xml")
    assert category.feed.title == "IdeeQuadrat – Kategorie „Küche & Keller“"
    assert [tag.term for tag in category.entries[0].tags] == [
        "Küche & Keller",
        "Äpfel",
        "Test & Co",
    ]
    for path in feed_files(site.output):
        titles = re.findall(r"<title>.*</title>", path.read_text(encoding="utf-8"))
        assert not [title for title in titles if "&amp;amp;" in title or "&amp;lt;" in title]


def test_entry_dates_author_and_stable_id(site):
    entry = parse(site.output / "feeds/atom.xml").entries[0]
    assert entry.id == "tag:blog.example,2024-05-06:/2024/05/sonderzeichen/"
    assert entry.published == "2024-05-06T10:00:00+02:00"
    assert entry.updated == "2024-05-08T12:30:00+02:00"  # from Modified
    assert entry.author == "Hendrik Epe"
    item = parse(site.output / "feeds/rss.xml").entries[0]
    assert item.id == entry.id
    assert item.updated == "2024-05-08T12:30:00+02:00"
    assert item.published_parsed[:5] == (2024, 5, 6, 8, 0)  # 10:00 in Berlin is 08:00 UTC
    assert item.author == "Hendrik Epe"
    plain = parse(site.output / "feeds/atom.xml").entries[1]
    assert plain.updated == plain.published == "2024-05-05T09:00:00+02:00"


def test_featured_image_is_an_enclosure_with_type_and_length(site):
    # The enclosure is the featured image's e-mail raster (images plugin), with its size.
    rss = (site.output / "feeds/rss.xml").read_text(encoding="utf-8")
    url = re.search(r'<enclosure url="([^"]+)"', rss)[1]
    assert url.startswith(f"{BASE}/images/bild-") and url.endswith(".jpg")  # 2×1 px: its 2w
    size = str((site.output / url.removeprefix(f"{BASE}/")).stat().st_size)
    for name in ("atom.xml", "rss.xml"):
        entry = parse(site.output / "feeds" / name).entries[0]
        assert [(e.href, e.type, e.length) for e in entry.enclosures] == [
            (url, "image/jpeg", size)
        ], name
    atom = (site.output / "feeds/atom.xml").read_text(encoding="utf-8")
    assert f'rel="enclosure" type="image/jpeg" length="{size}"' in atom
    assert f'<enclosure url="{url}" length="{size}" type="image/jpeg"/>' in rss


def test_relative_links_and_images_in_the_text_become_absolute(site):
    entry = parse(site.output / "feeds/atom.xml").entries[0]
    urls = set(all_urls_of_html(entry.content[0].value))
    assert urls == {
        f"{BASE}/impressum/",
        f"{BASE}/2024/05/sonderzeichen/#abschnitt",
        f"{BASE}/images/bild.png",  # {static} and ../../../images/bild.png
        f"{BASE}/2024/05/sonderzeichen/bilder/lokal.png",
        "mailto:leser@blog.example",
    }
    assert set(all_urls_of_html(entry.summary)) == {f"{BASE}/impressum/"}
    second = parse(site.output / "feeds/atom.xml").entries[1]
    assert set(all_urls_of_html(second.content[0].value)) == {f"{BASE}/category/allgemeines/"}


def all_urls_of_html(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_drafts_hidden_and_future_articles_are_in_no_feed(site):
    for path in feed_files(site.output):
        text = path.read_text(encoding="utf-8")
        for needle in NEVER:
            assert needle not in text, (path, needle)
    for name in ("_redirects", ".htaccess", "nginx-redirects.conf"):
        text = (site.output / name).read_text(encoding="utf-8")
        assert "zukunft" not in text and "/versteckt/" not in text and "entwurf" not in text


def test_only_approved_comments_of_listed_articles(site):
    everything = parse(site.output / "feeds/comments.atom.xml")
    assert [entry.author for entry in everything.entries] == ["Bernd", "Anna & Co"]
    first = everything.entries[1]
    assert first.id == "tag:blog.example,2024-05-06:/2024/05/sonderzeichen/#comment-1"
    assert first.link == f"{BASE}/2024/05/sonderzeichen/#comment-1"
    assert first.title == f"Kommentar von Anna & Co zu „{TITLE}“"
    assert 'href="https://andere.example/seite"' in first.content[0].value
    assert everything.entries[0].author_detail.href == "https://bernd.example/"
    own = parse(site.output / "feeds/comments/sonderzeichen.atom.xml")
    assert [entry.id for entry in own.entries] == [entry.id for entry in everything.entries]
    assert parse(site.output / "feeds/comments/kommentare-versteckt.atom.xml").entries == []
    for path in feed_files(site.output):
        text = path.read_text(encoding="utf-8")
        for needle in NEVER_COMMENTS:
            assert needle not in text, (path, needle)


def test_autodiscovery_on_every_page(site):
    pages = site.pages()
    assert len(pages) > 15
    site_feeds = [
        f"{BASE}/feeds/atom.xml",
        f"{BASE}/feeds/rss.xml",
        f"{BASE}/feeds/comments.atom.xml",
    ]
    for path in pages:
        relative = str(path.relative_to(site.output))
        links = [
            link
            for link in alternate_links(site.html(relative))
            if link["href"].startswith(f"{BASE}/feeds/")
        ]
        assert [link["href"] for link in links[:3]] == site_feeds, relative
        assert links[1]["type"] == "application/rss+xml"
        for link in links:
            assert local_file(site.output, BASE, link["href"]).is_file(), (relative, link)
            assert link["title"], (relative, link)
        extra = [link["href"] for link in links[3:]]
        if relative.startswith("category/") and relative != "category/index.html":
            slug = relative.split("/")[1]
            assert extra == [f"{BASE}/feeds/category/{slug}.atom.xml"], relative
        elif relative.startswith("tag/") and relative != "tag/index.html":
            slug = relative.split("/")[1]
            assert extra == [f"{BASE}/feeds/tag/{slug}.atom.xml"], relative
        elif re.match(r"\d{4}/\d{2}/[^/]+/index\.html$", relative):
            slug = relative.split("/")[2]
            if slug in ("sonderzeichen", "vierter", "dritter", "zweiter", "alt-bearbeitet"):
                assert extra == [f"{BASE}/feeds/comments/{slug}.atom.xml"], relative
            else:  # comments hidden, hidden article, future article
                assert extra == [], relative
        else:
            assert extra == [], relative


def test_autodiscovery_titles(site):
    links = alternate_links(site.html("2024/05/sonderzeichen/index.html"))
    assert links[0]["title"] == "IdeeQuadrat – Atom-Feed"
    assert links[3]["title"] == f"Kommentare zu „{TITLE}“"
    category = alternate_links(site.html("category/kueche-keller/index.html"))
    assert category[3]["title"] == "IdeeQuadrat – Kategorie „Küche & Keller“"
    raw = site.path("2024/05/sonderzeichen/index.html").read_text(encoding="utf-8")
    assert "Kommentare zu „Kaffee &amp; &lt;Kuchen&gt;: &#34;Zitate&#34;" in raw


def test_redirect_files_cover_the_old_wordpress_urls(site):
    assert (site.output / ".htaccess").is_file()  # a dotfile really ends up in output/
    rules = {}
    for line in (site.output / "_redirects").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target, code = line.split()
            assert code == "301"
            assert (site.output / target.lstrip("/")).is_file(), line
            rules[source] = target
    expected = {
        "/feed/": "/feeds/rss.xml",
        "/feed/atom/": "/feeds/atom.xml",
        "/feed/rss2/": "/feeds/rss.xml",
        "/comments/feed/": "/feeds/comments.atom.xml",
        "/category/kueche-keller/feed/": "/feeds/category/kueche-keller.atom.xml",
        "/tag/test-co/feed/": "/feeds/tag/test-co.atom.xml",
    }
    for slug in LISTED:
        path = article_url(slug).removeprefix(BASE)
        expected[f"{path}feed/"] = f"/feeds/comments/{slug}.atom.xml"
    assert expected.items() <= rules.items()
    htaccess = (site.output / ".htaccess").read_text(encoding="utf-8")
    nginx = (site.output / "nginx-redirects.conf").read_text(encoding="utf-8")
    for source, target in expected.items():
        pattern = "^" + source.rstrip("/").replace(".", r"\.") + "/?$"
        assert f"RedirectMatch 301 {pattern} {target}\n" in htaccess, source
        assert f"location = {source} {{ return 301 {target}; }}" in nginx, source


def test_summary_only_future_now_and_no_redirects(scenario):
    result = scenario(
        "feeds-basic",
        settings=(
            'FEEDS_CONTENT = "summary"\nFEEDS_REDIRECTS = False\n'
            "from datetime import datetime as _dt, timezone as _tz\n"
            "FEEDS_NOW = _dt(3000, 1, 1, tzinfo=_tz.utc)\n"
        ),
    )
    assert result.returncode == 0, result.log
    for name in ("atom.xml", "rss.xml"):
        entries = parse(result.output / "feeds" / name).entries
        assert entries[0].title == "ZUKUNFTS-Beitrag", name  # "now" is the year 3000
        assert all("content" not in entry for entry in entries), name
        assert entries[1].summary.startswith("<p>Eine Zusammenfassung mit <a href="), name
    assert (result.output / "feeds/comments/zukunft.atom.xml").is_file()
    for name in ("_redirects", ".htaccess", "nginx-redirects.conf"):
        assert not (result.output / name).exists(), name


def test_ids_stay_stable_when_an_article_is_edited(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "feeds-basic", site)
    before = build(site, tmp_path / "before")
    assert before.returncode == 0, before.log
    source = site / "content/articles/sonderzeichen.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("Title: Kaffee & <Kuchen>", "Title: Tee & <Gebäck>")
    text = text.replace("Modified: 2024-05-08 12:30", "Modified: 2024-07-01 08:00")
    text = text.replace("ERSTFASSUNG", "ZWEITFASSUNG, deutlich überarbeitet")
    source.write_text(text, encoding="utf-8")
    after = build(site, tmp_path / "after")
    assert after.returncode == 0, after.log

    for name in ("atom.xml", "rss.xml", "category/kueche-keller.atom.xml", "tag/aepfel.atom.xml"):
        old = parse(before.output / "feeds" / name).entries
        new = parse(after.output / "feeds" / name).entries
        assert [e.id for e in new] == [e.id for e in old], name
        assert [e.link for e in new] == [e.link for e in old], name
        assert [e.published for e in new] == [e.published for e in old], name
        assert new[0].title.startswith("Tee & <Gebäck>") and old[0].title == TITLE, name
        assert new[0].updated_parsed > old[0].updated_parsed, name
    edited = parse(after.output / "feeds/atom.xml").entries[0]
    assert "ZWEITFASSUNG" in edited.content[0].value
    assert datetime.fromisoformat(edited.updated) == datetime.fromisoformat(
        "2024-07-01T08:00:00+02:00"
    )
    old_comments = parse(before.output / "feeds/comments.atom.xml").entries
    new_comments = parse(after.output / "feeds/comments.atom.xml").entries
    assert [e.id for e in new_comments] == [e.id for e in old_comments]
