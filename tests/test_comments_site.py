"""The comments plugin in full builds of tests/sites/comments/ and the real content/."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from rundbrief.comments.manifest import read_manifest
from tests.support.sitebuild import SITES, build

pytestmark = pytest.mark.build

REPLY = "antworten@blog.example"


def one_line(log: str) -> str:
    return re.sub(r"\s+", " ", log)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("comments")
    shutil.copytree(SITES / "comments", root / "site")
    # A duplicate id (same stem but for case) is created here, not committed:
    # a case-insensitive checkout could not hold both files.
    for name in ("B7.md", "b7.md"):
        (root / f"site/content/comments/ein-kommentar/{name}").write_text(
            f"author: Doppelt {name}\ndate: 2024-03-07 18:00\n\nDieselbe Kennung.\n",
            encoding="utf-8",
        )
    result = build(root / "site", root / "output")
    assert result.returncode == 0, result.log
    return result


def ids(soup):
    return [li["id"] for li in soup.select("li.comment")]


def test_threading_nested_lists_and_order(site):
    soup = site.html("2024/03/offen/index.html")
    top = soup.select("#comments > ol.comment-list > li")
    # Top level in date order: Bernd (9, 11:00) before Anna (10, 12:00), then the re-attached.
    assert [li["id"] for li in top][:2] == ["comment-9", "comment-10"]
    reply = soup.select_one("#comment-10 > ol.children > li")
    assert reply["id"] == "comment-11"
    assert "by-author" in reply["class"]
    assert "by-author" not in soup.select_one("#comment-10")["class"]


def test_depth_cap_keeps_every_reply(site):
    soup = site.html("2024/03/offen/index.html")
    for number in range(20, 28):
        assert soup.select_one(f"#comment-{number}") is not None, number
    deepest = soup.select_one("#comment-27")
    depth = len(deepest.find_parents("ol"))
    assert depth == 5  # COMMENTS_MAX_DEPTH default
    assert len(soup.select_one("#comment-26").find_parents("ol")) == 5


def test_orphans_and_cycles_are_shown_at_top_level(site):
    soup = site.html("2024/03/offen/index.html")
    top = [li["id"] for li in soup.select("#comments > ol.comment-list > li")]
    assert "comment-30" in top
    assert "comment-31" in top  # the older of the cycle becomes top level
    assert soup.select_one("#comment-31 > ol.children > #comment-32") is not None


def test_count_heading_counts_what_is_shown(site):
    soup = site.html("2024/03/offen/index.html")
    shown = len(soup.select("li.comment"))
    heading = soup.select_one("#comments-title").get_text()
    assert heading == f"{shown} Kommentare zu „Artikel offen & Co.“"
    assert shown == 3 + 8 + 1 + 2 + 1  # 9,10,11 + chain + orphan + cycle + sanitised 45
    assert "Wartend" not in soup.get_text() and "Spammer" not in soup.get_text()
    one = site.html("2024/03/ein-kommentar/index.html")
    assert (
        one.select_one("#comments-title").get_text()
        == "2 Kommentare zu „Artikel ein-kommentar & Co.“"
    )
    assert [a.get_text() for a in one.select(".comment-author")] == ["Emil", "Doppelt B7.md"]
    none = site.html("2024/03/ohne-kommentare/index.html")
    assert none.select_one("#comments-title").get_text() == "Noch keine Kommentare"


def test_each_comment_shows_author_date_anchor_body_and_reply_link(site):
    soup = site.html("2024/03/offen/index.html")
    anna = soup.select_one("#comment-10")
    link = anna.select_one("a.comment-author")
    assert link["href"] == "https://anna.example/blog"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert anna.select_one("time").get_text() == "4. März 2024 um\u00a012:00\u00a0Uhr"
    assert anna.select_one(".comment-permalink")["href"] == "#comment-10"
    assert anna.select_one(".comment-body em").get_text() == "Betonung"
    link = anna.select_one(".comment-reply a")
    reply = urlparse(link["href"])
    # "Antworten" leads to the reader service's form set to answer this comment (no JS
    # needed); with JavaScript the page's own form moves under the comment instead.
    assert reply.path == "/newsletter/comments" and reply.fragment == "kommentieren"
    assert parse_qs(reply.query) == {"slug": ["offen"], "replytocom": ["10"]}
    assert (link["data-reply-to"], link["data-reply-author"]) == ("10", "Anna")
    assert anna.select_one(".comment-reply").get_text(strip=True).startswith("Antworten")
    assert REPLY not in soup.decode()  # the form replaces the mailto: links


def test_open_article_ends_with_the_comment_form(site):
    soup = site.html("2024/03/offen/index.html")
    form = soup.select_one("#comments #kommentieren form.comment-form")
    assert form["action"] == "/newsletter/comments" and form["method"] == "post"
    assert form.find_previous("ol", class_="comment-list") is not None  # after the comments
    fields = {field["name"]: field for field in form.select("input, textarea")}
    # WordPress's names, the slug, the honeypot, the reply target and the form stamp.
    assert set(fields) == {
        "author",
        "email",
        "url",
        "comment",
        "comment_parent",
        "slug",
        "website",
        "stamp",
        "notify",
    }
    assert fields["author"].has_attr("required") and fields["comment"].has_attr("required")
    assert not fields["email"].has_attr("required") and not fields["url"].has_attr("required")
    assert fields["comment"]["maxlength"] == "20000"  # COMMENTS_MAX_LENGTH
    assert fields["slug"]["value"] == "offen" and fields["comment_parent"]["value"] == "0"
    assert fields["stamp"]["value"] == ""  # a static page cannot carry a fresh stamp
    assert fields["website"].find_parent(class_="hp")["aria-hidden"] == "true"
    for name in ("author", "email", "url", "comment", "notify"):
        label = form.find("label", attrs={"for": fields[name]["id"]})
        assert label is not None and label.get_text(strip=True), name
    assert "Benachrichtige mich über Antworten" in form.get_text()
    assert [a["href"] for a in form.select("a")] == ["../../../datenschutz/"]
    assert form.select_one("button[type=submit]").get_text() == "Kommentar abschicken"
    scripts = [script["src"] for script in soup.select("script[src]")]
    assert "../../../theme/js/comments.js" in scripts  # our own, from this host
    assert not soup.select('script:not([src]):not([type="application/ld+json"])')


def test_no_form_where_comments_are_closed_or_hidden(site):
    for page in ("2024/03/geschlossen/index.html", "2024/03/versteckt/index.html"):
        soup = site.html(page)
        assert soup.select("form.comment-form, [data-reply-to]") == [], page


def test_manifest_tells_the_service_which_articles_take_comments(site):
    articles = read_manifest(site.output)
    assert articles["offen"].open and articles["offen"].title == "Artikel offen & Co."
    assert articles["offen"].url == "2024/03/offen/"
    assert articles["geschlossen"].comments == "closed"
    assert articles["versteckt"].comments == "hidden"
    assert "alter-slug" not in articles  # a comment folder without an article
    shown = dict(articles["offen"].shown)  # what the site shows: id -> the id it answers
    assert shown["11"] == "10" and shown["10"] is None and "Wartend" not in str(shown)
    assert articles["versteckt"].shown == ()


def test_hostile_comment_is_sanitised(site):
    soup = site.html("2024/03/offen/index.html")
    evil = soup.select_one("#comment-45")
    assert evil.select("script, iframe, img") == []
    assert evil.select_one(".comment-author").name == "span"  # javascript: URL dropped
    assert "<script>" in evil.select_one(".comment-author").get_text()  # escaped, shown as text
    for tag in evil.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs)
        assert not tag.get("href", "").lower().startswith(("javascript", "data"))
    assert "Harmloser Rest." in evil.get_text()
    raw = site.path("2024/03/offen/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw


def test_closed_and_hidden_articles(site):
    closed = site.html("2024/03/geschlossen/index.html")
    assert closed.select_one("#comment-1") is not None
    assert closed.select_one(".comments-closed").get_text() == "Kommentare sind geschlossen."
    assert closed.select(".comment-reply") == []
    hidden = site.html("2024/03/versteckt/index.html")
    assert hidden.select_one("#comments") is None
    assert "Unsichtbar" not in hidden.get_text()


def test_counts_in_article_lists(site):
    index = site.html("index.html")
    counts = {
        card.select_one("h2 a").get_text(): card.select_one(".comment-count")
        for card in index.select(".article-card")
    }
    # A number and its word never split at the end of a line (no-break space).
    assert counts["Artikel ein-kommentar & Co."].get_text() == "2\u00a0Kommentare"
    assert counts["Artikel geschlossen & Co."].get_text() == "1\u00a0Kommentar"
    assert counts["Artikel offen & Co."].get_text() == "15\u00a0Kommentare"
    assert counts["Artikel versteckt & Co."] is None
    archive = site.html("2024/03/index.html").get_text()
    assert (
        "(15 Kommentare)" in archive and "(1 Kommentar)" in archive and "(2 Kommentare)" in archive
    )


def test_json_ld_carries_the_comments(site):
    soup = site.html("2024/03/offen/index.html")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["commentCount"] == 15
    assert len(data["comment"]) == 15
    first = data["comment"][0]
    assert first["@type"] == "Comment"
    assert first["author"]["name"] == "Bernd"
    assert first["dateCreated"].startswith("2024-03-04T11:00:00+01:00")
    assert first["text"] == "Früherer Kommentar, steht oben."


def test_bad_comment_files_are_reported_with_path_and_fix(site):
    log = one_line(site.log)
    expected = [
        ("content/comments/offen/42.md", "author"),
        ("content/comments/offen/43.md", "gestern abend"),
        ("content/comments/offen/44.md", "keinen Text"),
        ("content/comments/offen/46.md", "UTF-8"),
        ("content/comments/ein-kommentar/b7.md", "B7.md"),
        ("content/comments/offen/30.md", "999"),
        ("content/comments/alter-slug/", "umbenannt"),
        ("content/comments/offen/", "pending"),
    ]
    for path, words in expected:
        hits = [line for line in re.split(r"(?=WARNING)", log) if path in line]
        assert hits, path
        assert any(words in hit and "So beheben:" in hit for hit in hits), (path, hits)
    assert re.search(r"Zyklus|zyklus|Kreis", log)
    assert "Traceback" not in site.log


def test_strict_build_fails_on_comment_problems(tmp_path):
    shutil.copytree(SITES / "comments", tmp_path / "site")
    result = build(tmp_path / "site", tmp_path / "output", settings="QUALITY_STRICT = True")
    assert result.returncode != 0
    assert "content/comments/offen/42.md" in result.stderr


def test_reference_article_shows_its_six_comments(real_site):
    path = next(real_site.output.glob("2015/06/fuer-wen-machen-wir-das-eigentlich*/index.html"))
    soup = real_site.html(str(path.relative_to(real_site.output)))
    top = soup.select("#comments > ol.comment-list > li")
    assert [li.select_one(".comment-author").get_text() for li in top] == [
        "Kevin",
        "Sabine Depew",
        "Lothar Jochafe",
    ]
    for li in top:
        reply = li.select_one("ol.children > li")
        assert reply.select_one(".comment-author").get_text() == "Hendrik Epe"
        assert "by-author" in reply["class"]
    assert soup.select_one("#comments-title").get_text().startswith("6 Kommentare zu „Für wen")
    assert "He< Kevin" in soup.select_one("#comment-117 .comment-body").get_text()
    assert "Kluentinnen" in soup.get_text()
    # The old blog's "Schreibe einen Kommentar" form: here it posts to the reader service.
    form = soup.select_one("#comments form.comment-form")
    assert form["action"] == "/newsletter/comments"
    assert form.select_one("input[name=slug]")["value"] == path.parent.name
    assert soup.select_one("#comment-116 .comment-reply a")["data-reply-to"] == "116"
