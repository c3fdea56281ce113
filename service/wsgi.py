"""The entry point for another WSGI server (an application factory)::

    NEWSLETTER_SETTINGS=publishconf.py \\
        .venv/bin/gunicorn --bind 127.0.0.1:8025 --workers 1 --threads 16 \\
        --worker-class gthread --backlog 2048 'service.wsgi:create_app()'

``make newsletter-server`` (``python -m service serve``) does the same with the options
of ``service.server``. The settings file defaults to ``pelicanconf.py``. Do not preload
the app in a server's master process (gunicorn ``--preload``): the outbox worker thread
must start in the process that serves.
"""

from __future__ import annotations

import os

from service.app import ReaderService
from service.config import load_config


def create_app(settings: str | None = None) -> ReaderService:
    return ReaderService(
        load_config(settings or os.environ.get("NEWSLETTER_SETTINGS", "pelicanconf.py"))
    )
