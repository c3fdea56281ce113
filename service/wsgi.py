"""The entry point for a WSGI server such as gunicorn (an application factory)::

    NEWSLETTER_SETTINGS=publishconf.py \\
        .venv/bin/gunicorn --bind 127.0.0.1:8025 --workers 1 --threads 8 \\
        'service.wsgi:create_app()'

The settings file defaults to ``pelicanconf.py`` in the working directory.
"""

from __future__ import annotations

import os

from service.config import load_config
from service.web import SubscriptionService


def create_app(settings: str | None = None) -> SubscriptionService:
    return SubscriptionService(
        load_config(settings or os.environ.get("NEWSLETTER_SETTINGS", "pelicanconf.py"))
    )
