"""Pagefind search: German stemming, what is indexed, and the page without JavaScript."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.browser.conftest import serve
from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.browser

# One title per result (sub-results for headings repeat the link class).
TITLES = "li.pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title > a"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("search")
    shutil.copytree(SITES / "search", root / "site")
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    server, url = serve(result.output)
    yield result, url
    server.shutdown()


def search(open_page, url: str, query: str) -> list[str]:
    visit = open_page(url + "/suche/")
    page = visit.page
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__message", state="visible")
    page.wait_for_function(
        "() => !document.querySelector('.pagefind-ui__message').textContent.includes('…')"
    )
    page.wait_for_timeout(300)
    assert visit.foreign == [] and visit.console_errors == []
    return page.locator(TITLES).all_inner_texts()


def test_german_stemming_finds_plural(open_page, search_site):
    _, url = search_site
    # The article says only "Organisationen"; the singular must find it.
    assert search(open_page, url, "Organisation") == ["Über Vereine und Verbände"]
    assert search(open_page, url, "Hochbeet") == ["Ein Beitrag über Gärten"]


def test_navigation_footer_and_share_box_are_not_indexed(open_page, search_site):
    _, url = search_site
    # "Impressum" stands in every footer; only the Impressum page itself may match.
    assert search(open_page, url, "Impressum") == ["Impressum"]
    assert search(open_page, url, "WhatsApp") == []
    assert search(open_page, url, "Newsletter abonnieren") == []


def test_index_holds_articles_and_pages(search_site):
    result, _ = search_site
    entry = json.loads((result.output / "pagefind/pagefind-entry.json").read_text("utf-8"))
    assert "de" in entry["languages"]
    assert entry["languages"]["de"]["page_count"] == 3  # two articles, the Impressum


def test_index_in_parts_is_searched_as_one(open_page, browser, tmp_path_factory):
    """SEARCH_SHARDS: one bundle per year and one for the pages, merged by the search page."""
    root = tmp_path_factory.mktemp("search-parts")
    shutil.copytree(SITES / "search", root / "site")
    result = build(root / "site", root / "output", settings="SEARCH_SHARDS = True")
    assert result.returncode == 0, result.log
    parts = json.loads((result.output / "pagefind/teile.json").read_text("utf-8"))["teile"]
    assert len(parts) == 2
    server, url = serve(result.output)
    try:
        assert search(open_page, url, "Hochbeet") == ["Ein Beitrag über Gärten"]
        assert search(open_page, url, "Organisation") == ["Über Vereine und Verbände"]
        # The Impressum is in the other part; it comes first. (Pagefind falls back to a
        # shorter word in a part without the word, so weaker hits may follow.)
        assert search(open_page, url, "Impressum")[0] == "Impressum"
    finally:
        server.shutdown()


def test_header_search_field_leads_to_results(open_page, search_site):
    _, url = search_site
    visit = open_page(url + "/")
    page = visit.page
    page.fill("#suchfeld", "Organisation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Organisation")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert page.locator(TITLES).all_inner_texts() == ["Über Vereine und Verbände"]


def test_search_page_without_javascript_points_to_archives(open_page, search_site):
    _, url = search_site
    visit = open_page(url + "/suche/", java_script_enabled=False)
    text = visit.page.locator("main").inner_text()
    assert "Die Suche braucht JavaScript" in text
    links = visit.page.locator("main noscript a, main .search-noscript a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any(h.rstrip("/").endswith("archiv") for h in hrefs)
