"""wpimport: a WordPress export (WXR 1.0/1.1/1.2) to articles, pages and comment files.

A command, not a build plugin: ``python -m wpimport export.xml`` (``make import
WXR=export.xml``). Its modules (wxr, autop, shortcodes, convert, plan, documents, writer,
report) import only the core, never Pelican or the plugins (an import-linter contract in
pyproject.toml): the comment allowlist of ``rundbrief.sanitize``, the slugs of
``rundbrief.slugs`` and the XML clean-up of ``rundbrief.cleantext``.
"""
