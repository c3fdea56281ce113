"""quality: settings validation, content checks and the strict (publish) build.

- every plugin's ``<plugin>.settings.SPECS`` are validated when the build starts; all bad
  settings are reported at once and the build stops;
- broken articles and pages are reported with path, line and fix, and skipped;
- tags and categories that differ only in case or spacing become one (earliest spelling);
- two outputs with the same path: the later one is skipped with a warning (no
  FileOverwriteFailedError);
- with ``QUALITY_STRICT = True`` any warning of the build makes it exit non-zero.
"""

from __future__ import annotations

import importlib
import logging

from pelican import signals
from pelican.settings import DEFAULT_CONFIG

from quality.reader import MISSING_DATE_KEY, PROBLEMS_KEY, CheckedMarkdownReader
from rundbrief.problems import display_path
from rundbrief.quality.buildlog import BuildLog, StrictBuildError
from rundbrief.quality.outputs import clash_problem, clashes, content_claims, site_claims
from rundbrief.quality.spellings import Use, spelling_problems
from rundbrief.settings_check import (
    SETTINGS_SOURCE,
    SettingsError,
    unknown_settings,
    validate,
)

logger = logging.getLogger(__name__)


def plugin_specs(plugin_names):
    """The SPECS of every enabled plugin that declares settings (in plugin order)."""
    for name in plugin_names:
        module_name = name if isinstance(name, str) else getattr(name, "__name__", "")
        try:
            module = importlib.import_module(f"{module_name}.settings")
        except ModuleNotFoundError as error:
            if error.name != f"{module_name}.settings":
                raise
            continue
        yield from getattr(module, "SPECS", [])


def validate_settings(pelican):
    specs = list(plugin_specs(pelican.settings.get("PLUGINS") or []))
    errors = validate(pelican.settings, specs)
    if errors:
        raise SettingsError(errors)
    for spec in specs:
        pelican.settings.setdefault(spec.name, spec.default)


def use_checked_reader(readers):
    for extension in CheckedMarkdownReader.file_extensions:
        if extension in readers.reader_classes:
            readers.reader_classes[extension] = CheckedMarkdownReader


def _report(metadata, *, needs_date):
    problems = list(metadata.pop(PROBLEMS_KEY, []))
    missing_date = metadata.pop(MISSING_DATE_KEY, None)
    if needs_date and missing_date is not None and "date" not in metadata:
        problems.append(missing_date)
        metadata["status"] = "skip"
    for problem in problems:
        logger.warning("%s", problem)


def report_article_problems(generator, metadata):
    _report(metadata, needs_date=True)


def report_page_problems(generator, metadata):
    _report(metadata, needs_date=False)


def warn_unknown_settings(settings):
    """A setting with one of our prefixes that no plugin declares is most likely a typo."""
    specs = plugin_specs(settings.get("PLUGINS") or [])
    for message in unknown_settings(settings, specs, other_known=DEFAULT_CONFIG):
        logger.warning("%s: %s", SETTINGS_SOURCE, message)


def _source(content) -> str:
    return display_path(content.source_path)


def _oldest_first(content):
    date = getattr(content, "date", None)
    return (date.timestamp() if date else float("inf"), content.source_path)


def merge_spellings(articles) -> None:
    """One Tag/Category object per slug, the earliest article's; no tag twice in an article."""
    first_category, first_tag = {}, {}
    category_uses, tag_uses = [], []
    for article in articles:
        # The spellings as read (the metadata keeps them when a cached article is reused).
        metadata = getattr(article, "metadata", None) or {}
        category = metadata.get("category") or getattr(article, "category", None)
        if category is not None:
            category_uses.append(Use(category.slug, str(category.name), _source(article)))
            article.category = first_category.setdefault(category.slug, category)
        tags = metadata.get("tags") or getattr(article, "tags", None)
        if tags:
            merged = {}
            for tag in tags:
                tag_uses.append(Use(tag.slug, str(tag.name), _source(article)))
                merged.setdefault(tag.slug, first_tag.setdefault(tag.slug, tag))
            article.tags = list(merged.values())
    problems = spelling_problems(tag_uses, "tag") + spelling_problems(category_uses, "category")
    for problem in problems:
        logger.warning("%s", problem)


def _skip_clashes(claims, groups) -> None:
    for owner, loser in clashes(claims):
        logger.warning("%s", clash_problem(owner, loser))
        for group in groups:
            for index, content in enumerate(group):
                if content is loser.item:
                    del group[index]
                    break


def check_articles(generator):
    """Before Pelican sorts articles into tags: one spelling per tag, no shared paths."""
    groups = [
        generator.articles,
        generator.translations,
        generator.hidden_articles,
        generator.hidden_translations,
        generator.drafts,
        generator.drafts_translations,
    ]
    everything = sorted((a for group in groups for a in group), key=_oldest_first)
    merge_spellings(everything)
    claims = site_claims(generator.settings, generator.articles)
    claims += content_claims(everything, "der Beitrag", _source)
    _skip_clashes(claims, groups)


def check_pages(generator):
    """Pages after everything the articles made (a page „2015“ loses to the year archive)."""
    context = generator.context
    articles = context.get("articles", [])
    claims = site_claims(generator.settings, articles)
    written = [*articles, *context.get("hidden_articles", []), *context.get("drafts", [])]
    claims += content_claims(written, "der Beitrag", _source)
    groups = [
        generator.pages,
        generator.translations,
        generator.hidden_pages,
        generator.hidden_translations,
        generator.draft_pages,
        generator.draft_translations,
    ]
    pages = sorted((p for group in groups for p in group), key=lambda page: page.source_path)
    claims += content_claims(pages, "die Seite", _source)
    _skip_clashes(claims, groups)


def start_build(pelican):
    BuildLog.attach()
    warn_unknown_settings(pelican.settings)


def finish_build(pelican):
    handler = BuildLog.detach()
    if handler and handler.messages and pelican.settings.get("QUALITY_STRICT"):
        raise StrictBuildError(handler.messages)


def register():
    signals.initialized.connect(validate_settings)
    signals.readers_init.connect(use_checked_reader)
    signals.article_generator_context.connect(report_article_problems)
    signals.page_generator_context.connect(report_page_problems)
    signals.article_generator_pretaxonomy.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)
    signals.get_generators.connect(start_build)
    signals.finalized.connect(finish_build)
