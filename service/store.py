"""Subscribers, delivery records, the sign-up queue and the outbox in one SQLite file.
Pure (stdlib ``sqlite3``).

WAL mode, a busy timeout and short transactions, so the reader service (many threads or
processes) and a running send share the file safely. One ``Store`` serves all threads of
a process: each thread gets its own connection, and write transactions of the process
queue on a lock (``transaction()``), so they never sleep in SQLite's busy handler. The
schema is created or migrated when the file is opened (``PRAGMA user_version``); feature
modules add their own tables (``create_tables``). Subscriber times are stored as UTC ISO
8601 strings (``2026-11-27T07:30:00Z``), which sort like the times they name; the queue
and the outbox use Unix seconds.

Consent proof per subscriber: the time of the request, the time of the confirmation and
the version of the consent text; nothing else about the person (no IP address).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PENDING, CONFIRMED, UNSUBSCRIBED = "pending", "confirmed", "unsubscribed"
QUEUED, SENDING, SENT, FAILED, RETRY = "queued", "sending", "sent", "failed", "retry"
BUSY_TIMEOUT_MS = 15_000

_SCHEMA_V1 = """
CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    requested_at TEXT,
    confirmed_at TEXT,
    unsubscribed_at TEXT,
    consent_version TEXT,
    source TEXT NOT NULL DEFAULT 'form'
);
CREATE INDEX subscribers_by_status ON subscribers (status, id);
CREATE TABLE deliveries (
    issue TEXT NOT NULL,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'retry')),
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (issue, subscriber_id)
) WITHOUT ROWID;
CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id);
"""
# v2: sign-up generations (a confirm link is valid for one sign-up only), the throttle of
# confirmation mails per address, and the outbox of every mail the service sends.
_SCHEMA_V2 = """
ALTER TABLE subscribers ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN confirm_sent_at TEXT;
ALTER TABLE subscribers ADD COLUMN confirm_window_at TEXT;
ALTER TABLE subscribers ADD COLUMN confirm_window_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    data BLOB,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at REAL NOT NULL,
    created_at REAL NOT NULL,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (status, due_at)
