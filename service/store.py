"""Subscribers and delivery records in one SQLite file. Pure (stdlib ``sqlite3``).

WAL mode, a busy timeout and short transactions, so the subscription service (many
threads or processes) and a running send share the file safely. The schema is created
or migrated when the file is opened (``PRAGMA user_version``). Times are stored as UTC
ISO 8601 strings (``2026-11-27T07:30:00Z``), which sort like the times they name.

Consent proof per subscriber: the time of the request, the time of the confirmation and
the version of the consent text; nothing else about the person (no IP address).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
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
# One entry per schema version; opening a file runs the ones it has not seen yet.
MIGRATIONS = (_SCHEMA_V1,)


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


@dataclass(frozen=True, slots=True)
class SignupRequest:
    subscriber_id: int
    send_confirmation: bool  # False: the address is confirmed already, nothing to do


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
    """One connection to the database; use one Store per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit; transactions are explicit
            check_same_thread=False,
        )
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a killed process never loses a committed transaction.
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

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
        return _Transaction(self.db)

    # --- subscribers -----------------------------------------------------------------

    def subscriber(self, subscriber_id: int) -> Subscriber | None:
        row = self.db.execute(
            "SELECT id, email, status, requested_at, confirmed_at, unsubscribed_at, "
            "consent_version, source FROM subscribers WHERE id = ?",
            (subscriber_id,),
        ).fetchone()
        return Subscriber(*row) if row else None

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        row = self.db.execute("SELECT id FROM subscribers WHERE email = ?", (email,)).fetchone()
        return self.subscriber(row[0]) if row else None

    def request_subscription(
        self, email: str, *, now: float, consent_version: str
    ) -> SignupRequest:
        """A sign-up from the form: new or renewed pending subscriber, or no change."""
        stamp = utc_iso(now)
        with self.transaction():
            row = self.db.execute(
                "SELECT id, status FROM subscribers WHERE email = ?", (email,)
            ).fetchone()
            if row is None:
                cursor = self.db.execute(
                    "INSERT INTO subscribers (email, status, requested_at, consent_version, "
                    "source) VALUES (?, 'pending', ?, ?, 'form')",
                    (email, stamp, consent_version),
                )
                return SignupRequest(cursor.lastrowid, True)
            subscriber_id, status = row
            if status == CONFIRMED:
                return SignupRequest(subscriber_id, False)
            # pending (asked again) or unsubscribed (subscribes again): double opt-in anew
            self.db.execute(
                "UPDATE subscribers SET status = 'pending', requested_at = ?, "
                "confirmed_at = NULL, consent_version = ?, source = 'form' WHERE id = ?",
                (stamp, consent_version, subscriber_id),
            )
            return SignupRequest(subscriber_id, True)

    def confirm(self, subscriber_id: int, *, now: float) -> str:
        """ "confirmed" (now), "already" (was confirmed) or "gone" (no pending sign-up)."""
        with self.transaction():
            row = self.db.execute(
                "SELECT status FROM subscribers WHERE id = ?", (subscriber_id,)
            ).fetchone()
            if row is None or row[0] == UNSUBSCRIBED:
                return "gone"
            if row[0] == CONFIRMED:
                return "already"
            self.db.execute(
                "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, "
                "unsubscribed_at = NULL WHERE id = ?",
                (utc_iso(now), subscriber_id),
            )
            return "confirmed"

    def unsubscribe(self, subscriber_id: int, *, now: float) -> bool:
        """True if the subscriber was on the list (pending or confirmed) until now."""
        cursor = self.db.execute(
            "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? "
            "WHERE id = ? AND status != 'unsubscribed'",
            (utc_iso(now), subscriber_id),
        )
        return cursor.rowcount > 0

    def delete_stale_pending(self, *, older_than_days: int, now: float) -> int:
        """Delete sign-ups never confirmed within ``older_than_days``; return how many."""
        cutoff = utc_iso(now - older_than_days * 86400)
        cursor = self.db.execute(
            "DELETE FROM subscribers WHERE status = 'pending' AND requested_at < ?", (cutoff,)
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
    """``with store.transaction():`` BEGIN IMMEDIATE … COMMIT (ROLLBACK on error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
