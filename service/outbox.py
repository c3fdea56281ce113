"""Every mail the service sends goes through the outbox table; a worker sends it.

``Outbox.enqueue(message, kind)`` stores the message (inside the caller's transaction if
there is one, so a sign-up and its confirmation mail are stored together or not at all)
and wakes the worker thread of this process once it is committed. No request ever waits
for an SMTP server: the answer is the same whether the server is up, slow or down.

The worker claims due messages (a lease, so several processes may send from one
database), sends them over one SMTP connection and deletes each once the server has
accepted it. A temporary failure (4xx, no connection) is tried again after a backoff that
doubles from NEWSLETTER_RETRY_DELAY up to an hour; a permanent one (5xx, an address that
cannot be written) is kept as ``failed`` without its content. A message that could not
be sent within ``GIVE_UP_AFTER`` is given up (failed). ``python -m service outbox``
(``make newsletter-outbox``) sends what is due once and reports.

``enqueue_params(kind, recipient, params)`` stores only the parameters of a mail; the
builder registered for ``kind`` makes the message when it is sent. Tasks (``add_task``)
run in the worker before each round of sending (the sign-up queue).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from service.config import DeliveryConfig
from service.smtp import DeliveryFailure, PermanentFailure, SmtpConnection
from service.store import Store

logger = logging.getLogger(__name__)

LEASE = 300.0  # seconds a claimed message is reserved for the worker that claimed it
MAX_BACKOFF = 3600.0
GIVE_UP_AFTER = 2 * 86400.0  # a message older than this is not tried again
KEEP_FAILED = 30 * 86400.0  # failed entries (without content) are deleted after this
POLL_INTERVAL = 5.0  # seconds: the worker also looks for mail other processes enqueued
BATCH = 50


@dataclass
class OutboxRun:
    claimed: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0

    def line(self) -> str:
        return (
            f"Postausgang: gesendet {self.sent}, später erneut {self.retry}, "
            f"endgültig fehlgeschlagen {self.failed}"
        )


class Outbox:
    def __init__(
        self,
        store: Store,
        config: DeliveryConfig,
        *,
        clock: Callable[[], float] = time.time,
        connect: Callable[[], SmtpConnection] | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.connect = connect or (lambda: SmtpConnection(config.smtp))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.builders: dict[str, Callable[[dict], EmailMessage]] = {}
        self.tasks: list[Callable[[], int]] = []

    def register(self, kind: str, builder: Callable[[dict], EmailMessage]) -> None:
        """How to build the mails of ``kind`` that were enqueued with ``enqueue_params``."""
        self.builders[kind] = builder

    def add_task(self, task: Callable[[], int]) -> None:
        """Work for the worker thread before it sends (e.g. queued sign-ups); ``task()``
        returns how many items it handled."""
        self.tasks.append(task)

    def wake(self) -> None:
        self._wake.set()

    # --- enqueue -----------------------------------------------------------------------

    def enqueue(self, message: EmailMessage, kind: str) -> int:
        """Store ``message`` for sending (To, Cc and Bcc are the recipients); its id."""
        recipients = [address for _, address in getaddresses(message.get_all("To", []))]
        recipients += [address for _, address in getaddresses(message.get_all("Cc", []))]
        recipients += [address for _, address in getaddresses(message.get_all("Bcc", []))]
        del message["Bcc"]
        if not recipients:
            raise ValueError("a message without recipients")
        now = self.clock()
        with self.store.transaction() as db:  # joins the caller's transaction, if any
            cursor = db.execute(
                "INSERT INTO outbox (kind, sender, recipient, data, due_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    self.config.sender_address,
                    "\n".join(recipients),
                    message.as_bytes(),
                    now,
                    now,
                ),
            )
        self.store.after_commit(self._wake.set)
        return cursor.lastrowid

    def enqueue_params(self, kind: str, recipient: str, params: dict) -> int:
        """Store a mail the builder registered for ``kind`` makes from ``params`` (JSON)
        when it is sent: the request that causes it does not pay for building it."""
        if kind not in self.builders:
            raise ValueError(f"no builder for {kind!r} mails")
        now = self.clock()
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO outbox (kind, sender, recipient, params, due_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, self.config.sender_address, recipient, json.dumps(params), now, now),
            )
        self.store.after_commit(self._wake.set)
        return cursor.lastrowid

    # --- sending -----------------------------------------------------------------------

    def _claim(self, now: float, limit: int) -> list[tuple]:
        with self.store.transaction() as db:
            return db.execute(
                "UPDATE outbox SET due_at = ?, attempts = attempts + 1 WHERE id IN ("
                "SELECT id FROM outbox WHERE status = 'queued' AND due_at <= ? "
                "ORDER BY due_at, id LIMIT ?) "
                "RETURNING id, kind, sender, recipient, data, attempts, created_at, params",
                (now + LEASE, now, limit),
            ).fetchall()

    def _backoff(self, attempts: int) -> float:
        return min(self.config.retry_delay * 2 ** max(attempts - 1, 0), MAX_BACKOFF)

    def _failed(self, entry_id: int, error: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE outbox SET status = 'failed', data = NULL, last_error = ? WHERE id = ?",
                (error[:500], entry_id),
            )

    def _later(self, entry: tuple, error: str, now: float) -> bool:
        """Try again after the backoff; False if the message is given up instead."""
        entry_id, kind, _, _, _, attempts, created_at, _ = entry
        if now - created_at >= GIVE_UP_AFTER:
            self._failed(entry_id, f"aufgegeben nach {attempts} Versuchen: {error}")
            logger.warning("Postausgang: %s-Mail #%s aufgegeben: %s", kind, entry_id, error)
            return False
        with self.store.transaction() as db:
            db.execute(
                "UPDATE outbox SET due_at = ?, last_error = ? WHERE id = ?",
                (now + self._backoff(attempts), error[:500], entry_id),
            )
        return True

    def send_due(self, limit: int = BATCH) -> OutboxRun:
        """Send the messages due now (at most ``limit``) over one connection."""
        run = OutboxRun()
        entries = self._claim(self.clock(), limit)
        run.claimed = len(entries)
        if not entries:
            return run
        connection = self.connect()
        with connection:
            for index, entry in enumerate(entries):
                entry_id, kind, sender, recipients, data = entry[:5]
                try:
                    if data is None:
                        data = self._build(kind, entry[7])
                    for recipient in recipients.split("\n"):
                        connection.send(sender, recipient, data)
                except PermanentFailure as failure:
                    self._failed(entry_id, failure.text)
                    run.failed += 1
                    logger.warning(
                        "Postausgang: %s-Mail #%s abgelehnt: %s", kind, entry_id, failure.text
                    )
                except DeliveryFailure as failure:
                    # temporary, or the setup is wrong: try again later; without a
                    # connection the rest of the batch waits as well
                    logger.warning(
                        "Postausgang: %s-Mail #%s nicht verschickt: %s",
                        kind,
                        entry_id,
                        failure.text,
                    )
                    rest = entries[index:] if failure.connection else [entry]
                    for waiting in rest:
                        if self._later(waiting, failure.text, self.clock()):
                            run.retry += 1
                        else:
                            run.failed += 1
                    if failure.connection:
                        break
                except (ValueError, UnicodeError, KeyError, TypeError) as error:
                    # an address SMTP cannot carry, or a mail that cannot be built
                    self._failed(entry_id, f"nicht versendbar: {type(error).__name__}: {error}")
                    run.failed += 1
                else:
                    with self.store.transaction() as db:
                        db.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
                    run.sent += 1
        return run

    def _build(self, kind: str, params: str | None) -> bytes:
        if params is None or kind not in self.builders:
            raise KeyError(f"keine Vorlage für {kind!r}-Mails")
        return self.builders[kind](json.loads(params)).as_bytes()

    def run_tasks(self) -> int:
        return sum(task() for task in self.tasks)

    def send_all_due(self) -> OutboxRun:
        """``send_due`` until nothing is due any more (the command)."""
        total = OutboxRun()
        while True:
            run = self.send_due()
            for name in ("claimed", "sent", "retry", "failed"):
                setattr(total, name, getattr(total, name) + getattr(run, name))
            if run.claimed < BATCH or run.retry:
                return total

    def counts(self) -> dict[str, int]:
        """Waiting ("queued") and given-up ("failed") messages."""
        rows = self.store.db.execute("SELECT status, count(*) FROM outbox GROUP BY status")
        return {"queued": 0, "failed": 0, **dict(rows.fetchall())}

    def next_due(self) -> float | None:
        row = self.store.db.execute(
            "SELECT min(due_at) FROM outbox WHERE status = 'queued'"
        ).fetchone()
        return row[0]

    def cleanup(self) -> int:
        with self.store.transaction() as db:
            cursor = db.execute(
                "DELETE FROM outbox WHERE status = 'failed' AND created_at < ?",
                (self.clock() - KEEP_FAILED,),
            )
        return cursor.rowcount

    # --- the worker thread -------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._work, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        thread.join(timeout)

    def _work(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_tasks()
                run = self.send_due()
                if run.claimed == BATCH and not run.retry:
                    continue
                due = self.next_due()
            except Exception:  # the worker must outlive any error; it is logged
                logger.exception("Postausgang: unerwarteter Fehler")
                due = None
            wait = POLL_INTERVAL if due is None else due - self.clock()
            self._wake.wait(min(max(wait, 0.01), POLL_INTERVAL))
