"""The core's one-of-each helpers: dates, headers, URLs, addresses."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rundbrief.addresses import ADDRESS_IN_TEXT, is_address
from rundbrief.dates import parse_date, parse_import_date
from rundbrief.headers import read_header
from rundbrief.urls import absolute, absolute_url, site_base

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-06-19", datetime(2015, 6, 19, tzinfo=BERLIN)),
        ("2015-06-19 08:30", datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN)),
        ("2015-06-19 8:30", datetime(2015, 6, 19, 8, 30, tzinfo=BERLIN)),
        ("2015-06-19T08:30:15", datetime(2015, 6, 19, 8, 30, 15, tzinfo=BERLIN)),
        ("2015-06-19T08:30+0000", datetime(2015, 6, 19, 8, 30, tzinfo=UTC)),
        ("2015-06-19 06:30Z", datetime(2015, 6, 19, 6, 30, tzinfo=UTC)),
    ],
)
def test_accepted_dates(value, expected):
    assert parse_date(value, BERLIN) == expected


@pytest.mark.parametrize(
    "value", ["19.06.2015", "2015-02-30 10:00", "2015-06-19+02:00", "gestern", "", "2015-6-19"]
)
def test_refused_dates(value):
    assert parse_date(value, BERLIN) is None


def test_import_dates_add_german_and_unix_seconds():
    assert parse_import_date("04.05.2019 12:30", BERLIN) == datetime(
        2019, 5, 4, 12, 30, tzinfo=BERLIN
    )
    assert parse_import_date("1556973000", BERLIN) == datetime(2019, 5, 4, 12, 30, tzinfo=UTC)
    assert parse_import_date("Mai 2019", BERLIN) is None


def test_header_fields_continuations_body_and_stray_line():
    header = read_header("\ufeffTitle: a\n  b\nDate: x\nTitle: c\n\n\nText\nmehr\n")
    assert [(f.key, f.value, f.line) for f in header.fields] == [
        ("title", "a b", 1),
        ("date", "x", 3),
        ("title", "c", 4),
    ]
    assert header.first()["title"].value == "a b"
    assert (header.body, header.body_line, header.stray_line) == ("Text\nmehr", 6, None)
    stray = read_header("author: A\nkein Feld\nText")
    assert stray.stray_line == 2
    assert stray.body == "kein Feld\nText"


def test_absolute_urls():
    settings = {"SITEURL": "http://localhost:8000", "SITEURL_ABSOLUTE": "https://x.example/"}
    assert site_base(settings) == "https://x.example"
    assert absolute_url(settings, "2015/06/a/") == "https://x.example/2015/06/a/"
    assert absolute_url(settings, "") == "https://x.example/"
    assert absolute("https://x.example", "https://other.example/a") == "https://other.example/a"
    assert site_base({}) == ""


def test_one_address_check_and_one_pattern_for_text():
    assert is_address("leser@example.org")
    assert not is_address("leser@example")
    assert not is_address(" leser@example.org")
    assert ADDRESS_IN_TEXT.search("Schreib an anna.b@mail.example, danke")
    assert not ADDRESS_IN_TEXT.search("@anna auf Mastodon")
