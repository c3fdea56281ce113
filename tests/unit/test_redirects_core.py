"""rundbrief.redirects: imported old addresses (percent-encoded, ?p=) in the three files."""

from __future__ import annotations

import re

import pytest

from rundbrief.redirects import (
    Redirect,
    RedirectError,
    format_redirects,
    parse_redirects,
    redirect_files,
    split_source,
)

FEED = [Redirect("/feed/", "/feeds/rss.xml")]
UMLAUT = Redirect("/2015/12/gr%C3%B6%C3%9Fer/", "/2015/12/groesser/")
QUERY = Redirect("/", "/2015/06/x/", "p=123")


def test_file_round_trip_and_bad_lines_named():
    text = (
        format_redirects([("/2015/06/19/x/", "/2015/06/x/"), ("/?p=123", "/2015/06/x/")])
        + "kaputt\n/a b/ /c/\n/?p=1;x /d/\n"
    )
    found, problems = parse_redirects(text, "content/redirects.txt")
    assert found == [("/2015/06/19/x/", "", "/2015/06/x/"), ("/", "p=123", "/2015/06/x/")]
    assert [(p.path, p.line) for p in problems] == [
        ("content/redirects.txt", 5),
        ("content/redirects.txt", 6),
        ("content/redirects.txt", 7),
    ]
    assert "„kaputt“ ist keine Weiterleitung" in problems[0].message


def test_wordpress_lower_case_escapes_are_normalised():
    assert split_source("/2015/12/gr%c3%b6%c3%9fer/") == ("/2015/12/gr%C3%B6%C3%9Fer/", "")
    assert split_source("/?page_id=7") == ("/", "page_id=7")


@pytest.mark.parametrize(
    "source",
    ["/a%20b/", "/a%22b/", "/a%3Bb/", "/%FF/", "/a%0Ab/", "/ä/", "/a b/", "/%7B/"],
)
def test_sources_that_could_write_server_syntax_are_refused(source):
    with pytest.raises(RedirectError):
        Redirect(source, "/x/")


@pytest.mark.parametrize("query", ["p=1;", "p", "p=1 2", "p=1&q=2", "=1"])
def test_odd_queries_are_refused(query):
    with pytest.raises(RedirectError):
        Redirect("/", "/x/", query)


def test_feed_rules_unchanged_without_imported_ones():
    files = redirect_files(FEED)
    assert "Alte Adressen des importierten" not in "".join(files.values())
    assert "RewriteEngine" not in files[".htaccess"]


def test_netlify_lines():
    text = redirect_files(FEED, [UMLAUT, QUERY])["_redirects"]
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert "/2015/12/gr%C3%B6%C3%9Fer/  /2015/12/groesser/  301" in lines
    assert "/  p=123  /2015/06/x/  301!" in lines  # forced: "/" has a page of its own
    assert "/index.php  p=123  /2015/06/x/  301!" in lines


def test_apache_matches_the_decoded_path_in_bytes_and_queries_with_mod_rewrite():
    text = redirect_files(FEED, [UMLAUT, QUERY])[".htaccess"]
    assert all(line.isascii() for line in text.splitlines() if not line.startswith("#"))
    line = next(line for line in text.splitlines() if "groesser" in line)
    pattern = line.split(" ")[2]
    decoded = "/2015/12/größer/".encode().decode("latin-1")
    assert re.match(pattern, decoded) and re.match(pattern, decoded.rstrip("/"))
    block = text[text.index("<IfModule mod_rewrite.c>") :]
    assert block.splitlines()[1] == "RewriteEngine On"
    assert "RewriteCond %{QUERY_STRING} (?:^|&)p=123(?:&|$)" in block
    assert "RewriteRule ^ /2015/06/x/? [R=301,L]" in block  # "?" drops the old query


def test_nginx_locations_and_query_ifs():
    text = redirect_files(FEED, [UMLAUT, QUERY])["nginx-redirects.conf"]
    assert 'location = "/2015/12/größer/" { return 301 /2015/12/groesser/; }' in text
    assert 'location = "/2015/12/größer" { return 301 /2015/12/groesser/; }' in text
    line = next(line for line in text.splitlines() if line.startswith("if "))
    pattern = re.fullmatch(r'if \(\$request_uri ~ "(.*)"\) \{ return 301 /2015/06/x/; \}', line)[1]
    for uri in ("/?p=123", "/index.php?p=123", "/?x=1&p=123", "/?p=123&y=2"):
        assert re.search(pattern, uri), uri
    for uri in ("/?p=1234", "/?xp=123", "/a/?p=123", "/?p=12"):
        assert not re.search(pattern, uri), uri


def test_a_source_the_feed_rules_have_is_not_repeated():
    files = redirect_files(FEED, [Redirect("/feed/", "/anders/")])
    assert "/anders/" not in files["_redirects"]
