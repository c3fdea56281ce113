"""German dates via Babel (no system locale needed). Pure."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time, get_month_names

LOCALE = "de_DE"


def datum(value: date | datetime) -> str:
    """19. Juni 2015"""
    return format_date(value, "d. MMMM y", locale=LOCALE)


def datum_kurz(value: date | datetime) -> str:
    """19.06.2015"""
    return format_date(value, "dd.MM.y", locale=LOCALE)


def datum_uhrzeit(value: datetime) -> str:
    """19. Juni 2015 um 21:14 Uhr"""
    return f"{datum(value)} um {format_time(value, 'HH:mm', locale=LOCALE)} Uhr"


def monat(number: int) -> str:
    """Juni"""
    return get_month_names("wide", locale=LOCALE)[int(number)]


def monat_jahr(value: date | datetime) -> str:
    """Juni 2015"""
    return format_date(value, "MMMM y", locale=LOCALE)
