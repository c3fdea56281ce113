"""The digest as an e-mail message: multipart/alternative, text first, then HTML. Pure."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid


def digest_message(
    *,
    subject: str,
    sender: str | Address,
    recipient: str | Address,
    text: str,
    html: str,
    date: datetime,
    msgid_domain: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """One message. ``Subject`` and names are RFC 2047-encoded by the SMTP policy."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=msgid_domain)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
