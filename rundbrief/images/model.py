"""What the build knows about a featured image and which renditions it needs. Pure.

A rendition's output name carries a hash of everything it is made from (the source's
bytes, the size, the format, the quality, ``VERSION``), so a changed image never shows
up stale from a browser's or CDN's cache, and the same hash names it in the build cache.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, replace

# Bump when the way renditions are made changes: every rendition is then made anew.
VERSION = 1

SVG = "image/svg+xml"
MIME_BY_SUFFIX = {
    ".svg": SVG,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}
# format name -> (MIME type, file suffix)
FORMATS = {
    "webp": ("image/webp", "webp"),
    "avif": ("image/avif", "avif"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
}
MODERN_FORMATS = ("webp", "avif")
OG_SIZE = (1200, 630)  # Open Graph / X summary_large_image
EMAIL_WIDTH = 1120  # twice the 560 px the digest e-mail shows it at (sharp on HiDPI)
# The share image is cropped (centred) when that cuts at most this share of the picture;
# otherwise the whole picture is shown, padded with the colour of its edges.
MAX_CROP = 0.2


@dataclass(frozen=True, slots=True)
class Options:
    """The IMAGES_* settings."""

    widths: tuple[int, ...] = (480, 800, 1200)
    format: str = "webp"
    quality: int = 80


@dataclass(frozen=True, slots=True)
class Source:
    """What the build learns from decoding an image once (kept in the cache)."""

    digest: str  # sha256 of the file's bytes
    mime: str
    length: int  # bytes
    width: int  # as displayed (EXIF orientation applied); an SVG's own size
    height: int
    alpha: bool  # has transparent pixels
    light: bool  # opaque, with a light edge (a glaring block on a dark page)


@dataclass(frozen=True, slots=True)
class Rendition:
    path: str  # site-relative output path, e.g. "images/affe-800w-1a2b3c4d.webp"
    width: int
    height: int
    mime: str
    key: str  # the name in the build cache (without suffix)
    fit: str  # "scale" | "cover" | "contain" (how it is made from the source)
    length: int = 0  # bytes, once made (feed enclosures need it)

    @property
    def format(self) -> str:
        return next(name for name, (mime, _suffix) in FORMATS.items() if mime == self.mime)

    @property
    def cache_name(self) -> str:
        return f"{self.key}.{FORMATS[self.format][1]}"


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """A featured image for templates, feeds and the digest (``article.image_info``).

    ``modern`` (WebP or AVIF) and ``fallback`` (JPEG, or PNG for transparent images) hold
    the same widths, smallest first; ``og`` is the 1200×630 share image and ``email`` the
    raster for the digest e-mail. Without renditions (the image could not be read, or the
    images plugin is off) templates show ``path`` as it is.
    """

    path: str  # site-relative path of the original
    mime: str
    length: int  # bytes of the original
    width: int | None
    height: int | None
    modern: tuple[Rendition, ...] = ()
    fallback: tuple[Rendition, ...] = ()
    og: Rendition | None = None
    email: Rendition | None = None
    light: bool = False  # a light background: dimmed a little in dark mode

    @property
    def renditions(self) -> tuple[Rendition, ...]:
        """Every rendition once (the e-mail raster may be one of the fallbacks)."""
        extra = tuple(r for r in (self.og, self.email) if r is not None and r not in self.fallback)
        return self.modern + self.fallback + extra

    @property
    def modern_type(self) -> str:
        return self.modern[0].mime if self.modern else ""

    @property
    def src(self) -> str:
        """The site-relative path for a plain ``src``: the largest fallback, or the original."""
        return self.fallback[-1].path if self.fallback else self.path

    def modern_srcset(self, base: str) -> str:
        return srcset(base, self.modern)

    def fallback_srcset(self, base: str) -> str:
        return srcset(base, self.fallback)


def srcset(base: str, renditions: tuple[Rendition, ...]) -> str:
    """``base/path 480w, base/path 800w`` (``base`` is SITEURL, possibly relative)."""
    prefix = f"{base}/" if base else ""
    return ", ".join(f"{prefix}{r.path} {r.width}w" for r in renditions)


def target_widths(width: int, wanted: tuple[int, ...], vector: bool) -> tuple[int, ...]:
    """The widths to make: never wider than a raster original (its own width instead)."""
    widths = sorted(set(wanted))
    if vector:
        return tuple(widths)
    smaller = [w for w in widths if w < width]
    return tuple([*smaller, width] if widths[-1] >= width else smaller)


def height_for(width: int, source: Source) -> int:
    return max(1, round(width * source.height / source.width))


def crop_share(width: int, height: int, target: tuple[int, int] = OG_SIZE) -> float:
    """How much of a width×height picture a centred crop to ``target``'s shape cuts off."""
    aspect, wanted = width / height, target[0] / target[1]
    return 1 - min(aspect, wanted) / max(aspect, wanted)


