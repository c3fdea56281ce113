"""Serving the reader service with gunicorn (``make newsletter-server``).

One worker process with threads (gthread): the rate limiter counts in memory, per
process, and the outbox worker runs in the same process. A listen backlog of
NEWSLETTER_SERVER_BACKLOG (2048) lets a burst of connections wait instead of being reset.
Threads only wait for the database and for request bodies (at most
NEWSLETTER_BODY_TIMEOUT); no request waits for an SMTP server. In production a reverse
proxy in front buffers request bodies and limits their size (README).
"""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication

from service.config import DeliveryConfig

SWITCH_INTERVAL = 0.0005  # seconds


def gunicorn_options(config: DeliveryConfig, host: str, port: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": config.server_threads,
        "backlog": config.server_backlog,
        "worker_connections": max(1000, config.server_threads * 4),
        "keepalive": 5,
        "timeout": 60,  # the arbiter restarts a worker that stops answering
        "graceful_timeout": 15,
        "accesslog": None,  # no client addresses, no tokens in a log
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "rundbrief-leserdienst",
    }


class ReaderServer(BaseApplication):
    """gunicorn with our options; the app is built in the worker (after the fork), so the
    outbox thread and the database connections belong to the worker process."""

    def __init__(self, config: DeliveryConfig, host: str, port: int) -> None:
        self.config = config
        self.options = gunicorn_options(config, host, port)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from service.app import ReaderService  # noqa: PLC0415

        # The outbox worker builds mails (CPU) while the request threads mostly wait for
        # the database and the network; a shorter GIL switch interval than the default
        # 5 ms lets a waiting request thread back in sooner (shorter latency tails).
        sys.setswitchinterval(SWITCH_INTERVAL)
        return ReaderService(self.config)
