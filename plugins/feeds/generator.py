"""Pelican glue: turns the build's articles and comments into feed specs and writes them.

One FeedsGenerator per build (returned from ``get_generators``); everything it knows
lives on the instance. Each article's entry (its content with absolute URLs) is made
once and reused by the site, category and tag feeds.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from pelican.utils import (
    strip_toc_elements_from_html,
    truncate_html_paragraphs,
    truncate_html_words,
)

from engine.events import build_now
from rundbrief.article.extras import extras_of
from rundbrief.comments.pages import comment_url
from rundbrief.feeds import paths
from rundbrief.feeds.absolutize import absolutize
from rundbrief.feeds.build import atom_bytes, rss_bytes
from rundbrief.feeds.ids import tag_authority, tag_uri
from rundbrief.feeds.links import (
    FeedLinks,
    article_comments_title,
    category_title,
    comments_title,
    tag_title,
)
from rundbrief.feeds.model import Category, Enclosure, EntrySpec, FeedError, FeedSpec, Person
from rundbrief.feeds.redirects import wordpress_redirects
from rundbrief.feeds.select import comments_mode, has_aware_date, is_listed, visible_comments
from rundbrief.problems import Problem, display_path
from rundbrief.redirects import (
    REDIRECTS_FILE,
    Redirect,
    RedirectError,
    parse_redirects,
    redirect_files,
)
from rundbrief.urls import absolute, site_base

logger = logging.getLogger(__name__)

SETTINGS_FILE = "pelicanconf.py"
# Pelican's own feeds: the feeds plugin replaces them.
PELICAN_FEEDS = (
    "FEED_ATOM",
    "FEED_RSS",
    "FEED_ALL_ATOM",
    "FEED_ALL_RSS",
    "CATEGORY_FEED_ATOM",
    "CATEGORY_FEED_RSS",
    "TAG_FEED_ATOM",
    "TAG_FEED_RSS",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)


def feed_links(generator) -> FeedLinks:
    settings = generator.settings
    return FeedLinks(
        site_base(settings) if _absolute(site_base(settings)) else "",
        settings["SITENAME"],
        build_now(settings),
    )


def _absolute(base: str) -> bool:
    return urlsplit(base).scheme in ("http", "https")


def _article_order(article):
    return (article.date, article.source_path or "")


def _summary(article, content: str, article_url: str, base: str, settings) -> str:
    """The summary as HTML with absolute URLs.

    A ``Summary:`` of the author had its links resolved by Pelican against the site root;
    one cut from the text is resolved against the article, like the text itself.
    """
    if "summary" in article.metadata:
        return absolutize(article.metadata["summary"] or "", base + "/")
    summary = content
    paragraphs = settings.get("SUMMARY_MAX_PARAGRAPHS")
    if paragraphs is not None:
        summary = truncate_html_paragraphs(summary, paragraphs)
    words = settings.get("SUMMARY_MAX_LENGTH")
    if words is not None:
        summary = truncate_html_words(summary, words, settings["SUMMARY_END_SUFFIX"])
    return absolutize(strip_toc_elements_from_html(summary), article_url)


def _enclosure(article, base: str, settings) -> Enclosure | None:
    image = getattr(article, "image", None)
    if not image:
        return None
    info = extras_of(article).image_info  # made by the images plugin
    raster = info.email if info is not None else None  # feed readers rarely show SVG
    if raster is not None:
        return Enclosure(absolute(base, raster.path), raster.mime, raster.length)
    if info is not None:
        mime, length = info.mime, info.length
    else:
        path = Path(settings["PATH"], image)
        try:
            length = path.stat().st_size
        except OSError:
            return None  # a missing image is reported by the images plugin
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Enclosure(absolute(base, image), mime, length)


class FeedsGenerator:
    """Writes every feed and the redirect files, after the articles and comments are ready."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.now = build_now(settings)  # the build's one now (also the digests')
        self.base = site_base(settings)
        self.limit = settings["FEEDS_MAX_ITEMS"]
        self.full = settings["FEEDS_CONTENT"] == "full"
        self.authority = ""
        self.written: list[str] = []
        self._entries: dict[int, EntrySpec | None] = {}
        self._comment_entries: dict[int, list[EntrySpec]] = {}
        self._task = None  # the engine's forked writer, when it writes the feeds

    # --- entries (made once per article) -------------------------------------------------

    def article_entry(self, article) -> EntrySpec | None:
        key = id(article)
        if key not in self._entries:
            try:
                self._entries[key] = self._make_article_entry(article)
            except FeedError as error:
                self._entries[key] = None
                self._problem(
                    display_path(article.source_path),
                    f"{error} Der Beitrag fehlt deshalb in den Feeds.",
                    "Die Angabe im Kopf des Beitrags korrigieren.",
                )
        return self._entries[key]

    def _make_article_entry(self, article) -> EntrySpec:
        base, settings = self.base, self.settings
        url = absolute(base, article.url)
        content = article.get_content(base)  # {static}/{filename} links resolved absolutely
        modified = getattr(article, "modified", None)
        updated = max(article.date, modified) if modified else article.date
        authors = tuple(
            Person(str(author), absolute(base, author.url))
            for author in getattr(article, "authors", None) or ()
        )
        categories = []
        if getattr(article, "category", None):
            scheme = absolute(base, settings["CATEGORIES_URL"])
            categories.append(Category(str(article.category), scheme))
        tag_scheme = absolute(base, settings["TAGS_URL"])
        categories += [Category(str(tag), tag_scheme) for tag in getattr(article, "tags", ())]
        return EntrySpec(
            id=tag_uri(self.authority, article.date, url),
            title=article.title,
            link=url,
            published=article.date,
            updated=updated,
            authors=authors,
            categories=tuple(categories),
            summary_html=_summary(article, content, url, base, settings),
            content_html=absolutize(content, url) if self.full else None,
            enclosure=_enclosure(article, base, settings),
            comments_url=f"{url}#comments" if comments_mode(article) != "hidden" else None,
        )

    def comment_entries(self, article) -> list[EntrySpec]:
        """The article's newest approved comments as entries, oldest first (made once).

        A feed shows the newest FEEDS_MAX_ITEMS entries, so no more are made per article:
        the site's comments feed takes its newest from these too.
        """
        key = id(article)
        if key in self._comment_entries:
            return self._comment_entries[key]
        url = absolute(self.base, article.url)
        entries = []
        for comment in reversed(visible_comments(article)):
            if len(entries) == self.limit:
                break
            try:
                entries.append(
                    EntrySpec(
                        id=tag_uri(self.authority, comment.date, url, f"comment-{comment.id}"),
                        title=f"Kommentar von {comment.author} zu „{article.title}“",
                        link=comment_url(url, comment),
                        published=comment.date,
                        updated=comment.date,
                        authors=(Person(comment.author, comment.author_url or None),),
                        content_html=absolutize(comment.html, url),
                    )
                )
            except FeedError as error:
                self._problem(
                    display_path(article.source_path),
                    f"Kommentar {comment.id}: {error} Er fehlt deshalb im Kommentar-Feed.",
                    "Den Kopf der Kommentardatei korrigieren.",
                )
        entries.reverse()
        self._comment_entries[key] = entries
        return entries

    # --- feeds ---------------------------------------------------------------------------

    def _feed(self, path, title, home, entries, *, subtitle="", authors=(), fallback=None):
        entries = tuple(entries)[: self.limit]
        updated = max((entry.updated for entry in entries), default=fallback or self.now)
        self_url = absolute(self.base, path)
        return FeedSpec(
            id=self_url,
            title=title,
            self_url=self_url,
            home_url=absolute(self.base, home),
            updated=updated,
            language=self.settings.get("DEFAULT_LANG") or "de",
            subtitle=subtitle,
            authors=authors,
            entries=entries,
        )

    # engine.run.BackgroundWriter: the engine may fork a child that writes the feeds while
    # Pelican writes the pages; generate_output then only waits for it.
    def write_outputs(self) -> None:
        self.write_all()

    def written_by(self, task) -> None:
        self._task = task

    def generate_output(self, writer=None):
        if self._task is not None:
            task, self._task = self._task, None
            task.wait()
        else:
            self.write_all()

    def write_all(self):
        settings = self.settings
        if not _absolute(self.base):
            self._problem(
                SETTINGS_FILE,
                "Feeds brauchen eine absolute Adresse der Website; es werden keine Feeds "
                "geschrieben.",
                "SITEURL_ABSOLUTE = 'https://www.example.org' setzen (ohne / am Ende).",
            )
            return
        try:
            self.authority = tag_authority(self.base, settings["FEEDS_TAG_AUTHORITY"])
        except FeedError as error:
            self._problem(
                SETTINGS_FILE,
                f"{error} Es werden keine Feeds geschrieben.",
                "SITEURL_ABSOLUTE oder FEEDS_TAG_AUTHORITY auf einen Domainnamen setzen.",
            )
            return

        listed = sorted(self._listed_articles(), key=_article_order, reverse=True)
        entries: list[EntrySpec] = []  # newest first; each made once, shared by all feeds
        by_category: dict[str, list[EntrySpec]] = defaultdict(list)
        by_tag: dict[str, list[EntrySpec]] = defaultdict(list)
        for article in listed:
            entry = self.article_entry(article)
            if entry is None:
                continue
            entries.append(entry)
            if getattr(article, "category", None):
                by_category[article.category.slug].append(entry)
            for tag in getattr(article, "tags", ()):
                by_tag[tag.slug].append(entry)

        sitename = settings["SITENAME"]
        description = settings.get("SITE_DESCRIPTION") or settings.get("SITESUBTITLE") or sitename
        author = settings.get("AUTHOR")
        authors = (Person(author),) if author else ()

        for path, render in ((paths.SITE_ATOM, atom_bytes), (paths.SITE_RSS, rss_bytes)):
            self._write_feed(
                render, path, sitename, "", entries, subtitle=description, authors=authors
            )
        categories = self._taxonomy("categories", by_category, paths.category_atom, category_title)
        tags = self._taxonomy("tags", by_tag, paths.tag_atom, tag_title)
        commented = self._comment_feeds(listed)

        if settings["FEEDS_REDIRECTS"]:
            self._write_redirects(categories, tags, commented)
        logger.info("feeds: %d Dateien geschrieben", len(self.written))

    def _listed_articles(self):
        for article in self.context.get("articles", []):
            if not has_aware_date(article):
                self._problem(
                    display_path(article.source_path),
                    f"Das Datum {getattr(article, 'date', None)!r} hat keine Zeitzone; der "
                    "Beitrag fehlt in den Feeds.",
                    "TIMEZONE setzen oder das Datum mit Versatz angeben (2015-06-19T08:30+02:00).",
                )
            elif is_listed(article, self.now):
                yield article

    def _taxonomy(self, key, groups, feed_path, title_of):
        """One Atom feed per category (or tag); returns [(slug, feed path)]."""
        sitename = self.settings["SITENAME"]
        done = []
        for item, _articles in self.context.get(key, []):
            if not paths.is_safe_slug(item.slug):
                self._problem(
                    SETTINGS_FILE,
                    f"„{item}“ hat den Slug {item.slug!r}, der nicht als Dateiname taugt; "
                    "es gibt keinen Feed dafür.",
                    "Den Namen ändern oder einen einfachen Slug erzwingen.",
                )
                continue
            path = feed_path(item.slug)
            title = title_of(sitename, str(item))
            entries = groups.get(item.slug, [])
            if self._write_feed(atom_bytes, path, title, item.url, entries, subtitle=title):
                done.append((item.slug, path))
        return done

    def _comment_feeds(self, listed):
        """The site's comments feed and one per article; returns [(article URL, feed path)]."""
        sitename = self.settings["SITENAME"]
        everything = []
        done = []
        for article in listed:
            if not paths.is_safe_slug(article.slug):
                self._problem(
                    display_path(article.source_path),
                    f"Der Slug {article.slug!r} taugt nicht als Dateiname; der Beitrag bekommt "
                    "keinen Kommentar-Feed.",
                    "Im Kopf „Slug: nur-buchstaben-ziffern-und-bindestriche“ setzen.",
                )
                continue
            comments = self.comment_entries(article)
            everything += comments
            path = paths.article_comments_atom(article.slug)
            entry = self.article_entry(article)
            if self._write_feed(
                atom_bytes,
                path,
                article_comments_title(article.title),
                f"{article.url}#comments",
                sorted(comments, key=lambda item: (item.published, item.id), reverse=True),
                fallback=entry.updated if entry else article.date,
            ):
                done.append((article.url, path))
        newest = sorted(everything, key=lambda item: (item.published, item.id), reverse=True)
        title = comments_title(sitename)
        # Without any comment the feed is as new as the newest article (not the build time,
        # so two builds of the same content write the same bytes).
        latest = max((article.date for article in listed), default=None)
        self._write_feed(
            atom_bytes, paths.COMMENTS_ATOM, title, "", newest, subtitle=title, fallback=latest
        )
        return done

    def _write_redirects(self, categories, tags, articles):
        root = urlsplit(self.base).path
        try:
            rules = wordpress_redirects(
                root=root,
                site_rss=paths.SITE_RSS,
                site_atom=paths.SITE_ATOM,
                comments=paths.COMMENTS_ATOM,
                categories=categories,
                tags=tags,
                articles=articles,
            )
        except (FeedError, RedirectError) as error:
            self._problem(
                SETTINGS_FILE,
                f"{error} Die Weiterleitungsdateien werden nicht geschrieben.",
                "ARTICLE_URL und die Slugs auf einfache Pfade beschränken.",
            )
            return
        for name, text in redirect_files(rules, self._imported_redirects(root)).items():
            self._write(name, text.encode("utf-8"))

    def _imported_redirects(self, root: str) -> list[Redirect]:
        """The old addresses of an imported blog (``content/redirects.txt``), below ``root``."""
        source = Path(self.settings["PATH"], REDIRECTS_FILE)
        if not source.is_file() or source.is_symlink():
            return []
        shown = display_path(str(source))
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._problem(shown, f"kann nicht gelesen werden ({error}).", "Als UTF-8 speichern.")
            return []
        lines, problems = parse_redirects(text, shown)
        for problem in problems:
            logger.warning("%s", problem)
        prefix = root.rstrip("/")
        return [Redirect(prefix + old, prefix + new, query) for old, query, new in lines]

    # --- output --------------------------------------------------------------------------

    def _write_feed(self, render, path, title, home, entries, **options) -> bool:
        try:
            data = render(self._feed(path, title, home, entries, **options))
        except FeedError as error:
            self._problem(SETTINGS_FILE, f"{path}: {error}", "Die genannte Angabe korrigieren.")
            return False
        self._write(path, data)
        return True

    def _write(self, relative: str, data: bytes) -> None:
        target = os.path.join(self.output_path, *relative.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        self.written.append(relative)

    def _problem(self, path: str, message: str, fix: str) -> None:
        logger.warning("%s", Problem(path, None, message, fix or "Einstellungen prüfen."))
