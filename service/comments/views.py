"""The routes of the comments (below the service's path, e.g. ``/newsletter/comments``).

- ``POST /comments``: a comment from the article's form (WordPress's field names plus
  ``slug``, ``stamp``, ``notify`` and the honeypot ``website``) → stored as pending,
  "Danke! …"; with something to fix, or without a valid form stamp (the static page
  cannot carry a fresh one), the service's own copy of the form comes back, filled in,
  with a fresh stamp: "Bitte noch einmal absenden";
- ``GET /comments?slug=…&replytocom=…``: that form, set to answer a comment ("Antworten"
  without JavaScript), with a fresh stamp;
- ``GET /comments/stamp?slug=…``: a fresh form stamp as text (the page's script asks);
- ``GET /comments/moderate?token=…``: the comment and one button (Freigeben, Spam or
  Löschen, as the signed link says); ``POST`` does it;
- ``GET /comments/notify/confirm?token=…``: a button; ``POST`` confirms the reply notices;
- ``GET /comments/notify/unsubscribe?token=…``: a button; ``POST`` (also RFC 8058
  one-click) deletes the address at once.

HEAD and GET never change anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from service.comments import checks, files
from service.comments import store as db
from service.comments.feature import (
    ACTION_WORDS,
    NOTIFY_CONFIRM,
    NOTIFY_UNSUBSCRIBE,
    CommentsFeature,
)
from service.forms import read_form
from service.signing import TokenError

if TYPE_CHECKING:
    from service.app import ReaderService

create_tables = db.create_tables

STAMP_MESSAGES = {
    checks.STAMP_MISSING: "Fast geschafft: Bitte schicke Deinen Kommentar noch einmal ab.",
    checks.STAMP_FAST: "Das ging sehr schnell. Bitte schicke Deinen Kommentar noch einmal ab.",
    checks.STAMP_OLD: (
        "Das Formular war älter als einen Tag. Bitte schicke Deinen Kommentar noch einmal ab."
    ),
}


def start(service: ReaderService) -> CommentsFeature:
    return CommentsFeature(service, service.config.comments)


def feature(service: ReaderService) -> CommentsFeature:
    return service.extensions[__name__]


def routes() -> list[tuple[Rule, object]]:
    return [
        (Rule("/comments", methods=["GET"]), form_page),
        (Rule("/comments", methods=["POST"]), post_comment),
        (Rule("/comments/stamp", methods=["GET"]), stamp),
        (Rule("/comments/moderate", methods=["GET"]), moderate_page),
        (Rule("/comments/moderate", methods=["POST"]), moderate),
        (Rule("/comments/notify/confirm", methods=["GET"]), confirm_page),
        (Rule("/comments/notify/confirm", methods=["POST"]), confirm),
        (Rule("/comments/notify/unsubscribe", methods=["GET"]), unsubscribe_page),
        (Rule("/comments/notify/unsubscribe", methods=["POST"]), unsubscribe),
    ]


def _too_many(service: ReaderService) -> Response:
    return service.error(
        429,
        "Von Deiner Adresse kamen zu viele Anfragen. Bitte warte eine Minute.",
        headers={"Retry-After": "60"},
    )


def _not_here(service: ReaderService, kind: str) -> Response:
    if kind == "unknown":
        return service.error(404, "Diesen Artikel gibt es nicht. Bitte prüfe die Adresse.")
    return service.error(403, "Zu diesem Artikel sind die Kommentare geschlossen.")


def _form(
    service: ReaderService,
    comments: CommentsFeature,
    article,
    *,
    values: dict,
    errors: tuple[str, ...] = (),
    message: str = "",
    status: int = 200,
) -> Response:
    parent = values.get("parent") or "0"
    parent_author = (
        files.comment_author(comments.config.comments_dir, article.slug, parent)
        if parent != "0"
        else None
    )
    return service.render(
        "comments/form_page.html",
        status,
        article=article,
        article_url=comments.absolute(article.url),
        message=message,
        comment_form={
            **values,
            "parent": parent if parent_author else "0",
            "parent_author": parent_author,
            "errors": list(errors),
            "stamp": comments.stamp(article.slug),
        },
        COMMENTS_POST_URL=comments.config.post_url or f"{service.service_url}/comments",
        COMMENTS_MAX_LENGTH=comments.config.max_length,
    )


def form_page(service: ReaderService, request: Request) -> Response:
    comments = feature(service)
    comments.send_notices_if_published()
    article = comments.article(request.args.get("slug", ""))
    if article is None:
        return _not_here(service, "unknown")
    if not article.open:
        return _not_here(service, "closed")
    parent = request.args.get("replytocom", "0")
    parent = parent if checks.parent_is_plausible(parent) else "0"
    return _form(service, comments, article, values={"parent": parent})


def stamp(service: ReaderService, request: Request) -> Response:
    comments = feature(service)
    comments.send_notices_if_published()
    if not service.limiter.hit(f"comment-stamp:{service.client(request)}"):
        return _too_many(service)
    article = comments.article(request.args.get("slug", ""))
    if article is None or not article.open:
        return Response("", status=404, content_type="text/plain; charset=utf-8")
    return Response(comments.stamp(article.slug), content_type="text/plain; charset=utf-8")


def post_comment(service: ReaderService, request: Request) -> Response:
    comments = feature(service)
    if not service.limiter.hit(f"comment:{service.client(request)}"):
        return _too_many(service)
    comments.send_notices_if_published()
    post = checks.read_post(read_form(request))
    result = comments.submit(post)
    if result.kind in ("unknown", "closed"):
        return _not_here(service, result.kind)
    article = comments.article(post.slug)
    if result.kind == "form":
        return _form(
            service,
            comments,
            article,
            values=post.form_values(),
            errors=result.errors,
            message="" if result.errors else STAMP_MESSAGES[result.stamp_problem],
            status=400 if result.errors else 200,
        )
    return service.render(
        "comments/thanks.html",
        article=article,
        article_url=comments.absolute(article.url) if article else "",
        duplicate=result.kind == "duplicate",
        notify=result.notify,
        confirm_interval=service.config.confirm_interval,
        confirm_per_day=service.config.confirm_per_day,
    )


# --- moderation ----------------------------------------------------------------------------


def _moderation(service: ReaderService, token: str):
    comments = feature(service)
    try:
        checked = comments.moderation_token(token)
    except TokenError:
        return comments, None, service.render("link_expired.html", 400)
    if checked is None:
        return comments, None, service.render("link_invalid.html", 400)
    return comments, checked, None


def moderate_page(service: ReaderService, request: Request) -> Response:
    token = request.args.get("token", "")
    comments, checked, refused = _moderation(service, token)
    if refused is not None:
        return refused
    comment_id, action = checked
    comment = db.get_comment(service.store.db, comment_id)
    if comment is None:
        return service.error(410, "Diesen Kommentar gibt es nicht mehr.")
    return service.render(
        "comments/moderate.html",
        comment=comment,
        article=comments.mail_article(comment.slug),
        action=action,
        action_word=ACTION_WORDS[action],
        token=token,
        decided=comment.status != db.PENDING,
    )


def moderate(service: ReaderService, request: Request) -> Response:
    form = read_form(request)
    token = form.get("token") or request.args.get("token", "")
    comments, checked, refused = _moderation(service, token)
    if refused is not None:
        return refused
    comment_id, action = checked
    decision = comments.decide(comment_id, action)
    if decision.state == "missing":
        return service.error(410, "Diesen Kommentar gibt es nicht mehr.")
    return service.render(
        "comments/moderated.html",
        state=decision.state,
        action=action,
        comment=decision.comment,
        published_id=decision.published_id,
        publishing=comments.publisher is not None,
        article=comments.mail_article(decision.comment.slug),
    )


# --- reply notices -------------------------------------------------------------------------


def _subscription(service: ReaderService, purpose: str, token: str):
    comments = feature(service)
    max_age = service.config.token_max_age if purpose == NOTIFY_CONFIRM else None
    try:
        subscription = comments.subscription_token(purpose, token, max_age)
    except TokenError:
        return comments, None, service.render("link_expired.html", 400)
    if subscription is None:
        return comments, None, service.render("comments/notify_gone.html", 410)
    return comments, subscription, None


def confirm_page(service: ReaderService, request: Request) -> Response:
    token = request.args.get("token", "")
    _, subscription, refused = _subscription(service, NOTIFY_CONFIRM, token)
    if refused is not None:
        return refused
    return service.render(
        "comments/notify_confirm.html", token=token, done=subscription.status == "confirmed"
    )


def confirm(service: ReaderService, request: Request) -> Response:
    token = read_form(request).get("token") or request.args.get("token", "")
    comments, subscription, refused = _subscription(service, NOTIFY_CONFIRM, token)
    if refused is not None:
        return refused
    comments.confirm(subscription)
    return service.render("comments/notify_confirm.html", token=token, done=True)


def unsubscribe_page(service: ReaderService, request: Request) -> Response:
    token = request.args.get("token", "")
    _, _, refused = _subscription(service, NOTIFY_UNSUBSCRIBE, token)
    if refused is not None:
        return refused
    return service.render("comments/notify_unsubscribe.html", token=token, done=False)


def unsubscribe(service: ReaderService, request: Request) -> Response:
    """The button, or a mail program's one-click POST (``List-Unsubscribe=One-Click``)."""
    token = request.args.get("token", "") or read_form(request).get("token", "")
    comments, subscription, refused = _subscription(service, NOTIFY_UNSUBSCRIBE, token)
    if refused is not None:
        return refused
    comments.unsubscribe(subscription)
    return service.render("comments/notify_unsubscribe.html", token=token, done=True)
