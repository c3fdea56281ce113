"""Signed links for confirming and unsubscribing. Pure (stdlib ``hmac``).

A token is ``<subscriber id>.<issued at, Unix seconds>.<signature>``; the signature is
HMAC-SHA256 over purpose, id and time, so a confirm token cannot unsubscribe and vice
versa, and no digit can be changed. Confirm tokens expire; unsubscribe tokens do not (a
digest from last year must still unsubscribe with one click).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
PURPOSES = (CONFIRM, UNSUBSCRIBE)
MAX_TOKEN_LENGTH = 120
CLOCK_SKEW = 300  # seconds a token may seem to come from the future
_TOKEN = re.compile(r"^([1-9][0-9]{0,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")


class TokenError(ValueError):
    """``reason`` is "invalid" (malformed, tampered, wrong purpose) or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _signature(secret: bytes, purpose: str, subscriber_id: int, issued_at: int) -> str:
    message = f"rundbrief-newsletter:{purpose}:{subscriber_id}:{issued_at}".encode("ascii")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_token(secret: bytes, purpose: str, subscriber_id: int, issued_at: float) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    issued = int(issued_at)
    return f"{subscriber_id}.{issued}.{_signature(secret, purpose, subscriber_id, issued)}"


def read_token(
    secret: bytes, purpose: str, token: str, *, now: float, max_age: float | None = None
) -> int:
    """The subscriber id the token was made for; TokenError if it is not valid (now)."""
    match = _TOKEN.match(token or "") if len(token or "") <= MAX_TOKEN_LENGTH else None
    if match is None:
        raise TokenError("invalid")
    subscriber_id, issued_at = int(match[1]), int(match[2])
    expected = _signature(secret, purpose, subscriber_id, issued_at)
    if not hmac.compare_digest(expected, match[3]):
        raise TokenError("invalid")
    if issued_at > now + CLOCK_SKEW:
        raise TokenError("invalid")
    if max_age is not None and now - issued_at > max_age:
        raise TokenError("expired")
    return subscriber_id
