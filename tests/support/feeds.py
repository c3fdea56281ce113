"""Shared checks for the feeds tests (no tests here): parse feeds, check required elements."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
from bs4 import BeautifulSoup

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_files(output: Path) -> list[Path]:
    return sorted((output / "feeds").rglob("*.xml"))


def parse(path: Path):
    """feedparser's result; fails the test if the feed is not well-formed (bozo)."""
    result = feedparser.parse(path.read_bytes())
    assert not result.bozo, (path, result.get("bozo_exception"))
    return result


def check_required_elements(path: Path) -> None:
    """RFC 4287 (Atom) or RSS 2.0 required elements, read from the XML itself."""
    root = ElementTree.parse(path).getroot()
    if root.tag == f"{ATOM}feed":
        for name in ("id", "title", "updated"):
            assert (root.findtext(f"{ATOM}{name}") or "").strip(), (path, name)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de", path
        assert [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"], path
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("id", "title", "updated", "published"):
                assert (entry.findtext(f"{ATOM}{name}") or "").strip(), (path, name)
            assert entry.findtext(f"{ATOM}author/{ATOM}name"), path
    else:
        assert root.tag == "rss" and root.get("version") == "2.0", path
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            assert (channel.findtext(name) or "").strip(), (path, name)
        assert channel.findtext("language") == "de", path
        self_links = [x for x in channel.findall(f"{ATOM}link") if x.get("rel") == "self"]
        assert self_links, path
        for item in channel.findall("item"):
            for name in ("title", "link", "guid", "pubDate"):
                assert (item.findtext(name) or "").strip(), (path, name)


def html_urls(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        tag[attr]
        for attr in ("href", "src", "poster", "cite")
        for tag in soup.find_all(attrs={attr: True})
    ]


def all_urls(result) -> list[str]:
    """Every URL in a parsed feed: links, enclosures, and inside summary and content."""
    urls = [link.href for link in result.feed.get("links", [])]
    for entry in result.entries:
        urls += [link.href for link in entry.get("links", [])]
        urls += [enclosure.href for enclosure in entry.get("enclosures", [])]
        urls += html_urls(entry.get("summary", ""))
        for content in entry.get("content", []):
            urls += html_urls(content.value)
    return urls


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "mailto" or (parts.scheme == "https" and bool(parts.netloc))


def local_file(output: Path, base: str, url: str) -> Path:
    """The output file an absolute URL of the site points to."""
    assert url.startswith(base + "/"), url
    path = output / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def alternate_links(soup) -> list[dict]:
    return [
        {"href": link["href"], "type": link.get("type"), "title": link.get("title")}
        for link in soup.find_all("link")
        if "alternate" in (link.get("rel") or [])
        and link.get("type") in ("application/atom+xml", "application/rss+xml")
    ]
