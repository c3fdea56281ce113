"""The comment settings the reader service needs, read from the same settings file.

The specs (names, defaults, checks) are ``rundbrief.comments.settings.SPECS``, shared with
the build; here they are validated and turned into paths and values. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rundbrief.comments.settings import SPECS
from rundbrief.dates import DEFAULT_TIMEZONE
from rundbrief.settings_check import checked_values
from rundbrief.settings_file import path_in


@dataclass(frozen=True)
class CommentsConfig:
    comments_dir: Path  # content/comments (PATH + COMMENTS_PATH)
    output_path: Path  # the built site (for the article manifest)
    base_dir: Path  # the folder of the settings file: where the publish command runs
    max_length: int
    max_links: int
    moderator: str  # '' = no moderation mail (use `make comments`)
    publish_command: str  # '' = none
    publish_timeout: int
    timezone: str
    post_url: str  # the form's action, as the build writes it ('' = no form)


def comments_config_from_settings(settings: Mapping[str, Any], *, base_dir: Path) -> CommentsConfig:
    value = checked_values(settings, SPECS, source="Einstellungen der Kommentare")
    path = partial(path_in, base_dir)

    # PATH and OUTPUT_PATH are Pelican's own settings (its defaults: "." and "output").
    content = path(settings.get("PATH") or ".")
    return CommentsConfig(
        comments_dir=content / value["COMMENTS_PATH"],
        output_path=path(settings.get("OUTPUT_PATH") or "output"),
        base_dir=base_dir,
        max_length=value["COMMENTS_MAX_LENGTH"],
        max_links=value["COMMENTS_MAX_LINKS"],
        moderator=value["COMMENTS_MODERATOR_EMAIL"] or value["COMMENTS_REPLY_EMAIL"],
        publish_command=value["COMMENTS_PUBLISH_COMMAND"].strip(),
        publish_timeout=value["COMMENTS_PUBLISH_TIMEOUT"],
        timezone=settings.get("TIMEZONE") or DEFAULT_TIMEZONE,
        post_url=value["COMMENTS_POST_URL"],
    )
