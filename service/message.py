"""Building the e-mails: one digest message per subscriber, the confirmation mail. Pure.

A digest message is multipart/alternative, text/plain first and HTML second, with the
personal unsubscribe URL in place of the digest's placeholder in both parts, and the
headers of RFC 2369/8058: ``List-Id``, ``List-Unsubscribe: <https://…>, <mailto:…>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``. The Subject (and any display
name) is encoded per RFC 2047 by the email package (``EmailMessage``, SMTP policy).

Speed: ``DigestTemplate`` builds the message with the email package once per digest,
with markers where the per-subscriber values go (To, Date, Message-ID, unsubscribe URL,
the two bodies), and then only fills them in. Bodies are quoted-printable, encoded line
by line (QP is line-local), so only lines holding the placeholder are encoded again for
each subscriber. The wire form is the same as the email package would write.
"""

from __future__ import annotations

import binascii
import html
import re
import secrets
from datetime import datetime
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formatdate, make_msgid
from urllib.parse import quote

ONE_CLICK = "List-Unsubscribe=One-Click"
MAX_LINE = 998
# Headers written as they are: the URLs must reach the reader verbatim (the email package
# would turn an unbreakable URL longer than a line into RFC 2047 encoded words, which no
# client reads), and the per-subscriber headers are plain ASCII by construction.
_VERBATIM = frozenset({"list-unsubscribe", "list-unsubscribe-post", "to", "date", "message-id"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def header_value(name: str, value: str) -> str:
    """``value`` if it can stand in header ``name`` as one ASCII line, else ValueError."""
    if not value.isascii() or "\r" in value or "\n" in value or len(name) + len(value) > 990:
        raise ValueError(f"{name} must be one ASCII line of at most {MAX_LINE} characters")
    return value


class MailPolicy(EmailPolicy):
    """``email.policy.SMTP`` (CRLF, RFC 2047), but some headers are written unfolded."""

    def _verbatim(self, name: str, value: str) -> str:
        return f"{name}: {header_value(name, str(value))}{self.linesep}"

    def fold(self, name, value):
        if name.lower() in _VERBATIM:
            return self._verbatim(name, value)
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in _VERBATIM:
            return self._verbatim(name, value).encode("ascii")
        return super().fold_binary(name, value)


POLICY = MailPolicy(linesep="\r\n")


def new_message_id(domain: str, idstring: str | None = None) -> str:
    """``<…@domain>``; never looks up the host name (that can hang without DNS)."""
    return make_msgid(idstring=idstring, domain=domain)


def list_unsubscribe(url: str, mailto: str) -> str:
    return f"<{url}>, <mailto:{mailto}?subject={quote('Newsletter abbestellen')}>"


def _qp_line(line: str) -> bytes:
    encoded = binascii.b2a_qp(line.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\n", b"\r\n")  # the soft line breaks


class QuotedPrintableBody:
    """A text encoded once; lines holding the placeholder are encoded per subscriber."""

    def __init__(self, text: str, placeholder: str) -> None:
        self.placeholder = placeholder
        lines = _LINE_BREAK.split(text)
        if lines and lines[-1] == "":
            lines.pop()  # the part's own line ending follows
        self.chunks: list[bytes | str] = []  # encoded runs of lines, or a line to fill in
        run: list[bytes] = []
        for line in lines:
            if placeholder in line:
                if run:
                    self.chunks.append(b"\r\n".join(run))
                    run = []
                self.chunks.append(line)
            else:
                run.append(_qp_line(line))
        if run:
            self.chunks.append(b"\r\n".join(run))

    def render(self, value: str) -> bytes:
        return b"\r\n".join(
            _qp_line(chunk.replace(self.placeholder, value)) if isinstance(chunk, str) else chunk
            for chunk in self.chunks
        )


class DigestTemplate:
    """One digest as a message, filled in per subscriber with ``render``."""

    def __init__(
        self,
        *,
        subject: str,
        text: str,
        html_body: str,
        placeholder: str,
        unsubscribe_mailto: str,
        sender: str,
        list_id: str,
        reply_to: str = "",
    ) -> None:
        marks = {name: f"rundbrief{name}{secrets.token_hex(8)}" for name in _FIELDS}
        message = EmailMessage(policy=POLICY)
        message["From"] = sender
        message["To"] = marks["to"]
        message["Date"] = marks["date"]
        message["Subject"] = subject
        message["Message-ID"] = f"<{marks['id']}@invalid>"
        if reply_to:
            message["Reply-To"] = reply_to
        message["List-Id"] = list_id
        message["List-Unsubscribe"] = list_unsubscribe(marks["url"], unsubscribe_mailto)
        message["List-Unsubscribe-Post"] = ONE_CLICK
        message.set_content(marks["text"], cte="quoted-printable")
        message.add_alternative(marks["html"], subtype="html", cte="quoted-printable")
        wire = message.as_bytes().replace(f"<{marks['id']}@invalid>".encode(), marks["id"].encode())
        names = {value.encode("ascii"): name for name, value in marks.items()}
        pieces = re.split(b"(" + b"|".join(names) + b")", wire)
        # even positions: fixed bytes; odd positions: the name of the field to fill in
        self.pieces: list[bytes | str] = [
            names[piece] if index % 2 else piece for index, piece in enumerate(pieces)
        ]
        if sorted(p for p in self.pieces if isinstance(p, str)) != sorted(_FIELDS):
            raise ValueError("a value of the digest holds a marker twice")  # cannot happen
        self.text = QuotedPrintableBody(text, placeholder)
        self.html = QuotedPrintableBody(html_body, placeholder)

    def render(
        self, *, to: str, message_id: str, unsubscribe_url: str, date: datetime | None = None
    ) -> bytes:
        """The wire form (CRLF) of one subscriber's copy."""
        values = {
            "to": header_value("To", to),
            "id": header_value("Message-ID", message_id),
            "date": format_datetime(date) if date else formatdate(localtime=True),
            "url": header_value("List-Unsubscribe", unsubscribe_url),
        }
        fields = {name: value.encode("ascii") for name, value in values.items()}
        fields["text"] = self.text.render(unsubscribe_url)
        fields["html"] = self.html.render(html.escape(unsubscribe_url, quote=True))
        return b"".join(fields[piece] if isinstance(piece, str) else piece for piece in self.pieces)


_FIELDS = ("to", "date", "id", "url", "text", "html")


def digest_message(
    *,
    subject: str,
    text: str,
    html_body: str,
    placeholder: str,
    unsubscribe_url: str,
    unsubscribe_mailto: str,
    sender: str,
    to: str,
    message_id: str,
    list_id: str,
    reply_to: str = "",
    date: datetime | None = None,
) -> bytes:
    """One subscriber's copy of a digest, on its own (the sender reuses a template)."""
    template = DigestTemplate(
        subject=subject,
        text=text,
        html_body=html_body,
        placeholder=placeholder,
        unsubscribe_mailto=unsubscribe_mailto,
        sender=sender,
        list_id=list_id,
        reply_to=reply_to,
    )
    return template.render(to=to, message_id=message_id, unsubscribe_url=unsubscribe_url, date=date)


def confirmation_message(
    *,
    site_name: str,
    confirm_url: str,
    valid_days: int,
    sender: str,
    to: str,
    message_id: str,
    reply_to: str = "",
    date: datetime | None = None,
) -> EmailMessage:
    """The double opt-in mail: no advertising, only what it is for and the link."""
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date) if date else formatdate(localtime=True)
    message["Subject"] = f"Bitte bestätige Deine Anmeldung zum Newsletter von {site_name}"
    message["Message-ID"] = message_id
    if reply_to:
        message["Reply-To"] = reply_to
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "Hallo,\n\n"
        f"jemand – hoffentlich Du – möchte den wöchentlichen Newsletter von {site_name} "
        "an diese Adresse bekommen. Bitte bestätige das mit einem Klick auf diesen Link:\n\n"
        f"{confirm_url}\n\n"
        f"Der Link gilt {valid_days} Tage. Wenn Du Dich nicht angemeldet hast, "
        "ignoriere diese E-Mail einfach: Ohne Bestätigung bekommst Du keine weitere "
        "Nachricht, und die Anmeldung wird gelöscht.\n\n"
        f"{site_name}\n"
    )
    return message
