"""Featured images built for real: an SVG, a large JPEG, a transparent PNG and a broken JPEG.

Every rendition exists and is what the page says it is; share image, JSON-LD and the
digest e-mail get rasters, never SVG; a broken image is a warning that names it, and the
rest is built; a warm build makes nothing anew.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.support.sitebuild import SITES, Build, build

pytestmark = pytest.mark.build

BASE = "https://bilder.example"
GOOD = {  # slug -> (source file, displayed size, transparent)
    "illustration": ("illustration.svg", (800, 450), False),
    "foto": ("foto.jpg", (1600, 1067), False),
    "logo": ("logo.png", (640, 640), True),
}
FORMATS = {"image/webp": "WEBP", "image/jpeg": "JPEG", "image/png": "PNG", "image/avif": "AVIF"}


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("images") / "site"
    shutil.copytree(SITES / "images", site)
    return site


@pytest.fixture(scope="module")
def built(site_dir) -> Build:
    result = build(site_dir, site_dir.parent / "output")
    assert result.returncode == 0, result.log
    return result


def page(built: Build, slug: str) -> tuple[BeautifulSoup, str]:
    """The article page and its URL (for resolving relative URLs)."""
    return built.html(f"2024/03/{slug}/"), f"{BASE}/2024/03/{slug}/"


def output_file(built: Build, url: str, page_url: str) -> Path:
    """The output file a URL on ``page_url`` points at (relative or absolute)."""
    absolute = urljoin(page_url, url)
    assert absolute.startswith(BASE + "/"), absolute
    return built.output / urlparse(absolute).path.lstrip("/")


def meta(soup: BeautifulSoup) -> dict[str, str]:
    return {
        m.get("property") or m.get("name"): m["content"]
        for m in soup.find_all("meta")
        if m.get("content") is not None
    }


def srcset_files(built, srcset: str, page_url: str) -> list[tuple[Path, int]]:
    items = []
    for part in srcset.split(","):
        url, width = part.split()
        items.append((output_file(built, url, page_url), int(width.removesuffix("w"))))
    return items


def check_raster(path: Path, size: tuple[int, int] | None = None, mime: str | None = None):
    assert path.is_file(), path
    with Image.open(path) as image:
        image.load()
        if size is not None:
            assert image.size == size, path
        if mime is not None:
            assert image.format == FORMATS[mime], path
        assert "exif" not in image.info, path  # no camera data or place published
        return image.size, image.format


@pytest.mark.parametrize("slug", sorted(GOOD))
def test_picture_sources_exist_at_the_sizes_they_declare(built, slug):
    soup, url = page(built, slug)
    _source, (width, height), transparent = GOOD[slug]
    picture = soup.select_one("figure.featured-image picture")
    source = picture.find("source")
    img = picture.find("img")
    assert source["type"] == "image/webp"
    assert source["sizes"] == img["sizes"]
    fallback_mime = "image/png" if transparent else "image/jpeg"
    for srcset, mime in ((source["srcset"], "image/webp"), (img["srcset"], fallback_mime)):
        files = srcset_files(built, srcset, url)
        assert files and [w for _f, w in files] == sorted(w for _f, w in files)
        for path, declared in files:
            (real_w, real_h), _ = check_raster(path, mime=mime)
            assert real_w == declared
            assert abs(real_w / real_h - width / height) < 0.01
    # Never wider than a raster original; an SVG at every width.
    widths = [w for _f, w in srcset_files(built, img["srcset"], url)]
    assert widths == ([480, 800, 1200] if slug != "logo" else [480, 640])
    check_raster(output_file(built, img["src"], url), mime=fallback_mime)
    # width/height: the original's aspect, so the page does not shift while it loads.
    assert (int(img["width"]), int(img["height"])) == (width, height)
    assert img["alt"] and not img.get("loading")  # the article's own image loads at once


def test_share_image_is_a_1200x630_raster(built):
    for slug in GOOD:
        soup, url = page(built, slug)
        tags = meta(soup)
        og = tags["og:image"]
        assert og.startswith(BASE + "/") and not og.endswith(".svg")
        assert tags["twitter:image"] == og and tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:type"] == "image/jpeg"
        check_raster(output_file(built, og, url), (1200, 630), "image/jpeg")
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["image"] == og


def test_share_image_of_a_square_logo_is_padded_not_cut(built):
    soup, url = page(built, "logo")
    path = output_file(built, meta(soup)["og:image"], url)
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        # The logo sits in the middle; left and right are padding, not a cut-off circle.
        assert rgb.getpixel((600, 315))[2] > 200  # the white bar in the centre
        left, right = rgb.getpixel((5, 315)), rgb.getpixel((1194, 315))
        assert left == right


def test_digest_email_images_are_rasters(built):
    emails = list(built.output.glob("newsletter/*/email.html"))
    assert len(emails) == 1
    soup = BeautifulSoup(emails[0].read_text("utf-8"), "lxml")
    images = soup.find_all("img")
    shown = {img["alt"]: img for img in images}
    assert len(images) == 3  # the broken image is left out
    assert "Ein Bild, das sich nicht lesen lässt." not in shown
    for img in images:
        src = img["src"]
        assert src.startswith(BASE + "/") and not src.lower().endswith(".svg")
        (width, height), fmt = check_raster(output_file(built, src, BASE + "/"))
        assert fmt in ("JPEG", "PNG") and width <= 1120
        assert abs(int(img["width"]) / int(img["height"]) - width / height) < 0.02
    logo = shown["Ein blauer Kreis mit einem weißen Balken."]
    assert logo["src"].endswith(".png")  # transparency kept


def test_no_svg_where_svg_does_not_work(built):
    for path in built.output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "lxml")
        tags = meta(soup)
        for key in ("og:image", "twitter:image"):
            assert not tags.get(key, "").endswith(".svg"), path
        for script in soup.find_all("script", type="application/ld+json"):
            assert ".svg" not in script.string, path
        if path.name == "email.html":
            assert not [img for img in soup.find_all("img") if ".svg" in img["src"]], path


def test_cards_use_the_renditions_lazily(built):
    soup = built.html("index.html")
    cards = soup.select(".article-card")
    assert len(cards) == 4
    pictures = [card.select_one("picture") for card in cards]
    assert pictures[0] is None  # the newest article's image is the broken one: the file as is
    assert all(pictures[1:])
    # The first card's image is above the fold on every screen: it loads at once.
    loading = [card.find("img").get("loading") for card in cards]
    assert loading == [None, "lazy", "lazy", "lazy"]
    for picture in pictures[1:]:
        assert picture.find("img")["decoding"] == "async"
        for path, _width in srcset_files(built, picture.find("source")["srcset"], BASE + "/"):
            assert path.is_file()


def test_dark_mode_dims_light_images_only(built):
    light = page(built, "illustration")[0].select_one(".featured-image img")
    dark = page(built, "foto")[0].select_one(".featured-image img")
    transparent = page(built, "logo")[0].select_one(".featured-image img")
    assert "is-light" in light.get("class", [])
    assert "is-light" not in dark.get("class", [])
    assert "is-light" not in transparent.get("class", [])
    css = (built.output / "theme/css/site.css").read_text("utf-8")
    block = css[css.index("Featured images (images plugin)") :]
    assert "prefers-color-scheme: dark" in block and "img.is-light" in block


def test_broken_image_is_a_warning_and_the_article_is_built(built):
    warnings = [line for line in built.log.splitlines() if "kaputt" in line]
    assert len(warnings) == 1, built.log
    assert "content/articles/kaputt.md" in warnings[0]
    assert "images/kaputt.jpg" in warnings[0] and "So beheben:" in warnings[0]
    assert "BytesIO" not in warnings[0]
    soup, url = page(built, "kaputt")
    assert soup.find("h1").get_text() == "Ein kaputtes Bild"
    img = soup.select_one("figure.featured-image img")
    assert output_file(built, img["src"], url).name == "kaputt.jpg"  # the file as it is
    assert "og:image" not in meta(soup)
    assert "image" not in json.loads(soup.find("script", type="application/ld+json").string)
    # Nothing else warns.
    assert [line for line in built.log.splitlines() if "WARNING" in line.upper()] in (
        [],
        warnings,
    )


def test_renditions_are_linked_from_the_cache_not_copied(built, site_dir):
    cache = site_dir.parent / "cache" / "images"  # CACHE_PATH beside the build's settings
    soup, url = page(built, "foto")
    path = output_file(built, meta(soup)["og:image"], url)
    cached = [p for p in cache.rglob("*.jpg") if os.path.samefile(p, path)]
    assert len(cached) == 1


def test_warm_build_makes_nothing_anew(built, site_dir):
    cache = site_dir.parent / "cache" / "images"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    # One record per source, 8 renditions each; the logo's e-mail raster is its 640w PNG.
    assert len(before) == 3 + 8 + 8 + 5
    again = build(site_dir, site_dir.parent / "output-warm")
    assert again.returncode == 0, again.log
    after = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert after == before
    made = sorted(p.relative_to(built.output) for p in built.output.rglob("images/*"))
    remade = sorted(p.relative_to(again.output) for p in again.output.rglob("images/*"))
    assert made == remade
    for relative in made:
        assert (built.output / relative).read_bytes() == (again.output / relative).read_bytes()


def test_avif_and_own_widths(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "images", site)
    (site / "content/articles/kaputt.md").unlink()
    # An image outside content/ is refused (and never published), the article is built.
    (site / "geheim.png").write_bytes((site / "content/images/logo.png").read_bytes())
    (site / "content/articles/aussen.md").write_text(
        "Title: Bild von außen\nDate: 2024-03-08 09:00\nCategory: Bilder\nSlug: aussen\n"
        "Image: ../geheim.png\nImage_alt: Geheim\n\nText.\n",
        encoding="utf-8",
    )
    result = build(
        site, tmp_path / "output", settings='IMAGES_FORMAT = "avif"\nIMAGES_WIDTHS = [320, 1000]'
    )
    assert result.returncode == 0, result.log
    outside = [line for line in result.log.splitlines() if "geheim" in line]
    assert len(outside) == 1 and "content/articles/aussen.md" in outside[0], result.log
    assert "liegt nicht unter content/" in outside[0]
    assert page(result, "aussen")[0].select_one(".featured-image") is None
    assert not list(result.output.rglob("geheim*"))
    soup, url = page(result, "foto")
    source = soup.select_one("figure.featured-image source")
    assert source["type"] == "image/avif"
    files = srcset_files(result, source["srcset"], url)
    assert [w for _f, w in files] == [320, 1000]
    for path, width in files:
        assert check_raster(path, mime="image/avif")[0][0] == width


def test_bad_image_settings_stop_the_build(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "images", site)
    result = build(
        site,
        tmp_path / "output",
        settings='IMAGES_FORMAT = "gif"\nIMAGES_WIDTHS = []\nIMAGES_QUALITY = 101',
    )
    assert result.returncode != 0
    for name in ("IMAGES_FORMAT", "IMAGES_WIDTHS", "IMAGES_QUALITY"):
        assert name in result.log
