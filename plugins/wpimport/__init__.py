"""wpimport: a WordPress export (WXR 1.1/1.2) to articles, pages and comment files.

A command, not a build plugin: ``python -m wpimport export.xml`` (``make import
WXR=export.xml``). The core (wxr, autop, shortcodes, convert, plan, documents, writer,
report) imports no Pelican; it reuses the comment allowlist of ``comments.sanitize`` and
the German slugs of ``german.slugs``.
"""
