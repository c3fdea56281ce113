"""Atom 1.0 and RSS 2.0 documents from a FeedSpec, written with feedgen. Pure.

Atom: xml:lang, self and alternate links, author, category, published, updated, summary
and content as HTML, the featured image as ``<link rel="enclosure">``.
RSS 2.0: the same, with ``<enclosure>``, ``<guid isPermaLink="false">`` (the tag URI),
``dc:creator`` (RSS's own ``<author>`` must be an e-mail address, which we never publish),
``content:encoded`` for the full text and ``atom:updated`` for the modification date.
"""

from __future__ import annotations

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree
from markupsafe import escape

from rundbrief.feeds.model import EntrySpec, FeedError, FeedSpec, xml_text

ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
HTML_TYPE = "text/html"
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
GENERATOR = "Rundbrief (python-feedgen)"


class _AtomEntryExtension(BaseEntryExtension):
    """The entry's <link> elements with rel, type and length.

    feedgen 1.0.0 drops those attributes from entry links (a shadowed loop variable in
    ``FeedEntry.atom_entry``), so the enclosure would turn into a second alternate link.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        for old in entry.findall("link"):
            entry.remove(old)
        for link in self.links:
            etree.SubElement(entry, "link", **link)
        return entry


class _RssFeedExtension(BaseExtension):
    def extend_ns(self):
        return {"dc": DC_NS}


class _RssEntryExtension(BaseEntryExtension):
    """dc:creator and atom:updated inside an RSS <item>."""

    def __init__(self) -> None:
        self.creators: list[str] = []
        self.updated = None

    def extend_rss(self, item):
        for name in self.creators:
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = name
        if self.updated is not None:
            etree.SubElement(item, f"{{{ATOM_NS}}}updated").text = self.updated.isoformat()
        return item


def _new_feed(spec: FeedSpec, self_type: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(spec.id)
    feed.title(xml_text(spec.title))
    feed.updated(spec.updated)
    feed.language(spec.language)
    feed.generator(GENERATOR)
    if spec.subtitle:
        feed.subtitle(xml_text(spec.subtitle))
    for person in spec.authors:
        feed.author(_person(person))
    # RSS takes its channel <link> from the last link: self first, the HTML page last.
    feed.link(href=spec.self_url, rel="self", type=self_type)
    feed.link(href=spec.home_url, rel="alternate", type=HTML_TYPE)
    return feed


def _person(person) -> dict:
    data = {"name": xml_text(person.name)}
    if person.uri:
        data["uri"] = person.uri
    return data


def _links(spec: EntrySpec) -> list[dict[str, str]]:
    links = [{"href": spec.link, "rel": "alternate", "type": HTML_TYPE}]
    if spec.enclosure is not None:
        links.append(
            {
                "href": spec.enclosure.url,
                "rel": "enclosure",
                "type": spec.enclosure.mime,
                "length": str(spec.enclosure.length),
            }
        )
    return links


def _fill_entry(entry: FeedEntry, spec: EntrySpec) -> None:
    entry.id(spec.id)
    entry.title(xml_text(spec.title))
    entry.published(spec.published)
    entry.updated(spec.updated)
    entry.link(_links(spec))
    for person in spec.authors:
        entry.author(_person(person))
    for category in spec.categories:
        data = {"term": xml_text(category.term)}
        if category.scheme:
            data["scheme"] = category.scheme
        if category.label:
            data["label"] = xml_text(category.label)
        entry.category(data)
    if spec.summary_html:
        entry.summary(xml_text(spec.summary_html), type="html")
    if spec.content_html:
        entry.content(xml_text(spec.content_html), type="html")
    if not (spec.summary_html or "").strip() and not (spec.content_html or "").strip():
        # An article without text: an Atom entry needs a summary or content (RFC 4287
        # 4.1.1.1, the W3C validator's MissingSummary); the title stands in, as HTML
        # (an RSS description is HTML, too).
        entry.summary(str(escape(xml_text(spec.title))), type="html")
    if spec.comments_url:
        entry.comments(spec.comments_url)


def atom_bytes(spec: FeedSpec) -> bytes:
    """The Atom 1.0 document (UTF-8) of ``spec``; entries in the order given."""
    feed = _new_feed(spec, ATOM_TYPE)
    feed.register_extension("rundbrief", BaseExtension, _AtomEntryExtension, rss=False)
    for entry_spec in spec.entries:
        entry = feed.add_entry(order="append")
        _fill_entry(entry, entry_spec)
        entry.rundbrief.links = _links(entry_spec)
    try:
        return feed.atom_str(pretty=True)
    except ValueError as error:  # feedgen's own checks, should the specs ever miss one
        raise FeedError(f"Feed „{spec.title}“: {error}") from error


def rss_bytes(spec: FeedSpec) -> bytes:
    """The RSS 2.0 document (UTF-8) of ``spec``; ``subtitle`` is the required description."""
    if not xml_text(spec.subtitle).strip():
        raise FeedError(
            f"Feed „{spec.title}“: RSS 2.0 verlangt eine Beschreibung (description); "
            "SITESUBTITLE oder SITE_DESCRIPTION setzen."
        )
    feed = _new_feed(spec, RSS_TYPE)
    feed.register_extension("rundbrief", _RssFeedExtension, _RssEntryExtension, atom=False)
    for entry_spec in spec.entries:
        entry = feed.add_entry(order="append")
        _fill_entry(entry, entry_spec)
        entry.rundbrief.creators = [xml_text(person.name) for person in entry_spec.authors]
        entry.rundbrief.updated = entry_spec.updated
    try:
        return feed.rss_str(pretty=True)
    except ValueError as error:
        raise FeedError(f"Feed „{spec.title}“: {error}") from error
