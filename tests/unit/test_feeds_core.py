"""The pure core of the feeds plugin: specs and their checks, tag URIs, Atom and RSS output."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
import pytest
from markupsafe import escape

from rundbrief.feeds.build import atom_bytes, rss_bytes
from rundbrief.feeds.ids import is_authority, tag_authority, tag_uri
from rundbrief.feeds.model import (
    Category,
    Enclosure,
    EntrySpec,
    FeedError,
    FeedSpec,
    Person,
    xml_text,
)

BERLIN = ZoneInfo("Europe/Berlin")
ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "Kaffee & <Kuchen>: \"Zitate\", 'Apostrophe' – Äpfel, Öl, Übermut, Straße"
URL = "https://blog.example/2015/06/kaffee/"


def entry(**changes) -> EntrySpec:
    values = {
        "id": tag_uri("blog.example", datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN), URL),
        "title": TITLE,
        "link": URL,
        "published": datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN),
        "updated": datetime(2015, 7, 4, 16, 45, tzinfo=BERLIN),
        "authors": (Person("Hendrik Epe", "https://blog.example/author/hendrik-epe/"),),
        "categories": (
            Category("Küche & Keller", "https://blog.example/category/"),
            Category("Äpfel", "https://blog.example/tag/"),
        ),
        "summary_html": "<p>Kurz &amp; bündig.</p>",
        "content_html": '<p>Ganz <a href="https://blog.example/impressum/">lang</a>.</p>',
        "enclosure": Enclosure("https://blog.example/images/bild.png", "image/png", 1234),
        "comments_url": URL + "#comments",
    }
    values.update(changes)
    return EntrySpec(**values)


def feed(entries=None, **changes) -> FeedSpec:
    values = {
        "id": "https://blog.example/feeds/atom.xml",
        "title": "Blog & <Co>",
        "self_url": "https://blog.example/feeds/atom.xml",
        "home_url": "https://blog.example/",
        "updated": datetime(2015, 7, 4, 16, 45, tzinfo=BERLIN),
        "subtitle": "Über „Sinn“ & Unsinn",
        "authors": (Person("Hendrik Epe"),),
        "entries": (entry(),) if entries is None else tuple(entries),
    }
    values.update(changes)
    return FeedSpec(**values)


# --- tag URIs ----------------------------------------------------------------------------


def test_tag_uri_from_url_and_first_date():
    assert tag_uri("blog.example", date(2015, 6, 19), URL) == (
        "tag:blog.example,2015-06-19:/2015/06/kaffee/"
    )
    # The date as the author wrote it (Europe/Berlin), not converted to UTC.
    late = datetime(2015, 6, 19, 0, 30, tzinfo=BERLIN)
    assert ",2015-06-19:" in tag_uri("blog.example", late, URL)


def test_tag_uri_of_a_comment_and_quoting():
    assert tag_uri("blog.example", date(2015, 6, 19), URL, "comment-116") == (
        "tag:blog.example,2015-06-19:/2015/06/kaffee/#comment-116"
    )
    odd = tag_uri("blog.example", date(2015, 1, 2), "https://blog.example/a b/ä/?x=1")
    assert odd == "tag:blog.example,2015-01-02:/a%20b/%C3%A4/?x=1"


def test_tag_uri_does_not_depend_on_the_modification():
    first = entry(updated=datetime(2015, 7, 4, tzinfo=BERLIN))
    edited = entry(updated=datetime(2020, 1, 1, tzinfo=BERLIN), title="Neuer Titel")
    assert first.id == edited.id


def test_tag_authority():
    assert tag_authority("https://www.ideequadrat.org") == "www.ideequadrat.org"
    assert tag_authority("https://WWW.Example.ORG:8443/blog") == "www.example.org"
    assert tag_authority("https://neu.example", "www.ideequadrat.org") == "www.ideequadrat.org"
    for bad_base in ("", "/relativ", "https://"):
        with pytest.raises(FeedError, match="SITEURL_ABSOLUTE"):
            tag_authority(bad_base)
    with pytest.raises(FeedError, match="FEEDS_TAG_AUTHORITY"):
        tag_authority("https://ok.example", "Kein Host!")
    assert is_authority("blog.example") and not is_authority("leser@blog.example")
    with pytest.raises(FeedError):
        tag_uri("nicht gültig", date(2015, 1, 1), URL)


# --- checks before writing ---------------------------------------------------------------


def test_errors_are_value_errors():
    assert issubclass(FeedError, ValueError)


@pytest.mark.parametrize("field", ["published", "updated"])
def test_naive_datetimes_are_refused(field):
    with pytest.raises(FeedError, match=f"„{field}“.*keine Zeitzone"):
        entry(**{field: datetime(2015, 6, 19, 8, 30)})
    with pytest.raises(FeedError, match="keine Zeitzone"):
        feed(updated=datetime(2015, 6, 19, 8, 30))


@pytest.mark.parametrize("title", ["", "   ", None, "\x00\x0b"])
def test_missing_titles_are_refused(title):
    with pytest.raises(FeedError, match="„title“ fehlt"):
        entry(title=title)
    with pytest.raises(FeedError, match="„title“ fehlt"):
        feed(title=title)


def test_other_bad_values_are_named():
    with pytest.raises(FeedError, match="„link“ = '/2015/06/kaffee/' ist keine absolute"):
        entry(link="/2015/06/kaffee/")
    with pytest.raises(FeedError, match="„self_url“"):
        feed(self_url="feeds/atom.xml")
    with pytest.raises(FeedError, match="„id“"):
        entry(id="keine uri")
    with pytest.raises(FeedError, match="liegt vor „published“"):
        entry(updated=datetime(2015, 1, 1, tzinfo=BERLIN))
    with pytest.raises(FeedError, match="MIME-Typ"):
        Enclosure("https://blog.example/x.png", "png", 1)
    with pytest.raises(FeedError, match="Byte-Zahl"):
        Enclosure("https://blog.example/x.png", "image/png", -1)
    with pytest.raises(FeedError, match="mehrfach"):
        feed(entries=[entry(), entry()])
    with pytest.raises(FeedError, match="description"):
        rss_bytes(feed(subtitle=""))


def test_characters_xml_cannot_hold_are_dropped():
    assert xml_text("a\x00b\x0bc\x1fd\ttab\nneu") == "abcd\ttab\nneu"
    data = atom_bytes(feed(entries=[entry(title="Steuer\x0bzeichen", summary_html="x\x01y")]))
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Steuerzeichen"


# --- Atom --------------------------------------------------------------------------------


def test_atom_required_and_promised_elements():
    root = ElementTree.fromstring(atom_bytes(feed()))
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    for name in ("id", "title", "updated"):  # RFC 4287 4.1.1
        assert root.findtext(f"{ATOM}{name}"), name
    links = {link.get("rel"): link for link in root.findall(f"{ATOM}link")}
    assert links["self"].get("href") == "https://blog.example/feeds/atom.xml"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == "https://blog.example/"
    item = root.find(f"{ATOM}entry")
    for name in ("id", "title", "updated", "published"):  # RFC 4287 4.1.2
        assert item.findtext(f"{ATOM}{name}"), name
    assert item.findtext(f"{ATOM}author/{ATOM}name") == "Hendrik Epe"
    entry_links = {link.get("rel"): link.attrib for link in item.findall(f"{ATOM}link")}
    assert entry_links["alternate"] == {"href": URL, "rel": "alternate", "type": "text/html"}
    assert entry_links["enclosure"] == {
        "href": "https://blog.example/images/bild.png",
        "rel": "enclosure",
        "type": "image/png",
        "length": "1234",
    }
    assert item.find(f"{ATOM}content").get("type") == "html"


def test_atom_parses_cleanly_with_titles_intact():
    parsed = feedparser.parse(atom_bytes(feed()))
    assert parsed.bozo is False or parsed.bozo == 0
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Blog & <Co>"
    assert parsed.feed.language == "de"
    item = parsed.entries[0]
    assert item.title == TITLE
    assert item.id == "tag:blog.example,2015-06-19:/2015/06/kaffee/"
    assert item.link == URL
    assert item.published_parsed[:3] == (2015, 6, 19)
    assert item.updated == "2015-07-04T16:45:00+02:00"
    assert [tag.term for tag in item.tags] == ["Küche & Keller", "Äpfel"]
    assert item.enclosures[0].href == "https://blog.example/images/bild.png"
    assert item.enclosures[0].type == "image/png" and item.enclosures[0].length == "1234"
    assert (
        item.content[0].value == '<p>Ganz <a href="https://blog.example/impressum/">lang</a>.</p>'
    )
    assert item.summary == "<p>Kurz &amp; bündig.</p>"


def test_atom_summary_only_and_empty_feed():
    parsed = feedparser.parse(atom_bytes(feed(entries=[entry(content_html=None)])))
    assert not parsed.bozo
    assert "content" not in parsed.entries[0]
    assert parsed.entries[0].summary == "<p>Kurz &amp; bündig.</p>"
    empty = feedparser.parse(atom_bytes(feed(entries=[], authors=())))
    assert not empty.bozo and empty.entries == []


def test_an_entry_without_text_gets_its_title_as_summary():
    for content in (None, "", "  \n"):
        spec = feed([entry(summary_html="", content_html=content)])
        root = ElementTree.fromstring(atom_bytes(spec))
        (summary,) = root.iter(f"{ATOM}summary")
        assert summary.get("type") == "html" and summary.text == str(escape(TITLE))
        for parsed in (feedparser.parse(atom_bytes(spec)), feedparser.parse(rss_bytes(spec))):
            assert parsed.entries[0].summary == html.escape(TITLE, quote=False)


def test_entries_keep_the_given_order():
    older = entry(
        id="tag:blog.example,2015-01-01:/alt/",
        published=datetime(2015, 1, 1, tzinfo=UTC),
        updated=datetime(2016, 1, 1, tzinfo=UTC),
    )
    parsed = feedparser.parse(atom_bytes(feed(entries=[entry(), older])))
    assert [item.id for item in parsed.entries] == [entry().id, older.id]


# --- RSS 2.0 -----------------------------------------------------------------------------


def test_rss_required_and_promised_elements():
    root = ElementTree.fromstring(rss_bytes(feed(self_url="https://blog.example/feeds/rss.xml")))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description"):  # RSS 2.0 required channel elements
        assert channel.findtext(name), name
    assert channel.findtext("link") == "https://blog.example/"
    assert channel.findtext("language") == "de"
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == "https://blog.example/feeds/rss.xml"
    assert self_link.get("type") == "application/rss+xml"
    item = channel.find("item")
    assert item.findtext("title") == TITLE
    assert item.findtext("link") == URL
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("guid") == entry().id
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Hendrik Epe"
    assert item.find("author") is None  # RSS <author> would need an e-mail address
    assert item.findtext(f"{ATOM}updated") == "2015-07-04T16:45:00+02:00"
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {
        "url": "https://blog.example/images/bild.png",
        "length": "1234",
        "type": "image/png",
    }
    assert [c.text for c in item.findall("category")] == ["Küche & Keller", "Äpfel"]
    assert item.findtext("comments") == URL + "#comments"


def test_rss_parses_cleanly():
    parsed = feedparser.parse(rss_bytes(feed()))
    assert not parsed.bozo
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Blog & <Co>"
    assert parsed.feed.subtitle == "Über „Sinn“ & Unsinn"
    item = parsed.entries[0]
    assert item.title == TITLE
    assert item.author == "Hendrik Epe"
    assert item.id == entry().id
    assert item.published_parsed[:3] == (2015, 6, 19)
    assert item.updated == "2015-07-04T16:45:00+02:00"
    assert item.summary == "<p>Kurz &amp; bündig.</p>"
    assert item.content[0].value.startswith("<p>Ganz")
    assert item.enclosures[0].length == "1234"


def test_output_is_stable_for_the_same_spec():
    spec = feed(updated=datetime.now(UTC) - timedelta(days=1))
    assert atom_bytes(spec) == atom_bytes(spec)
    assert rss_bytes(spec) == rss_bytes(spec)