def _key(source: Source, options: Options, fit: str, size: tuple[int, int], fmt: str) -> str:
    text = f"{VERSION}|{source.digest}|{fit}|{size[0]}x{size[1]}|{fmt}|{options.quality}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def plan(path: str, source: Source, options: Options) -> ImageInfo:
    """The renditions of the image at site-relative ``path`` (named beside the original)."""
    folder, name = posixpath.split(path)
    stem = _safe_stem(posixpath.splitext(name)[0])

    def make(label: str, fmt: str, size: tuple[int, int], fit: str) -> Rendition:
        key = _key(source, options, fit, size, fmt)
        mime, suffix = FORMATS[fmt]
        out = posixpath.join(folder, f"{stem}-{label}-{key[:8]}.{suffix}")
        return Rendition(out, size[0], size[1], mime, key, fit)

    fallback_format = "png" if source.alpha else "jpeg"
    widths = target_widths(source.width, options.widths, source.mime == SVG)
    sizes = [(w, height_for(w, source)) for w in widths]
    email_width = EMAIL_WIDTH if source.mime == SVG else min(EMAIL_WIDTH, source.width)
    email_size = (email_width, height_for(email_width, source))
    og_fit = "cover" if crop_share(source.width, source.height) <= MAX_CROP else "contain"
    fallback = tuple(make(f"{w}w", fallback_format, (w, h), "scale") for w, h in sizes)
    email = make("mail", fallback_format, email_size, "scale")
    email = next((r for r in fallback if r.key == email.key), email)  # one file, not two
    return ImageInfo(
        path=path,
        mime=source.mime,
        length=source.length,
        width=source.width,
        height=source.height,
        modern=tuple(make(f"{w}w", options.format, (w, h), "scale") for w, h in sizes),
        fallback=fallback,
        og=make("og", "jpeg", OG_SIZE, og_fit),
        email=email,
        light=source.light,
    )


def with_lengths(info: ImageInfo, lengths: dict[str, int]) -> ImageInfo:
    """``info`` with each rendition's size in bytes (``lengths`` by cache key)."""

    def sized(rendition: Rendition | None) -> Rendition | None:
        if rendition is None:
            return None
        return replace(rendition, length=lengths.get(rendition.key, rendition.length))

    return replace(
        info,
        modern=tuple(map(sized, info.modern)),
        fallback=tuple(map(sized, info.fallback)),
        og=sized(info.og),
        email=sized(info.email),
    )


def source_width_needed(info: ImageInfo) -> int:
    """The width the source must have to make every rendition without upscaling."""
    needed = max((r.width for r in info.renditions if r.fit == "scale"), default=1)
    if info.og is not None and info.width and info.height:
        og_w, og_h = info.og.width, info.og.height
        scale = max if info.og.fit == "cover" else min
        needed = max(needed, round(info.width * scale(og_w / info.width, og_h / info.height)))
    return needed


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_stem(stem: str) -> str:
    """A file name part that needs no escaping in srcset (no spaces or commas)."""
    return _UNSAFE.sub("-", stem).strip("-") or "bild"


# -- the original's size, read from the file's header (no decoding) -------------------------
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_SVG_VIEWBOX = re.compile(
    rb'viewBox\s*=\s*["\']\s*[-\d.eE+]+[\s,]+[-\d.eE+]+[\s,]+([\d.eE+]+)[\s,]+([\d.eE+]+)'
)
_SVG_LENGTH = re.compile(rb'\b(width|height)\s*=\s*["\']\s*([\d.]+)\s*(px)?\s*["\']')


def svg_size(data: bytes) -> tuple[int, int] | None:
    """The size an SVG declares: its width/height in px, else its viewBox; None if neither."""
    root = _SVG_ROOT.search(data)
    if root is None:
        return None
    tag = root[0]
    lengths = {m[1].decode(): float(m[2]) for m in _SVG_LENGTH.finditer(tag)}
    box = _SVG_VIEWBOX.search(tag)
    try:
        width = lengths.get("width") or (float(box[1]) if box else 0)
        height = lengths.get("height") or (float(box[2]) if box else 0)
        if "width" in lengths and "height" not in lengths and box:
            height = width * float(box[2]) / float(box[1])
        if "height" in lengths and "width" not in lengths and box:
            width = height * float(box[1]) / float(box[2])
    except (ValueError, ZeroDivisionError):
        return None
    if width < 0.5 or height < 0.5:
        return None
    return round(width), round(height)
