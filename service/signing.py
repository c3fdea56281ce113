"""Signed links (confirm, unsubscribe, moderation, …) with itsdangerous, with key rotation.

``NEWSLETTER_SECRET`` may hold several keys: the first one signs, every one verifies, so a
key can be replaced without breaking the links in mails already sent (README: "Schlüssel
wechseln"). A token carries its purpose as the salt, so a confirm token cannot
unsubscribe and vice versa, and a JSON payload (for a confirm link: subscriber id and
sign-up generation). Tokens are URL-safe and carry their time of signing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

CONFIRM = "newsletter-confirm"
UNSUBSCRIBE = "newsletter-unsubscribe"
MAX_TOKEN_LENGTH = 400


class TokenError(ValueError):
    """``reason`` is "invalid" (malformed, tampered, wrong purpose) or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Signer:
    """Signs and reads tokens; ``keys[0]`` signs, all of ``keys`` verify."""

    def __init__(self, keys: Sequence[str], *, clock: Callable[[], float] | None = None) -> None:
        if not keys:
            raise ValueError("at least one key")
        # itsdangerous signs with the last key of its list and tries all of them.
        self._keys = [key.encode("utf-8") for key in reversed(keys)]
        self._clock = clock
        self._serializers: dict[str, URLSafeTimedSerializer] = {}

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        serializer = self._serializers.get(purpose)
        if serializer is None:
            serializer = URLSafeTimedSerializer(
                self._keys,
                salt=f"rundbrief:{purpose}",
                signer_kwargs={"digest_method": hashlib.sha256},
            )
            if self._clock is not None:
                serializer.signer = _clocked_signer(self._clock)
            self._serializers[purpose] = serializer
        return serializer

    def sign(self, purpose: str, payload: Any) -> str:
        return self._serializer(purpose).dumps(payload)

    def read(self, purpose: str, token: str, *, max_age: float | None = None) -> Any:
        """The payload; TokenError("expired") or TokenError("invalid")."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise TokenError("invalid")
        try:
            return self._serializer(purpose).loads(token, max_age=max_age)
        except SignatureExpired:
            raise TokenError("expired") from None
        except (BadSignature, ValueError, TypeError):
            raise TokenError("invalid") from None


def unsubscribe_token(signer: Signer, subscriber_id: int) -> str:
    """The token of a subscriber's unsubscribe link (it never expires)."""
    return signer.sign(UNSUBSCRIBE, subscriber_id)


def _clocked_signer(clock: Callable[[], float]) -> type[TimestampSigner]:
    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return ClockedSigner
