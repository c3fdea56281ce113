"""Making renditions: Pillow for raster images, resvg for SVG; a cache keyed by content.

``RenditionCache(root, options).prepare(file, path)`` returns the image's ``ImageInfo``
with its renditions, making those the cache lacks. The cache holds one small JSON file
per source (its size and whether it is transparent, so a warm build decodes nothing) and
one file per rendition, named by the hash of everything it is made from. Written files
carry no metadata of the original (no EXIF: no camera, no place, no date).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import resvg_py
from PIL import ExifTags, Image, ImageCms, ImageOps, ImageStat

from rundbrief.files import write_atomic
from rundbrief.images.model import (
    MIME_BY_SUFFIX,
    SVG,
    VERSION,
    ImageInfo,
    Options,
    Rendition,
    Source,
    plan,
    source_width_needed,
    svg_size,
    with_lengths,
)

MAX_SVG_WIDTH = 8192  # never render an SVG wider than this, whatever it declares
_PILLOW_MIME = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "AVIF": "image/avif",
}


class ImageError(Exception):
    """The image cannot be read or converted; the message says why (German)."""


def sniff_mime(file: Path, data: bytes) -> str:
    """The type by content (Pillow; SVG by its ``<svg`` tag), else by the file's name."""
    by_name = MIME_BY_SUFFIX.get(file.suffix.lower(), "application/octet-stream")
    if by_name == SVG:
        return SVG
    try:
        with Image.open(io.BytesIO(data)) as image:
            return _PILLOW_MIME.get(image.format or "", by_name)
    except (OSError, ValueError, Image.DecompressionBombError):
        pass
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in head:
        return SVG  # an SVG under another name
    return by_name


# -- decoding -------------------------------------------------------------------------------
def _to_srgb(image: Image.Image) -> Image.Image:
    """Colours of a wide-gamut photo (e.g. Display P3) converted, since the profile is dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image


def _normalise(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    return _opaque_as_rgb(_to_srgb(image))


def _is_transparent(image: Image.Image) -> bool:
    return image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 255


def _opaque_as_rgb(image: Image.Image) -> Image.Image:
    """RGB when no pixel is transparent (smaller files, faster resizing)."""
    return image if _is_transparent(image) else image.convert("RGB")


@contextmanager
def _reading():
    """Pillow's errors as ``ImageError`` with a German reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageError(f"das Bild ist zu groß ({error})") from error
    except Image.UnidentifiedImageError as error:
        raise ImageError("die Datei ist kein Bild in einem bekannten Format") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError(f"die Datei ist beschädigt ({error})") from error


def _turned(image: Image.Image) -> bool:
    """The EXIF orientation turns the picture by 90° (width and height swap)."""
    return image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)


def raster_size(data: bytes) -> tuple[int, int]:
    """The size as displayed (EXIF orientation applied), from the header alone."""
    with _reading(), Image.open(io.BytesIO(data)) as image:
        return image.size[::-1] if _turned(image) else image.size


def decode_raster(data: bytes, width_needed: int | None = None) -> Image.Image:
    """The picture (RGB, or RGBA when it has transparency), upright, in sRGB."""
    with _reading():
        image = Image.open(io.BytesIO(data))
        if width_needed and image.format == "JPEG":
            # Decode a large JPEG at 1/2, 1/4 or 1/8 of its size when that still suffices.
            scale = width_needed / (image.height if _turned(image) else image.width)
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
        image.load()
        return _normalise(image)


# href="…" to anything but the SVG itself (#id) or inline data: resvg would read that file
# from this machine; a browser showing the SVG as an image loads nothing either.
_EXTERNAL_HREF = re.compile(
    r"""(\b(?:xlink:)?href\s*=\s*)(["'])(?!\s*(?:data:|\#))[^"']*\2""", re.IGNORECASE
)


def without_external_references(text: str) -> str:
    """The SVG with every reference to another file emptied."""
    return _EXTERNAL_HREF.sub(r"\1\2\2", text)


def decode_svg(data: bytes, width: int) -> Image.Image:
    """The SVG drawn ``width`` pixels wide (RGBA when it has transparent pixels, else RGB).

    Nothing outside the SVG is read: references to other files are dropped first.
    """
    try:
        text = without_external_references(data.decode("utf-8-sig"))
        png = resvg_py.svg_to_bytes(svg_string=text, width=min(width, MAX_SVG_WIDTH))
        image = Image.open(io.BytesIO(bytes(png)))
        image.load()
    except (UnicodeDecodeError, ValueError, OSError, RuntimeError) as error:
        raise ImageError(f"das SVG lässt sich nicht zeichnen ({error})") from error
    return _opaque_as_rgb(image.convert("RGBA"))


