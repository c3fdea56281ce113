"""Comment pages and the one URL of a comment (rundbrief.comments.pages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comments.settings import SPECS, setting
from rundbrief.comments.pages import comment_url, page_folder_url, page_url, save_as, split_pages
from rundbrief.comments.render import RenderedComment
from rundbrief.settings_check import validate

ARTICLE = "2015/06/slug/"


def comment(comment_id: str, children=()) -> RenderedComment:
    return RenderedComment(
        id=comment_id,
        author="A",
        author_url=None,
        date=datetime(2015, 6, 19, tzinfo=UTC),
        html="<p>x</p>",
        text="x",
        by_author=False,
        parent_id=None,
        depth=1,
        reply_href=None,
        children=list(children),
    )


def test_page_urls_follow_wordpress():
    assert page_url(ARTICLE, 1) == ARTICLE
    assert page_url(ARTICLE, 2) == "2015/06/slug/comment-page-2/"
    assert page_url("https://blog.example/2015/06/slug/", 12) == (
        "https://blog.example/2015/06/slug/comment-page-12/"
    )
    assert page_url("2015/06/slug.html", 3) == "2015/06/slug/comment-page-3/"
    assert page_folder_url(ARTICLE, 1) == "2015/06/slug/comment-page-1/"
    assert save_as(page_url(ARTICLE, 2)) == "2015/06/slug/comment-page-2/index.html"


@pytest.mark.parametrize(
    ("count", "per_page", "sizes"),
    [(60, 50, [50, 10]), (50, 50, [50]), (101, 50, [50, 50, 1]), (7, 0, [7]), (3, 1, [1, 1, 1])],
)
def test_split_pages_by_top_level_threads(count, per_page, sizes):
    threads = [comment(str(n)) for n in range(count)]
    pages = split_pages(threads, per_page, ARTICLE)
    assert [len(page.threads) for page in pages] == sizes
    assert [page.number for page in pages] == list(range(1, len(sizes) + 1))
    assert [page.url for page in pages] == [page_url(ARTICLE, n) for n in range(1, len(sizes) + 1)]
    assert [c for page in pages for c in page.threads] == threads  # each once, in order


def test_no_threads_no_pages():
    assert split_pages([], 50, ARTICLE) == []


def test_replies_learn_the_page_of_their_thread_and_link_there():
    deep = comment("deep")
    node = deep
    for level in range(3000):  # a very deep thread: no recursion limit
        node = comment(f"r{level}", [node])
    threads = [comment("1"), comment("2", [comment("21", [comment("211")])]), node]
    pages = split_pages(threads, 2, ARTICLE)
    assert deep.page == 2 and node.page == 2
    reply = threads[1].children[0].children[0]
    assert reply.page == 1
    assert comment_url(ARTICLE, reply) == "2015/06/slug/#comment-211"
    assert comment_url(ARTICLE, deep) == "2015/06/slug/comment-page-2/#comment-deep"
    assert comment_url("https://b.example/" + ARTICLE, deep) == (
        "https://b.example/2015/06/slug/comment-page-2/#comment-deep"
    )
    assert len(pages) == 2


def test_comment_url_of_an_unpaged_comment_is_on_the_article():
    class Plain:
        id = "7"

    assert comment_url(ARTICLE, Plain()) == "2015/06/slug/#comment-7"


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("COMMENTS_PER_PAGE", 0, True),
        ("COMMENTS_PER_PAGE", 50, True),
        ("COMMENTS_PER_PAGE", -1, False),
        ("COMMENTS_PER_PAGE", "50", False),
        ("COMMENTS_PER_PAGE", True, False),
        ("COMMENTS_MAX_LENGTH", 20_000, True),
        ("COMMENTS_MAX_LENGTH", 0, False),
        ("COMMENTS_MAX_LENGTH", 2.5, False),
    ],
)
def test_new_settings_are_validated(name, value, ok):
    errors = validate({name: value}, SPECS)
    assert (errors == []) is ok
    if not ok:
        assert name in errors[0] and repr(value) in errors[0]


def test_defaults_come_from_the_specs():
    assert setting({}, "COMMENTS_PER_PAGE") == 50
    assert setting({}, "COMMENTS_MAX_LENGTH") == 20_000
    assert setting({"COMMENTS_PER_PAGE": 3}, "COMMENTS_PER_PAGE") == 3
