"""The import in two passes over the file, so nothing is written from a bad file.

Pass 1 streams the whole file: it must be a complete, well-formed WXR 1.0/1.1/1.2. It keeps
only small things (attachment URLs, what happens to each item, the slugs). Pass 2
streams it again, converts one item at a time and writes its files. Memory grows with
the largest single item and by a small record per item (for the report and the
manifest), never with the size of the posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from rundbrief.comments.text import CommentFile, comment_text
from rundbrief.dates import DEFAULT_TIMEZONE
from rundbrief.headers import read_header
from rundbrief.redirects import (
    REDIRECTS_FILE,
    Redirect,
    RedirectError,
    format_redirects,
    split_source,
)
from rundbrief.slugs import slug_or_fallback, slugify
from wpimport import plan
from wpimport.convert import (
    EMAIL,
    GalleryImage,
    Notes,
    convert_comment,
    convert_post,
    plain_text,
)
from wpimport.documents import (
    ArticleHeader,
    article_text,
    commenter_name,
    commenter_url,
    page_text,
    summary_value,
)
from wpimport.report import Imported, Report, Skipped
from wpimport.writer import KEPT, Manifest, Writer
from wpimport.wxr import Channel, Comment, Item, WXRError, WXRReader


@dataclass(slots=True)
class Options:
    wxr: Path
    content: Path
    include_private: bool = False
    force: bool = False
    dry_run: bool = False
    timezone: str = DEFAULT_TIMEZONE
    progress: Callable[[str, int], None] | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    alt: str
    title: str
    caption: str = ""
    parent: int = 0
    order: tuple[int, int] = (0, 0)  # menu_order, id: WordPress's gallery order


_IMAGE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)


@dataclass(slots=True)
class FirstPass:
    """What pass 1 keeps: small, whatever the size of the file."""

    options: Options
    tz: ZoneInfo
    attachments: dict[int, Attachment] = field(default_factory=dict)
    candidates: dict[int, plan.Candidate] = field(default_factory=dict)  # by position
    skipped: list[tuple[int, Skipped, int]] = field(default_factory=list)  # seq, entry, comments
    comment_count: int = 0
    seq: int = 0
    spellings: plan.Spellings = field(default_factory=plan.Spellings)
    channel_parents: dict[str, str] = field(default_factory=dict)  # the channel's, shared
    attachment_pages: dict[str, int] = field(default_factory=dict)  # page URL -> id
    # old category/tag page -> (kind on the new site, name): a category page wins
    term_pages: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        self.seq += 1
        self.comment_count += len(item.comments)
        title = plan.title_text(item.title)
        if item.post_type == "attachment":
            url = item.attachment_url or item.link
            alt = plan.title_text(item.meta.get("_wp_attachment_image_alt", ""))
            self.attachments[item.post_id] = Attachment(
                url,
                alt,
                title,
                caption=plan.title_text(item.excerpt),
                parent=item.parent,
                order=(item.menu_order, item.post_id),
            )
            if item.link:
                self.attachment_pages[plan.page_key(item.link)] = item.post_id
        decision = plan.decide(item, include_private=self.options.include_private)
        if decision.kind == "skip":
            reason = decision.reason
            if item.post_type == "attachment" and item.attachment_url:
                reason += f" (Datei: {item.attachment_url})"
            self._skip(item, title, reason)
            return
        date = plan.post_date(item, self.tz)
        if date is None and decision.kind == "article":
            self._skip(item, title, "ohne gültiges Datum (post_date und post_date_gmt leer)")
            return
        if decision.kind == "article":
            order = (date.timestamp() if date else float("inf"), self.seq)
            category, tags = plan.terms(item.categories, item.tags)
            if category:
                self.spellings.add("category", category, order)
            for tag in tags:
                self.spellings.add("tag", tag, order)
            if not decision.draft:
                for old, kind, name in plan.old_term_pages(item, self.channel_parents):
                    known = self.term_pages.get(old)
                    if known is None or (kind == "category" and known[0] != "category"):
                        self.term_pages[old] = (kind, name)
        wanted, slug_note = plan.wp_slug(item.post_name)
        self.candidates[self.seq] = plan.Candidate(
            seq=self.seq,
            post_id=item.post_id,
            kind=decision.kind,
            draft=decision.draft,
            reason=decision.reason,
            title=title,
            wanted=wanted,
            fallback=plan.fallback_slug(title, item.post_id, decision.kind),
            date=date,
            comments=len(item.comments),
            link=item.link if item.status == "publish" else "",
            note=slug_note,
        )

    def gallery(self, post_id: int) -> Callable[[dict[str, str]], list[GalleryImage]]:
        """The images of a ``[gallery]`` in the post ``post_id``, as WordPress picks them:
        ``ids`` in their order; else ``include``, or the post's own (or ``id``'s) image
        attachments minus ``exclude``, by menu order."""

        def images(attrs: dict[str, str]) -> list[GalleryImage]:
            ids = _ids(attrs.get("ids", ""))
            if not ids:
                include = _ids(attrs.get("include", ""))
                if include:
                    chosen = [self.attachments[i] for i in include if i in self.attachments]
                else:
                    parent = (_ids(attrs.get("id", "")) or [post_id])[0]
                    exclude = set(_ids(attrs.get("exclude", "")))
                    chosen = [
                        attachment
                        for number, attachment in self.attachments.items()
                        if attachment.parent == parent and number not in exclude
                    ]
                chosen.sort(key=lambda attachment: attachment.order)
                if attrs.get("order", "").strip().upper() == "DESC":
                    chosen.reverse()
            else:
                chosen = [self.attachments[i] for i in ids if i in self.attachments]
            return [
                GalleryImage(a.url, a.alt or a.title, a.caption)
                for a in chosen
                if _IMAGE.search(a.url.split("?", 1)[0])
            ]

        return images

    def _skip(self, item: Item, title: str, reason: str) -> None:
        entry = Skipped(item.post_id, plan.label(item.post_type), title, reason)
        self.skipped.append((self.seq, entry, len(item.comments)))


def existing_slugs(content: Path, known: dict[str, str]) -> dict[str, dict[str, str]]:
    """Slugs of articles and pages the importer did not write: kind -> slug -> path."""
    found: dict[str, dict[str, str]] = {"article": {}, "page": {}}
    for kind, folder in (("article", "articles"), ("page", "pages")):
        root = content / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.md")):
            relative = path.relative_to(content).as_posix()
            if relative in known:
                continue
            header = _header(path)
            slug = header.get("slug") or slugify(header.get("title", ""))
            if slug:
                found[kind].setdefault(slug, f"{content.as_posix().rstrip('/')}/{relative}")
    return found


def _header(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return {}
    return {key: field.value for key, field in read_header(text).first().items()}


class Importer:
    """Pass 2: convert and write one item after the other."""

    def __init__(self, options: Options, first: FirstPass, channel: Channel) -> None:
        self.options = options
        self.tz = first.tz
        self.first = first
        self.channel = channel
        self.site = plan.Site(channel.base_site_url, channel.base_blog_url, channel.link)
        self.writer = Writer(options.content, force=options.force, dry_run=options.dry_run)
        self.report = Report(
            source=str(options.wxr),
            content=str(options.content),
            dry_run=options.dry_run,
            version=channel.version or "",
            site_title=channel.title,
            site_url=channel.base_blog_url or channel.link,
            item_count=channel.item_count,
            comment_count=first.comment_count,
        )
        self.multiple_authors = len(channel.authors) > 1

    def map_url(self, url: str) -> tuple[str, str | None]:
        """The blog's URLs for the converter: uploads move to images/, and a link to an
        attachment's page (gone with WordPress) points at the attachment's file."""
        attachments = self.first.attachments
        number = self.first.attachment_pages.get(plan.page_key(url))
        if number is None:
            number = plan.attachment_id(url)
        if number is not None and number in attachments:
            mapped = self.site.map_url(attachments[number].url)
            if mapped[1] is not None:
                return mapped
        return self.site.map_url(url)

    def redirects(self, candidates, base: str) -> None:
        """Every old address that changes: the permalink (day-based, ``?p=123``, nested
        pages, non-ASCII slugs) and the short link ``?p=``/``?page_id=`` of each published
        post and page, into ``content/redirects.txt`` (the feeds plugin writes them as
        301s into _redirects, .htaccess and nginx-redirects.conf)."""
        pairs: list[tuple[str, str]] = []
        for candidate in candidates:
            if not candidate.link:  # drafts had no public address
                continue
            change = plan.moved(candidate, base)
            short = (plan.short_link(candidate), plan.new_path(candidate))
            if candidate.post_id <= 0:  # a hand-made export without wp:post_id
                short = None
            for pair, is_permalink in ((change, True), (short, False)):
                if pair is None or pair[0] in (old for old, _ in pairs):
                    continue
                try:
                    source, query = split_source(pair[0])
                    Redirect(source, pair[1], query)
                except RedirectError:
                    self.report.unredirectable.append(pair)
                    continue
                pairs.append((source + (f"?{query}" if query else ""), pair[1]))
                if is_permalink:
                    self.report.moved.append(pair)
                else:
                    self.report.short_links += 1
        for old, (kind, name) in self.first.term_pages.items():
            spelled = self.first.spellings.spelling(kind, name)
            new = f"/{kind}/{slug_or_fallback(spelled)[0]}/"
            if unquote(old).rstrip("/").lower() == new.rstrip("/").lower():
                continue
            if old in (known for known, _ in pairs):
                continue
            try:
                source, _ = split_source(old)
                Redirect(source, new)
            except RedirectError:
                self.report.unredirectable.append((old, new))
                continue
            pairs.append((source, new))
            self.report.moved_terms.append((old, new))
        if pairs:
            self.report.redirects_file = self.report.file(REDIRECTS_FILE)
            outcome = self.writer.write(REDIRECTS_FILE, format_redirects(pairs))
            if outcome in KEPT:
                self.report.warn(self.report.redirects_file, _kept_message(outcome))

    def item(self, seq: int, item: Item) -> None:
        candidate = self.first.candidates.get(seq)
        if candidate is None:
            return
        if candidate.post_id != item.post_id:
            raise WXRError(
                "die Datei hat sich während des Imports geändert; den Import wiederholen."
            )
        converted = convert_post(
            item.content,
            self.map_url,
            self.first.gallery(item.post_id),
            plan.footnotes(item.meta.get("footnotes", "")),
        )
        if candidate.kind == "article":
            relative = self._article(item, candidate, converted)
        else:
            text = page_text(
                candidate.title or "Ohne Titel",
                candidate.slug,
                candidate.date,
                converted.markdown,
                draft=candidate.draft,
            )
            relative = self._path("pages", candidate.slug, item.post_id, text)
            self._record(item, candidate, relative, self.writer.write(relative, text))
            if item.comments:
                self.report.comments_skipped["zu einer Seite (Seiten zeigen keine Kommentare)"] += (
                    len(item.comments)
                )
        self._notes(relative, candidate.title, converted.notes)
        self._controls(relative, item)
        if EMAIL.search(converted.markdown):
            self.report.warn(
                self.report.file(relative),
                "der Text enthält eine E-Mail-Adresse; content/ ist oft öffentlich, bitte prüfen",
            )

    def _path(self, folder: str, name: str, post_id: int, text: str) -> str:
        """``folder/name.md``, or ``folder/name-wp<id>.md`` if a file of the author's has
        the first name (file names are only for the author; the URL comes from the slug)."""
        default = f"{folder}/{name}.md"
        relative = self.writer.choose([default, f"{folder}/{name}-wp{post_id}.md"], text)
        if relative != default:
            self.report.warn(
                self.report.file(relative),
                f"{self.report.file(default)} gibt es schon (nicht vom Import); "
                "dieser Eintrag steht deshalb unter diesem Namen",
            )
        return relative

    def _article(self, item: Item, candidate: plan.Candidate, converted) -> str:
        warnings: list[str] = []
        categories = list(dict.fromkeys(item.categories))
        if len(categories) > 1:
            warnings.append(
                f"mehrere Kategorien; „{categories[0]}“ ist die Kategorie, "
                f"{', '.join(f'„{c}“' for c in categories[1:])} werden Schlagwörter"
            )
        category, tags = plan.terms(item.categories, item.tags)
        spellings = self.first.spellings
        tags_by_key = {}
        for tag in tags:  # one spelling per tag, each tag once
            tags_by_key.setdefault(plan.term_key(tag), spellings.spelling("tag", tag))
        summary = plain_text(item.excerpt) if item.excerpt.strip() else converted.teaser
        header = ArticleHeader(
            title=candidate.title or "Ohne Titel",
            date=candidate.date,
            slug=candidate.slug,
            category=spellings.spelling("category", category) if category else "",
            tags=tuple(tags_by_key.values()),
            summary=summary_value(summary) if summary else "",
            author=self._author(item),
            draft=candidate.draft,
            comments_closed=item.comment_status == "closed",
            sticky=item.sticky,
        )
        warnings += self._featured_image(item, header)
        if not candidate.title:
            warnings.append("der Beitrag hat keinen Titel; „Ohne Titel“ eingesetzt")
        text = article_text(header, converted.markdown)
        name = f"{candidate.date:%Y-%m-%d}-{candidate.slug}"
        relative = self._path("articles", name, item.post_id, text)
        for warning in warnings:
            self.report.warn(self.report.file(relative), warning)
        entry = self._record(item, candidate, relative, self.writer.write(relative, text))
        entry.comments = self._comments(item, candidate)
        return relative

    def _author(self, item: Item) -> str:
        if not self.multiple_authors:
            return ""
        author = self.channel.authors.get(item.creator)
        return (author.display_name or author.login) if author else item.creator

    def _featured_image(self, item: Item, header: ArticleHeader) -> list[str]:
        """Set Image/Image_alt from the ``_thumbnail_id`` attachment; return warnings."""
        thumbnail = item.thumbnail_id
        if not thumbnail:
            return []
        attachment = self.first.attachments.get(thumbnail)
        if attachment is None:
            return [f"das Beitragsbild (Anhang #{thumbnail}) fehlt in der Exportdatei"]
        relative = self.site.uploads_path(attachment.url)
        if relative is None:
            return [
                f"das Beitragsbild {attachment.url} liegt nicht im uploads-Ordner dieses Blogs; "
                "herunterladen, unter images/ ablegen und „Image:“ ergänzen"
            ]
        header.image = f"images/{relative}"
        header.image_alt = attachment.alt or attachment.title
        self.report.images[f"wp-content/uploads/{relative}"] = header.image
        if attachment.alt:
            return []
        return [
            f"das Beitragsbild hat keinen Alternativtext; „{header.image_alt}“ (Titel des "
            "Anhangs) eingesetzt, bitte prüfen"
        ]

    def _record(
        self, item: Item, candidate: plan.Candidate, relative: str, outcome: str
    ) -> Imported:
        base = "Beitrag" if candidate.kind == "article" else "Seite"
        kind = {"Beitrag": "Entwurf", "Seite": "Seitenentwurf"}[base] if candidate.draft else base
        notes = [note for note in (candidate.reason, candidate.note) if note]
        entry = Imported(
            kind, item.post_id, candidate.title, relative, outcome, note="; ".join(notes)
        )
        self.report.imported.append(entry)
        if outcome in KEPT:
            self.report.warn(self.report.file(relative), _kept_message(outcome))
        return entry

    def _notes(self, relative: str, title: str, notes: Notes) -> None:
        where = self.report.file(relative)
        for name in dict.fromkeys(notes.shortcodes):
            count = notes.shortcodes.count(name)
            times = f" ({count}×)" if count > 1 else ""
            self.report.warn(
                where,
                f"Shortcode [{name}]{times} als Text übernommen; von Hand ersetzen oder löschen",
            )
        for source in dict.fromkeys(notes.embedded):
            self.report.warn(where, f"eingebetteter Inhalt ({source}) ist jetzt ein Link")
        for tag in sorted(set(notes.dropped)):
            self.report.warn(where, f"<{tag}> mit Inhalt entfernt")
        if notes.forms:
            self.report.warn(
                where,
                "Formular ohne Funktion (statische Seiten senden nichts): Eingabefelder "
                "entfernt, Beschriftungen und Texte bleiben",
            )
        if notes.dynamic_blocks:
            names = ", ".join(f"wp:{name}" for name in dict.fromkeys(notes.dynamic_blocks))
            self.report.warn(
                where,
                f"Blöcke, die WordPress erst beim Anzeigen füllt, entfallen ({names}): die "
                "Exportdatei hat keinen Inhalt für sie",
            )
        if notes.empty_galleries:
            self.report.warn(
                where,
                "Galerie ohne Bilder entfernt: ihre Anhänge fehlen in der Exportdatei "
                "(„Alle Inhalte“ exportieren, dann sind die Mediendateien dabei)",
            )
        for source, target in notes.uploads.items():
            self.report.images[source] = target.removeprefix("{static}/")
        for url in notes.external_images:
            self.report.external_images.setdefault(url, []).append(title)

    def _controls(self, relative: str, item: Item) -> None:
        """Name the item whose text had characters XML cannot carry (the reader took them
        out, or the file could not be read at all)."""
        places = dict(item.controls)
        for comment in item.comments:
            if comment.controls:
                places[f"Kommentar {comment.id}"] = comment.controls
        if not places:
            return
        where = ", ".join(f"{place} ({count}×)" for place, count in places.items())
        self.report.warn(
            self.report.file(relative),
            f"Steuerzeichen, die in keiner XML-Datei stehen dürfen, entfernt: {where} "
            f"(#{item.post_id} „{plan.title_text(item.title)}“)",
        )

    def _comments(self, item: Item, candidate: plan.Candidate) -> int:
        """Write the approved comments of one article; return how many were written."""
        report = self.report
        author = self.channel.authors.get(item.creator)
        reasons: dict[int, str] = {}
        accepted: list[tuple[Comment, CommentFile]] = []
        for comment in item.comments:
            reason = plan.comment_skip_reason(comment)
            date = plan.comment_date(comment, self.tz)
            if reason is None and (comment.id <= 0 or comment.id in reasons):
                reason = "ohne gültige oder mit doppelter Kennung (comment_id)"
            elif reason is None and date is None:
                reason = "ohne gültiges Datum"
            body = ""
            if reason is None:
                body, notes = convert_comment(comment.content)
                if not body.strip():
                    reason = "ohne Text (nach dem Säubern leer)"
                elif notes.removed_addresses:
                    report.warn(
                        report.file(f"comments/{candidate.slug}/{comment.id}.md"),
                        "E-Mail- oder IP-Adresse aus dem Text entfernt",
                    )
            if reason is not None:
                report.comments_skipped[reason] += 1
                reasons.setdefault(comment.id, reason)
                continue
            reasons[comment.id] = ""
            name, changed = commenter_name(comment.author)
            if changed:
                report.warn(
                    report.file(f"comments/{candidate.slug}/{comment.id}.md"),
                    f"Name „{name}“: E-Mail- oder IP-Adresse aus dem Namen entfernt",
                )
            accepted.append(
                (
                    comment,
                    CommentFile(
                        author=name,
                        date=date,
                        body=body,
                        url=commenter_url(comment.author_url) if comment.author_url else None,
                        by_author=plan.by_post_author(comment, item.creator, author),
                    ),
                )
            )
        written = 0
        for comment, document in accepted:
            relative = f"comments/{candidate.slug}/{comment.id}.md"
            if comment.parent == comment.id:
                report.warn(report.file(relative), "antwortet auf sich selbst; oben eingereiht")
            elif comment.parent:
                if reasons.get(comment.parent) == "":
                    document.replyto = comment.parent
                else:
                    why = reasons.get(comment.parent)
                    why = f"nicht übernommen wird ({why})" if why else "in der Exportdatei fehlt"
                    report.warn(
                        report.file(relative),
                        f"antwortet auf Kommentar {comment.parent}, der {why}; "
                        "oben eingereiht (ohne replyto)",
                    )
            outcome = self.writer.write(relative, comment_text(document))
            report.comments_written[outcome] += 1
            if outcome in KEPT:
                report.warn(report.file(relative), _kept_message(outcome))
            written += 1
        return written

    def finish(self) -> Report:
        labels = {"tag": "Schlagwort", "category": "Kategorie"}
        for kind, name, others in self.first.spellings.merged():
            spelled = ", ".join(f"„{other}“" for other in others)
            self.report.hints.append(
                f"{labels[kind]} „{name}“ auch als {spelled} geschrieben: überall „{name}“ "
                "(die Schreibweise des ältesten Beitrags; eine Seite, ein Feed)"
            )
        self.writer.finish()
        if self.writer.manifest.problem:
            self.report.warnings.insert(0, self.writer.manifest.problem)
        return self.report


def _kept_message(outcome: str) -> str:
    if outcome == "von Hand geändert":
        return "seit dem letzten Import von Hand geändert; nicht überschrieben (--force)"
    return (
        "gibt es schon, nicht vom Import geschrieben; bleibt unangetastet (auch mit --force). "
        "Die Datei umbenennen oder löschen und neu importieren, um sie zu ersetzen"
    )


def run(options: Options) -> Report:
    """Import ``options.wxr`` into ``options.content``; raises WXRError on a bad file."""
    tz = ZoneInfo(options.timezone)
    progress = options.progress
    first = FirstPass(options, tz)
    reader = WXRReader(
        options.wxr, progress=(lambda count: progress("gelesen", count)) if progress else None
    )
    # the channel lists its categories before the items; their parents fill in as read
    first.channel_parents = reader.channel.category_parents
    for item in reader.items():
        first.add(item)
    channel = reader.channel
    taken = existing_slugs(options.content, Manifest.load(options.content).files)
    for candidate, reason in plan.assign_slugs(first.candidates.values(), taken):
        del first.candidates[candidate.seq]
        entry = Skipped(
            candidate.post_id, plan.label(_post_type(candidate)), candidate.title, reason
        )
        first.skipped.append((candidate.seq, entry, candidate.comments))
    first.skipped.sort(key=lambda skipped: skipped[0])

    importer = Importer(options, first, channel)
    importer.redirects(first.candidates.values(), channel.base_blog_url or channel.link)
    for _, entry, comments in first.skipped:
        importer.report.skipped.append(entry)
        if comments:
            importer.report.comments_skipped["zu übersprungenen Einträgen"] += comments
    second = WXRReader(
        options.wxr,
        progress=(lambda count: progress("übernommen", count)) if progress else None,
    )
    for seq, item in enumerate(second.items(), start=1):
        importer.item(seq, item)
    return importer.finish()


def _ids(text: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", text)]


def _post_type(candidate: plan.Candidate) -> str:
    return "post" if candidate.kind == "article" else "page"
