"""Threading of comments: nesting, order, depth cap, repairs. Pure, no Pelican."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from rundbrief.comments.model import Comment, Node, Problem, id_key
from rundbrief.comments.render import RenderedComment, reply_mailto_for
from rundbrief.comments.tree import build_tree, count, count_by_status, walk

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN)


def make(comment_id, minutes=0, replyto=None, status="approved"):
    return Comment(
        id=comment_id,
        article_slug="artikel",
        author=f"Autor {comment_id}",
        date=START + timedelta(minutes=minutes),
        body="Text",
        replyto=replyto,
        url=None,
        by_author=False,
        status=status,
        source_path=f"content/comments/artikel/{comment_id}.md",
    )


def shape(nodes):
    """(id, depth) of every node, depth-first in display order."""
    return [(node.comment.id, node.depth) for node in walk(nodes)]


def ids(nodes):
    return [node.comment.id for node in nodes]


def test_replies_nest_under_their_parents():
    comments = [
        make("1", 0),
        make("2", 10, replyto="1"),
        make("3", 20, replyto="2"),
        make("4", 30),
        make("5", 40, replyto="1"),
    ]
    roots, problems = build_tree(comments)
    assert problems == []
    assert ids(roots) == ["1", "4"]
    assert ids(roots[0].children) == ["2", "5"]
    assert ids(roots[0].children[0].children) == ["3"]
    assert shape(roots) == [("1", 1), ("2", 2), ("3", 3), ("5", 2), ("4", 1)]


def test_siblings_are_ordered_by_date_then_numeric_id():
    comments = [
        make("10", 5),
        make("9", 5),
        make("100", 5),
        make("2", 7),
        make("1", 9),
        make("a10", 5),
        make("a9", 5),
    ]
    expected = ["9", "10", "100", "a9", "a10", "2", "1"]
    for seed in range(5):
        shuffled = comments[:]
        random.Random(seed).shuffle(shuffled)
        roots, _ = build_tree(shuffled)
        assert ids(roots) == expected


def test_replies_are_ordered_by_date_then_id_too():
    comments = [make("1", 0), make("12", 30, "1"), make("11", 30, "1"), make("3", 20, "1")]
    roots, _ = build_tree(comments)
    assert ids(roots[0].children) == ["3", "11", "12"]


def test_depth_cap_keeps_an_eight_deep_chain_and_shows_the_rest_at_depth_five():
    chain = [make("1", 0)] + [make(str(n), n, replyto=str(n - 1)) for n in range(2, 9)]
    roots, problems = build_tree(chain)
    assert problems == []
    assert count(roots) == 8
    assert shape(roots) == [
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("4", 4),
        ("5", 5),
        ("6", 5),
        ("7", 5),
        ("8", 5),
    ]
    fourth = roots[0].children[0].children[0].children[0]
    assert fourth.depth == 4
    assert ids(fourth.children) == ["5", "6", "7", "8"]
    assert all(node.children == [] for node in fourth.children)
    assert max(node.depth for node in walk(roots)) == 5


def test_capped_replies_are_ordered_by_date_among_their_new_siblings():
    comments = [
        make("1", 0),
        make("2", 1, "1"),
        make("3", 2, "2"),
        make("4", 50, "3"),  # a late reply at depth 4
        make("5", 10, "3"),
        make("6", 20, "5"),  # depth 5 under 5: shown next to 4 and 5, by date
    ]
    roots, _ = build_tree(comments, max_depth=4)
    third = roots[0].children[0].children[0]
    assert ids(third.children) == ["5", "6", "4"]
    assert [node.depth for node in third.children] == [4, 4, 4]


def test_max_depth_one_flattens_everything():
    chain = [make("1", 0), make("2", 1, "1"), make("3", 2, "2"), make("4", 3)]
    roots, problems = build_tree(chain, max_depth=1)
    assert problems == []
    assert shape(roots) == [("1", 1), ("2", 1), ("3", 1), ("4", 1)]


@pytest.mark.parametrize("bad", [0, -1])
def test_max_depth_below_one_is_refused(bad):
    with pytest.raises(ValueError, match="max_depth"):
        build_tree([make("1")], max_depth=bad)


def test_orphan_reply_is_reattached_at_top_level_with_a_problem():
    comments = [make("1", 0), make("2", 10, replyto="999")]
    roots, problems = build_tree(comments)
    assert shape(roots) == [("1", 1), ("2", 1)]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path == "content/comments/artikel/2.md"
    assert "999" in problem.message
    assert "replyto" in problem.fix


@pytest.mark.parametrize("status", ["pending", "spam"])
def test_reply_to_a_hidden_comment_is_reattached_with_a_problem(status):
    comments = [make("1", 0, status=status), make("2", 10, replyto="1")]
    roots, problems = build_tree(comments)
    assert shape(roots) == [("2", 1)]
    assert len(problems) == 1
    assert status in problems[0].message
    assert problems[0].path.endswith("2.md")


def test_two_cycle_is_broken_at_the_oldest_comment():
    comments = [make("b", 20, replyto="a"), make("a", 10, replyto="b")]
    roots, problems = build_tree(comments)
    assert shape(roots) == [("a", 1), ("b", 2)]
    assert len(problems) == 1
    assert problems[0].path.endswith("a.md")
    assert "„a“" in problems[0].message and "„b“" in problems[0].message
    assert "replyto: b" in problems[0].fix


def test_three_cycle_is_broken_and_nothing_is_lost():
    comments = [
        make("7", 30, replyto="6"),
        make("5", 10, replyto="7"),
        make("6", 20, replyto="5"),
        make("8", 40, replyto="6"),  # hangs off the cycle
        make("1", 0),
    ]
    roots, problems = build_tree(comments)
    assert count(roots) == 5
    assert shape(roots) == [("1", 1), ("5", 1), ("6", 2), ("7", 3), ("8", 3)]
    assert len(problems) == 1
    assert problems[0].path.endswith("5.md")


def test_self_reply_becomes_top_level_with_a_problem():
    comments = [make("1", 0), make("2", 5, replyto="2"), make("3", 9, replyto="2")]
    roots, problems = build_tree(comments)
    assert shape(roots) == [("1", 1), ("2", 1), ("3", 2)]
    assert len(problems) == 1
    assert "sich selbst" in problems[0].message
    assert problems[0].path.endswith("2.md")


def test_several_cycles_are_all_broken():
    comments = [
        make("1", 1, "2"),
        make("2", 2, "1"),
        make("3", 3, "3"),
        make("4", 4, "6"),
        make("5", 5, "4"),
        make("6", 6, "5"),
    ]
    roots, problems = build_tree(comments)
    assert count(roots) == 6
    assert ids(roots) == ["1", "3", "4"]
    assert len(problems) == 3


def test_pending_and_spam_are_not_threaded_but_counted():
    comments = [
        make("1", 0),
        make("2", 1, status="pending"),
        make("3", 2, status="spam"),
        make("4", 3, replyto="1"),
        make("5", 4, status="spam"),
    ]
    roots, problems = build_tree(comments)
    assert problems == []
    assert shape(roots) == [("1", 1), ("4", 2)]
    assert count_by_status(comments) == {"approved": 2, "pending": 1, "spam": 2}
    assert count_by_status([]) == {"approved": 0, "pending": 0, "spam": 0}


def test_a_ten_thousand_deep_chain_works():
    size = 10_000
    chain = [make("0", 0)] + [make(str(n), n, replyto=str(n - 1)) for n in range(1, size)]
    roots, problems = build_tree(chain)
    assert problems == []
    assert count(roots) == size
    depths = [node.depth for node in walk(roots)]
    assert depths[:6] == [1, 2, 3, 4, 5, 5]
    assert max(depths) == 5
    assert len(roots[0].children[0].children[0].children[0].children) == size - 4
    # and uncapped: a tree 10,000 levels deep, walked without recursion
    roots, _ = build_tree(chain, max_depth=size + 1)
    nodes = list(walk(roots))
    assert [node.depth for node in nodes] == list(range(1, size + 1))
    assert repr(nodes[0]).startswith("Node(")


def test_a_ten_thousand_long_cycle_is_broken():
    size = 10_000
    chain = [make(str(n), n, replyto=str((n - 1) % size)) for n in range(size)]
    roots, problems = build_tree(chain)
    assert ids(roots) == ["0"]
    assert count(roots) == size
    assert len(problems) == 1


def test_duplicate_ids_keep_both_comments_and_report():
    first, second = make("1", 0), replace(make("1", 5), source_path="x")
    roots, problems = build_tree([second, first, make("2", 9, "1")])
    assert count(roots) == 3
    assert shape(roots) == [("1", 1), ("2", 2), ("1", 1)]
    assert roots[0].comment is first
    assert len(problems) == 1 and problems[0].path == "x"


def test_walk_and_count_follow_display_order():
    leaf = Node(make("3"), 2, [])
    roots = [Node(make("1"), 1, [Node(make("2"), 2, []), leaf]), Node(make("4"), 1, [])]
    assert ids(walk(roots)) == ["1", "2", "3", "4"]
    assert count(roots) == 4
    assert count([]) == 0
    assert list(walk([])) == []


def test_result_is_deterministic():
    comments = [
        make("1", 0, "3"),
        make("2", 0, "1"),
        make("3", 0, "2"),
        make("4", 1, "404"),
        make("5", 2, "4"),
        make("6", 2),
    ]
    expected = build_tree(comments)
    for seed in range(5):
        shuffled = comments[:]
        random.Random(seed).shuffle(shuffled)
        roots, problems = build_tree(shuffled)
        assert shape(roots) == shape(expected[0])
        assert problems == expected[1]


def test_problem_str_names_file_line_and_fix():
    assert str(Problem("a/1.md", 3, "Kaputt.", "Reparieren.")) == (
        "a/1.md:3: Kaputt. So beheben: Reparieren."
    )
    assert str(Problem("a/1.md", None, "Kaputt.", "Reparieren.")) == (
        "a/1.md: Kaputt. So beheben: Reparieren."
    )


def test_id_key_is_numeric_aware():
    assert sorted(["10", "9", "a10", "a9", "100", "09"], key=id_key) == [
        "09",
        "9",
        "10",
        "100",
        "a9",
        "a10",
    ]


@pytest.mark.parametrize(
    ("author", "title"),
    [("Kevin", "Wie Affen"), ("Jörg & Co/?#", "„Zitat“ – 100 % ß?&= 🐒"), ("", " ")],
)
def test_reply_link_subject_names_comment_author_and_article(author, title):
    comment = RenderedComment(
        id="a1/2",
        author=author,
        author_url=None,
        date=None,
        html="",
        text="",
        by_author=False,
        parent_id=None,
        depth=1,
        reply_href=None,
    )
    href = reply_mailto_for("k@example.org", title)(comment)
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "k@example.org")
    subject = parse_qs(parts.query, keep_blank_values=True)["subject"]
    assert subject == [f"Antwort auf Kommentar #a1/2 von {author} zu „{title}“"]
