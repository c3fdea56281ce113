"""ISO weeks in the newsletter's time zone: which digest an article belongs to. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo
from typing import TypeVar

T = TypeVar("T")


def iso_week(moment: datetime, tz: tzinfo) -> tuple[int, int]:
    """(ISO year, ISO week) of an aware datetime, seen in ``tz``."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} hat keine Zeitzone; Wochen brauchen ein Datum mit Zeitzone.")
    local = moment.astimezone(tz)
    year, week, _ = local.isocalendar()
    return year, week


def week_bounds(year: int, week: int, tz: tzinfo) -> tuple[datetime, datetime]:
    """Monday 00:00 (inclusive) to the next Monday 00:00 (exclusive), local time in ``tz``."""
    monday = datetime.fromisocalendar(year, week, 1)
    start = monday.replace(tzinfo=tz)
    end = (monday + timedelta(days=7)).replace(tzinfo=tz)
    return start, end


def group_by_week(
    items: Iterable[T],
    date_of: Callable[[T], datetime],
    tz: tzinfo,
    *,
    now: datetime | None = None,
) -> dict[tuple[int, int], list[T]]:
    """Items by (year, week), each group in date order; items after ``now`` are left out."""
    groups: dict[tuple[int, int], list[T]] = {}
    for item in items:
        moment = date_of(item)
        if now is not None and moment > now:
            continue
        groups.setdefault(iso_week(moment, tz), []).append(item)
    for group in groups.values():
        group.sort(key=date_of)
    return dict(sorted(groups.items()))
