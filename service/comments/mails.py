"""The mails of the comments: to the author (moderation, a failed publish) and to
commenters who asked to hear about replies (confirm, published, reply). Texts are Jinja
templates (``service/templates/comments/mail_*.txt``); every mail to a commenter after the
confirmation carries a one-click unsubscribe (RFC 8058). Pure: builds messages, sends none
(the service puts them into its outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from service.message import ONE_CLICK, POLICY, new_message_id

Render = Callable[..., str]  # (template name, **context) -> text


@dataclass(frozen=True, slots=True)
class Sender:
    site_name: str
    address: str  # the From header
    domain: str  # for Message-IDs


def _message(sender: Sender, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = sender.address
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Subject"] = subject
    message["Message-ID"] = new_message_id(sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def _with_unsubscribe(message: EmailMessage, unsubscribe_url: str) -> EmailMessage:
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = ONE_CLICK
    return message


def moderation_mail(
    render: Render,
    sender: Sender,
    *,
    to: str,
    article,
    comment,
    parent_author: str | None,
    links: dict[str, str],
    notify: bool,
) -> EmailMessage:
    """To the author: the new comment and the signed links Freigeben / Spam / Löschen."""
    text = render(
        "comments/mail_moderation.txt",
        site_name=sender.site_name,
        article=article,
        comment=comment,
        parent_author=parent_author,
        links=links,
        notify=notify,
    )
    subject = f"Neuer Kommentar von {comment.author} zu „{article.title}“"
    return _message(sender, to, subject, text)


def publish_failed_mail(
    render: Render, sender: Sender, *, to: str, command: str, output: str, reason: str
) -> EmailMessage:
    text = render(
        "comments/mail_publish_failed.txt",
        site_name=sender.site_name,
        command=command,
        output=output,
        reason=reason,
    )
    return _message(sender, to, f"{sender.site_name}: Veröffentlichen fehlgeschlagen", text)


def confirm_mail(
    render: Render, sender: Sender, *, to: str, article, confirm_url: str, valid_days: int
) -> EmailMessage:
    text = render(
        "comments/mail_notify_confirm.txt",
        site_name=sender.site_name,
        article=article,
        confirm_url=confirm_url,
        valid_days=valid_days,
    )
    subject = f"Bitte bestätige: Benachrichtigung über Antworten auf {sender.site_name}"
    return _message(sender, to, subject, text)


def published_mail(
    render: Render, sender: Sender, *, to: str, article, comment_url: str, unsubscribe_url: str
) -> EmailMessage:
    text = render(
        "comments/mail_published.txt",
        site_name=sender.site_name,
        article=article,
        comment_url=comment_url,
        unsubscribe_url=unsubscribe_url,
    )
    subject = f"Dein Kommentar zu „{article.title}“ ist erschienen"
    return _with_unsubscribe(_message(sender, to, subject, text), unsubscribe_url)


def reply_mail(
    render: Render,
    sender: Sender,
    *,
    to: str,
    article,
    reply_author: str,
    reply_url: str,
    unsubscribe_url: str,
) -> EmailMessage:
    text = render(
        "comments/mail_reply.txt",
        site_name=sender.site_name,
        article=article,
        reply_author=reply_author,
        reply_url=reply_url,
        unsubscribe_url=unsubscribe_url,
    )
    subject = f"Neue Antwort auf Deinen Kommentar zu „{article.title}“"
    return _with_unsubscribe(_message(sender, to, subject, text), unsubscribe_url)
