"""newsletter: one digest per ISO week of published articles (web page, e-mail HTML,
plain text, digest.json), the digest archive and the digest feed.

The digest is built from the same articles Pelican built, after the article generator
(and the comments plugin) finished, with the build's one "now" (``engine.events``).
Where and how a digest is written for the sender is ``rundbrief.digest.manifest``'s
business; sending is a separate command (service).
"""

from __future__ import annotations

import logging
import os
import shutil
from bisect import bisect_left
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from engine.events import build_now
from engine.fingerprint import Untrackable
from engine.incremental import IncrementalWriter
from rundbrief.article.extras import extras_of
from rundbrief.comments.pages import comment_url
from rundbrief.digest.email_html import fit_email
from rundbrief.digest.email_text import render_text
from rundbrief.digest.feed import digest_feed, newest
from rundbrief.digest.issue import (
    DigestArticle,
    DigestComment,
    Issue,
    excerpt,
    preheader_text,
    subject_line,
)
from rundbrief.digest.manifest import (
    Digest,
    digest_root,
    folder_hash,
    new_slot,
    site_path,
)
from rundbrief.digest.weeks import group_by_week, week_bounds
from rundbrief.urls import absolute_url

logger = logging.getLogger(__name__)

STATE = "newsletter"  # the digests' entry in the incremental build's manifest
REASON = (
    "Du bekommst diese E-Mail, weil Du den Wochenrückblick von {sitename} abonniert und Deine "
    "Anmeldung bestätigt hast. Abmelden geht jederzeit mit einem Klick."
)


class NewsletterGenerator(Generator):
    """Builds the digests in generate_context and writes them in generate_output."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.issues: list[Issue] = []
        self.articles_by_issue: dict[str, list] = {}

    # -- reading -----------------------------------------------------------------
    def generate_context(self):
        settings = self.settings
        if not settings["NEWSLETTER_DIGEST"]:
            return
        tz = ZoneInfo(settings["TIMEZONE"])  # the weeks run in the site's time zone
        now = build_now(settings)
        articles = [a for a in self.context.get("articles", []) if a.status == "published"]
        weeks = group_by_week(articles, lambda a: a.date, tz, now=now)
        comments = self._comments(articles, now) if settings["NEWSLETTER_COMMENTS"] else []
        dates = [comment.date for comment in comments]
        most = settings["NEWSLETTER_MAX_COMMENTS"]
        for (year, week), group in weeks.items():
            start, end = week_bounds(year, week, tz)
            first = bisect_left(dates, start)
            issue = Issue(
                year=year,
                week=week,
                start=start,
                end=end,
                articles=[self._digest_article(a) for a in group],
                comments=comments[first : min(bisect_left(dates, end), first + most)],
            )
            issue.subject = subject_line(
                settings["NEWSLETTER_SUBJECT"],
                sitename=settings["SITENAME"],
                year=year,
                week=week,
                articles=issue.articles,
            )
            issue.preheader = preheader_text(issue.articles, issue.comments)
            issue.web_url = absolute_url(settings, self._url(issue))
            self.issues.append(issue)
            self.articles_by_issue[issue.issue] = group
        self.context["newsletter_digests"] = newest(self.issues, len(self.issues))

    def _url(self, issue: Issue) -> str:
        return f"{site_path(self.settings['NEWSLETTER_PATH'])}/{issue.issue}/"

    def _digest_article(self, article) -> DigestArticle:
        info = extras_of(article).image_info
        email = info.email if info is not None else None  # a raster: SVG shows in few mail apps
        summary = article.summary or ""
        return DigestArticle(
            title=article.title,
            url=absolute_url(self.settings, article.url),
            date=article.date,
            summary_html=summary,
            summary_text=Markup(summary).striptags(),
            image_url=absolute_url(self.settings, email.path) if email else None,
            image_alt=getattr(article, "image_alt", "") or "",
            image_width=email.width if email else None,
            image_height=email.height if email else None,
        )

    def _comments(self, articles, now) -> list[DigestComment]:
        """Every shown comment up to ``now``, in date order."""
        found = []
        for article in articles:
            comments = extras_of(article).comments_flat
            if not comments:
                continue
            url = absolute_url(self.settings, article.url)  # .url is computed on every access
            title = article.title
            found += [
                DigestComment(
                    author=c.author,
                    date=c.date,
                    url=comment_url(url, c),
                    excerpt=excerpt(c.text),
                    article_title=title,
                    article_url=url,
                )
                for c in comments
                if c.date <= now
            ]
        found.sort(key=lambda comment: (comment.date, comment.url))
        return found

    # -- writing -----------------------------------------------------------------
    def generate_output(self, writer):
        settings = self.settings
        if not settings["NEWSLETTER_DIGEST"]:
            return
        base = site_path(settings["NEWSLETTER_PATH"])
        root = digest_root(self.output_path, base)
        relative = settings.get("RELATIVE_URLS")
        incremental = writer.incremental if isinstance(writer, IncrementalWriter) else None
        kept = _KeptDigests(self, incremental, root, base)
        for issue in self.issues:
            kept.write(issue)
            writer.write_file(
                f"{base}/{issue.issue}/index.html",
                self.get_template("newsletter_digest"),
                self.context,
                relative_urls=relative,
                digest=issue,
                digest_articles=self.articles_by_issue[issue.issue],
                page_name=f"{base}/{issue.issue}/index",
            )
        writer.write_file(
            f"{base}/index.html",
            self.get_template("newsletter_archive"),
            self.context,
            relative_urls=relative,
            digests=self.context["newsletter_digests"],
            page_name=f"{base}/index",
        )
        fragment = self.get_template("newsletter_feed_item")
        feed = digest_feed(
            [
                (issue, fragment.render(digest=issue, SITENAME=settings["SITENAME"]))
                for issue in newest(self.issues, settings["NEWSLETTER_FEED_MAX_ITEMS"])
            ],
            title=f"{settings['SITENAME']} – Wochenrückblick",
            site_url=absolute_url(settings, ""),
            feed_url=absolute_url(settings, f"{base}/feed.xml"),
            archive_url=absolute_url(settings, f"{base}/"),
        )
        kept.finish()
        os.makedirs(root, exist_ok=True)
        with open(root / "feed.xml", "wb") as handle:
            handle.write(feed)
        if self.issues:
            latest = newest(self.issues, 1)[0]
            logger.info("Neuester Wochenrückblick: %s (%s)", latest.issue, latest.subject)

    def _common(self) -> dict[str, str]:
        """What every issue's e-mail shows besides the issue (without the link's slot)."""
        settings = self.settings
        return {
            "SITENAME": settings["SITENAME"],
            "site_url": absolute_url(settings, ""),
            "impressum_url": absolute_url(settings, "impressum/"),
            "reason": REASON.format(sitename=settings["SITENAME"]),
        }

    def _digest(self, issue: Issue) -> Digest:
        """The issue as the sender gets it: e-mail HTML and text, the link's slot sealed."""
        settings = self.settings
        slot = new_slot()
        common = {**self._common(), "unsubscribe_url": slot}
        template = self.get_template("newsletter_email")

        def render(shown: int) -> str:
            return template.render(
                digest=issue,
                articles=issue.articles[:shown],
                rest=len(issue.articles) - shown,
                **common,
            )

        html, shown = fit_email(render, len(issue.articles), settings["NEWSLETTER_MAX_ITEMS"])
        text = render_text(
            issue,
            sitename=common["SITENAME"],
            site_url=common["site_url"],
            impressum_url=common["impressum_url"],
            shown=shown,
            reason=common["reason"],
            unsubscribe_url=slot,
        )
        return Digest.seal(
            year=issue.year,
            week=issue.week,
            subject=issue.subject,
            preheader=issue.preheader,
            web_url=issue.web_url,
            articles=[(article.title, article.url) for article in issue.articles],
            html=html,
            text=text,
            slot=slot,
        )


