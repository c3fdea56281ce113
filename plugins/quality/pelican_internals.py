"""The one place that touches Pelican internals (checked against Pelican 4.12.0).

Pelican has no public way to change an article's HTML after it has been read, or to
resolve ``{filename}``/``{static}`` links in HTML that is not the article's own content:
plugins that do this (pelican-plugins' ``summary``, ``toc``, ``more-categories``) use the
same private members. We use them only through these functions, so a Pelican upgrade that
renames them breaks here and in ``tests/unit/test_pelican_internals.py``, nowhere else.

- ``raw_html`` / ``replace_raw_html``: ``Content._content``, the HTML the reader produced
  (links not yet resolved). Used by articlepage to take the P.S. box out and to turn the
  table of contents into a ``nav`` before the page is rendered.
- ``resolve_links``: ``Content._update_content(html, siteurl)``, Pelican's link resolver,
  for HTML taken out of the content (the P.S. box), with the content's own site URL.
- ``markdown_settings_as_read``: what ``MarkdownReader.__init__`` does to ``MARKDOWN``.
- ``rendered_from``: what ``Content.content`` and ``.summary`` are made of
  (``get_content``/``get_summary``: ``_content`` or a plugin's ``_get_content``).
"""

from __future__ import annotations

PELICAN_CHECKED = "4.12.0"


def raw_html(content) -> str:
    """The content's HTML as the reader produced it."""
    return content._content


def replace_raw_html(content, html: str) -> None:
    """Replace the content's HTML before anything has rendered it."""
    content._content = html


def resolve_links(content, html: str) -> str:
    """``html`` with ``{filename}``/``{static}`` links resolved as for ``content`` itself."""
    return content._update_content(html, content.get_siteurl())


def rendered_from(content) -> tuple[str, str | None] | None:
    """What ``content.content`` and ``content.summary`` are rendered from, besides the
    settings, the page being written (its site URL) and the intra-site link targets: the
    raw HTML and the ``summary`` metadata. None when a plugin supplies the HTML through
    ``_get_content`` (then only the rendered value tells)."""
    if hasattr(content, "_get_content"):
        return None
    summary = content.metadata.get("summary")
    return content._content, None if summary is None else str(summary)


# ``Content._context``: the build's shared context every content object holds (all
# articles, pages and settings). engine.incremental does not walk it when it fingerprints
# a content object.
CONTENT_CONTEXT_ATTRIBUTE = "_context"
# Pelican's content cache files in CACHE_PATH: ``<Generator class>`` (generator layer) or
# ``<Generator class>-Readers`` (reader layer).
CONTENT_CACHE_FILE = r"\w+Generator(-Readers)?"


def markdown_settings_as_read(markdown: dict) -> dict:
    """``MARKDOWN`` as Pelican's Markdown reader leaves it. The reader completes the
    setting in place when it is created (``extensions`` gets the keys of
    ``extension_configs`` and the meta extension), so the same settings look different
    before and after the first build of a process; `make devserver` builds many times in
    one. engine.incremental compares settings in this form. Returns a copy."""
    settings = {**markdown}
    settings["extension_configs"] = settings.get("extension_configs", {})
    settings["extensions"] = list(settings.get("extensions", []))
    for extension in settings["extension_configs"]:
        if extension not in settings["extensions"]:
            settings["extensions"].append(extension)
    if "markdown.extensions.meta" not in settings["extensions"]:
        settings["extensions"].append("markdown.extensions.meta")
    return settings