def _is_light(picture: Image.Image) -> bool:
    """An opaque picture whose edge is light (relative luminance of at least 0.75)."""
    if _is_transparent(picture):
        return False
    red, green, blue = _edge_colour(picture)
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 >= 0.75


def read_source(data: bytes, mime: str, options: Options) -> tuple[Source, Image.Image]:
    """The facts about an image, and the decoded picture they were read from."""
    digest = hashlib.sha256(data).hexdigest()
    size = svg_size(data) if mime == SVG else raster_size(data)
    if size is None:
        raise ImageError("das SVG nennt keine Größe (weder width/height noch viewBox)")
    # Decoded (an SVG drawn) only as large as the largest rendition needs.
    provisional = Source(digest, mime, len(data), size[0], size[1], False, False)
    needed = source_width_needed(plan("bild", provisional, options))
    picture = decode_svg(data, needed) if mime == SVG else decode_raster(data, needed)
    alpha = _is_transparent(picture)
    light = _is_light(picture)
    return Source(digest, mime, len(data), size[0], size[1], alpha, light), picture


# -- making one rendition -------------------------------------------------------------------
def _edge_colour(image: Image.Image) -> tuple[int, int, int]:
    """The average colour of the picture's outermost pixels (for padding)."""
    rgb = _flatten(image)
    w, h = rgb.size
    edges = ((0, 0, w, 1), (0, h - 1, w, h), (0, 0, 1, h), (w - 1, 0, w, h))
    sums, count = [0.0, 0.0, 0.0], 0
    for box in edges:
        stat = ImageStat.Stat(rgb.crop(box))
        sums = [total + band for total, band in zip(sums, stat.sum, strict=True)]
        count += stat.count[0]
    return tuple(round(total / count) for total in sums)


def _flatten(image: Image.Image, background=(255, 255, 255)) -> Image.Image:
    if image.mode != "RGBA":
        return image.convert("RGB")
    canvas = Image.new("RGB", image.size, background)
    canvas.paste(image, mask=image.getchannel("A"))
    return canvas


def _fitted(picture: Image.Image, rendition: Rendition) -> Image.Image:
    size = (rendition.width, rendition.height)
    if rendition.fit == "scale":
        return picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if rendition.fit == "cover":
        return ImageOps.fit(picture, size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    background = _edge_colour(picture)
    inner = ImageOps.contain(picture, size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, background)
    offset = ((size[0] - inner.width) // 2, (size[1] - inner.height) // 2)
    canvas.paste(_flatten(inner, background), offset)
    return canvas


def encode(picture: Image.Image, rendition: Rendition, quality: int) -> bytes:
    image = _fitted(picture, rendition)
    out = io.BytesIO()
    fmt = rendition.format
    if fmt == "jpeg":
        _flatten(image).save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "png":
        image.save(out, "PNG", optimize=True)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=5)
    else:  # avif
        image.save(out, "AVIF", quality=quality)
    return out.getvalue()


# -- the cache ------------------------------------------------------------------------------
class RenditionCache:
    """Renditions of featured images under ``root`` (a folder in the build cache)."""

    def __init__(self, root: Path, options: Options) -> None:
        self.root = Path(root)
        self.options = options

    def file(self, rendition: Rendition) -> Path:
        return self.root / rendition.key[:2] / rendition.cache_name

    def _source_file(self, digest: str) -> Path:
        return self.root / "sources" / f"{digest}-v{VERSION}.json"

    def _cached_source(self, digest: str) -> Source | None:
        try:
            return Source(**json.loads(self._source_file(digest).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def prepare(self, file: Path, path: str) -> ImageInfo:
        """The ``ImageInfo`` of ``file`` (site-relative ``path``); makes missing renditions.

        Raises ``ImageError`` when the image cannot be read or converted, ``OSError`` when a
        file cannot be read or written.
        """
        data = file.read_bytes()
        mime = sniff_mime(file, data)
        digest = hashlib.sha256(data).hexdigest()
        source = self._cached_source(digest)
        picture = None
        if source is None:
            source, picture = read_source(data, mime, self.options)
            payload = json.dumps(asdict(source), sort_keys=True).encode()
            write_atomic(self._source_file(digest), payload)
        info = plan(path, source, self.options)
        missing = [r for r in info.renditions if not self.file(r).exists()]
        if missing:
            needed = source_width_needed(info)
            if mime == SVG:
                if picture is None or picture.width < needed:
                    picture = decode_svg(data, needed)
            elif picture is None:
                picture = decode_raster(data, needed)
            for rendition in missing:
                made = encode(picture, rendition, self.options.quality)
                write_atomic(self.file(rendition), made)
        return with_lengths(info, {r.key: self.file(r).stat().st_size for r in info.renditions})
