"""With Pelican's content cache on, comment changes show up on the next build."""

from __future__ import annotations

import shutil

import pytest

from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

PAGE = "2024/04/cache-artikel/index.html"


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_add_edit_delete_comment_with_cache(tmp_path, layer):
    site = tmp_path / "site"
    shutil.copytree(SITES / "comments-cache", site)
    folder = site / "content/comments/cache-artikel"
    settings = (
        "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n"
        f"CONTENT_CACHING_LAYER = {layer!r}\nCHECK_MODIFIED_METHOD = 'mtime'\n"
    )

    def rebuild():
        result = build(site, tmp_path / "output", settings=settings)
        assert result.returncode == 0, result.log
        return result.html(PAGE)

    first = rebuild()
    assert [c.get_text() for c in first.select(".comment-author")] == ["Erste"]
    assert any((tmp_path / "cache").iterdir()), "the cache is really used"

    (folder / "2.md").write_text(
        "author: Zweite\ndate: 2024-04-02 12:00\nreplyto: 1\n\nNeu dazu.\n", encoding="utf-8"
    )
    added = rebuild()
    assert [c.get_text() for c in added.select(".comment-author")] == ["Erste", "Zweite"]
    assert added.select_one("#comments-title").get_text().startswith("2 Kommentare")

    (folder / "1.md").write_text(
        "author: Erste\ndate: 2024-04-02 11:00\n\nGeänderter Text.\n", encoding="utf-8"
    )
    edited = rebuild()
    assert edited.select_one("#comment-1 .comment-body").get_text(strip=True) == "Geänderter Text."

    (folder / "2.md").unlink()
    deleted = rebuild()
    assert deleted.select("#comment-2") == []
    assert deleted.select_one("#comments-title").get_text().startswith("1 Kommentar")