"""
# v3: sign-up requests wait in a queue, so the answer to a sign-up is the same work
# whatever the address's state; the outbox builds some mails only when it sends them.
_SCHEMA_V3 = """
CREATE TABLE signup_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    requested_at REAL NOT NULL
);
ALTER TABLE outbox ADD COLUMN params TEXT
"""
# One entry per schema version; opening a file runs the ones it has not seen yet.
MIGRATIONS = (_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3)


def utc_iso(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    status: str
    requested_at: str | None
    confirmed_at: str | None
    unsubscribed_at: str | None
    consent_version: str | None
    source: str
    generation: int = 0  # counts the sign-ups of the address (see request_subscription)


@dataclass(frozen=True, slots=True)
class SignupRequest:
    subscriber_id: int
    generation: int  # of this sign-up; a confirm link names it
    send_confirmation: bool  # False: confirmed already, or throttled: no mail now


@dataclass(frozen=True, slots=True)
class Recipient:
    id: int
    email: str
    delivery_status: str | None  # of this issue; None: never tried


@dataclass(frozen=True, slots=True)
class Delivery:
    issue: str
    subscriber_id: int
    status: str
    message_id: str | None
    attempts: int
    last_error: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    email: str
    requested_at: str
    confirmed_at: str
    consent_version: str


class Store:
    """The database, shared by the threads of a process: each thread gets its own
    connection (``db``), opened on first use; ``close()`` closes them all."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        # Write transactions of this process's threads queue here, in Python: waiting
        # on SQLite's busy handler instead means sleeping in steps of up to 100 ms.
        self._writer = threading.Lock()
        self._migrate()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; transactions via ``transaction()``)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit; transactions are explicit
                check_same_thread=False,
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a killed process never loses a committed transaction.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            self._local.connection = connection
            with self._lock:
                # a server with a thread per request: close the connections of threads
                # that have ended, so they do not pile up
                ended = [(t, c) for t, c in self._connections if not t.is_alive()]
                self._connections = [(t, c) for t, c in self._connections if t.is_alive()]
                self._connections.append((threading.current_thread(), connection))
            for _, old in ended:
                old.close()
        return connection

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for _, connection in connections:
            connection.close()
        self._local = threading.local()

    def create_tables(self, create: Callable[[sqlite3.Connection], None]) -> None:
        """Let a feature module create its own tables (``create(connection)``), in one
        transaction; ``create`` uses ``CREATE TABLE IF NOT EXISTS``."""
        with self.transaction() as db:
            create(db)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version >= len(MIGRATIONS):
            return
        with self.transaction():
            (version,) = self.db.execute("PRAGMA user_version").fetchone()
            for number in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def transaction(self) -> _Transaction:
        """``with store.transaction() as db:`` BEGIN IMMEDIATE … COMMIT on this thread's
        connection; inside another transaction it simply joins that one."""
        return _Transaction(self, self._writer)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once this thread's transaction has committed (at once if none
        is open); dropped on rollback. E.g. waking a worker for a row it can now see."""
        if not self.db.in_transaction:
            action()
            return
        pending = getattr(self._local, "after_commit", None)
        if pending is None:
            pending = self._local.after_commit = []
        pending.append(action)

    def _take_after_commit(self) -> list[Callable[[], None]]:
        pending = getattr(self._local, "after_commit", None) or []
        self._local.after_commit = []
        return pending

    # --- subscribers -----------------------------------------------------------------

    def subscriber(self, subscriber_id: int) -> Subscriber | None:
        row = self.db.execute(
            "SELECT id, email, status, requested_at, confirmed_at, unsubscribed_at, "
            "consent_version, source, generation FROM subscribers WHERE id = ?",
            (subscriber_id,),
        ).fetchone()
        return Subscriber(*row) if row else None

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        row = self.db.execute("SELECT id FROM subscribers WHERE email = ?", (email,)).fetchone()
        return self.subscriber(row[0]) if row else None

    def request_subscription(
        self,
        email: str,
        *,
        now: float,
        consent_version: str,
        interval: int = 0,
        per_day: int | None = None,
    ) -> SignupRequest:
        """A sign-up from the form: a new sign-up (generation) with a confirmation mail,
        or no change (confirmed already, or a mail went to the address less than
        ``interval`` seconds ago, or ``per_day`` mails in the last 24 hours).

        A new sign-up counts up the generation, so the confirm links of older mails no
        longer confirm. Call it inside ``transaction()`` to enqueue the mail in the same
        transaction.
        """
        stamp = utc_iso(now)
        with self.transaction() as db:
            row = db.execute(
                "SELECT id, status, generation, confirm_sent_at, confirm_window_at, "
                "confirm_window_count FROM subscribers WHERE email = ?",
                (email,),
            ).fetchone()
            if row is None:
                cursor = db.execute(
                    "INSERT INTO subscribers (email, status, requested_at, consent_version, "
                    "source, generation, confirm_sent_at, confirm_window_at, "
                    "confirm_window_count) VALUES (?, 'pending', ?, ?, 'form', 1, ?, ?, 1)",
                    (email, stamp, consent_version, stamp, stamp),
                )
                return SignupRequest(cursor.lastrowid, 1, True)
            subscriber_id, status, generation, sent_at, window_at, window_count = row
            if status == CONFIRMED:
                return SignupRequest(subscriber_id, generation, False)
            if sent_at is not None and sent_at > utc_iso(now - interval):
                return SignupRequest(subscriber_id, generation, False)
            window_open = window_at is not None and window_at > utc_iso(now - 86400)
            if window_open and per_day is not None and window_count >= per_day:
                return SignupRequest(subscriber_id, generation, False)
            # pending (asked again) or unsubscribed (subscribes again): double opt-in anew
            generation += 1
            db.execute(
                "UPDATE subscribers SET status = 'pending', requested_at = ?, "
                "confirmed_at = NULL, consent_version = ?, source = 'form', generation = ?, "
                "confirm_sent_at = ?, confirm_window_at = ?, confirm_window_count = ? "
                "WHERE id = ?",
                (
                    stamp,
                    consent_version,
                    generation,
                    stamp,
                    window_at if window_open else stamp,
                    window_count + 1 if window_open else 1,
                    subscriber_id,
                ),
            )
            return SignupRequest(subscriber_id, generation, True)

    def queue_signup(self, email: str, *, now: float) -> None:
        """A sign-up from the form, stored as it came: the worker decides what it means
        (``take_signups``), so every answer is the same work whatever the state."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO signup_requests (email, requested_at) VALUES (?, ?)", (email, now)
            )

    def take_signups(self, limit: int = 50) -> list[tuple[str, float]]:
        """Remove and return the oldest queued sign-ups (address, time); call it inside
        ``transaction()`` together with what is done with them."""
        with self.transaction() as db:
            rows = db.execute(
                "SELECT id, email, requested_at FROM signup_requests ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
            if rows:
                db.execute("DELETE FROM signup_requests WHERE id <= ?", (rows[-1][0],))
        return [(email, requested_at) for _, email, requested_at in rows]

    def confirm(self, subscriber_id: int, *, now: float, generation: int | None = None) -> str:
        """ "confirmed" (now), "already" (was confirmed), "replaced" (a newer sign-up of
        the address has its own link) or "gone" (no pending sign-up).

        ``generation`` is the sign-up the link was made for (None: any, for imports)."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT status, generation FROM subscribers WHERE id = ?", (subscriber_id,)
            ).fetchone()
            if row is None or row[0] == UNSUBSCRIBED:
                return "gone"
            if row[0] == CONFIRMED:
                return "already"
            if generation is not None and generation != row[1]:
                return "replaced"
            db.execute(
                "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, "
                "unsubscribed_at = NULL WHERE id = ?",
                (utc_iso(now), subscriber_id),
            )
            return "confirmed"

    def unsubscribe(self, subscriber_id: int, *, now: float) -> bool:
        """True if the subscriber was on the list (pending or confirmed) until now.

        Counts up the generation: no confirm link sent before confirms any more."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?, "
                "generation = generation + 1 WHERE id = ? AND status != 'unsubscribed'",
                (utc_iso(now), subscriber_id),
            )
        return cursor.rowcount > 0

    def delete_stale_pending(self, *, older_than_days: int, now: float) -> int:
        """Delete sign-ups never confirmed within ``older_than_days``; return how many."""
        cutoff = utc_iso(now - older_than_days * 86400)
        with self.transaction() as db:
            cursor = db.execute(
                "DELETE FROM subscribers WHERE status = 'pending' AND requested_at < ?",
                (cutoff,),
            )
        return cursor.rowcount

    def import_confirmed(self, row: ImportRow, *, source: str = "import") -> str:
        """Take over one confirmed subscriber: "added", "exists" or "unsubscribed".

        A confirmed address stays as it is; a pending one is confirmed with the imported
        proof; an address that unsubscribed is never put back on the list.
        """
        with self.transaction():
            found = self.db.execute(
                "SELECT id, status FROM subscribers WHERE email = ?", (row.email,)
            ).fetchone()
            if found is not None and found[1] == CONFIRMED:
                return "exists"
            if found is not None and found[1] == UNSUBSCRIBED:
                return "unsubscribed"
            values = (row.requested_at, row.confirmed_at, row.consent_version, source)
            if found is None:
                self.db.execute(
                    "INSERT INTO subscribers (email, status, requested_at, confirmed_at, "
                    "consent_version, source) VALUES (?, 'confirmed', ?, ?, ?, ?)",
                    (row.email, *values),
                )
            else:
                self.db.execute(
                    "UPDATE subscribers SET status = 'confirmed', requested_at = ?, "
                    "confirmed_at = ?, consent_version = ?, source = ? WHERE id = ?",
                    (*values, found[0]),
                )
            return "added"

    def count(self, status: str = CONFIRMED) -> int:
        return self.db.execute(
            "SELECT count(*) FROM subscribers WHERE status = ?", (status,)
        ).fetchone()[0]

    # --- deliveries ------------------------------------------------------------------

    def recipients(self, issue: str, *, batch_size: int = 500) -> Iterator[Recipient]:
        """Confirmed subscribers in id order, in batches (memory stays flat).

        Each batch is read in its own short read; a subscriber confirmed during the send
        is included if the loop has not passed their id yet.
        """
        after = 0
        while True:
            rows = self.db.execute(
                "SELECT s.id, s.email, d.status FROM subscribers AS s "
                "LEFT JOIN deliveries AS d ON d.issue = ? AND d.subscriber_id = s.id "
                "WHERE s.status = 'confirmed' AND s.id > ? ORDER BY s.id LIMIT ?",
                (issue, after, batch_size),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield Recipient(*row)
            after = rows[-1][0]

    def count_unsent(self, issue: str, *, after_id: int = 0) -> int:
        """Confirmed subscribers (id > after_id) without a final delivery of ``issue``."""
        return self.db.execute(
            "SELECT count(*) FROM subscribers AS s "
            "LEFT JOIN deliveries AS d ON d.issue = ? AND d.subscriber_id = s.id "
            "WHERE s.status = 'confirmed' AND s.id > ? "
            "AND (d.status IS NULL OR d.status NOT IN ('sent', 'failed'))",
            (issue, after_id),
        ).fetchone()[0]

    def begin_delivery(
        self, issue: str, subscriber_id: int, message_id: str, *, now: float
    ) -> str | None:
        """Mark (issue, subscriber) 'sending' and return the Message-ID to send with.

        In one statement, so nothing can come between the check and the mark: returns
        None if the subscriber is no longer confirmed (an unsubscribe during the send is
        honoured) or the delivery is final already ('sent' or 'failed'). A retry keeps
        the Message-ID of the first attempt, so a copy sent twice is recognisably one.
        """
        row = self.db.execute(
            "INSERT INTO deliveries (issue, subscriber_id, status, message_id, attempts, "
            "updated_at) SELECT ?, id, 'sending', ?, 1, ? FROM subscribers "
            "WHERE id = ? AND status = 'confirmed' "
            "ON CONFLICT (issue, subscriber_id) DO UPDATE SET status = 'sending', "
            "message_id = coalesce(deliveries.message_id, excluded.message_id), "
            "attempts = deliveries.attempts + 1, updated_at = excluded.updated_at "
            "WHERE deliveries.status NOT IN ('sent', 'failed') "
            "RETURNING message_id",
            (issue, message_id, utc_iso(now), subscriber_id),
        ).fetchone()
        return row[0] if row else None

    def finish_delivery(
        self, issue: str, subscriber_id: int, status: str, *, now: float, error: str | None = None
    ) -> None:
        """Record the outcome of one SMTP transaction: 'sent', 'failed' or 'retry'.

        A success keeps the error of an earlier attempt (it shows why it took several).
        """
        self.db.execute(
            "UPDATE deliveries SET status = ?, last_error = coalesce(?, last_error), "
            "updated_at = ? "
            "WHERE issue = ? AND subscriber_id = ?",
            (status, error, utc_iso(now), issue, subscriber_id),
        )

    def delivery(self, issue: str, subscriber_id: int) -> Delivery | None:
        row = self.db.execute(
            "SELECT issue, subscriber_id, status, message_id, attempts, last_error, updated_at "
            "FROM deliveries WHERE issue = ? AND subscriber_id = ?",
            (issue, subscriber_id),
        ).fetchone()
        return Delivery(*row) if row else None


class _Transaction:
    """``with store.transaction() as db:`` BEGIN IMMEDIATE … COMMIT (ROLLBACK on error)."""

    def __init__(self, store: Store, writer: threading.Lock) -> None:
        self.store = store
        self.db = store.db
        self.writer = writer
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        if not self.db.in_transaction:
            self.writer.acquire()
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.writer.release()
                raise
            self.outer = True
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        try:
            if exc_type is None:
                self.db.execute("COMMIT")
            else:
                self.db.execute("ROLLBACK")
        finally:
            self.writer.release()
            actions = self.store._take_after_commit()
        if exc_type is None:
            for action in actions:
                action()
