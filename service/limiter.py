"""A rate limit per key (a client address, a route and a client, …), in memory.

``limiter.hit(key)`` counts one request and answers whether it is allowed: True while
the key has made fewer than ``per_minute`` requests in the last 60 seconds, False
beyond (the request is then not counted). ``per_minute`` 0 means no limit.

In memory and per process: no address is ever stored on disk. With several gunicorn
workers each counts on its own (``make newsletter-server`` runs one worker with threads);
the reverse proxy may limit as well (README).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Limiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def hit(self, key: str, per_minute: int | None = None) -> bool:
        """Count a request of ``key``; False if it is over the limit (a route may pass
        its own ``per_minute``)."""
        limit = self.per_minute if per_minute is None else per_minute
        if not limit:
            return True
        now = self.clock()
        with self._lock:
            if now >= self._next_prune:
                self._prune(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def _prune(self, now: float) -> None:
        """Forget keys without a hit in the last minute (memory stays bounded)."""
        self._hits = {key: hits for key, hits in self._hits.items() if hits and hits[-1] > now - 60}
        self._next_prune = now + 60
