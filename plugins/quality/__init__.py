"""quality: settings validation, content checks and the strict (publish) build.

- every plugin's ``<plugin>.settings.SPECS`` are validated when the build starts; all bad
  settings are reported at once and the build stops;
- broken articles and pages are reported with path, line and fix, and skipped;
- with ``QUALITY_STRICT = True`` any warning of the build makes it exit non-zero.
"""

from __future__ import annotations

import importlib
import logging

from pelican import signals
from pelican.settings import DEFAULT_CONFIG

from quality.buildlog import BuildLog, StrictBuildError
from quality.reader import MISSING_DATE_KEY, PROBLEMS_KEY, CheckedMarkdownReader
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
    signals.get_generators.connect(start_build)
    signals.finalized.connect(finish_build)
