"""Dates as Iranian sites print them → ISO 8601 with the Asia/Tehran offset of that day.

Expected Gregorian dates were worked out independently (a Jalali calendar and jdatetime, never
``parse_date``): e.g. 29 Ordibehesht 1403 is Saturday 18 May 2024. Iran kept summer time
(+04:30, 2 Farvardin to 30 Shahrivar) until 1401/2022, with a pause in 2006–2007, and not since.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from newscrawler.persian.dates import TEHRAN, iso, parse_date, parse_iso, parse_since

#: «Now» for relative dates: Saturday 18 May 2024, 12:00 in Tehran.
NOW = datetime(2024, 5, 18, 12, 0, tzinfo=TEHRAN)


def _iso(raw: str | None, now: datetime | None = None) -> str | None:
    return iso(parse_date(raw, now))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Jalali with month names, in the shapes the sites use
        ("۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵", "2024-05-18T10:25:00+03:30"),
        ("دوشنبه / ۱۶ آبان ۱۴۰۱ / ۰۷:۴۵", "2022-11-07T07:45:00+03:30"),
        ("۱۰ مهر ۱۳۸۳، ۱۶:۲۰", "2004-10-01T16:20:00+03:30"),
        ("تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۳۹۷", "2018-10-10T09:00:00+03:30"),
        ("یکشنبه, 27 اسفند 1396", "2018-03-18T00:00:00+03:30"),
        ("کد خبر: ۱۳۶۰۷ تاریخ انتشار:۱۴:۵۱ - ۰۹ خرداد ۱۳۹۶", "2017-05-30T14:51:00+04:30"),
        ("۱۸ مهرماه ۱۳۹۷", "2018-10-10T00:00:00+03:30"),
        ("۱۸ مهر ماه ۱۳۹۷", "2018-10-10T00:00:00+03:30"),
        ("سه\u200cشنبه ۲۹ اردیبهشت ۱۴۰۳ ساعت ۱۰:۲۵:۳۰", "2024-05-18T10:25:30+03:30"),
        ("۱۲ امرداد ۱۳۹۹", "2020-08-02T00:00:00+04:30"),
        # numeric Jalali
        ("۱۴۰۳/۰۲/۲۹", "2024-05-18T00:00:00+03:30"),
        ("۱۴۰۳/۲/۹", "2024-04-28T00:00:00+03:30"),
        ("1398/06/17-12:23", "2019-09-08T12:23:00+04:30"),
        ("۱۴۰۲-۱۱-۲۱ ۱۰:۲۵", "2024-02-10T10:25:00+03:30"),
        ("97/12/01", "2019-02-20T00:00:00+03:30"),
        # Arabic-Indic digits, Arabic yeh in «دی», invisible marks
        ("٢٩ ارديبهشت ١٤٠٣ - ١٠:٢٥", "2024-05-18T10:25:00+03:30"),
        ("١٤٠٣/٠٢/٢٩", "2024-05-18T00:00:00+03:30"),
        ("۱ دى ۱۴۰۲", "2023-12-22T00:00:00+03:30"),
        ("1 دي 1402", "2023-12-22T00:00:00+03:30"),
        ("\u200f۲۹ اردیبهشت ۱۴۰۳\u200e", "2024-05-18T00:00:00+03:30"),
        # 12-hour clock
        ("۱۴۰۳/۰۲/۲۹ ۰۷:۱۵ ب.ظ", "2024-05-18T19:15:00+03:30"),
        ("۱۴۰۳/۰۲/۲۹ ۰۷:۱۵ ق.ظ", "2024-05-18T07:15:00+03:30"),
        ("۱۴۰۳/۰۲/۲۹ ۱۲:۳۰ ق.ظ", "2024-05-18T00:30:00+03:30"),
        ("۱۴۰۳/۰۲/۲۹ ۱۲:۳۰ ب.ظ", "2024-05-18T12:30:00+03:30"),
        ("۲۹ اردیبهشت ۱۴۰۳ ساعت ۳:۱۰ بعد از ظهر", "2024-05-18T15:10:00+03:30"),
        # Gregorian with slashes
        ("2024/05/18", "2024-05-18T00:00:00+03:30"),
        # ISO: a Z or an offset is converted to Tehran time, not relabelled
        ("2024-05-18T06:55:00Z", "2024-05-18T10:25:00+03:30"),
        ("2019-09-08T07:53:00Z", "2019-09-08T12:23:00+04:30"),
        ("2024-05-18T06:55:00+00:00", "2024-05-18T10:25:00+03:30"),
        ("2024-05-18T10:25:00+03:30", "2024-05-18T10:25:00+03:30"),
        ("2024-05-18T10:25:00+0330", "2024-05-18T10:25:00+03:30"),
        ("2019-06-01T10:00:00+04:30", "2019-06-01T10:00:00+04:30"),
        ("2024-05-18T09:55:00+02:00", "2024-05-18T11:25:00+03:30"),
        ("2024-05-18T10:25:00.123+03:30", "2024-05-18T10:25:00+03:30"),
        ("  2024-05-18T06:55:00Z ", "2024-05-18T10:25:00+03:30"),
        # naive ISO means Tehran time
        ("2019-06-01T10:00:00", "2019-06-01T10:00:00+04:30"),
        ("2024-05-18 10:25:00", "2024-05-18T10:25:00+03:30"),
        ("2024-05-18", "2024-05-18T00:00:00+03:30"),
        # RFC 822 (RSS pubDate)
        ("Sat, 18 May 2024 06:55:00 GMT", "2024-05-18T10:25:00+03:30"),
        ("Sat, 18 May 2024 06:55:00 +0000", "2024-05-18T10:25:00+03:30"),
        ("Sat, 18 May 2024 06:55:00 -0000", "2024-05-18T10:25:00+03:30"),
        ("Sun, 08 Sep 2019 07:53:00 +0000", "2019-09-08T12:23:00+04:30"),
        ("Sun, 08 Sep 2019 12:23:00 +0430", "2019-09-08T12:23:00+04:30"),
        ("Sat, 18 May 2024 10:25:00 +0330", "2024-05-18T10:25:00+03:30"),
    ],
)
def test_parse_date(raw: str, expected: str) -> None:
    assert _iso(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # summer before 2023: +04:30
        ("1398/06/17", "2019-09-08T00:00:00+04:30"),
        ("۱ تیر ۱۴۰۱ ۱۲:۰۰", "2022-06-22T12:00:00+04:30"),
        ("۳۰ شهریور ۱۴۰۱ ۲۲:۰۰", "2022-09-21T22:00:00+04:30"),
        ("۹ خرداد ۱۳۹۶", "2017-05-30T00:00:00+04:30"),
        # the day summer time ended, after it ended: +03:30
        ("۳۱ شهریور ۱۴۰۱ ۰۱:۰۰", "2022-09-22T01:00:00+03:30"),
        # 1 Farvardin is still standard time
        ("۱ فروردین ۱۴۰۱", "2022-03-21T00:00:00+03:30"),
        # summer 2023 and later: +03:30
        ("۱ تیر ۱۴۰۲ ۱۲:۰۰", "2023-06-22T12:00:00+03:30"),
        ("۲۹ اردیبهشت ۱۴۰۳", "2024-05-18T00:00:00+03:30"),
        # Iran had no summer time in 2006–2007
        ("۱ تیر ۱۳۸۶ ۱۲:۰۰", "2007-06-22T12:00:00+03:30"),
        # winter: +03:30
        ("۱ دی ۱۴۰۰", "2021-12-22T00:00:00+03:30"),
        ("۹ آذر ۱۳۹۶ ۱۴:۵۱", "2017-11-30T14:51:00+03:30"),
    ],
)
def test_offset_is_the_one_valid_on_that_day(raw: str, expected: str) -> None:
    assert _iso(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۳ ساعت پیش", "2024-05-18T09:00:00+03:30"),
        ("۱۰ دقیقه قبل", "2024-05-18T11:50:00+03:30"),
        ("۲ روز پیش", "2024-05-16T12:00:00+03:30"),
        ("1 هفته پیش", "2024-05-11T12:00:00+03:30"),
        ("دیروز ۱۰:۳۰", "2024-05-17T10:30:00+03:30"),
        ("دیروز", "2024-05-17T00:00:00+03:30"),
        ("امروز ۰۸:۱۵", "2024-05-18T08:15:00+03:30"),
        ("ديروز ۱۰:۳۰", "2024-05-17T10:30:00+03:30"),
    ],
)
def test_relative_dates_need_now(raw: str, expected: str) -> None:
    assert _iso(raw, NOW) == expected
    assert parse_date(raw) is None  # extraction stays a pure function of the page


def test_relative_dates_accept_now_in_another_zone() -> None:
    now_utc = datetime(2024, 5, 18, 8, 30, tzinfo=UTC)  # 12:00 in Tehran
    assert _iso("۳ ساعت پیش", now_utc) == "2024-05-18T09:00:00+03:30"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "خبر بدون تاریخ",
        "garbage",
        "۱۲۳۴۵",
        "شهردار گفت که مهر امسال پروژه تمام می\u200cشود",
        "05/18/2024 10:25:00 AM",
    ],
)
def test_garbage_is_none(raw: str | None) -> None:
    assert parse_date(raw, NOW) is None


@pytest.mark.parametrize(
    "raw",
    [
        "۳۰ اسفند ۱۴۰۲",  # 1402 is not a leap year
        "1402/12/30",
        "1403/13/01",  # month 13
        "۳۲ مهر ۱۴۰۲",
        "۰ مهر ۱۳۹۹",
        "1403/00/10",
        "2024-02-30T10:00:00",
        "2024-13-01",
        "2024/02/30",
        "Mon, 32 May 2024 06:55:00 GMT",
    ],
)
def test_impossible_dates_are_none(raw: str) -> None:
    assert parse_date(raw) is None


def test_leap_esfand_30_is_valid() -> None:
    assert _iso("۳۰ اسفند ۱۴۰۳") == "2025-03-20T00:00:00+03:30"


@pytest.fixture
def new_york_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york_clock")
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sat, 18 May 2024 06:55:00 -0000", "2024-05-18T10:25:00+03:30"),
        ("Sat, 18 May 2024 06:55:00", "2024-05-18T10:25:00+03:30"),
        ("2019-06-01T10:00:00", "2019-06-01T10:00:00+04:30"),
        ("۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵", "2024-05-18T10:25:00+03:30"),
    ],
)
def test_result_does_not_depend_on_the_machine_zone(raw: str, expected: str) -> None:
    assert _iso(raw) == expected


def test_parse_iso_rejects_what_is_not_iso() -> None:
    assert parse_iso("۲۹ اردیبهشت ۱۴۰۳") is None
    assert parse_iso("") is None
    assert parse_iso("2024-05-18T25:00:00") is None


def test_iso_has_seconds_precision() -> None:
    assert iso(None) is None
    assert iso(datetime(2024, 5, 18, 10, 25, 0, 123456, tzinfo=TEHRAN)) == (
        "2024-05-18T10:25:00+03:30"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-18", "2024-05-18T00:00:00+03:30"),
        ("2019-09-08", "2019-09-08T00:00:00+04:30"),
        ("2024-5-1", "2024-05-01T00:00:00+03:30"),
        (" 2024-05-18 ", "2024-05-18T00:00:00+03:30"),
        ("1403-02-29", "2024-05-18T00:00:00+03:30"),
        ("۱۴۰۳-۰۲-۲۹", "2024-05-18T00:00:00+03:30"),
        ("1398-06-17", "2019-09-08T00:00:00+04:30"),
        ("1403-12-30", "2025-03-20T00:00:00+03:30"),
    ],
)
def test_parse_since(raw: str, expected: str) -> None:
    assert iso(parse_since(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "is not a date: use YYYY-MM-DD"),
        ("yesterday", "is not a date: use YYYY-MM-DD"),
        ("2024/05/18", "is not a date: use YYYY-MM-DD"),
        ("18-05-2024", "is not a date: use YYYY-MM-DD"),
        ("2024-05-18T10:00", "is not a date: use YYYY-MM-DD"),
        ("2024-02-30", "is not a valid date"),
        ("2024-13-01", "is not a valid date"),
        ("1402-12-30", "is not a valid date"),
        ("1403-13-01", "is not a valid date"),
    ],
)
def test_parse_since_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_since(raw)
