"""Declarative settings validation, in the manner of MkDocs: collect every problem, then stop.

Pure: imports no Pelican. Each plugin lists its settings as ``Setting`` objects in its
``settings.py`` (``SPECS``); ``validate`` checks a settings mapping against them and
returns one readable line per bad value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any], bool]
SETTINGS_SOURCE = "Einstellungen (pelicanconf.py bzw. publishconf.py)"


class SettingsError(SystemExit):
    """Bad settings: the build stops with this message and exit status 1, no traceback."""

    def __init__(
        self, errors: list[str], source: str = "Einstellungen (pelicanconf.py bzw. publishconf.py)"
    ) -> None:
        self.errors = errors
        lines = [f"{source}: {len(errors)} ungültige Einstellung(en), der Build wird abgebrochen:"]
        lines += [f"  - {error}" for error in errors]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, a check and a human description of what is allowed."""

    name: str
    default: Any
    check: Check
    allowed: str

    def problem(self, value: Any) -> str | None:
        try:
            ok = self.check(value)
        except (TypeError, ValueError):
            ok = False
        if ok:
            return None
        return f"{self.name} = {value!r} ist ungültig; erlaubt: {self.allowed}."


def one_of(*choices: Any) -> Check:
    return lambda value: value in choices


def int_between(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return value >= low and (high is None or value <= high)

    return check


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def is_nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_url_base(value: Any) -> bool:
    """An absolute http(s) URL without a trailing slash, or the empty string."""
    if not isinstance(value, str):
        return False
    if value == "":
        return True
    return value.startswith(("http://", "https://")) and not value.endswith("/")


def list_of(check: Check) -> Check:
    return lambda value: isinstance(value, list | tuple) and all(check(v) for v in value)


def validate(settings: Mapping[str, Any], specs: Iterable[Setting]) -> list[str]:
    """Return one message per bad setting (missing settings take their default)."""
    errors = []
    for spec in specs:
        value = settings.get(spec.name, spec.default)
        message = spec.problem(value)
        if message:
            errors.append(message)
    return errors


def checked_values(
    settings: Mapping[str, Any], specs: Iterable[Setting], *, source: str
) -> dict[str, Any]:
    """Every spec's value (its default where unset), or SettingsError naming all bad ones
    (``source`` says whose settings they are)."""
    specs = list(specs)
    errors = validate(settings, specs)
    if errors:
        raise SettingsError(errors, source=source)
    return {spec.name: settings.get(spec.name, spec.default) for spec in specs}


def defaults(specs: Iterable[Setting]) -> dict[str, Any]:
    return {spec.name: spec.default for spec in specs}


# The prefixes of our own settings: a name with one of them that no spec declares is a typo.
OUR_PREFIXES = (
    "ARTICLEPAGE_",
    "BUILD_",
    "COMMENTS_",
    "FEEDS_",
    "IMAGES_",
    "IMPRESSUM_",
    "NEWSLETTER_",
    "QUALITY_",
    "READING_",
    "SEARCH_",
    "SEO_",
    "SHARE_",
)


def unknown_settings(
    settings: Mapping[str, Any], specs: Iterable[Setting], other_known: Collection[str] = ()
) -> list[str]:
    """One message per setting that looks like ours but that no spec declares.

    A name counts as ours when it starts with one of ``OUR_PREFIXES`` or is close to a
    declared name (``NEWSLETER_MAX_ITEMS``); names in ``other_known`` (Pelican's own
    settings) are never reported. The message names the closest declared setting.
    """
    known = sorted({spec.name for spec in specs})
    messages = []
    for name in sorted(settings):
        if not name.isupper() or name in known or name in other_known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if not (name.startswith(OUR_PREFIXES) or close):
            continue
        hint = f" Meintest Du {close[0]}?" if close else ""
        messages.append(
            f"Die Einstellung {name} gibt es nicht; sie wird nicht beachtet.{hint} "
            "So beheben: den Namen berichtigen oder die Zeile löschen."
        )
    return messages
