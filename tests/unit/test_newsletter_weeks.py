"""ISO week grouping in Europe/Berlin (no Pelican)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rundbrief.digest.issue import DigestArticle, preheader_text, subject_line
from rundbrief.digest.manifest import issue_name
from rundbrief.digest.weeks import group_by_week, iso_week, week_bounds

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


def test_sunday_night_and_monday_midnight_are_different_weeks():
    assert iso_week(berlin(2024, 1, 7, 23, 59, 59), BERLIN) == (2024, 1)
    assert iso_week(berlin(2024, 1, 8, 0, 0), BERLIN) == (2024, 2)


def test_week_is_taken_in_berlin_not_utc():
    # Monday 00:30 in Berlin is still Sunday 23:30 in UTC.
    monday = berlin(2024, 1, 8, 0, 30)
    assert iso_week(monday.astimezone(UTC), BERLIN) == (2024, 2)
    assert iso_week(monday.astimezone(UTC), UTC) == (2024, 1)


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        # Last Sunday of March 2024: clocks jump 02:00 → 03:00.
        (berlin(2024, 3, 31, 1, 59), (2024, 13)),
        (berlin(2024, 3, 31, 3, 0), (2024, 13)),
        (berlin(2024, 3, 31, 23, 59), (2024, 13)),
        (berlin(2024, 4, 1, 0, 0), (2024, 14)),
        # Last Sunday of October 2024: 03:00 → 02:00, the hour 02:xx happens twice.
        (berlin(2024, 10, 27, 2, 30, fold=0), (2024, 43)),
        (berlin(2024, 10, 27, 2, 30, fold=1), (2024, 43)),
        (berlin(2024, 10, 27, 23, 59), (2024, 43)),
        (berlin(2024, 10, 28, 0, 0), (2024, 44)),
    ],
)
def test_dst_switches(moment, week):
    assert iso_week(moment, BERLIN) == week


def test_dst_switch_seen_from_utc():
    # 2024-10-27 22:59 UTC is 23:59 CET (Sunday); 23:00 UTC is Monday 00:00 CET.
    assert iso_week(datetime(2024, 10, 27, 22, 59, tzinfo=UTC), BERLIN) == (2024, 43)
    assert iso_week(datetime(2024, 10, 27, 23, 0, tzinfo=UTC), BERLIN) == (2024, 44)
    # 2024-03-31 21:59 UTC is 23:59 CEST (Sunday); 22:00 UTC is Monday 00:00 CEST.
    assert iso_week(datetime(2024, 3, 31, 21, 59, tzinfo=UTC), BERLIN) == (2024, 13)
    assert iso_week(datetime(2024, 3, 31, 22, 0, tzinfo=UTC), BERLIN) == (2024, 14)


def test_week_53_and_new_year():
    assert iso_week(berlin(2020, 12, 31, 12), BERLIN) == (2020, 53)
    assert iso_week(berlin(2021, 1, 3, 23, 59), BERLIN) == (2020, 53)
    assert iso_week(berlin(2024, 12, 30, 9), BERLIN) == (2025, 1)
    assert issue_name(2025, 1) == "2025-kw01"
    assert issue_name(2020, 53) == "2020-kw53"


def test_week_bounds_are_local_midnights_across_dst():
    start, end = week_bounds(2024, 13, BERLIN)
    assert (start.isoformat(), end.isoformat()) == (
        "2024-03-25T00:00:00+01:00",
        "2024-04-01T00:00:00+02:00",
    )
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=167)  # DST


@pytest.mark.parametrize(("year", "expected"), [(2020, 53), (2021, 52), (2026, 53)])
def test_an_article_every_week_for_a_year(year, expected):
    first_monday = datetime.fromisocalendar(year, 1, 1)
    moments = [
        berlin(*(first_monday + timedelta(weeks=n, days=n % 7, hours=10)).timetuple()[:5])
        for n in range(expected)
    ]
    groups = group_by_week(moments, lambda m: m, BERLIN)
    assert len(groups) == expected
    assert all(len(group) == 1 for group in groups.values())
    assert list(groups) == [(year, week) for week in range(1, expected + 1)]


def test_future_items_are_left_out_and_naive_dates_rejected():
    now = berlin(2024, 1, 10, 12)
    items = [berlin(2024, 1, 9), berlin(2024, 1, 11)]
    assert group_by_week(items, lambda m: m, BERLIN, now=now) == {(2024, 2): [items[0]]}
    with pytest.raises(ValueError, match="Zeitzone"):
        iso_week(datetime(2024, 1, 1), BERLIN)


def test_subject_and_preheader():
    article = DigestArticle("Erster & Bester", "https://b.example/a/", berlin(2024, 1, 8), "", "")
    subject = subject_line(
        "{sitename} Wochenrückblick KW {week}/{year}: {first_title}",
        sitename="Blog",
        year=2024,
        week=2,
        articles=[article],
    )
    assert subject == "Blog Wochenrückblick KW 2/2024: Erster & Bester"
    assert preheader_text([article], []) == "1 neuer Artikel: Erster & Bester"
    long = preheader_text([article] * 30, [])
    assert len(long) <= 140 and long.endswith("…")
