"""Which articles exist and whether they take comments: a file the build writes for the
reader service (``<output>/comments/articles.json``).

The reader service must not import Pelican, and an article's slug, URL and comment mode
are only certain after Pelican has read it; so the comments plugin writes this manifest
on every build and the service reads it (again whenever the file changes). It holds only
what the site shows anyway: slug, title, URL, ``open`` / ``closed`` / ``hidden``, and the
ids of the comments shown with the id each answers (so the service knows what is
published: its notices go out then, also for replies the author wrote by hand).
Pure: this module is the one owner of the file's name and format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rundbrief.files import write_atomic

MANIFEST_PATH = "comments/articles.json"  # below the build's output folder
VERSION = 1
MODES = ("open", "closed", "hidden")


class ManifestError(Exception):
    """The manifest is missing or unreadable (the site was not built, or not with comments)."""


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    slug: str
    title: str
    url: str  # site-relative ("2015/06/slug/") or absolute when SITEURL is absolute
    comments: str  # open | closed | hidden
    shown: tuple[tuple[str, str | None], ...] = ()  # (comment id, id it answers) on the site

    @property
    def open(self) -> bool:
        return self.comments == "open"


def manifest_text(entries: Iterable[ArticleEntry]) -> str:
    """The file's text: deterministic (sorted by slug), so a rebuild writes the same bytes."""
    articles = {
        entry.slug: {
            "title": entry.title,
            "url": entry.url,
            "comments": entry.comments,
            "shown": [list(pair) for pair in entry.shown],
        }
        for entry in sorted(entries, key=lambda entry: entry.slug)
    }
    document = {"version": VERSION, "articles": articles}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_manifest(output: Path, entries: Iterable[ArticleEntry]) -> Path:
    """Write the manifest below ``output`` atomically (the service may read it meanwhile)."""
    path = Path(output) / MANIFEST_PATH
    write_atomic(path, manifest_text(entries).encode("utf-8"))
    return path


def parse_manifest(text: str) -> dict[str, ArticleEntry]:
    try:
        document = json.loads(text)
        articles: Mapping = document["articles"]
        if document.get("version") != VERSION or not isinstance(articles, Mapping):
            raise ValueError("unbekannte Fassung")
        entries = {
            str(slug): ArticleEntry(
                slug=str(slug),
                title=str(value["title"]),
                url=str(value["url"]),
                comments=str(value["comments"]) if value["comments"] in MODES else "closed",
                shown=tuple(
                    (str(comment_id), None if parent is None else str(parent))
                    for comment_id, parent in value.get("shown", [])
                ),
            )
            for slug, value in articles.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"Die Artikelliste ist nicht lesbar ({error}).") from error
    return entries


def read_manifest(output: Path) -> dict[str, ArticleEntry]:
    """The articles by slug; ManifestError if the site has not been built yet."""
    path = Path(output) / MANIFEST_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(
            f"Die Artikelliste {path} fehlt ({error.strerror}). So beheben: die Website "
            "bauen (`make html` bzw. `make publish`) mit dem Plugin comments."
        ) from error
    return parse_manifest(text)
