"""images: renditions of every article's featured image (``Image:``).

When Pelican creates an article, its featured image gets an ``ImageInfo``
(``article.image_info``, declared in ``rundbrief.images.model``) with resized WebP/AVIF
and JPEG/PNG copies, a 1200×630 share image and an e-mail raster, made once and kept in
the build cache (``CACHE_PATH/images``, keyed by the image's bytes and the size, format
and quality). The generator then links (or, across file systems, copies) them from the
cache into the output: each file is made once and written once.

A featured image that is missing, lies outside ``content/`` or cannot be read is reported
with the article's file and the image's name; the article is built all the same and shows
the original without renditions (no share image, no picture in the e-mail).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pelican import signals
from pelican.contents import Article

from rundbrief.article.extras import extras_of
from rundbrief.images.model import MIME_BY_SUFFIX, ImageInfo, Options
from rundbrief.images.render import ImageError, RenditionCache
from rundbrief.problems import Problem, display_path

logger = logging.getLogger(__name__)

FIX_BROKEN = (
    "Das Bild in einem Bildprogramm öffnen und neu als JPEG, PNG, WebP oder SVG speichern "
    "(oder die Zeile „Image:“ auf ein anderes Bild setzen)."
)


def rendition_cache(settings) -> RenditionCache:
    options = Options(
        widths=tuple(settings["IMAGES_WIDTHS"]),
        format=settings["IMAGES_FORMAT"],
        quality=settings["IMAGES_QUALITY"],
    )
    return RenditionCache(Path(settings["CACHE_PATH"], "images"), options)


def site_path(image: str) -> str:
    """``Image:`` as a site-relative path (``/images/x.png``, ``{static}/images/x.png``)."""
    for prefix in ("{static}", "{attach}", "{filename}"):
        image = image.removeprefix(prefix)
    return image.strip().lstrip("/")


def _warn(content, message: str, fix: str) -> None:
    logger.warning("%s", Problem(display_path(content.source_path), None, message, fix))


def featured_image(content, image: str) -> ImageInfo | None:
    """The featured image's info with renditions; a warning and less when that fails."""
    settings = content.settings
    path = site_path(image)
    root = Path(settings["PATH"]).resolve()
    file = (root / path).resolve()
    if not file.is_relative_to(root) or not file.is_file():
        where = "liegt nicht unter content/" if not file.is_relative_to(root) else "gibt es nicht"
        _warn(
            content,
            f"Das Beitragsbild „{image}“ {where}.",
            f"Die Datei unter content/{path} ablegen oder die Zeile „Image:“ korrigieren.",
        )
        return None
    try:
        return rendition_cache(settings).prepare(file, path)
    except (ImageError, OSError) as error:
        reason = error if isinstance(error, ImageError) else f"{error.strerror or error}"
        _warn(
            content,
            f"Das Beitragsbild „{image}“ lässt sich nicht verarbeiten: {reason}. Der Beitrag "
            "zeigt die Datei so, wie sie ist; Vorschaubild und E-Mail-Bild fehlen.",
            FIX_BROKEN,
        )
    try:
        length = file.stat().st_size
    except OSError:
        length = 0
    mime = MIME_BY_SUFFIX.get(file.suffix.lower(), "application/octet-stream")
    return ImageInfo(path=path, mime=mime, length=length, width=None, height=None)


def attach(content) -> None:
    """content_object_init: ``image_info`` of an article with ``Image:`` (else None)."""
    if not isinstance(content, Article):
        return
    image = getattr(content, "image", None)
    extras_of(content).image_info = featured_image(content, str(image)) if image else None


def place(source: Path, target: Path) -> None:
    """``target`` becomes ``source``: a hard link, or a copy where links are impossible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class ImagesGenerator:
    """Puts the renditions of every written article's featured image into the output."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_context(self):
        """Nothing to read: the renditions were made when the articles were created."""

    def _articles(self):
        for key in ("articles", "hidden_articles", "drafts"):
            for article in self.context.get(key, []):
                yield article
                yield from getattr(article, "translations", [])

    def generate_output(self, writer):
        cache = rendition_cache(self.settings)
        placed: set[str] = set()
        for article in self._articles():
            info = extras_of(article).image_info
            for rendition in info.renditions if info else ():
                if rendition.path in placed:
                    continue
                placed.add(rendition.path)
                place(cache.file(rendition), self.output_path / rendition.path)


def get_generators(pelican):
    return ImagesGenerator


def register():
    signals.content_object_init.connect(attach)
    signals.get_generators.connect(get_generators)