class _KeptDigests:
    """In an incremental build (``engine.incremental``): a digest whose inputs are those
    of the last build and whose files are as the last build wrote them is kept, not
    rendered and written again. Its key covers all ``_digest`` uses: the issue, the
    e-mail's common values, NEWSLETTER_MAX_ITEMS and the e-mail template with everything
    it includes (settings and code are in the engine's global key). Folders of issues
    that are gone are removed; without the engine every digest is written."""

    def __init__(self, generator, incremental, root, base: str) -> None:
        self.generator = generator
        self.incremental = incremental if incremental and incremental.key else None
        self.root = root
        self.base = base
        self.issues: dict[str, dict] = {}
        self.previous: dict[str, dict] = {}
        self.shared = ""
        if self.incremental is None:
            return
        state = self.incremental.previous_state(STATE) or {}
        self.previous = state.get("issues") or {}
        template = generator.get_template("newsletter_email")
        try:
            self.shared = self.incremental.fingerprints.value(
                (
                    generator._common(),
                    generator.settings["NEWSLETTER_MAX_ITEMS"],
                    self.incremental.closure(template).digest,
                )
            )[0]
        except Untrackable:
            self.incremental = None

    def _key(self, issue: Issue) -> str | None:
        try:
            return self.incremental.fingerprints.value((self.shared, issue))[0]
        except Untrackable:
            return None

    def write(self, issue: Issue) -> None:
        if self.incremental is None:
            self.generator._digest(issue).write(self.root)
            return
        key = self._key(issue)
        folder = self.root / issue.issue
        old = self.previous.get(issue.issue) or {}
        if key is not None and old.get("key") == key and folder_hash(folder) == old.get("sha256"):
            self.issues[issue.issue] = old
            return
        written = self.generator._digest(issue).write(self.root)
        if key is not None:
            self.issues[issue.issue] = {"key": key, "sha256": folder_hash(written)}

    def finish(self) -> None:
        """Remove the kept folders of issues that are gone; record what is kept."""
        if self.incremental is None:
            return
        for name in set(self.previous) - {issue.issue for issue in self.generator.issues}:
            shutil.rmtree(self.root / name, ignore_errors=True)
        self.incremental.keep_state(
            STATE,
            {
                "keep": [f"{self.base}/{name}" for name in sorted(self.issues)],
                "issues": self.issues,
            },
        )


def get_generators(pelican):
    return NewsletterGenerator


def register():
    signals.get_generators.connect(get_generators)
