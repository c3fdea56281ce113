"""The dev loop's first answer to a save: the saved article's own page, at once.

`make devserver` keeps the article generator of its last build (``QuickPage.keep``). When
the only files saved are published articles of that build, each is read anew and its page
is written before the full (incremental) build starts: reading one file and rendering one
page takes a fraction of a second, where the build has to look at the whole site.

It applies only where the page cannot differ from what the build writes next, so the
build that follows rewrites it byte for byte the same (``tests/test_devserver.py``
compares both): the article's metadata (title, date, slug, tags, category, status …), its
links to static files and its translations are unchanged, it is published, and nothing
else was saved. The neighbours and the comments (the ``SITE`` fields of its extras) are
taken over from the article it replaces. Everything else — the lists, feeds, digests and
the search index — waits for the build, which always follows.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from rundbrief.article.extras import copy_site_fields, extras_of

logger = logging.getLogger(__name__)


class QuickPage:
    """The last build's article generator and what it takes to render one page again."""

    def __init__(self) -> None:
        self.generator: ArticlesGenerator | None = None

    def keep(self, generators) -> None:
        """all_generators_finalized: the article generator of the build that runs."""
        self.generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)

    def forget(self) -> None:
        """A build failed halfway: its generator is no ground for a quick page."""
        self.generator = None

    def write(self, changed: set[str]) -> list[str]:
        """Write the pages of the saved articles ``changed`` (absolute paths) if each can
        be; returns the output files written (none if any of them cannot be)."""
        generator = self.generator
        if generator is None or not changed:
            return []
        published = {os.path.abspath(a.source_path): a for a in generator.articles}
        if not changed <= set(published):
            return []
        pairs = []
        for path in sorted(changed):
            old = published[path]
            try:
                new = self._read(generator, path)
            except Exception as error:  # the build that follows reports it properly
                logger.debug("Schnellvorschau übersprungen (%s): %s", path, error)
                return []
            reason = self._different(old, new)
            if reason:
                logger.debug("Schnellvorschau übersprungen (%s): %s", path, reason)
                return []
            pairs.append((old, new))
        writer = Writer(generator.output_path, settings=generator.settings)
        written = []
        for old, new in pairs:
            copy_site_fields(extras_of(old), extras_of(new))
            try:
                self._write_article(generator, writer, new)
            except Exception as error:  # e.g. a template error: the build reports it
                logger.warning("Schnellvorschau nicht geschrieben (%s): %s", new.save_as, error)
                break
            written.append(new.save_as)
        return written

    @staticmethod
    def _read(generator: ArticlesGenerator, path: str) -> Article:
        """The article read anew, as the generator reads it (its signals included)."""
        return generator.readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(path, generator.path),
            content_class=Article,
            context=generator.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context,
            context_sender=generator,
        )

    @staticmethod
    def _different(old: Article, new) -> str | None:
        """Why the quick page of ``new`` could differ from the build's (None: it cannot)."""
        if not isinstance(new, Article) or not new.is_valid():
            return "nicht lesbar"
        if new.status != "published":
            return f"Status {new.status}"
        if new.metadata != old.metadata:
            return "Metadaten geändert"
        if (new.url, new.save_as) != (old.url, old.save_as):
            return "andere URL"
        if old.translations:
            return "hat Übersetzungen"
        if set(new.get_static_links()) != set(old.get_static_links()):
            return "andere Verweise auf statische Dateien"
        return None

    @staticmethod
    def _write_article(generator: ArticlesGenerator, writer: Writer, article: Article) -> None:
        """What ``ArticlesGenerator.generate_articles`` does for one article (Pelican 4.12)."""
        signals.article_generator_write_article.send(generator, content=article)
        writer.write_file(
            article.save_as,
            generator.get_template(article.template),
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            article=article,
            category=getattr(article, "category", None),
            override_output=hasattr(article, "override_save_as"),
            url=article.url,
            blog=True,
        )
        logger.info("Schnellvorschau: %s", Path(generator.output_path) / article.save_as)
