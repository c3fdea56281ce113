"""newsletter: one digest per ISO week of published articles (web page, e-mail HTML,
plain text, digest.json), the digest archive and the digest feed.

The digest is built from the same articles Pelican built, after the article generator
(and the comments plugin) finished. Sending is a separate command (service).
"""

from __future__ import annotations

import json
import logging
import os
from bisect import bisect_left
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from comments.pages import comment_url
from newsletter.digest import (
    UNSUBSCRIBE_PLACEHOLDER,
    Digest,
    DigestArticle,
    DigestComment,
    digest_json,
    excerpt,
    preheader_text,
    subject_line,
)
from newsletter.email_html import fit_email
from newsletter.email_text import render_text
from newsletter.feed import digest_feed
from newsletter.weeks import group_by_week, week_bounds
from rundbrief.urls import absolute_url

logger = logging.getLogger(__name__)

REASON = (
    "Du bekommst diese E-Mail, weil Du den Wochenrückblick von {sitename} abonniert und Deine "
    "Anmeldung bestätigt hast. Abmelden geht jederzeit mit einem Klick."
)


def _digest_comment(date, url, comment, article_title) -> DigestComment:
    return DigestComment(
        author=comment.author,
        date=date,
        url=url,
        excerpt=excerpt(comment.text),
        article_title=article_title,
    )


class NewsletterGenerator(Generator):
    """Builds the digests in generate_context and writes them in generate_output."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digests: list[Digest] = []
        self.articles_by_issue: dict[str, list] = {}

    # -- reading -----------------------------------------------------------------
    def generate_context(self):
        settings = self.settings
        if not settings["NEWSLETTER_DIGEST"]:
            return
        tz = ZoneInfo(settings["TIMEZONE"])  # the weeks run in the site's time zone
        now = datetime.now(UTC)
        articles = [a for a in self.context.get("articles", []) if a.status == "published"]
        weeks = group_by_week(articles, lambda a: a.date, tz, now=now)
        comments = self._comments(articles, now) if settings.get("NEWSLETTER_COMMENTS") else []
        dates = [item[0] for item in comments]
        most = settings["NEWSLETTER_MAX_COMMENTS"]
        for (year, week), group in weeks.items():
            start, end = week_bounds(year, week, tz)
            first = bisect_left(dates, start)
            shown = comments[first : min(bisect_left(dates, end), first + most)]
            digest = Digest(
                year=year,
                week=week,
                start=start,
                end=end,
                articles=[self._digest_article(a) for a in group],
                comments=[_digest_comment(*item) for item in shown],
            )
            digest.subject = subject_line(
                settings.get("NEWSLETTER_SUBJECT"),
                sitename=settings["SITENAME"],
                year=year,
                week=week,
                articles=digest.articles,
            )
            digest.preheader = preheader_text(digest.articles, digest.comments)
            digest.web_url = absolute_url(settings, self._url(digest))
            self.digests.append(digest)
            self.articles_by_issue[digest.issue] = group
        self.context["newsletter_digests"] = sorted(
            self.digests, key=lambda d: (d.year, d.week), reverse=True
        )

    def _url(self, digest: Digest) -> str:
        return f"{self.settings.get('NEWSLETTER_PATH', 'newsletter')}/{digest.issue}/"

    def _digest_article(self, article) -> DigestArticle:
        info = getattr(article, "image_info", None)
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

    def _comments(self, articles, now) -> list[tuple]:
        """(date, URL, comment, article title) of every shown comment up to ``now``, in order."""
        found = []
        for article in articles:
            comments = getattr(article, "comments_flat", [])
            if not comments:
                continue
            url = absolute_url(self.settings, article.url)  # .url is computed on every access
            title = article.title
            found += [(c.date, comment_url(url, c), c, title) for c in comments if c.date <= now]
        found.sort(key=lambda item: (item[0], item[1]))
        return found

    # -- writing -----------------------------------------------------------------
    def generate_output(self, writer):
        if not self.settings["NEWSLETTER_DIGEST"]:
            return
        settings = self.settings
        base = settings["NEWSLETTER_PATH"]
        relative = settings.get("RELATIVE_URLS")
        emails = []
        for digest in self.digests:
            folder = os.path.join(self.output_path, base, digest.issue)
            os.makedirs(folder, exist_ok=True)
            html, shown = self._email_html(digest)
            emails.append((digest, html))
            self._write_text(os.path.join(folder, "email.html"), html)
            self._write_text(os.path.join(folder, "email.txt"), self._email_text(digest, shown))
            self._write_text(
                os.path.join(folder, "digest.json"),
                json.dumps(digest_json(digest), ensure_ascii=False, indent=2) + "\n",
            )
            writer.write_file(
                f"{base}/{digest.issue}/index.html",
                self.get_template("newsletter_digest"),
                self.context,
                relative_urls=relative,
                digest=digest,
                digest_articles=self.articles_by_issue[digest.issue],
                page_name=f"{base}/{digest.issue}/index",
            )
        writer.write_file(
            f"{base}/index.html",
            self.get_template("newsletter_archive"),
            self.context,
            relative_urls=relative,
            digests=self.context["newsletter_digests"],
            page_name=f"{base}/index",
        )
        feed = digest_feed(
            emails,
            title=f"{settings.get('SITENAME', '')} – Wochenrückblick",
            site_url=absolute_url(settings, ""),
            feed_url=absolute_url(settings, f"{base}/feed.xml"),
            archive_url=absolute_url(settings, f"{base}/"),
            unsubscribe_url=absolute_url(settings, settings["NEWSLETTER_PAGE_URL"]),
        )
        with open(os.path.join(self.output_path, base, "feed.xml"), "wb") as handle:
            handle.write(feed)
        if self.digests:
            newest = max(self.digests, key=lambda d: (d.year, d.week))
            logger.info("Neuester Wochenrückblick: %s (%s)", newest.issue, newest.subject)

    def _email_html(self, digest: Digest) -> tuple[str, int]:
        template = self.get_template("newsletter_email")
        settings = self.settings

        def render(shown: int) -> str:
            return template.render(
                digest=digest,
                articles=digest.articles[:shown],
                rest=len(digest.articles) - shown,
                SITENAME=settings["SITENAME"],
                site_url=absolute_url(settings, ""),
                impressum_url=absolute_url(settings, "impressum/"),
                reason=REASON.format(sitename=settings["SITENAME"]),
                unsubscribe_placeholder=UNSUBSCRIBE_PLACEHOLDER,
            )

        return fit_email(render, len(digest.articles), settings["NEWSLETTER_MAX_ITEMS"])

    def _email_text(self, digest: Digest, shown: int) -> str:
        settings = self.settings
        return render_text(
            digest,
            sitename=settings["SITENAME"],
            site_url=absolute_url(settings, ""),
            impressum_url=absolute_url(settings, "impressum/"),
            shown=shown,
            reason=REASON.format(sitename=settings["SITENAME"]),
        )

    @staticmethod
    def _write_text(path: str, text: str) -> None:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def get_generators(pelican):
    return NewsletterGenerator


def register():
    signals.get_generators.connect(get_generators)
