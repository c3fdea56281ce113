"""Dates as the site's files write them: the one parser and the one default time zone. Pure.

Accepted in every header (articles, pages, comments) and by the importers — one set:

- ``2015-06-19`` (midnight), ``2015-06-19 08:30`` (or ``8:30``), ``2015-06-19 08:30:15``
  (also with fractions of a second, and with ``T`` instead of the space);
- any of these with an offset: ``2015-06-19T08:30+02:00``, ``…+0200``, ``…Z``.

A value without an offset is in the site's time zone (``TIMEZONE``, default
``DEFAULT_TIMEZONE``). The subscriber CSV import also reads what other newsletter services
export (``parse_import_date``: German ``19.06.2015 08:30`` and Unix seconds) on top.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

DEFAULT_TIMEZONE = "Europe/Berlin"
FORMATS_HINT = "JJJJ-MM-TT HH:MM, z. B. 2015-06-19 08:30, oder mit Versatz 2015-06-19T08:30+02:00"

_DATE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{1,2})(?P<time>:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?"
    r" ?(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
_GERMAN = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:,? (?P<time>\d{1,2}:\d{2}(?::\d{2})?))?$"
)


def parse_date(value: str, tz: tzinfo) -> datetime | None:
    """The moment ``value`` names (aware), or None if it is not in the accepted formats."""
    match = _DATE.match(value.strip())
    if match is None or (match["offset"] and not match["time"]):
        return None
    offset = match["offset"] or ""
    if offset and offset != "Z" and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    stamp = match["day"] + (f"T{int(match['hour']):02d}{match['time']}" if match["time"] else "")
    try:
        moment = datetime.fromisoformat(stamp + offset.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def parse_import_date(value: str, tz: tzinfo) -> datetime | None:
    """``parse_date``, plus German ``TT.MM.JJJJ[ HH:MM[:SS]]`` and Unix seconds."""
    text = value.strip()
    if text.isdigit() and len(text) >= 9:
        return datetime.fromtimestamp(int(text), UTC)
    moment = parse_date(text, tz)
    if moment is not None:
        return moment
    match = _GERMAN.match(text)
    if match is None:
        return None
    iso = f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    if match["time"]:
        iso += f" {match['time']}"
    return parse_date(iso, tz)
