"""Pending comments and reply-notification subscriptions: two tables in the service's
SQLite database. Pure (stdlib ``sqlite3``): every function takes an open connection, the
caller owns the transaction.

A comment row holds what will be published (name, website, text) and its state:
``pending`` → ``approved`` (then ``published_id`` is its file id) | ``spam`` | ``deleted``.
Spam and deleted comments keep only their fingerprint (for duplicate detection), never
their text. No IP address is stored anywhere.

E-mail addresses live only in ``comment_subscriptions`` (a commenter who asked to hear
about replies): ``pending`` until the confirm link is used, then ``confirmed``. A row is
deleted on unsubscribe, with its comment (spam, deleted), and when it has not been used
for ``KEEP_DAYS`` days (``purge``).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

PENDING, APPROVED, SPAM, DELETED = "pending", "approved", "spam", "deleted"
STATUSES = (PENDING, APPROVED, SPAM, DELETED)
KEEP_DAYS = 30  # an address unused this long is deleted

SCHEMA = """
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,
    parent TEXT,
    author TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'deleted')),
    created_at REAL NOT NULL,
    decided_at REAL,
    published_id TEXT,
    notified INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_by_status ON comments (status, id);
CREATE INDEX IF NOT EXISTS comments_by_fingerprint ON comments (fingerprint);
CREATE INDEX IF NOT EXISTS comments_by_published ON comments (slug, published_id);
CREATE TABLE IF NOT EXISTS comment_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
    nonce TEXT NOT NULL,
    created_at REAL NOT NULL,
    confirmed_at REAL,
    last_used_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS subscriptions_by_comment ON comment_subscriptions (comment_id);
CREATE INDEX IF NOT EXISTS subscriptions_by_use ON comment_subscriptions (last_used_at);
CREATE INDEX IF NOT EXISTS subscriptions_by_email ON comment_subscriptions (email COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS comment_replies_sent (
    subscription_id INTEGER NOT NULL REFERENCES comment_subscriptions (id) ON DELETE CASCADE,
    reply_id TEXT NOT NULL,
    PRIMARY KEY (subscription_id, reply_id)
) WITHOUT ROWID;
"""


def create_tables(connection: sqlite3.Connection) -> None:
    """Create the tables inside the caller's transaction (``executescript`` would commit)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)


@dataclass(frozen=True, slots=True)
class StoredComment:
    id: int
    slug: str
    parent: str | None
    author: str
    url: str
    body: str
    status: str
    created_at: float
    published_id: str | None
    notified: bool


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    comment_id: int
    email: str
    status: str
    nonce: str


_COMMENT_COLUMNS = "id, slug, parent, author, url, body, status, created_at, published_id, notified"


def _comment(row) -> StoredComment:
    return StoredComment(*row[:-1], notified=bool(row[-1]))


def is_duplicate(connection: sqlite3.Connection, fingerprint: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM comments WHERE fingerprint = ? AND status != ? LIMIT 1",
        (fingerprint, DELETED),
    ).fetchone()
    return row is not None


def add_comment(
    connection: sqlite3.Connection,
    *,
    slug: str,
    parent: str | None,
    author: str,
    url: str,
    body: str,
    fingerprint: str,
    now: float,
) -> int:
    cursor = connection.execute(
        "INSERT INTO comments (slug, parent, author, url, body, fingerprint, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (slug, parent, author, url, body, fingerprint, PENDING, now),
    )
    return int(cursor.lastrowid)


def get_comment(connection: sqlite3.Connection, comment_id: int) -> StoredComment | None:
    row = connection.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE id = ?", (comment_id,)
    ).fetchone()
    return _comment(row) if row else None


def pending_comments(connection: sqlite3.Connection) -> list[StoredComment]:
    rows = connection.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE status = ? ORDER BY id", (PENDING,)
    ).fetchall()
    return [_comment(row) for row in rows]


def mark_approved(
    connection: sqlite3.Connection, comment_id: int, published_id: str, now: float
) -> None:
    connection.execute(
        "UPDATE comments SET status = ?, published_id = ?, decided_at = ? WHERE id = ?",
        (APPROVED, published_id, now, comment_id),
    )


def mark_rejected(connection: sqlite3.Connection, comment_id: int, status: str, now: float):
    """Spam or deleted: the text goes, the fingerprint stays; so do the addresses."""
    if status not in (SPAM, DELETED):
        raise ValueError(status)
    connection.execute(
        "UPDATE comments SET status = ?, author = '', url = '', body = '', decided_at = ?"
        " WHERE id = ?",
        (status, now, comment_id),
    )
    connection.execute(
        "DELETE FROM comment_replies_sent WHERE subscription_id IN"
        " (SELECT id FROM comment_subscriptions WHERE comment_id = ?)",
        (comment_id,),
    )
    connection.execute("DELETE FROM comment_subscriptions WHERE comment_id = ?", (comment_id,))


