"""The feeds generator with stand-in articles and comments (no Pelican build).

The stand-ins carry what the comments plugin promises on each published article, in its
declared extras (``rundbrief.article.extras``): ``comments_flat`` (approved comments in
date order: id, author, author_url, date, html, text, by_author) and ``comments_mode``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import feedparser
import pytest

from feeds.generator import FeedsGenerator
from rundbrief.article.extras import ArticleExtras

BERLIN = ZoneInfo("Europe/Berlin")
BASE = "https://blog.example"


class Named:
    def __init__(self, name, slug, url):
        self.name, self.slug, self.url = name, slug, url

    def __str__(self):
        return self.name


class StandInArticle:
    def __init__(self, slug, day, *, category, tags=(), comments=(), **extra):
        self.slug = slug
        self.title = f"Titel {slug}"
        self.url = f"2024/05/{slug}/"
        self.date = datetime(2024, 5, day, 9, 0, tzinfo=BERLIN)
        self.status = "published"
        self.metadata = {"summary": f"<p>Kurz {slug}</p>"}
        self.category = category
        self.tags = list(tags)
        self.authors = [Named("Hendrik Epe", "hendrik-epe", "author/hendrik-epe/")]
        self.source_path = f"content/articles/{slug}.md"
        mode = extra.pop("comments_mode", "open")
        self.extras = ArticleExtras(comments_flat=list(comments), comments_mode=mode)
        self.content_calls = 0
        self.__dict__.update(extra)

    def get_content(self, siteurl):
        self.content_calls += 1
        return f'<p>Text von {self.slug} mit <a href="../../../impressum/">Link</a>.</p>'


def stand_in_comment(cid, day, author="Leserin", **extra):
    values = {
        "id": cid,
        "author": author,
        "author_url": None,
        "date": datetime(2024, 5, day, 20, 0, tzinfo=BERLIN),
        "html": '<p>Kommentar <a href="/impressum/">mit Link</a></p>',
        "text": "Kommentar mit Link",
        "by_author": False,
    }
    values.update(extra)
    return SimpleNamespace(**values)


def settings(**changes):
    values = {
        "SITEURL_ABSOLUTE": BASE,
        "SITENAME": "Blog",
        "SITE_DESCRIPTION": "Ein Blog.",
        "AUTHOR": "Hendrik Epe",
        "PATH": "content",
        "CATEGORIES_URL": "category/",
        "TAGS_URL": "tag/",
        "FEEDS_MAX_ITEMS": 20,
        "FEEDS_CONTENT": "full",
        "FEEDS_REDIRECTS": True,
        "FEEDS_TAG_AUTHORITY": "",
        "FEEDS_NOW": datetime(2024, 6, 1, tzinfo=UTC),
    }
    values.update(changes)
    return values


@pytest.fixture
def site():
    work = Named("Arbeit", "arbeit", "category/arbeit/")
    sinn = Named("Sinn", "sinn", "tag/sinn/")
    teams = Named("Teams", "teams", "tag/teams/")
    articles = [
        StandInArticle(
            "eins",
            1,
            category=work,
            tags=[sinn, teams],
            comments=[stand_in_comment("7", 2), stand_in_comment("8", 3, "Autor", by_author=True)],
        ),
        StandInArticle("zwei", 2, category=work, tags=[sinn]),
        StandInArticle(
            "still",
            3,
            category=work,
            comments=[stand_in_comment("9", 4, "GEHEIM")],
            comments_mode="hidden",
        ),
        StandInArticle(
            "morgen", 30, category=work, tags=[sinn], comments=[stand_in_comment("5", 30)]
        ),
    ]
    articles[3].date = datetime(2024, 6, 2, tzinfo=BERLIN)  # after FEEDS_NOW
    context = {
        "articles": articles,
        "categories": [(work, articles)],
        "tags": [(sinn, [articles[0], articles[1], articles[3]]), (teams, [articles[0]])],
    }
    return context, articles


def run(tmp_path, context, **changes):
    generator = FeedsGenerator(context, settings(**changes), "content", "theme", str(tmp_path))
    generator.generate_output(None)
    return generator


def parsed(tmp_path, relative):
    feed = feedparser.parse((tmp_path / relative).read_bytes())
    assert not feed.bozo, relative
    return feed


def test_every_feed_from_stand_ins(tmp_path, site):
    context, _ = site
    generator = run(tmp_path, context)
    assert generator.now == datetime(2024, 6, 1, tzinfo=UTC)  # FEEDS_NOW, no engine running
    assert sorted(generator.written) == sorted(
        [
            "feeds/atom.xml",
            "feeds/rss.xml",
            "feeds/category/arbeit.atom.xml",
            "feeds/tag/sinn.atom.xml",
            "feeds/tag/teams.atom.xml",
            "feeds/comments/eins.atom.xml",
            "feeds/comments/zwei.atom.xml",
            "feeds/comments/still.atom.xml",
            "feeds/comments.atom.xml",
            "_redirects",
            ".htaccess",
            "nginx-redirects.conf",
        ]
    )
    titles = [entry.title for entry in parsed(tmp_path, "feeds/atom.xml").entries]
    assert titles == ["Titel still", "Titel zwei", "Titel eins"]  # "morgen" is in the future
    assert len(parsed(tmp_path, "feeds/tag/sinn.atom.xml").entries) == 2
    first = parsed(tmp_path, "feeds/rss.xml").entries[-1]
    assert first.content[0].value == (
        '<p>Text von eins mit <a href="https://blog.example/impressum/">Link</a>.</p>'
    )


def test_content_is_rendered_once_per_article(tmp_path, site):
    context, articles = site
    run(tmp_path, context)
    # in the site Atom and RSS feeds, its category feed and two tag feeds: made once
    assert articles[0].content_calls == 1


def test_comment_feeds(tmp_path, site):
    context, _ = site
    run(tmp_path, context)
    everything = parsed(tmp_path, "feeds/comments.atom.xml")
    assert [entry.author for entry in everything.entries] == ["Autor", "Leserin"]
    newest = everything.entries[0]
    assert newest.id == "tag:blog.example,2024-05-03:/2024/05/eins/#comment-8"
    assert newest.link == "https://blog.example/2024/05/eins/#comment-8"
    assert newest.title == "Kommentar von Autor zu „Titel eins“"
    assert 'href="https://blog.example/impressum/"' in newest.content[0].value
    assert len(parsed(tmp_path, "feeds/comments/eins.atom.xml").entries) == 2
    hidden = parsed(tmp_path, "feeds/comments/still.atom.xml")
    assert hidden.entries == []
    assert "GEHEIM" not in (tmp_path / "feeds/comments.atom.xml").read_text(encoding="utf-8")


def test_injected_now_lets_future_articles_in(tmp_path, site):
    context, _ = site
    run(tmp_path, context, FEEDS_NOW=datetime(2024, 6, 3, tzinfo=UTC))
    titles = [entry.title for entry in parsed(tmp_path, "feeds/atom.xml").entries]
    assert titles[0] == "Titel morgen"
    assert (tmp_path / "feeds/comments/morgen.atom.xml").exists()


def test_summary_only_and_max_items(tmp_path, site):
    context, _ = site
    run(tmp_path, context, FEEDS_CONTENT="summary", FEEDS_MAX_ITEMS=2, FEEDS_REDIRECTS=False)
    feed = parsed(tmp_path, "feeds/atom.xml")
    assert [entry.title for entry in feed.entries] == ["Titel still", "Titel zwei"]
    assert all("content" not in entry for entry in feed.entries)
    assert feed.entries[0].summary == "<p>Kurz still</p>"
    assert not (tmp_path / ".htaccess").exists()


def test_a_broken_article_is_reported_and_skipped(tmp_path, site, caplog):
    context, articles = site
    articles[1].date = datetime(2024, 5, 2, 9, 0)  # naive: no time zone
    with caplog.at_level(logging.WARNING):
        run(tmp_path, context)
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        message.startswith("content/articles/zwei.md: ")
        and "keine Zeitzone" in message
        and "So beheben:" in message
        for message in messages
    ), messages
    titles = [entry.title for entry in parsed(tmp_path, "feeds/atom.xml").entries]
    assert titles == ["Titel still", "Titel eins"]


def test_without_an_absolute_base_no_feeds_and_a_warning(tmp_path, site, caplog):
    context, _ = site
    with caplog.at_level(logging.WARNING):
        generator = run(tmp_path, context, SITEURL_ABSOLUTE="", SITEURL="")
    assert generator.written == []
    assert any("SITEURL_ABSOLUTE" in record.getMessage() for record in caplog.records)


def test_site_below_a_path_and_a_fixed_tag_authority(tmp_path, site):
    context, _ = site
    run(
        tmp_path,
        context,
        SITEURL_ABSOLUTE="https://neu.example/unter",
        FEEDS_TAG_AUTHORITY="www.ideequadrat.org",
    )
    feed = parsed(tmp_path, "feeds/atom.xml")
    assert feed.feed.id == "https://neu.example/unter/feeds/atom.xml"
    assert feed.entries[-1].id == "tag:www.ideequadrat.org,2024-05-01:/unter/2024/05/eins/"
    assert feed.entries[-1].link == "https://neu.example/unter/2024/05/eins/"
    assert 'href="https://neu.example/unter/impressum/"' in feed.entries[-1].content[0].value
    redirects = (tmp_path / "_redirects").read_text(encoding="utf-8")
    assert "/unter/feed/  /unter/feeds/rss.xml  301" in redirects
    assert "/unter/2024/05/eins/feed/  /unter/feeds/comments/eins.atom.xml  301" in redirects


def test_rss_comments_link_only_where_comments_are_shown(tmp_path, site):
    context, _ = site
    run(tmp_path, context)
    items = {item.title: item for item in parsed(tmp_path, "feeds/rss.xml").entries}
    assert items["Titel eins"].comments == "https://blog.example/2024/05/eins/#comments"
    assert "comments" not in items["Titel still"]
