"""feeds.redirects: the old WordPress feed URLs in _redirects, .htaccess and nginx syntax."""

from __future__ import annotations

import re

import pytest

from rundbrief.feeds.redirects import wordpress_redirects
from rundbrief.redirects import (
    Redirect,
    RedirectError,
    htaccess,
    netlify,
    nginx,
    redirect_files,
)

FEEDS = {
    "site_rss": "feeds/rss.xml",
    "site_atom": "feeds/atom.xml",
    "comments": "feeds/comments.atom.xml",
}


def rules(**kwargs):
    return wordpress_redirects(
        **FEEDS,
        categories=[("new-work", "feeds/category/new-work.atom.xml")],
        tags=[("sinn", "feeds/tag/sinn.atom.xml")],
        articles=[("2015/06/fuer-wen/", "feeds/comments/fuer-wen.atom.xml")],
        **kwargs,
    )


def test_wordpress_urls_are_covered():
    found = {rule.source: rule.target for rule in rules()}
    assert found["/feed/"] == "/feeds/rss.xml"
    assert found["/feed/rss2/"] == "/feeds/rss.xml"
    assert found["/feed/atom/"] == "/feeds/atom.xml"
    assert found["/comments/feed/"] == "/feeds/comments.atom.xml"
    assert found["/category/new-work/feed/"] == "/feeds/category/new-work.atom.xml"
    assert found["/tag/sinn/feed/"] == "/feeds/tag/sinn.atom.xml"
    assert found["/2015/06/fuer-wen/feed/"] == "/feeds/comments/fuer-wen.atom.xml"


def test_site_below_a_path_and_first_rule_wins():
    found = rules(root="/blog/")
    assert found[0] == Redirect("/blog/feed/", "/blog/feeds/rss.xml")
    assert (
        Redirect("/blog/2015/06/fuer-wen/feed/", "/blog/feeds/comments/fuer-wen.atom.xml") in found
    )
    twice = wordpress_redirects(**FEEDS, tags=[("a", "feeds/tag/a.xml"), ("a", "feeds/tag/b.xml")])
    assert [r.target for r in twice if r.source == "/tag/a/feed/"] == ["/feeds/tag/a.xml"]


@pytest.mark.parametrize("path", ["feed/", "/a b/", "/a;b/", "/{x}/", "/a/../b/", '/"/', "/ä/"])
def test_unsafe_paths_are_refused(path):
    with pytest.raises(RedirectError):
        Redirect(path, "/feeds/rss.xml")
    with pytest.raises(ValueError):
        Redirect("/feed/", path)


def test_netlify_lines():
    text = netlify(rules())
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert "/feed/  /feeds/rss.xml  301" in lines
    assert "/2015/06/fuer-wen/feed/  /feeds/comments/fuer-wen.atom.xml  301" in lines
    assert all(len(line.split()) == 3 and line.split()[2] == "301" for line in lines)


def test_htaccess_patterns_match_with_and_without_slash():
    text = htaccess(rules())
    assert text.splitlines()[2] == "<IfModule mod_alias.c>"
    assert text.rstrip().endswith("</IfModule>")
    line = next(line for line in text.splitlines() if "fuer-wen" in line)
    _, code, pattern, target = line.split(" ")
    assert code == "301" and target == "/feeds/comments/fuer-wen.atom.xml"
    assert re.match(pattern, "/2015/06/fuer-wen/feed/")
    assert re.match(pattern, "/2015/06/fuer-wen/feed")
    assert not re.match(pattern, "/2015/06/fuer-wen/feed/x")
    dotted = htaccess([Redirect("/a.b/feed/", "/feeds/x.xml")])
    assert r"RedirectMatch 301 ^/a\.b/feed/?$ /feeds/x.xml" in dotted


def test_nginx_locations():
    text = nginx(rules())
    assert "location = /feed/ { return 301 /feeds/rss.xml; }" in text
    assert "location = /feed { return 301 /feeds/rss.xml; }" in text
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert all(re.fullmatch(r"location = /\S* \{ return 301 /\S+; \}", line) for line in body)


def test_the_three_files():
    files = redirect_files(rules())
    assert set(files) == {"_redirects", ".htaccess", "nginx-redirects.conf"}
    for text in files.values():
        assert "/2015/06/fuer-wen/feed" in text and text.endswith("\n")
