"""The comments feature of one reader service: intake, moderation, publishing, notices.

One ``CommentsFeature`` per ``ReaderService`` (made by ``views.start``), used by the views
and by the shell commands alike. It uses the service's store (one transaction per step),
outbox (every mail), signer (every link), clock and write lock (comment files).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader

from rundbrief.addresses import normalise_address
from rundbrief.comments.manifest import ArticleEntry, ManifestError
from rundbrief.urls import absolute
from service.comments import checks, files, mails
from service.comments import store as db
from service.comments.articles import Articles
from service.comments.config import CommentsConfig
from service.comments.publisher import Publisher
from service.signing import TokenError

if TYPE_CHECKING:
    from service.app import ReaderService

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STAMP = "comments-stamp"
MODERATE = "comments-moderate"
NOTIFY_CONFIRM = "comments-notify-confirm"
NOTIFY_UNSUBSCRIBE = "comments-notify-unsubscribe"
MODERATE_MAX_AGE = 30 * 86_400  # the links in the author's mail
ACTIONS = {"approve": db.APPROVED, "spam": db.SPAM, "delete": db.DELETED}
MODERATION_MAIL = "comment-moderation"
CONFIRM_MAIL = "comment-notify-confirm"
ACTION_WORDS = {"approve": "Freigeben", "spam": "Als Spam markieren", "delete": "Löschen"}


@dataclass(frozen=True, slots=True)
class MailArticle:
    """What a mail says about an article: its title and absolute URL."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Submitted:
    """The outcome of a post: ``kind`` is thanks | duplicate | form | unknown | closed."""

    kind: str
    comment_id: int | None = None
    errors: tuple[str, ...] = ()
    stamp_problem: str = ""
    notify: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of a moderation step: ``state`` is done | already | missing."""

    state: str
    comment: db.StoredComment | None = None
    published_id: str | None = None
    path: Path | None = None


class CommentsFeature:
    def __init__(self, service: ReaderService, config: CommentsConfig) -> None:
        self.service = service
        self.config = config
        self.articles = Articles(config.output_path)
        self._notices_version = -1  # the manifest version the notices were sent for
        self.text = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=False,  # plain-text mails
            keep_trailing_newline=True,
            trim_blocks=False,
        )
        delivery = service.config
        self.sender = mails.Sender(
            site_name=delivery.site_name, address=delivery.sender, domain=delivery.mail_domain
        )
        self.publisher = (
            Publisher(
                config.publish_command,
                cwd=config.base_dir,
                timeout=config.publish_timeout,
                on_result=self.published,
                lock=service.config.db_path.with_name(
                    service.config.db_path.name + ".publish.lock"
                ),
            )
            if config.publish_command
            else None
        )
        # The mails a post causes are built by the outbox worker, not in the request.
        service.outbox.register(MODERATION_MAIL, self._moderation_mail)
        service.outbox.register(CONFIRM_MAIL, self._confirm_mail)

    def close(self, timeout: float = 120.0) -> None:
        """Let a running publish command finish (the service is stopping)."""
        if self.publisher is not None:
            self.publisher.wait(timeout)

    # --- helpers -------------------------------------------------------------------------

    def render_text(self, template_name: str, **context: Any) -> str:
        return self.text.get_template(template_name).render(**context)

    def absolute(self, url: str) -> str:
        return absolute(self.service.config.site_url, url)

    def mail_article(self, slug: str) -> MailArticle:
        entry = self.articles.get(slug)
        if entry is None:
            return MailArticle(title=slug, url=self.service.config.site_url or "")
        return MailArticle(title=entry.title, url=self.absolute(entry.url))

    def link(self, path: str, purpose: str, payload: Any) -> str:
        return f"{self.service.service_url}/comments/{path}?token={self.sign(purpose, payload)}"

    def sign(self, purpose: str, payload: Any) -> str:
        return self.service.signer.sign(purpose, payload)

    def read(self, purpose: str, token: str, max_age: float | None = None) -> Any:
        """The payload, or None for a bad token; TokenError("expired") propagates."""
        try:
            return self.service.signer.read(purpose, token, max_age=max_age)
        except TokenError as error:
            if error.reason == "expired":
                raise
            return None

    # --- the form stamp ------------------------------------------------------------------

    def stamp(self, slug: str) -> str:
        """A signed form stamp for the article: its time of making and the slug."""
        return self.sign(STAMP, [slug, self.service.clock()])

    def judge_stamp(self, token: str, slug: str) -> str:
        if not token:
            return checks.STAMP_MISSING
        try:
            payload = self.service.signer.read(STAMP, token)
        except TokenError:
            return checks.STAMP_MISSING
        if (
            not isinstance(payload, list)
            or len(payload) != 2
            or not isinstance(payload[0], str)
            or not isinstance(payload[1], int | float)
            or isinstance(payload[1], bool)
        ):
            return checks.STAMP_MISSING
        return checks.judge_stamp(payload[1], slug, payload[0], self.service.clock())

    # --- intake ----------------------------------------------------------------------------

    def article(self, slug: str) -> ArticleEntry | None:
        return self.articles.get(slug) if checks.slug_is_plausible(slug) else None

    def submit(self, post: checks.Post) -> Submitted:
        """Judge a post and store it as pending (+ the author's mail, the confirm mail)."""
        entry = self.article(post.slug)
        if entry is None:
            return Submitted("unknown")
        if not entry.open:
            return Submitted("closed")
        if post.honeypot.strip():
            logger.info("Kommentar verworfen: Honigtopf ausgefüllt.")
            return Submitted("thanks")  # a bot: answered as always, nothing stored
        errors = checks.field_errors(
            post, max_length=self.config.max_length, max_links=self.config.max_links
        )
        if post.parent is not None and not (
            checks.parent_is_plausible(post.parent)
            and files.comment_exists(self.config.comments_dir, post.slug, post.parent)
        ):
            errors.append(
                "Den Kommentar, auf den Du antworten willst, gibt es nicht (mehr). Dein Text "
                "erscheint ohne Bezug, wenn Du noch einmal absendest."
            )
            post = checks.Post(**{**_fields(post), "parent": None})
        stamp = self.judge_stamp(post.stamp, post.slug)
        if errors or stamp != checks.STAMP_OK:
            return Submitted("form", errors=tuple(errors), stamp_problem=stamp)
        fingerprint = post.fingerprint()
        now = self.service.clock()
        with self.service.store.transaction() as connection:
            if db.is_duplicate(connection, fingerprint):
                return Submitted("duplicate")
            comment_id = db.add_comment(
                connection,
                slug=post.slug,
                parent=post.parent,
                author=post.author,
                url=post.url,
                body=post.comment,
                fingerprint=fingerprint,
                now=now,
            )
            notify = bool(post.notify and post.email)
            if notify:
                self._ask_to_confirm(connection, comment_id, post)
            self._tell_moderator(connection, comment_id, post, notify)
            db.purge(connection, now)
        logger.info("Neuer Kommentar %s zu %s wartet auf Freigabe.", comment_id, post.slug)
        return Submitted("thanks", comment_id=comment_id, notify=notify)

    def _ask_to_confirm(self, connection, comment_id: int, post: checks.Post) -> None:
        """A pending subscription and its confirm mail, within the newsletter's limits per
        address (NEWSLETTER_CONFIRM_INTERVAL, NEWSLETTER_CONFIRM_PER_DAY): beyond them the
        tick is ignored, so nobody can flood an address through the form. The answer to
        the post is the same either way."""
        address = normalise_address(post.email)
        now = self.service.clock()
        config = self.service.config
        asked = db.requests_since(connection, address, now - 86_400)
        if len(asked) >= config.confirm_per_day or (
            asked and now - asked[-1] < config.confirm_interval
        ):
            logger.info("Kommentar %s: keine Bestätigungs-Mail (Grenze je Adresse).", comment_id)
            return
        subscription = db.add_subscription(connection, comment_id, address, now)
        self.service.outbox.enqueue_params(CONFIRM_MAIL, address, {"subscription": subscription.id})

    def _confirm_mail(self, params: dict):
        """The outbox's builder of the double opt-in mail for reply notices."""
        subscription = db.get_subscription(self.service.store.db, params["subscription"])
        if subscription is None:
            raise LookupError("die Benachrichtigung gibt es nicht mehr")
        comment = db.get_comment(self.service.store.db, subscription.comment_id)
        url = self.link("notify/confirm", NOTIFY_CONFIRM, [subscription.id, subscription.nonce])
        return mails.confirm_mail(
            self.render_text,
            self.sender,
            to=subscription.email,
            article=self.mail_article(comment.slug),
            confirm_url=url,
            valid_days=self.service.config.token_max_age // 86400,
        )

    def moderation_links(self, comment_id: int) -> dict[str, str]:
        return {action: self.link("moderate", MODERATE, [comment_id, action]) for action in ACTIONS}

    def _tell_moderator(self, connection, comment_id: int, post: checks.Post, notify: bool):
        if self.config.moderator:
            self.service.outbox.enqueue_params(
                MODERATION_MAIL, self.config.moderator, {"comment": comment_id, "notify": notify}
            )

    def _moderation_mail(self, params: dict):
        """The outbox's builder of the author's mail about a new comment."""
        comment = db.get_comment(self.service.store.db, params["comment"])
        if comment is None:
            raise LookupError("den Kommentar gibt es nicht")
        parent_author = (
            files.comment_author(self.config.comments_dir, comment.slug, comment.parent)
            if comment.parent
            else None
        )
        return mails.moderation_mail(
            self.render_text,
            self.sender,
            to=self.config.moderator,
            article=self.mail_article(comment.slug),
            comment=comment,
            parent_author=parent_author,
            links=self.moderation_links(comment.id),
            notify=bool(params.get("notify")),
        )

    # --- moderation ------------------------------------------------------------------------

    def moderation_token(self, token: str) -> tuple[int, str] | None:
        payload = self.read(MODERATE, token, max_age=MODERATE_MAX_AGE)
        if (
            isinstance(payload, list)
            and len(payload) == 2
            and isinstance(payload[0], int)
            and payload[1] in ACTIONS
        ):
            return payload[0], payload[1]
        return None

    def decide(self, comment_id: int, action: str) -> Decision:
        """Approve (write the file, then publish), mark as spam or delete a comment."""
        now = self.service.clock()
        with self.service.write_lock, self.service.store.transaction() as connection:
            comment = db.get_comment(connection, comment_id)
            if comment is None:
                return Decision("missing")
            if comment.status != db.PENDING:
                return Decision("already", comment, comment.published_id)
            if action != "approve":
                db.mark_rejected(connection, comment_id, ACTIONS[action], now)
                logger.info("Kommentar %s: %s.", comment_id, ACTIONS[action])
                return Decision("done", comment)
            parent = comment.parent
            if parent and not files.comment_exists(self.config.comments_dir, comment.slug, parent):
                parent = None  # the answered comment went meanwhile: shown at the top level
            published_id, path = files.write_comment(
                self.config.comments_dir,
                slug=comment.slug,
                author=comment.author,
                url=comment.url,
                body=comment.body,
                parent=parent,
                created_at=comment.created_at,
                timezone=self.config.timezone,
            )
            db.mark_approved(connection, comment_id, published_id, now)
        logger.info("Kommentar %s freigegeben: %s", comment_id, path)
        self.publish()
        return Decision("done", comment, published_id, path)

    def publish(self) -> None:
        """After an approval: run the publish command (in the background), or, without
        one, send the notices at once (the comment is in content/ now)."""
        if self.publisher is not None:
            self.publisher.request()
        else:
            self.send_notices()

    def published(self, ok: bool, output: str, reason: str) -> None:
        """The publisher's result: notices on success, a mail to the author on failure."""
        if ok:
            self.send_notices()
            return
        if not self.config.moderator:
            return
        message = mails.publish_failed_mail(
            self.render_text,
            self.sender,
            to=self.config.moderator,
            command=self.config.publish_command,
            output=output,
            reason=reason,
        )
        self.service.outbox.enqueue(message, "comment-publish-failed")

    # --- notices ---------------------------------------------------------------------------

    def comment_url(self, slug: str, published_id: str) -> str:
        return f"{self.mail_article(slug).url}#comment-{published_id}"

    def unsubscribe_url(self, subscription: db.Subscription) -> str:
        return self.link(
            "notify/unsubscribe", NOTIFY_UNSUBSCRIBE, [subscription.id, subscription.nonce]
        )

    def send_notices(self) -> int:
        """The notices for what the site shows now (the build's manifest): "published" for
        every approved comment that appeared, "reply" for every shown comment that answers
        a comment whose writer confirmed the notices (also replies the author wrote by
        hand). Each is sent once; returns how many were enqueued."""
        try:
            articles = self.articles.all()
        except ManifestError:
            return 0
        self._notices_version = self.articles.version
        sent = 0
        now = self.service.clock()
        with self.service.store.transaction() as connection:
            for comment in db.unnotified_approved(connection):
                entry = articles.get(comment.slug)
                if entry is None or comment.published_id not in {i for i, _ in entry.shown}:
                    continue  # not on the site yet
                article = MailArticle(entry.title, self.absolute(entry.url))
                for subscription in db.subscriptions_of(connection, comment.id):
                    sent += self._published_notice(connection, comment, subscription, article, now)
                db.mark_notified(connection, comment.id)
            for subscription, comment in db.confirmed_with_comments(connection):
                entry = articles.get(comment.slug)
                if entry is None:
                    continue
                for reply_id, parent in entry.shown:
                    if parent != comment.published_id or db.reply_sent(
                        connection, subscription.id, reply_id
                    ):
                        continue
                    sent += self._reply_notice(connection, subscription, entry, reply_id, now)
        return sent

    def send_notices_if_published(self) -> None:
        """Send the notices if the site was built since the last look (cheap otherwise)."""
        self.articles.get("")  # reads the manifest again if it changed
        if self.articles.version != self._notices_version:
            self.send_notices()

    def _reply_notice(self, connection, subscription, entry, reply_id: str, now: float) -> int:
        author = files.comment_author(self.config.comments_dir, entry.slug, reply_id)
        message = mails.reply_mail(
            self.render_text,
            self.sender,
            to=subscription.email,
            article=MailArticle(entry.title, self.absolute(entry.url)),
            reply_author=author or "Jemand",
            reply_url=self.comment_url(entry.slug, reply_id),
            unsubscribe_url=self.unsubscribe_url(subscription),
        )
        self.service.outbox.enqueue(message, "comment-reply")
        db.mark_reply_sent(connection, subscription.id, reply_id)
        db.touch_subscription(connection, subscription.id, now)
        return 1

    def _published_notice(self, connection, comment, subscription, article, now) -> int:
        message = mails.published_mail(
            self.render_text,
            self.sender,
            to=subscription.email,
            article=article,
            comment_url=self.comment_url(comment.slug, comment.published_id),
            unsubscribe_url=self.unsubscribe_url(subscription),
        )
        self.service.outbox.enqueue(message, "comment-published")
        db.touch_subscription(connection, subscription.id, now)
        return 1

    def subscription_token(self, purpose: str, token: str, max_age: float | None):
        """The subscription a confirm/unsubscribe link names (None: invalid or gone);
        TokenError("expired") propagates."""
        payload = self.read(purpose, token, max_age=max_age)
        if not (
            isinstance(payload, list)
            and len(payload) == 2
            and isinstance(payload[0], int)
            and isinstance(payload[1], str)
        ):
            return None
        subscription = db.get_subscription(self.service.store.db, payload[0])
        if subscription is None or subscription.nonce != payload[1]:
            return None
        return subscription

    def confirm(self, subscription: db.Subscription) -> None:
        now = self.service.clock()
        with self.service.store.transaction() as connection:
            if subscription.status == "confirmed":
                return
            db.confirm_subscription(connection, subscription.id, now)
            comment = db.get_comment(connection, subscription.comment_id)
            if comment is not None and comment.status == db.APPROVED and comment.notified:
                # Published before the confirmation: say so now.
                confirmed = db.get_subscription(connection, subscription.id)
                article = self.mail_article(comment.slug)
                self._published_notice(connection, comment, confirmed, article, now)

    def unsubscribe(self, subscription: db.Subscription) -> None:
        with self.service.store.transaction() as connection:
            db.delete_subscription(connection, subscription.id)

    def purge(self) -> int:
        """Delete the notice addresses unused for 30 days."""
        with self.service.store.transaction() as connection:
            return db.purge(connection, self.service.clock())

    def cleanup(self) -> int:
        """The service's hourly clean-up (``ReaderService.cleanup``): old addresses go,
        and notices for what a build published meanwhile go out."""
        self.send_notices()
        return self.purge()

    def pending(self) -> list[db.StoredComment]:
        with self.service.store.transaction() as connection:
            return db.pending_comments(connection)


def _fields(post: checks.Post) -> dict[str, Any]:
    return {name: getattr(post, name) for name in post.__slots__}
