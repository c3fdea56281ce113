"""Every page of the real site: landmarks, language, German UI, nothing from other hosts."""

from __future__ import annotations

import re
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest

from tests.support.sitebuild import ROOT

pytestmark = pytest.mark.build

LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "input": "src",
}


def test_every_page_has_lang_skip_link_and_landmarks(real_site):
    pages = real_site.pages()
    assert len(pages) > 20
    for path in pages:
        soup = real_site.html(str(path.relative_to(real_site.output)))
        where = path.relative_to(real_site.output)
        assert soup.html["lang"] == "de", where
        first_link = soup.body.find("a")
        assert first_link["href"] == "#inhalt" and "skip-link" in first_link["class"], where
        assert soup.find("main", id="inhalt") is not None, where
        for landmark in ("header", "nav", "footer"):
            assert soup.find(landmark) is not None, (where, landmark)
        assert len(soup.find_all("h1")) == 1, where


def test_nothing_is_loaded_from_another_host(real_site):
    for path in real_site.pages():
        soup = real_site.html(str(path.relative_to(real_site.output)))
        urls = [tag.get(attr) for name, attr in LOADING.items() for tag in soup.find_all(name)]
        urls += [
            link.get("href")
            for link in soup.find_all("link")
            if set(link.get("rel", []))
            & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
        ]
        urls += re.findall(
            r"url\(([^)]+)\)", " ".join(s.get_text() for s in soup.find_all("style"))
        )
        for url in filter(None, urls):
            parsed = urlparse(url.strip("'\""))
            assert not parsed.netloc and parsed.scheme in ("", "data"), (path, url)
    css = (real_site.output / "theme/css/site.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_index_is_paginated_by_ten_and_german(real_site):
    soup = real_site.html("index.html")
    cards = soup.select(".article-card")
    assert 1 <= len(cards) <= 10
    assert soup.select_one("h1").get_text(strip=True) == "Neueste Beiträge"
    assert re.search(
        r"\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}",
        soup.select_one(".article-card time").get_text(),
    )


def test_year_and_month_archives_in_german(real_site):
    year = real_site.html("2015/index.html")
    assert year.h1.get_text(strip=True) == "Archiv 2015"
    month = real_site.html("2015/06/index.html")
    assert month.h1.get_text(strip=True) == "Archiv Juni 2015"
    assert any("fuer-wen-machen" in a["href"] for a in month.select("main a"))


def test_category_tag_author_pages(real_site):
    category = real_site.html("category/organisationsentwicklung/index.html")
    assert category.h1.get_text(strip=True) == "Kategorie: Organisationsentwicklung"
    tag = real_site.html("tag/soziale-arbeit/index.html")
    assert tag.h1.get_text(strip=True) == "Schlagwort: Soziale Arbeit"
    author = real_site.html("author/hendrik-epe/index.html")
    assert author.h1.get_text(strip=True) == "Autor: Hendrik Epe"
    for soup in (category, tag, author):
        assert soup.select(".article-card")


def test_404_page_is_german(real_site):
    soup = real_site.html("404.html")
    assert soup.html["lang"] == "de"
    assert soup.h1.get_text(strip=True) == "Seite nicht gefunden"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_pages_impressum_datenschutz_newsletter(real_site):
    for slug in ("impressum", "datenschutz", "newsletter-anmeldung"):
        assert real_site.path(f"{slug}/index.html").is_file(), slug
    privacy = real_site.html("datenschutz/index.html").main.get_text(" ")
    for needle in ("Cookies", "Tracking", "Kommentar", "Einwilligung"):
        assert needle.lower() in privacy.lower(), needle
    signup = real_site.html("newsletter-anmeldung/index.html")
    form = signup.select_one("main form")
    assert form["action"] == "/newsletter/subscribe" and form["method"] == "post"


def test_sitemap_and_robots(real_site):
    tree = ElementTree.parse(real_site.output / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert all(loc.startswith("https://") for loc in locs)
    assert any("fuer-wen-machen-wir-das-eigentlich" in loc for loc in locs)
    assert any(loc.endswith("/impressum/") for loc in locs)
    assert len(locs) == len(set(locs))
    robots = (real_site.output / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert re.search(r"^Sitemap: https://\S+/sitemap\.xml$", robots, re.M)


def test_drafts_are_only_previewed_never_listed(real_site):
    drafts = list((real_site.output / "entwuerfe").glob("*/index.html"))
    assert drafts, "content/ has a draft for the preview"
    draft_slugs = {path.parent.name for path in drafts}
    listed = (real_site.output / "sitemap.xml").read_text(encoding="utf-8")
    for name in ("index.html", "archiv/index.html"):
        listed += (real_site.output / name).read_text(encoding="utf-8")
    for slug in draft_slugs:
        assert slug not in listed


def test_theme_css_dark_mode_print_hyphens(real_site):
    css = (real_site.output / "theme/css/site.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css
    print_block = css.split("@media print", 1)[1]
    hidden = print_block.split("display: none")[0]
    for selector in (".site-header", ".share", ".newsletter-form", "form"):
        assert selector in hidden, selector
    # The P.S. box (the author's text) and the comments print; only the form does not.
    assert ".newsletter-box," not in hidden and ".comments" not in hidden
    assert 'a[href^="http"]::after { content: " (" attr(href) ")"' in print_block
    assert "hyphens: auto" in css
    # Headings hyphenate and never break a word without a hyphen.
    headings = re.search(r"h1, h2, h3, h4 \{([^}]*)\}", css)[1]
    assert "hyphens: auto" in headings and "overflow-wrap: normal" in headings
    assert not re.search(r"overflow-wrap:\s*(anywhere|break-word)|word-break:\s*break-all", css)


def test_titles_with_ampersand_and_quotes_are_escaped_once(real_site):
    path = next(real_site.output.glob("2015/07/lernen-scheitern*/index.html"))
    soup = real_site.html(str(path.relative_to(real_site.output)))
    title = 'Lernen & Scheitern: Warum "Fehlerkultur" mehr ist als ein Plakat im Flur'
    assert soup.h1.get_text() == title
    assert soup.find("meta", property="og:title")["content"] == title
    assert soup.title.get_text().startswith(title)
    assert "&amp;amp;" not in path.read_text(encoding="utf-8")


def test_index_paginates_by_ten(tmp_path):
    from tests.support.sitebuild import build  # noqa: PLC0415

    site = tmp_path / "site"
    articles = site / "content/articles"
    articles.mkdir(parents=True)
    for number in range(23):
        (articles / f"n{number:02d}.md").write_text(
            f"Title: Nummer {number}\nDate: 2024-01-{number + 1:02d} 10:00\nCategory: Test\n"
            f"Slug: n{number:02d}\n\nText {number}.\n",
            encoding="utf-8",
        )
    result = build(site, tmp_path / "output")
    assert result.returncode == 0, result.log
    pages = [
        result.html("index.html"),
        result.html("page/2/index.html"),
        result.html("page/3/index.html"),
    ]
    titles = [[a.get_text() for a in page.select(".article-card h2 a")] for page in pages]
    assert [len(t) for t in titles] == [10, 10, 3]
    assert titles[0][0] == "Nummer 22" and titles[2][-1] == "Nummer 0"  # newest first
    assert pages[1].select_one(".pagination").get_text(" ", strip=True).count("Seite 2 von 3") == 1
    assert not (result.output / "page/4").exists()


# Formal address. Case-sensitive, whole words: "sie" (they) and "Sieger" do not count.
FORMAL = re.compile(r"\b(Sie|Ihre|Ihnen|Ihrer|Ihren|Ihrem)\b")
# What authors and commenters wrote is theirs (the reference article quotes a comment that
# says "Ihnen"); everything the site itself says uses "Du".
AUTHORED = ".article-body, .comment-body, .card-summary, .newsletter-text, .digest-comments"


def test_templates_say_du_never_sie():
    templates = sorted((ROOT / "theme/templates").rglob("*.html"))
    assert len(templates) > 20
    templates += sorted((ROOT / "service/templates").rglob("*.html"))  # the reader service
    templates += sorted((ROOT / "service/templates").rglob("*.txt"))  # and its mails
    for path in templates:
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not FORMAL.search(text), (path, FORMAL.findall(text))
    for path in sorted((ROOT / "content/pages").glob("*.md")):
        assert not FORMAL.search(path.read_text(encoding="utf-8")), path


def test_built_pages_say_du_never_sie(real_site):
    for path in real_site.pages():
        soup = real_site.html(str(path.relative_to(real_site.output)))
        for authored in soup.select(AUTHORED):
            authored.decompose()
        for tag in soup(["script", "style"]):
            tag.decompose()
        text = soup.get_text(" ")
        assert not FORMAL.search(text), (path, FORMAL.findall(text))


def test_sticky_articles_lead_the_lists_and_meta_lines_keep_together(tmp_path):
    from tests.support.sitebuild import build  # noqa: PLC0415

    site = tmp_path / "site"
    articles = site / "content/articles"
    articles.mkdir(parents=True)
    for number, sticky in ((1, "Sticky: true\n"), (2, ""), (3, "")):
        (articles / f"a{number}.md").write_text(
            f"Title: Beitrag {number}\nDate: 2024-02-0{number} 10:00\nCategory: Test\n"
            f"Tags: Eins\nSlug: a{number}\n{sticky}\nText {number}.\n",
            encoding="utf-8",
        )
    result = build(site, tmp_path / "output")
    assert result.returncode == 0, result.log
    for page in ("index.html", "category/test/index.html", "tag/eins/index.html"):
        cards = result.html(page).select(".article-card")
        titles = [card.select_one(".card-title a").get_text() for card in cards]
        assert titles == ["Beitrag 1", "Beitrag 3", "Beitrag 2"], page
        assert "is-sticky" in cards[0]["class"] and "is-sticky" not in cards[1]["class"]
        assert cards[0].select_one(".badge").get_text() == "Angeheftet"
        meta = cards[1].select_one(".meta").get_text()
        assert "1\u00a0Min. Lesezeit" in meta
        assert cards[1].select_one(".comment-count") is None  # no "0 Kommentare"
