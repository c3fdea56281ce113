"""German dates from Babel's CLDR data (no system locale needed). Pure.

The month names come from Babel once; the common formats are then put together
directly, which is many times faster than a full Babel pattern per call (a large site
formats tens of thousands of dates per build).
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel.dates import format_date, get_month_names

LOCALE = "de_DE"


@functools.cache
def _months() -> dict[int, str]:
    return dict(get_month_names("wide", locale=LOCALE))


def datum(value: date | datetime) -> str:
    """19. Juni 2015"""
    return f"{value.day}. {_months()[value.month]} {value.year}"


def datum_kurz(value: date | datetime) -> str:
    """19.06.2015"""
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def datum_uhrzeit(value: datetime) -> str:
    """19. Juni 2015 um 21:14 Uhr"""
    return f"{datum(value)} um {value.hour:02d}:{value.minute:02d} Uhr"


def monat(number: int) -> str:
    """Juni"""
    return _months()[int(number)]


def monat_jahr(value: date | datetime) -> str:
    """Juni 2015"""
    return format_date(value, "MMMM y", locale=LOCALE)