def unnotified_approved(connection: sqlite3.Connection) -> list[StoredComment]:
    rows = connection.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE status = ? AND notified = 0 ORDER BY id",
        (APPROVED,),
    ).fetchall()
    return [_comment(row) for row in rows]


def mark_notified(connection: sqlite3.Connection, comment_id: int) -> None:
    connection.execute("UPDATE comments SET notified = 1 WHERE id = ?", (comment_id,))


def add_subscription(
    connection: sqlite3.Connection, comment_id: int, email: str, now: float
) -> Subscription:
    nonce = secrets.token_urlsafe(12)
    cursor = connection.execute(
        "INSERT INTO comment_subscriptions (comment_id, email, status, nonce, created_at,"
        " last_used_at) VALUES (?, ?, 'pending', ?, ?, ?)",
        (comment_id, email, nonce, now, now),
    )
    return Subscription(int(cursor.lastrowid), comment_id, email, "pending", nonce)


_SUBSCRIPTION_COLUMNS = "id, comment_id, email, status, nonce"


def requests_since(connection: sqlite3.Connection, email: str, since: float) -> list[float]:
    """When notices were asked for ``email`` (each one sent a confirm mail) since ``since``."""
    rows = connection.execute(
        "SELECT created_at FROM comment_subscriptions WHERE email = ? COLLATE NOCASE"
        " AND created_at >= ? ORDER BY created_at",
        (email, since),
    ).fetchall()
    return [row[0] for row in rows]


def get_subscription(connection: sqlite3.Connection, subscription_id: int) -> Subscription | None:
    row = connection.execute(
        f"SELECT {_SUBSCRIPTION_COLUMNS} FROM comment_subscriptions WHERE id = ?",
        (subscription_id,),
    ).fetchone()
    return Subscription(*row) if row else None


def subscriptions_of(
    connection: sqlite3.Connection, comment_id: int, *, confirmed_only: bool = True
) -> list[Subscription]:
    query = f"SELECT {_SUBSCRIPTION_COLUMNS} FROM comment_subscriptions WHERE comment_id = ?"
    if confirmed_only:
        query += " AND status = 'confirmed'"
    return [Subscription(*row) for row in connection.execute(query + " ORDER BY id", (comment_id,))]


def confirmed_with_comments(
    connection: sqlite3.Connection,
) -> list[tuple[Subscription, StoredComment]]:
    """Every confirmed subscription of a published comment, with that comment."""
    columns = ", ".join(f"c.{name.strip()}" for name in _COMMENT_COLUMNS.split(","))
    rows = connection.execute(
        "SELECT s.id, s.comment_id, s.email, s.status, s.nonce, "
        f"{columns} FROM comment_subscriptions s JOIN comments c ON c.id = s.comment_id"
        " WHERE s.status = 'confirmed' AND c.status = ? AND c.published_id IS NOT NULL"
        " ORDER BY s.id",
        (APPROVED,),
    ).fetchall()
    return [(Subscription(*row[:5]), _comment(row[5:])) for row in rows]


def reply_sent(connection: sqlite3.Connection, subscription_id: int, reply_id: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM comment_replies_sent WHERE subscription_id = ? AND reply_id = ?",
        (subscription_id, reply_id),
    ).fetchone()
    return row is not None


def mark_reply_sent(connection: sqlite3.Connection, subscription_id: int, reply_id: str):
    connection.execute(
        "INSERT OR IGNORE INTO comment_replies_sent (subscription_id, reply_id) VALUES (?, ?)",
        (subscription_id, reply_id),
    )


def confirm_subscription(connection: sqlite3.Connection, subscription_id: int, now: float):
    connection.execute(
        "UPDATE comment_subscriptions SET status = 'confirmed', confirmed_at = ?,"
        " last_used_at = ? WHERE id = ?",
        (now, now, subscription_id),
    )


def touch_subscription(connection: sqlite3.Connection, subscription_id: int, now: float):
    connection.execute(
        "UPDATE comment_subscriptions SET last_used_at = ? WHERE id = ?", (now, subscription_id)
    )


def delete_subscription(connection: sqlite3.Connection, subscription_id: int) -> bool:
    connection.execute(
        "DELETE FROM comment_replies_sent WHERE subscription_id = ?", (subscription_id,)
    )
    cursor = connection.execute(
        "DELETE FROM comment_subscriptions WHERE id = ?", (subscription_id,)
    )
    return cursor.rowcount > 0


def purge(connection: sqlite3.Connection, now: float, keep_days: int = KEEP_DAYS) -> int:
    """Delete every address unused for ``keep_days`` days; returns how many went."""
    cutoff = now - keep_days * 86_400
    connection.execute(
        "DELETE FROM comment_replies_sent WHERE subscription_id IN"
        " (SELECT id FROM comment_subscriptions WHERE last_used_at < ?)",
        (cutoff,),
    )
    cursor = connection.execute(
        "DELETE FROM comment_subscriptions WHERE last_used_at < ?", (cutoff,)
    )
    return cursor.rowcount
