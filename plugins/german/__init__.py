"""german: German dates (Babel) as Jinja filters, and transliterating slugs (ä→ae …)."""

from __future__ import annotations

from pelican import signals

from german import dates, slugs

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


def register():
    signals.initialized.connect(german_slugs)
    signals.generator_init.connect(add_filters)
