"""Featured-image renditions: the plan (pure) and the cache that makes them (Pillow, resvg)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from rundbrief.files import write_atomic
from rundbrief.images.model import (
    OG_SIZE,
    SVG,
    Options,
    Source,
    crop_share,
    plan,
    srcset,
    svg_size,
    target_widths,
)
from rundbrief.images.render import ImageError, RenditionCache, sniff_mime

SVG_TEXT = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450">'
    '<rect width="800" height="450" fill="#f4efe6"/><circle cx="400" cy="225" r="100" '
    'fill="#2a6f97"/></svg>'
)


def source(width=800, height=450, mime=SVG, alpha=False, light=True) -> Source:
    return Source("ab" * 32, mime, 1234, width, height, alpha, light)


def png_bytes(size, colour=(200, 30, 30, 255), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour[: len(mode)]).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("width", "vector", "expected"),
    [
        (5000, False, (480, 800, 1200)),
        (1000, False, (480, 800, 1000)),  # never upscaled: its own width instead
        (1200, False, (480, 800, 1200)),
        (300, False, (300,)),
        (300, True, (480, 800, 1200)),  # an SVG is drawn at every width
    ],
)
def test_target_widths(width, vector, expected):
    assert target_widths(width, (1200, 480, 800, 800), vector) == expected


def test_plan_names_sizes_and_formats():
    info = plan("images/Mein Bild,1.svg", source(), Options())
    assert [r.width for r in info.modern] == [480, 800, 1200]
    assert [r.height for r in info.modern] == [270, 450, 675]
    assert {r.mime for r in info.modern} == {"image/webp"}
    assert {r.mime for r in info.fallback} == {"image/jpeg"}
    assert (info.og.width, info.og.height, info.og.mime) == (*OG_SIZE, "image/jpeg")
    assert info.og.fit == "cover"  # 16:9 loses 7 % when cropped to 1.91:1
    assert (info.email.width, info.email.height) == (1120, 630)
    paths = [r.path for r in info.renditions]
    assert len(set(paths)) == len(paths) == 8
    # Beside the original; no space or comma (they would break srcset).
    assert all(p.startswith("images/Mein-Bild-1-") for p in paths)
    assert info.src == info.fallback[-1].path and info.light


def test_plan_transparency_portrait_and_quality():
    tall = plan("a/b.png", source(600, 900, "image/png", alpha=True), Options(quality=70))
    assert {r.mime for r in tall.fallback} == {"image/png"}
    assert tall.email.mime == "image/png" and tall.email.width == 600
    assert tall.email == tall.fallback[-1] and len(tall.renditions) == 2 + 2 + 1
    assert tall.og.fit == "contain"  # a portrait would lose most of itself
    other = plan("a/b.png", source(600, 900, "image/png", alpha=True), Options(quality=71))
    assert {r.key for r in tall.renditions}.isdisjoint(r.key for r in other.renditions)
    avif = plan("b.png", source(600, 900, "image/png"), Options(format="avif"))
    assert avif.modern_type == "image/avif" and avif.modern[0].path.startswith("b-480w-")


def test_srcset_with_relative_and_empty_base():
    info = plan("images/x.svg", source(), Options(widths=(480, 800)))
    assert info.modern_srcset("../..") == (
        f"../../{info.modern[0].path} 480w, ../../{info.modern[1].path} 800w"
    )
    assert srcset("", info.fallback).startswith("images/x-480w-")


def test_crop_share():
    assert crop_share(1200, 630) == pytest.approx(0)
    assert crop_share(800, 450) == pytest.approx(1 - (16 / 9) / (1200 / 630))
    assert crop_share(600, 900) > 0.5


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ('<svg viewBox="0 0 800 450">', (800, 450)),
        ('<svg width="300px" height="150" viewBox="0 0 30 15">', (300, 150)),
        ('<svg width="400" viewBox="0 0 800 450">', (400, 225)),
        ('<?xml version="1.0"?>\n<svg\n  viewBox="0,0,1e3,500">', (1000, 500)),
        ('<svg width="100%" height="100%" viewBox="0 0 20 10">', (20, 10)),
        ("<svg>", None),
        ("kein svg", None),
    ],
)
def test_svg_size(text, size):
    assert svg_size(text.encode()) == size


def test_sniff_by_content(tmp_path):
    png = png_bytes((4, 2))
    assert sniff_mime(tmp_path / "a.jpg", png) == "image/png"
    assert sniff_mime(tmp_path / "a.jpg", SVG_TEXT.encode()) == SVG
    assert sniff_mime(tmp_path / "a.svg", b"x") == SVG
    assert sniff_mime(tmp_path / "a.png", b"kaputt") == "image/png"


def test_cache_makes_every_rendition_once(tmp_path):
    file = tmp_path / "bild.svg"
    file.write_text(SVG_TEXT, encoding="utf-8")
    cache = RenditionCache(tmp_path / "cache", Options())
    info = cache.prepare(file, "images/bild.svg")
    assert (info.width, info.height, info.mime, info.light) == (800, 450, SVG, True)
    stamps = {}
    for rendition in info.renditions:
        made = cache.file(rendition)
        with Image.open(made) as image:
            assert image.size == (rendition.width, rendition.height)
            assert Image.MIME[image.format] == rendition.mime
            assert not image.info.get("exif")
        stamps[made] = made.stat().st_mtime_ns
        assert rendition.length == made.stat().st_size > 0
    again = RenditionCache(tmp_path / "cache", Options()).prepare(file, "images/bild.svg")
    assert again == info
    assert {made: made.stat().st_mtime_ns for made in stamps} == stamps  # nothing made anew


def test_raster_keeps_transparency_and_drops_exif(tmp_path):
    image = Image.new("RGBA", (1000, 500), (0, 0, 0, 0))
    image.paste((30, 200, 30, 255), (200, 100, 800, 400))
    exif = Image.Exif()
    exif[0x010F] = "Kamera-Hersteller"
    file = tmp_path / "logo.png"
    image.save(file, "PNG", exif=exif)
    cache = RenditionCache(tmp_path / "cache", Options())
    info = cache.prepare(file, "logo.png")
    assert [r.width for r in info.fallback] == [480, 800, 1000]
    assert info.fallback[0].mime == "image/png" and not info.light
    with Image.open(cache.file(info.fallback[0])) as small:
        assert small.mode == "RGBA" and small.getpixel((0, 0))[3] == 0
        assert "exif" not in small.info
    with Image.open(cache.file(info.og)) as og:
        assert og.size == OG_SIZE and og.mode == "RGB"


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (600, 300), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: shown 300 wide, 600 high
    file = tmp_path / "foto.jpg"
    image.save(file, "JPEG", exif=exif)
    info = RenditionCache(tmp_path / "cache", Options()).prepare(file, "foto.jpg")
    assert (info.width, info.height) == (300, 600)
    assert [(r.width, r.height) for r in info.fallback] == [(300, 600)]
    assert info.og.fit == "contain" and not info.light


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("text.png", b"Hallo, ich bin kein Bild.", "kein Bild"),
        ("kaputt.jpg", b"\xff\xd8\xff\xe0 nur der Anfang", "beschädigt"),
        ("halb.png", png_bytes((400, 200))[:80], "beschädigt"),
        ("leer.svg", b"<svg", "nennt keine Größe"),
        ("falsch.svg", b'<svg viewBox="0 0 10 10"><rect></svg', "lässt sich nicht zeichnen"),
    ],
)
def test_broken_images_raise_a_readable_error(tmp_path, name, data, reason):
    file = tmp_path / name
    file.write_bytes(data)
    with pytest.raises(ImageError, match=reason):
        RenditionCache(tmp_path / "cache", Options()).prepare(file, name)


def test_svg_under_a_raster_name_is_drawn(tmp_path):
    file = tmp_path / "affe.jpg"
    file.write_text(SVG_TEXT, encoding="utf-8")
    info = RenditionCache(tmp_path / "cache", Options()).prepare(file, "affe.jpg")
    assert info.mime == SVG and info.og is not None


def test_renditions_of_a_changed_image_get_new_names(tmp_path):
    file = tmp_path / "bild.png"
    cache = RenditionCache(tmp_path / "cache", Options())
    file.write_bytes(png_bytes((900, 600), mode="RGB"))
    first = cache.prepare(file, "bild.png")
    file.write_bytes(png_bytes((900, 600), (10, 90, 200, 255), mode="RGB"))
    second = cache.prepare(file, "bild.png")
    assert {r.path for r in first.renditions}.isdisjoint(r.path for r in second.renditions)
    assert Path(cache.file(first.og)).exists() and Path(cache.file(second.og)).exists()


def test_written_files_are_readable_by_others_and_leave_nothing_behind(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a" / "b.bin", b"eins")
        write_atomic(tmp_path / "a" / "b.bin", b"zwei")
    finally:
        os.umask(old)
    target = tmp_path / "a" / "b.bin"
    assert target.read_bytes() == b"zwei"
    assert target.stat().st_mode & 0o777 == 0o644  # a web server may read the renditions
    assert [p.name for p in target.parent.iterdir()] == ["b.bin"]


def test_an_svg_reads_no_other_file(tmp_path):
    secret = tmp_path / "geheim.png"
    Image.new("RGB", (50, 50), (255, 0, 0)).save(secret)
    inline = png_bytes((50, 50), (0, 0, 255, 255))
    import base64  # noqa: PLC0415

    data_url = "data:image/png;base64," + base64.b64encode(inline).decode()
    svg = tmp_path / "bild.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="800" height="400"><rect width="800" height="400" fill="#fff"/>'
        f'<image href="{secret}" width="400" height="400"/>'
        f"<image xlink:href='../{tmp_path.name}/geheim.png' x='0' width='400' height='400'/>"
        f'<image href="{data_url}" x="400" width="400" height="400"/></svg>',
        encoding="utf-8",
    )
    cache = RenditionCache(tmp_path / "cache", Options())
    info = cache.prepare(svg, "bild.svg")
    with Image.open(cache.file(info.fallback[-1])) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((300, 337))[0] > 240 and rgb.getpixel((300, 337))[1] > 240  # white
        assert rgb.getpixel((900, 337))[2] > 200  # the inline picture is drawn
