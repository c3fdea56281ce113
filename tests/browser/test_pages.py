"""Every page type in a real browser: accessibility, network, no-JS, narrow screens, dark
mode, keyboard; and the digest e-mail at 600 and 375 px."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, run_axe

pytestmark = pytest.mark.browser


def page_types(real_site) -> dict[str, str]:
    article = next(real_site.output.glob("2015/06/fuer-wen-machen-wir-das-eigentlich*/"))
    digest = sorted((real_site.output / "newsletter").glob("*/digest.json"))[0].parent
    return {
        "artikel": "/" + article.relative_to(real_site.output).as_posix() + "/",
        "start": "/",
        "schlagwort": "/tag/soziale-arbeit/",
        "wochenrueckblicke": "/newsletter/",
        "wochenrueckblick": f"/newsletter/{digest.name}/",
        "newsletter": "/newsletter-anmeldung/",
        "404": "/404.html",
    }


PAGE_TYPES = [
    "artikel",
    "start",
    "schlagwort",
    "wochenrueckblicke",
    "wochenrueckblick",
    "newsletter",
    "404",
]


@pytest.fixture(scope="module")
def paths(real_site):
    return page_types(real_site)


@pytest.mark.parametrize("kind", PAGE_TYPES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(open_page, site_url, paths, kind, scheme):
    visit = open_page(site_url + paths[kind], color_scheme=scheme)
    assert run_axe(visit.page) == []


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_only_local_requests_and_no_console_errors(open_page, site_url, paths, kind):
    visit = open_page(site_url + paths[kind])
    assert visit.foreign == []
    assert visit.console_errors == []
    assert visit.page_errors == []


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_horizontal_scrolling_at_375_and_screenshots(open_page, site_url, paths, kind):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        visit = open_page(site_url + paths[kind], viewport={"width": width, "height": 800})
        overflow = visit.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (kind, width, overflow)
        visit.page.screenshot(path=str(ARTIFACTS / f"{kind}-{width}.png"), full_page=True)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_skip_link_is_first_tab_stop_and_focus_is_visible(open_page, site_url, paths, kind):
    visit = open_page(site_url + paths[kind])
    page = visit.page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {href: el.getAttribute('href'), text: el.textContent.trim(),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    top: box.top, visible: box.width > 0 && box.height > 0};
        }"""
    )
    assert focused["href"] == "#inhalt" and focused["text"] == "Zum Inhalt springen"
    assert focused["outline"] != "none" and focused["width"] >= 2
    assert focused["visible"] and focused["top"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"
    # The next stops show a visible focus ring too.
    for _ in range(3):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert ring[0] != "none" and ring[1] >= 2


def test_article_without_javascript_has_everything(open_page, site_url, paths):
    visit = open_page(site_url + paths["artikel"], java_script_enabled=False)
    page = visit.page
    assert page.locator("h1").inner_text().startswith("Für wen machen wir das eigentlich")
    assert page.locator(".article-body p").count() > 40
    assert page.locator("li.comment").count() == 6
    labels = page.locator(".share a").all_inner_texts()
    assert labels == ["Facebook", "X", "LinkedIn", "WhatsApp", "Per Mail", "Ausdrucken"]
    page.locator(".share a", has_text="Ausdrucken").click()
    assert page.locator("#drucken").is_visible()


@pytest.mark.parametrize("kind", ["start", "schlagwort", "wochenrueckblick", "newsletter"])
def test_lists_without_javascript(open_page, site_url, paths, kind):
    visit = open_page(site_url + paths[kind], java_script_enabled=False)
    assert visit.page.locator("main h1").count() == 1
    assert visit.page.locator("main a").count() > 1


@pytest.mark.parametrize("width", [600, 375])
def test_digest_email_fits(open_page, site_url, real_site, width):
    digests = sorted((real_site.output / "newsletter").glob("*/email.html"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for email in digests:
        url = site_url + "/" + email.relative_to(real_site.output).as_posix()
        visit = open_page(url, viewport={"width": width, "height": 900})
        overflow = visit.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (email.parent.name, width, overflow)
        # An e-mail loads images from the site's public address, nothing else.
        assert all(url.startswith("https://www.ideequadrat.org/") for url in visit.foreign)
    visit.page.screenshot(path=str(ARTIFACTS / f"email-{width}.png"), full_page=True)
