"""The Pelican internals we rely on (plugins/quality/pelican_internals.py) still exist.

A Pelican upgrade that renames them fails here, with the name, instead of somewhere in a
build."""

import re
from datetime import datetime
from types import SimpleNamespace

import pelican
from pelican.contents import Article
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from quality.pelican_internals import (
    CONTENT_CACHE_FILE,
    CONTENT_CONTEXT_ATTRIBUTE,
    PELICAN_CHECKED,
    markdown_settings_as_read,
    raw_html,
    rendered_from,
    replace_raw_html,
    resolve_links,
)


def make_article(html: str) -> Article:
    settings = {**pelican.settings.DEFAULT_CONFIG, "SITEURL": "https://x.example"}
    return Article(
        html,
        metadata={"title": "T", "date": datetime(2015, 6, 19)},
        settings=settings,
        source_path="content/articles/t.md",
        context={
            "localsiteurl": "https://x.example",
            "generated_content": {"articles/b.md": SimpleNamespace(url="2015/06/b/")},
            "static_content": {},
        },
    )


def test_the_checked_version_is_the_installed_one():
    assert pelican.__version__ == PELICAN_CHECKED


def test_raw_html_round_trip_changes_what_is_rendered():
    article = make_article("<p>vorher</p>")
    assert raw_html(article) == "<p>vorher</p>"
    replace_raw_html(article, "<p>nachher</p>")
    assert article.content == "<p>nachher</p>"


def test_links_in_html_taken_out_are_resolved_like_the_content():
    article = make_article("<p>x</p>")
    html = resolve_links(article, '<a href="{filename}/articles/b.md">b</a>')
    assert html == '<a href="https://x.example/2015/06/b/">b</a>'


def test_reader_names_we_use_are_public():
    assert DUPLICATES_DEFINITIONS_ALLOWED["date"] is False
    assert callable(MarkdownReader.process_metadata)


def test_content_keeps_the_shared_context_where_the_engine_skips_it():
    article = make_article("<p>x</p>")
    assert getattr(article, CONTENT_CONTEXT_ATTRIBUTE)["localsiteurl"] == "https://x.example"


def test_content_cache_file_names_match_pelicans():
    from pelican.generators import ArticlesGenerator  # noqa: PLC0415

    names = [f"{ArticlesGenerator.__name__}-Readers", ArticlesGenerator.__name__]
    assert all(re.fullmatch(CONTENT_CACHE_FILE, name) for name in names)
    assert not re.fullmatch(CONTENT_CACHE_FILE, "incremental.json")


def test_markdown_settings_as_read_is_what_the_reader_leaves():
    """The reader completes MARKDOWN in place; the function gives the same, as a copy,
    and a second reader changes nothing more (a setting read twice looks the same)."""
    for markdown in (
        {"extension_configs": {"markdown.extensions.toc": {"title": "Inhalt"}}},
        {"extensions": ["markdown.extensions.extra"], "output_format": "html5"},
        {},
    ):
        settings = {**pelican.settings.DEFAULT_CONFIG, "MARKDOWN": markdown}
        before = markdown_settings_as_read(markdown)
        assert "extensions" not in markdown or markdown["extensions"] != before["extensions"]
        MarkdownReader(settings)
        assert settings["MARKDOWN"] == before
        MarkdownReader(settings)
        assert markdown_settings_as_read(settings["MARKDOWN"]) == settings["MARKDOWN"]


def test_content_and_summary_are_rendered_from_the_raw_html_and_summary():
    """Same raw HTML and summary metadata: the same content and summary (for one page);
    another raw HTML: another content. engine.incremental fingerprints them this way."""
    first, second = make_article("<p>Text</p>"), make_article("<p>Text</p>")
    assert rendered_from(first) == rendered_from(second) == ("<p>Text</p>", None)
    assert (first.content, first.summary) == (second.content, second.summary)
    third = make_article("<p>Text</p>")
    replace_raw_html(third, "<p>Anders</p>")
    assert rendered_from(third) != rendered_from(first)
    assert third.content != first.content
    fourth = make_article("<p>Text</p>")
    fourth.metadata["summary"] = "Kurz"
    assert rendered_from(fourth) == ("<p>Text</p>", "Kurz") and fourth.summary == "Kurz"
