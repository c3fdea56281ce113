"""The theme as a reader meets it, in Chromium at 375 and 1280 px: layout, header, headings
that never break inside a word without a hyphen, the menu without JavaScript, axe in light
and dark mode, the page weight of the reference article, search results, and screenshots
(tests/artifacts/, git-ignored) of every page type, the article in dark mode and in print."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, run_axe

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# The header's height limits (px) at each width.
HEADER_MAX = {375: 140, 1280: 88}
# The reference article without images, fonts included (bytes transferred).
WEIGHT_MAX = 120 * 1024


@pytest.fixture(scope="module")
def paths(real_site):
    article = next(real_site.output.glob("2015/06/fuer-wen-machen-wir-das-eigentlich*/"))
    digest = sorted((real_site.output / "newsletter").glob("*/digest.json"))[0].parent
    return {
        "start": "/",
        "artikel": "/" + article.relative_to(real_site.output).as_posix() + "/",
        "schlagwort": "/tag/soziale-arbeit/",
        "kategorie": "/category/organisationsentwicklung/",
        "suche": "/suche/",
        "wochenrueckblicke": "/newsletter/",
        "wochenrueckblick": f"/newsletter/{digest.name}/",
        "impressum": "/impressum/",
        "datenschutz": "/datenschutz/",
    }


LAYOUT = """() => {
  const doc = document.documentElement;
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const nav = [...document.querySelectorAll('.site-nav li')]
    .filter((li) => li.offsetParent !== null)
    .map((li) => Math.round(li.getBoundingClientRect().top));
  // Words inside headings: a word whose letters sit on two lines must break after a
  // hyphen (typed, soft, or the browser's own with hyphens:auto and no forced breaks).
  const broken = [];
  const wide = [];
  for (const h of document.querySelectorAll('main h1, main h2, main h3')) {
    if (h.offsetParent === null) continue;
    if (h.scrollWidth > h.clientWidth + 1) wide.push(h.textContent.trim());
    const style = getComputedStyle(h);
    const autoHyphens = style.hyphens === 'auto' && style.overflowWrap === 'normal'
      && style.wordBreak === 'normal';
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data;
      for (const match of text.matchAll(/[^\\s\\u00a0]+/g)) {
        let lastTop = null;
        for (let i = match.index; i < match.index + match[0].length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (!rect.width && !rect.height) continue;
          const top = Math.round(rect.top);
          if (lastTop !== null && top > lastTop + 2) {
            const before = text[i - 1];
            if (!(before === '-' || before === '\\u00ad' || autoHyphens)) broken.push(match[0]);
          }
          lastTop = top;
        }
      }
    }
  }
  return {overflow: doc.scrollWidth - doc.clientWidth, header: header.height,
          navTops: [...new Set(nav)], broken, wide};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_header_and_headings(open_page, site_url, paths, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind, path in paths.items():
        visit = open_page(site_url + path, viewport={"width": width, "height": 900})
        layout = visit.page.evaluate(LAYOUT)
        where = (kind, width)
        assert layout["overflow"] <= 0, where
        assert layout["header"] <= HEADER_MAX[width], (where, layout["header"])
        assert layout["broken"] == [], where
        assert layout["wide"] == [], where
        if width == 1280:
            assert len(layout["navTops"]) == 1, (where, layout["navTops"])
        if kind in ("start", "artikel", "schlagwort", "suche"):
            name = {"start": "home", "artikel": "article", "schlagwort": "tag", "suche": "search"}
            visit.page.screenshot(
                path=str(ARTIFACTS / f"theme-{name[kind]}-{width}.png"), full_page=True
            )
        visit.page.context.close()


def test_no_overflow_between_phone_and_desktop(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"])
    page = visit.page
    for path in (paths["start"], paths["artikel"]):
        for width in (320, 768, 1024, 1120, 1200, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(site_url + path, wait_until="load")
            layout = page.evaluate(LAYOUT)
            assert layout["overflow"] <= 0, (path, width)
            assert layout["header"] <= HEADER_MAX[1280 if width >= 1120 else 375], (path, width)


def test_article_measure_is_65_to_75_characters(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"], viewport={"width": 1280, "height": 900})
    counts = visit.page.evaluate(
        """() => { const counts = [];
          for (const p of document.querySelectorAll('.article-body > p')) {
            const node = p.firstChild;
            if (!node || node.nodeType !== 3 || node.data.length < 200) continue;
            let top = null, n = 0;
            for (let i = 0; i < node.data.length; i++) {
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const t = Math.round(range.getBoundingClientRect().top);
              if (top === null) top = t;
              if (t > top + 2) { counts.push(n); top = t; n = 0; }
              n++;
            }
          }
          return counts; }"""
    )
    assert len(counts) > 20
    assert 65 <= sum(counts) / len(counts) <= 75, counts


def test_heading_styles_hyphenate_german(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"], viewport={"width": 375, "height": 900})
    styles = visit.page.evaluate(
        """() => [...document.querySelectorAll('main h1, main h2, main h3')].map((h) => {
            const s = getComputedStyle(h);
            return [s.hyphens, s.overflowWrap, s.wordBreak, h.closest('[lang]').lang];
        })"""
    )
    assert styles and all(style == ["auto", "normal", "normal", "de"] for style in styles)


def test_current_page_is_marked(open_page, site_url, paths):
    for kind, expected in (("start", "IdeeQuadrat"), ("kategorie", "Organisationsentwicklung")):
        visit = open_page(site_url + paths[kind])
        current = visit.page.locator("header [aria-current='page']")
        assert current.count() == 1 and expected in current.inner_text()
    visit = open_page(site_url + "/newsletter-anmeldung/")
    assert visit.page.locator(".site-nav [aria-current='page']").inner_text() == "Newsletter"


def test_phone_menu_opens_without_javascript(open_page, site_url, paths):
    visit = open_page(
        site_url + paths["artikel"],
        viewport={"width": 375, "height": 800},
        java_script_enabled=False,
    )
    page = visit.page
    nav = page.locator(".site-nav")
    assert not nav.is_visible()
    page.locator(".menu-button").click()
    assert nav.is_visible() and page.locator("#suchfeld").is_visible()
    assert page.locator(".site-nav a").count() >= 4
    page.locator(".menu-button").click()
    assert not nav.is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_search_and_legal_pages(open_page, site_url, paths, scheme):
    for kind in ("suche", "kategorie", "impressum", "datenschutz"):
        visit = open_page(site_url + paths[kind], color_scheme=scheme)
        assert run_axe(visit.page) == [], kind
        visit.page.context.close()


def test_axe_with_the_phone_menu_open(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"], viewport={"width": 375, "height": 800})
    visit.page.locator(".menu-button").click()
    assert run_axe(visit.page) == []


def test_reference_article_weight_without_images(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"], viewport={"width": 375, "height": 800})
    page = visit.page
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
            .map((e) => ({name: e.name, type: e.initiatorType, size: e.transferSize}))"""
    )
    images = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif")
    counted = [
        e for e in entries if e["type"] != "img" and not e["name"].split("?")[0].endswith(images)
    ]
    assert any(e["name"].endswith(".woff2") for e in counted), "the web font is loaded"
    total = sum(e["size"] for e in counted)
    assert total <= WEIGHT_MAX, (total, counted)


def test_article_dark_and_print_screenshots(open_page, site_url, paths):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        viewport = {"width": width, "height": 900}
        dark = open_page(site_url + paths["artikel"], viewport=viewport, color_scheme="dark")
        dark.page.screenshot(
            path=str(ARTIFACTS / f"theme-article-dark-{width}.png"), full_page=True
        )
        printed = open_page(site_url + paths["artikel"], viewport=viewport)
        page = printed.page
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => Object.fromEntries(['.site-header', '.share', '.newsletter-form',
                '.newsletter-box', '.comments', '.article-body'].map((s) => {
                const el = document.querySelector(s);
                return [s, !!el && getComputedStyle(el).display !== 'none'];
            }))"""
        )
        assert shown == {
            ".site-header": False,
            ".share": False,
            ".newsletter-form": False,
            ".newsletter-box": True,
            ".comments": True,
            ".article-body": True,
        }
        external = page.evaluate(
            """() => [...document.querySelectorAll('.article-body a[href^="http"], .newsletter-box a[href^="http"]')]
                .map((a) => getComputedStyle(a, '::after').content)"""
        )
        assert external and all(content.startswith('" (http') for content in external)
        page.screenshot(path=str(ARTIFACTS / f"theme-article-print-{width}.png"), full_page=True)


def test_search_page_results(open_page, site_url, paths):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        visit = open_page(
            site_url + paths["suche"] + "?q=Organisation", viewport={"width": width, "height": 900}
        )
        page = visit.page
        page.wait_for_selector(".pagefind-ui__result-link")
        page.wait_for_timeout(300)
        assert page.locator("input[type=search], input.pagefind-ui__search-input").count() == 1
        result = page.evaluate(
            """() => {
                const link = document.querySelector('.pagefind-ui__result-title a');
                const body = getComputedStyle(document.body);
                const first = document.querySelector('li.pagefind-ui__result');
                const subs = [...first.querySelectorAll('.pagefind-ui__result-nested a')]
                    .map((a) => a.textContent.trim());
                return {
                    color: getComputedStyle(link).color, text: body.color,
                    font: getComputedStyle(link).fontFamily,
                    underline: getComputedStyle(link).textDecorationLine,
                    title: link.textContent.trim(), subs,
                    excerpts: [...document.querySelectorAll('.pagefind-ui__result-excerpt')]
                        .map((e) => e.textContent.trim()),
                };
            }"""
        )
        assert result["color"] != result["text"] and result["underline"] == "underline"
        assert "Source Sans 3" in result["font"]
        assert result["title"] not in result["subs"]
        assert result["excerpts"]
        assert not any(e.startswith(("Kategorie", "Schlagw")) for e in result["excerpts"])
        page.screenshot(path=str(ARTIFACTS / f"theme-search-results-{width}.png"), full_page=True)


def test_digest_email_screenshots(open_page, site_url, real_site):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    email = sorted((real_site.output / "newsletter").glob("*/email.html"))[0]
    url = site_url + "/" + email.relative_to(real_site.output).as_posix()
    for width in WIDTHS:
        visit = open_page(url, viewport={"width": width, "height": 900})
        overflow = visit.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        visit.page.screenshot(path=str(ARTIFACTS / f"theme-email-{width}.png"), full_page=True)
