"""Sending one digest to every confirmed subscriber, exactly once.

The deliveries table holds (issue, subscriber) with its status. Before each SMTP
transaction the row is marked 'sending' (committed), after the server accepted the
message 'sent' (committed). A re-run skips 'sent' and 'failed' rows and sends the rest,
so a killed send, run again, delivers every copy once; only a message that was in
flight at the kill ('sending', perhaps accepted) goes out a second time, with the same
Message-ID.

The loop reads subscribers in id order in batches, re-checks each one's status in the
same statement that marks the row (an unsubscribe during the send is honoured), reuses
one SMTP connection, paces to NEWSLETTER_RATE, retries temporary failures with
exponential backoff, records permanent ones and goes on.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from rundbrief.digest.manifest import Digest
from service import signing
from service.config import ConfigError, DeliveryConfig
from service.message import DigestTemplate, new_message_id
from service.smtp import (
    FatalSmtpError,
    PermanentFailure,
    SmtpConnection,
    TemporaryFailure,
    UnusableAddress,
)
from service.store import FAILED, RETRY, SENT, Recipient, Store

EXIT_OK, EXIT_FATAL, EXIT_RETRY_LATER = 0, 1, 75  # 75 = EX_TEMPFAIL: run again later


@dataclass
class SendSummary:
    issue: str
    total: int = 0
    sent: int = 0
    already: int = 0
    failed: int = 0
    unusable: int = 0  # of the failed: addresses that cannot be used at all
    retry: int = 0
    unsubscribed: int = 0  # left the list while this send ran
    aborted: str = ""  # why the send stopped early
    fatal: bool = False  # ... because the setup is wrong (retrying cannot help)

    @property
    def done(self) -> int:
        return self.sent + self.already + self.failed + self.retry + self.unsubscribed

    def line(self) -> str:
        text = (
            f"gesendet: {self.sent}, bereits gesendet: {self.already}, "
            f"endgültig fehlgeschlagen: {self.failed}, später erneut: {self.retry}"
        )
        if self.unsubscribed:
            text += f", während des Versands abgemeldet: {self.unsubscribed}"
        if self.unusable:
            text += f" (davon unbrauchbare Adressen: {self.unusable})"
        return text

    @property
    def exit_code(self) -> int:
        if self.fatal:
            return EXIT_FATAL
        return EXIT_RETRY_LATER if self.retry else EXIT_OK


@dataclass
class Progress:
    """One status line on stderr: rewritten in place on a terminal, else every 10 %."""

    summary: SendSummary
    stream: TextIO
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    _last: float = field(default=0.0)
    _next_share: int = field(default=1)

    def __post_init__(self) -> None:
        self.started = self._last = self.clock()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def _text(self) -> str:
        s = self.summary
        elapsed = max(self.clock() - self.started, 1e-6)
        return (
            f"{s.issue}: {s.done}/{s.total} · gesendet {s.sent} · bereits {s.already} · "
            f"fehlgeschlagen {s.failed} · später {s.retry} · {s.sent / elapsed:.0f} Nachr./s"
        )

    def update(self) -> None:
        if self.tty:
            now = self.clock()
            if now - self._last >= 0.2:
                self._last = now
                self.stream.write("\r" + self._text())
                self.stream.flush()
        elif self.summary.total and self.summary.done * 10 >= self._next_share * self.summary.total:
            self._next_share = self.summary.done * 10 // self.summary.total + 1
            self.stream.write(self._text() + "\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        """A line of its own (an error), without breaking the status line."""
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r" + self._text() + "\n")
            self.stream.flush()


class Pacer:
    """At most ``rate`` calls of ``wait()`` per second (0 = no limit)."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


class SendAborted(Exception):
    pass


