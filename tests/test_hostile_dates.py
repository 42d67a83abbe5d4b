"""Issue 14, items 1 (the date half) and 2: dates out of range never raise, old dates have an
offset the schema accepts, dates before the lower bound or far in the future are refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from newscrawler.contract.schema import first_violation
from newscrawler.extraction.article import extract_html
from newscrawler.items import record_of
from newscrawler.persian.dates import EARLIEST, TEHRAN, iso, parse_date, parse_iso
from newscrawler.sites import profiles
from newscrawler.spiders.news import _feed_date
from tests.support.faults import pages

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=TEHRAN)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")
OUT_OF_RANGE = [
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 01 Jan 0001 00:00:00 +0500",
    "۱ فروردین ۹۹۹۹",
    "9999/12/31",
]


@pytest.mark.parametrize("raw", OUT_OF_RANGE)
def test_out_of_range_dates_are_none_not_an_error(raw: str) -> None:
    assert parse_date(raw) is None
    assert parse_date(raw, NOW) is None
    assert _feed_date(raw) is None


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+05:00"])
def test_parse_iso_of_out_of_range_dates_is_none(raw: str) -> None:
    assert parse_iso(raw) is None


def test_a_huge_relative_date_is_none() -> None:
    assert parse_date("۹۹۹۹۹۹۹۹۹۹۹۹ ماه پیش", NOW) is None
    assert parse_date("۳ ساعت پیش", NOW) == NOW - timedelta(hours=3)


@pytest.mark.parametrize(
    "value",
    [datetime(1900, 1, 1, 10, tzinfo=TEHRAN), datetime(1945, 6, 1, 23, 59, 59, tzinfo=TEHRAN)],
)
def test_iso_gives_whole_minute_offsets_for_the_same_instant(value: datetime) -> None:
    text = iso(value)
    assert text is not None
    assert TIMESTAMP.match(text), text
    assert datetime.fromisoformat(text) == value.replace(microsecond=0)


def test_iso_of_a_value_it_cannot_write_is_none() -> None:
    assert iso(datetime(1, 1, 1, tzinfo=TEHRAN)) is None


@pytest.mark.parametrize(
    "raw",
    ["1900-01-01T10:00:00", "1970-01-01T00:00:00Z", "۱۰ دی ۱۲۷۸", "05/01/02", "1940/05/01"],
)
def test_dates_before_the_lower_bound_are_refused(raw: str) -> None:
    assert parse_date(raw) is None
    assert parse_date(raw, NOW) is None


def test_the_lower_bound_itself_is_a_date() -> None:
    assert parse_date(iso(EARLIEST)) == EARLIEST


def test_far_future_dates_are_refused_relative_to_now() -> None:
    assert parse_date("۱ فروردین ۱۴۵۰", NOW) is None
    assert parse_iso("2030-01-01T00:00:00Z", now=NOW) is None
    # a few hours ahead (a site's wrong offset, a scheduled post) is tolerated
    assert parse_date("2026-12-05T18:00:00+03:30", NOW) is not None
    assert parse_date("۱۴ آذر ۱۴۰۵ - ۲۰:۰۰", NOW) is not None
    assert parse_date("2026-12-08T12:00:00+03:30", NOW) is None


def test_an_article_keeps_its_fields_with_an_out_of_range_date() -> None:
    profile = profiles()["cafekhabarqazvin"]
    for published in ("9999-12-31T23:59:59Z", "1900-01-01T10:00:00", "0001-01-01T00:00:00+05:00"):
        page = re.sub(
            r'published_time" content="[^"]*"',
            f'published_time" content="{published}"',
            pages.article("1001"),
        )
        page = re.sub(r'datetime="[^"]*"', f'datetime="{published}"', page)
        article = extract_html(page, "https://cafekhabarqazvin.ir/1001/x/", profile, now=NOW)
        assert article.title == pages.title("1001")
        assert article.body
        # the bad machine-readable dates are refused; the visible date is read instead
        assert article.published_at == "2024-05-10T00:00:00+03:30", published
        article.crawled_at = "2026-12-05T08:30:00+00:00"
        assert first_violation(record_of(article)) is None
