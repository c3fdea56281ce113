"""The repository's own content/comments/ folder: the reference article's six comments."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from rundbrief.comments.files import load_comments
from rundbrief.comments.tree import build_tree, count_by_status, walk
from rundbrief.sanitize import render_comment_body

ROOT = Path(__file__).resolve().parents[2] / "content" / "comments"
SLUG = "fuer-wen-machen-wir-das-eigentlich-oder-warum-kundenorientierung-keinen-sinn-macht"
BERLIN = ZoneInfo("Europe/Berlin")


def load():
    by_slug, problems = load_comments(ROOT, tz=BERLIN)
    return by_slug, problems


def test_reference_comments_load_without_problems():
    by_slug, problems = load()
    assert [str(p) for p in problems] == []
    comments = by_slug[SLUG]
    assert count_by_status(comments) == {"approved": 6, "pending": 0, "spam": 0}
    assert sum(c.by_author for c in comments) == 3
    assert {c.author for c in comments if c.by_author} == {"Hendrik Epe"}
    assert all(c.url is None for c in comments)
    assert all("@" not in Path(c.source_path).read_text(encoding="utf-8") for c in comments)


def test_reference_comments_thread_into_three_conversations():
    by_slug, _ = load()
    roots, problems = build_tree(by_slug[SLUG])
    assert problems == []
    assert [node.comment.author for node in roots] == ["Kevin", "Sabine Depew", "Lothar Jochafe"]
    for node in roots:
        assert len(node.children) == 1
        reply = node.children[0]
        assert reply.depth == 2
        assert reply.comment.by_author
        assert reply.comment.replyto == node.comment.id
        assert reply.comment.date > node.comment.date
        assert reply.children == []
    dates = [node.comment.date for node in walk(roots)]
    assert dates == sorted(dates)


def test_reference_comments_render_with_their_original_wording():
    by_slug, _ = load()
    texts = {
        c.author if not c.by_author else f"Antwort auf {c.replyto}": BeautifulSoup(
            render_comment_body(c.body), "html.parser"
        )
        for c in by_slug[SLUG]
    }
    kevin = texts["Kevin"]
    assert len(kevin.find_all("p")) == 2
    assert len(kevin.find_all("br")) == 9 + 3
    hendrik = [soup.get_text() for key, soup in texts.items() if key.startswith("Antwort")]
    assert any(text.startswith("He< Kevin, danke") for text in hendrik)
    assert any("einen schönen Sonntag" in text for text in hendrik)
    assert "Kluentinnen" in texts["Lothar Jochafe"].get_text()
