"""Which articles and comments go into feeds, autodiscovery links, settings, purity."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from feeds.settings import SPECS
from rundbrief.article.extras import ArticleExtras
from rundbrief.feeds import paths
from rundbrief.feeds.links import FeedLinks
from rundbrief.feeds.select import (
    comments_mode,
    is_listed,
    newest,
    shows_comments_feed,
    visible_comments,
)
from rundbrief.settings_check import validate
from rundbrief.urls import absolute

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "feeds"


def article(*, comments_flat=(), comments_mode=None, **values):
    """A stand-in article; the comment fields go into its declared extras."""
    base = {
        "title": "Kaffee & <Kuchen>",
        "slug": "kaffee",
        "url": "2024/05/kaffee/",
        "date": datetime(2024, 5, 1, 9, 0, tzinfo=BERLIN),
        "status": "published",
        "metadata": {},
    }
    base.update(values)
    extras = ArticleExtras(comments_flat=list(comments_flat), comments_mode=comments_mode)
    return SimpleNamespace(**base, extras=extras)


class Named:
    """A category or tag as Pelican has it: str() is the name, .slug the slug."""

    def __init__(self, name, slug):
        self.name, self.slug = name, slug

    def __str__(self):
        return self.name


def comment(cid, day, **values):
    return SimpleNamespace(id=cid, date=datetime(2024, 5, day, tzinfo=BERLIN), **values)


def test_future_articles_wait_for_their_date():
    soon = article(date=datetime(2024, 5, 10, 14, 30, tzinfo=BERLIN))  # 12:30 UTC
    assert not is_listed(soon, NOW)
    assert is_listed(soon, datetime(2024, 5, 10, 12, 30, tzinfo=UTC))
    assert not is_listed(article(status="draft"), NOW)
    assert not is_listed(article(status="hidden"), NOW)
    assert not is_listed(article(date=datetime(2024, 5, 1)), NOW)  # naive: never crashes


def test_comments_mode_and_visible_comments():
    flat = [comment("2", 3), comment("1", 2), comment("3", 4, status="pending")]
    assert comments_mode(article()) == "open"
    assert comments_mode(article(metadata={"comments": "closed"})) == "closed"
    assert comments_mode(article(comments_mode="hidden")) == "hidden"
    assert comments_mode(article(comments_mode="kaputt")) == "open"
    assert [c.id for c in visible_comments(article(comments_flat=flat))] == ["1", "2"]
    assert visible_comments(article(comments_flat=flat, comments_mode="hidden")) == []
    assert visible_comments(article()) == []


def test_newest():
    assert newest([3, 1, 2, 5], 2, key=lambda n: n) == [5, 3]


def test_autodiscovery_links():
    links = FeedLinks("https://blog.example", "Blog & Co", NOW)
    site = links.site()
    assert [(link.href, link.type) for link in site] == [
        ("https://blog.example/feeds/atom.xml", "application/atom+xml"),
        ("https://blog.example/feeds/rss.xml", "application/rss+xml"),
        ("https://blog.example/feeds/comments.atom.xml", "application/atom+xml"),
    ]
    assert site[0].title == "Blog & Co – Atom-Feed"
    (found,) = links.category(Named("Küche & Keller", "kueche-keller"))
    assert found.href == "https://blog.example/feeds/category/kueche-keller.atom.xml"
    assert found.title == "Blog & Co – Kategorie „Küche & Keller“"
    (found,) = links.tag(Named("Äpfel", "aepfel"))
    assert found.href == "https://blog.example/feeds/tag/aepfel.atom.xml"
    assert found.title == "Blog & Co – Schlagwort „Äpfel“"
    assert links.category(Named("Böse", "../x")) == []
    (comments,) = links.comments(article())
    assert comments.href == "https://blog.example/feeds/comments/kaffee.atom.xml"
    assert comments.title == "Kommentare zu „Kaffee & <Kuchen>“"
    assert links.comments(article(comments_mode="hidden")) == []
    assert links.comments(article(status="draft")) == []
    assert links.comments(article(date=datetime(2999, 1, 1, tzinfo=UTC))) == []
    assert not shows_comments_feed(article(status="hidden"), NOW)
    assert FeedLinks("", "Blog", NOW).site() == []


def test_feed_paths():
    assert paths.category_atom("new-work") == "feeds/category/new-work.atom.xml"
    assert paths.tag_atom("sinn") == "feeds/tag/sinn.atom.xml"
    assert paths.article_comments_atom("a-b") == "feeds/comments/a-b.atom.xml"
    for bad in ("../x", ".htaccess", "a/b", "", None):
        assert not paths.is_safe_slug(bad)
    with pytest.raises(ValueError):
        paths.tag_atom("a/b")
    assert absolute("https://x.example", "/a/") == "https://x.example/a/"
    assert absolute("https://x.example/", "") == "https://x.example/"


def test_settings_defaults_and_checks():
    defaults = {spec.name: spec.default for spec in SPECS}
    assert defaults == {
        "FEEDS_MAX_ITEMS": 20,
        "FEEDS_CONTENT": "full",
        "FEEDS_REDIRECTS": True,
        "FEEDS_TAG_AUTHORITY": "",
        "FEEDS_NOW": None,
    }
    assert validate({}, SPECS) == []
    good = {
        "FEEDS_MAX_ITEMS": 3,
        "FEEDS_CONTENT": "summary",
        "FEEDS_REDIRECTS": False,
        "FEEDS_TAG_AUTHORITY": "www.ideequadrat.org",
        "FEEDS_NOW": NOW,
    }
    assert validate(good, SPECS) == []
    bad = {
        "FEEDS_MAX_ITEMS": 0,
        "FEEDS_CONTENT": "alles",
        "FEEDS_REDIRECTS": "ja",
        "FEEDS_TAG_AUTHORITY": "https://www.ideequadrat.org",
        "FEEDS_NOW": datetime(2024, 1, 1),
    }
    errors = validate(bad, SPECS)
    assert len(errors) == 5
    for name, value in bad.items():
        assert any(
            error.startswith(f"{name} = {value!r} ist ungültig; erlaubt:") for error in errors
        )


def test_the_core_imports_no_pelican():
    for module in PLUGIN.glob("*.py"):
        if module.stem in ("__init__", "generator"):
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = [
            name.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for name in node.names
        ]
        imported += [
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        ]
        assert not [name for name in imported if name.split(".")[0] == "pelican"], module.name
