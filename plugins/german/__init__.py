"""german: German dates (Babel) as Jinja filters, and transliterating slugs (ä→ae …)."""

from __future__ import annotations

import logging
import os

from markupsafe import Markup
from pelican import signals

from rundbrief import german_dates as dates
from rundbrief import slugs
from rundbrief.problems import Problem, display_path

logger = logging.getLogger(__name__)

FILTERS = {
    "datum": dates.datum,
    "datum_kurz": dates.datum_kurz,
    "datum_uhrzeit": dates.datum_uhrzeit,
    "monat": dates.monat,
    "monat_jahr": dates.monat_jahr,
}


def add_filters(generator):
    generator.env.filters.update(FILTERS)


def german_slugs(pelican):
    """Unicode slugs with German transliteration for articles, pages, tags, categories."""
    settings = pelican.settings
    settings["SLUGIFY_USE_UNICODE"] = True
    subs = slugs.substitutions()
    for kind in ("SLUG", "TAG", "CATEGORY", "AUTHOR"):
        settings[f"{kind}_REGEX_SUBSTITUTIONS"] = subs
    toc = settings.get("MARKDOWN", {}).get("extension_configs", {}).get("markdown.extensions.toc")
    if toc is not None and "slugify" not in toc:
        toc["slugify"] = slugs.toc_slug


def _fallback_problem(content, what: str, name: str, slug: str) -> Problem:
    return Problem(
        display_path(content.source_path),
        None,
        f"Aus {what} „{name}“ lässt sich kein Slug aus Buchstaben oder Ziffern bilden; "
        f"die Adresse nutzt „{slug}“.",
        "Im Kopf „Slug: ein-passender-name“ setzen."
        if what == "dem Titel"
        else "Den Namen mit Buchstaben oder Ziffern schreiben (z. B. „Feier“ statt „🎉“).",
    )


def set_slugs(content):
    """Every slug from ``slugs.slugify``: Pelican would unidecode before the German rules.

    An article's or page's own slug only when the file has no ``Slug:``; its category,
    tags and authors always (so "Markup" and "markup" share one slug, and one page).
    """
    if not hasattr(content, "title") or not getattr(content, "source_path", None):
        return  # static files
    settings = content.settings
    if "slug" not in content.metadata:
        if settings.get("SLUGIFY_SOURCE") == "basename":
            source = os.path.splitext(os.path.basename(content.source_path))[0]
        else:
            source = Markup(str(content.title)).striptags()
        slug, fell_back = slugs.slug_or_fallback(source)
        content.slug = slug
        if fell_back:
            logger.warning("%s", _fallback_problem(content, "dem Titel", source, slug))
    named = [("der Kategorie", getattr(content, "category", None))]
    named += [("dem Schlagwort", tag) for tag in getattr(content, "tags", None) or ()]
    named += [("dem Autorennamen", author) for author in getattr(content, "authors", None) or ()]
    for what, item in named:
        if item is None or not hasattr(item, "name"):
            continue
        slug, fell_back = slugs.slug_or_fallback(str(item.name))
        item.slug = slug
        if fell_back:
            logger.warning("%s", _fallback_problem(content, what, str(item.name), slug))


def register():
    signals.initialized.connect(german_slugs)
    signals.content_object_init.connect(set_slugs)
    signals.generator_init.connect(add_filters)
