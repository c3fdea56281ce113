"""The engine's own signals (blinker, like Pelican's): what it hands to the plugins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from blinker import signal

# Sent once per build after the article generator has finished, with the comments the
# pool loaded while Pelican read the articles: ``comments_loaded.send(generator, loaded=…)``.
comments_loaded = signal("rundbrief-comments-loaded")

# Asked (``build_now``) for the moment that counts as "now" in this build; the running
# BuildRun answers. Feeds and digests use the same moment.
now_asked = signal("rundbrief-build-now")


def build_now(settings: Mapping[str, Any]) -> datetime:
    """The build's one "now": ``FEEDS_NOW`` if set, else the moment the build began.

    Outside a build (a generator made by a unit test) the setting or the wall clock.
    """
    answers = [now for _, now in now_asked.send(None) if now is not None]
    return answers[0] if answers else configured_now(settings)


def configured_now(settings: Mapping[str, Any]) -> datetime:
    """``FEEDS_NOW`` (tests, previews) or the wall clock."""
    return settings.get("FEEDS_NOW") or datetime.now(UTC)