@contextlib.contextmanager
def send_lock(db_path: Path) -> Iterator[None]:
    """Only one send at a time per database (released by the OS even on kill -9)."""
    lock_path = db_path.with_name(db_path.name + ".send.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"Es läuft schon ein Versand mit dieser Datenbank ({db_path}). "
                "Warte, bis er fertig ist, und starte dann erneut."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class DigestSender:
    def __init__(
        self,
        config: DeliveryConfig,
        digest: Digest,
        store: Store,
        *,
        connection: SmtpConnection | None = None,
        stream: TextIO | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.digest = digest
        self.store = store
        self.signer = signing.Signer(config.secret_keys())
        self.service_url = config.require_service_url()
        self.connection = connection or SmtpConnection(config.smtp)
        self.sleep = sleep
        self.wall_clock = wall_clock
        self.pacer = Pacer(config.rate, sleep=sleep)
        self.summary = SendSummary(digest.issue)
        self.progress = Progress(self.summary, stream or sys.stderr)
        self.zone = ZoneInfo(config.timezone)
        self.template = DigestTemplate(
            subject=digest.subject,
            text=digest.text,
            html_body=digest.html,
            placeholder=digest.placeholder,
            unsubscribe_mailto=config.unsubscribe_mailto,
            sender=config.sender,
            list_id=config.list_id,
            reply_to=config.reply_to,
        )

    def message_bytes(self, recipient: Recipient, message_id: str) -> bytes:
        token = signing.unsubscribe_token(self.signer, recipient.id)
        return self.template.render(
            to=recipient.email,
            message_id=message_id,
            unsubscribe_url=f"{self.service_url}/unsubscribe?token={token}",
            date=datetime.now(self.zone),
        )

    def run(self) -> SendSummary:
        issue = self.digest.issue
        self.summary.total = self.store.count()
        current: Recipient | None = None
        try:
            with self.connection:
                for current in self.store.recipients(issue):
                    if current.delivery_status == SENT:
                        self.summary.already += 1
                    elif current.delivery_status == FAILED:
                        self.summary.failed += 1
                    else:
                        self._deliver(current)
                    self.progress.update()
        except (SendAborted, FatalSmtpError) as error:
            self.summary.aborted = str(error)
            self.summary.fatal = isinstance(error, FatalSmtpError)
            # the current subscriber is marked 'retry'; count it and all not yet tried
            after_id = current.id - 1 if current is not None else 0
            self.summary.retry += self.store.count_unsent(issue, after_id=after_id)
        self.progress.finish()
        return self.summary

    def _outcome(self, recipient: Recipient) -> None:
        """begin_delivery refused: already final, or no longer confirmed."""
        delivery = self.store.delivery(self.digest.issue, recipient.id)
        if delivery is not None and delivery.status == SENT:
            self.summary.already += 1
        elif delivery is not None and delivery.status == FAILED:
            self.summary.failed += 1
        else:
            self.summary.unsubscribed += 1

    def _deliver(self, recipient: Recipient) -> None:
        issue, store, attempts = self.digest.issue, self.store, self.config.attempts
        data, data_id = b"", ""
        for attempt in range(1, attempts + 1):
            self.pacer.wait()
            fresh_id = new_message_id(self.config.mail_domain)
            message_id = store.begin_delivery(issue, recipient.id, fresh_id, now=self.wall_clock())
            if message_id is None:
                self._outcome(recipient)
                return
            try:
                if message_id != data_id:
                    data, data_id = self.message_bytes(recipient, message_id), message_id
                self.connection.send(self.config.sender_address, recipient.email, data)
            except (PermanentFailure, UnicodeError, ValueError) as error:
                # the address (or this message to it) will never go through: record it
                # as failed for good and go on with the next subscriber
                failure = (
                    error
                    if isinstance(error, PermanentFailure)
                    else UnusableAddress(f"Adresse nicht verwendbar ({type(error).__name__})")
                )
                store.finish_delivery(
                    issue, recipient.id, FAILED, now=self.wall_clock(), error=failure.text
                )
                self.summary.failed += 1
                self.summary.unusable += isinstance(failure, UnusableAddress)
                self.progress.note(
                    f"Abonnent #{recipient.id}: endgültig fehlgeschlagen: {failure.text}"
                )
                return
            except TemporaryFailure as failure:
                store.finish_delivery(
                    issue, recipient.id, RETRY, now=self.wall_clock(), error=failure.text
                )
                if attempt == attempts:
                    if failure.connection:
                        raise SendAborted(
                            f"Der SMTP-Server ist nicht erreichbar ({failure.text}). "
                            "Der Versand wird abgebrochen; später mit demselben Befehl "
                            "fortsetzen."
                        ) from failure
                    self.summary.retry += 1
                    self.progress.note(
                        f"Abonnent #{recipient.id}: vorübergehend fehlgeschlagen "
                        f"({attempts} Versuche), später erneut: {failure.text}"
                    )
                    return
                self.sleep(self.config.retry_delay * 2 ** (attempt - 1))
            except FatalSmtpError as failure:
                store.finish_delivery(
                    issue, recipient.id, RETRY, now=self.wall_clock(), error=failure.text
                )
                raise
            else:
                store.finish_delivery(issue, recipient.id, SENT, now=self.wall_clock())
                self.summary.sent += 1
                return


def write_outbox(
    config: DeliveryConfig, digest: Digest, store: Store, *, wall_clock=time.time
) -> tuple[Path, int, int]:
    """Dry run: one ``<subscriber id>.eml`` per recipient a send would mail now.

    Sends nothing and changes no delivery record. Returns (folder, written, already sent).
    The files hold addresses: they are readable by the owner only.
    """
    sender = DigestSender(config, digest, store, wall_clock=wall_clock)
    folder = config.outbox / digest.issue
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob("*.eml"):
        old.unlink()
    written = already = 0
    for recipient in store.recipients(digest.issue):
        if recipient.delivery_status in (SENT, FAILED):
            already += 1
            continue
        try:
            data = sender.message_bytes(recipient, new_message_id(config.mail_domain))
        except (UnicodeError, ValueError):  # an unusable address: the send records it
            continue
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        descriptor = os.open(folder / f"{recipient.id}.eml", flags, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        written += 1
    return folder, written, already
