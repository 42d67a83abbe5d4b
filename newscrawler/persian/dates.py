"""Dates as Iranian news sites print them, to ISO 8601 with the right Asia/Tehran offset.

Machine-readable values (JSON-LD, ``article:published_time``, ``time@datetime``) are ISO or
RFC 822 Gregorian; visible ones are Jalali in many shapes:
«۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵», «۱۴۰۳/۰۲/۲۹»، «دوشنبه / ۱۶ آبان ۱۴۰۱ / ۰۷:۴۵»,
«تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۳۹۷», «یکشنبه, 27 اسفند 1396», «1398/06/17-12:23», two-digit
years «97/12/01», and relative «۳ ساعت پیش», «دیروز». Iran kept summer time (+04:30) until
2022, so offsets come from ``zoneinfo``, never a fixed +03:30.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import jdatetime

from newscrawler.persian.chars import strip_invisible, to_latin_digits

TEHRAN = ZoneInfo("Asia/Tehran")

JALALI_MONTHS: dict[str, int] = {
    "فروردین": 1,
    "اردیبهشت": 2,
    "خرداد": 3,
    "تیر": 4,
    "مرداد": 5,
    "امرداد": 5,
    "شهریور": 6,
    "مهر": 7,
    "آبان": 8,
    "آذر": 9,
    "دی": 10,
    "بهمن": 11,
    "اسفند": 12,
}
_MONTH_ALT = "|".join(sorted(JALALI_MONTHS, key=len, reverse=True))
_TIME = re.compile(r"(?<!\d)(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?P<month>{_MONTH_ALT})\s*(?:ماه\s*)?(?P<y>\d{{2,4}})(?!\d)"
)
_NUMERIC_YMD = re.compile(
    r"(?<!\d)(?P<y>\d{4}|\d{2})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})(?!\d)"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
# «ب.ظ» / «بعد از ظهر» (p.m.) and «ق.ظ» / «قبل از ظهر» (a.m.) after a 12-hour time.
_PM = re.compile(r"ب\s*\.\s*ظ|بعد\s*از\s*ظهر|بعدازظهر|(?<![A-Za-z])PM(?![A-Za-z])", re.I)
_AM = re.compile(r"ق\s*\.\s*ظ|قبل\s*از\s*ظهر|قبل\s*ازظهر|(?<![A-Za-z])AM(?![A-Za-z])", re.I)
_RELATIVE = re.compile(r"(?P<n>\d+)\s*(?P<unit>ثانیه|دقیقه|ساعت|روز|هفته|ماه)\s*(?:قبل|پیش)")
_UNIT_SECONDS = {
    "ثانیه": 1,
    "دقیقه": 60,
    "ساعت": 3600,
    "روز": 86400,
    "هفته": 7 * 86400,
    "ماه": 30 * 86400,
}


def _clean(raw: str) -> str:
    text = strip_invisible(raw).replace("ي", "ی").replace("ك", "ک").replace("دى", "دی")
    return " ".join(to_latin_digits(text).split())


def _full_year(year: int) -> int:
    """Two-digit Jalali years are 13xx (as «97/12/01» is 1397)."""
    return year + 1300 if year < 100 else year


def _jalali(y: int, m: int, d: int, text: str) -> datetime | None:
    time_match = _TIME.search(text)
    hour, minute, second = (0, 0, 0)
    if time_match:
        hour, minute = int(time_match["h"]), int(time_match["m"])
        second = int(time_match["s"] or 0)
        hour = _twelve_hour(hour, text[time_match.end() :])
    try:
        jalali = jdatetime.datetime(_full_year(y), m, d, hour, minute, second)
    except ValueError:
        return None
    gregorian: datetime = jalali.togregorian()
    return gregorian.replace(tzinfo=TEHRAN)


def _twelve_hour(hour: int, after: str) -> int:
    """``hour`` on the 24-hour clock when the time is followed by a p.m. or a.m. marker."""
    if _PM.match(after.lstrip()) and hour < 12:
        return hour + 12
    if _AM.match(after.lstrip()) and hour == 12:
        return 0
    return hour


def parse_iso(raw: str) -> datetime | None:
    """ISO 8601 (with or without offset; naive means Tehran time), converted to Tehran.

    >>> parse_iso("2024-05-18T06:55:00Z").isoformat()
    '2024-05-18T10:25:00+03:30'
    >>> parse_iso("2019-06-01T10:00:00").isoformat()
    '2019-06-01T10:00:00+04:30'
    """
    value = raw.strip()
    if not _ISO.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TEHRAN)
    return parsed.astimezone(TEHRAN)


def parse_date(raw: str | None, now: datetime | None = None) -> datetime | None:
    """Parse any date shape the sites use; ``None`` when the text holds no date.

    ``now`` anchors relative dates («۳ ساعت پیش»); without it they are not parsed, so that
    extraction stays a pure function of the page.

    >>> parse_date("۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵").isoformat()
    '2024-05-18T10:25:00+03:30'
    >>> parse_date("دوشنبه / ۱۶ آبان ۱۴۰۱ / ۰۷:۴۵").isoformat()
    '2022-11-07T07:45:00+03:30'
    >>> parse_date("۱۴۰۳/۰۲/۲۹").isoformat()
    '2024-05-18T00:00:00+03:30'
    >>> parse_date("تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۳۹۷").isoformat()
    '2018-10-10T09:00:00+03:30'
    >>> parse_date("Sat, 18 May 2024 06:55:00 GMT").isoformat()
    '2024-05-18T10:25:00+03:30'
    >>> parse_date("۱۴۰۳/۰۲/۲۹ ۰۷:۱۵ ب.ظ").isoformat()
    '2024-05-18T19:15:00+03:30'
    >>> parse_date("خبر بدون تاریخ") is None
    True
    """
    if not raw or not raw.strip():
        return None
    iso = parse_iso(raw)
    if iso:
        return iso
    text = _clean(raw)
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        return _jalali(int(match["y"]), JALALI_MONTHS[match["month"]], int(match["d"]), text)
    match = _NUMERIC_YMD.search(text)
    if match:
        year = int(match["y"])
        if year > 1700:  # a Gregorian date written with slashes
            try:
                naive = datetime(year, int(match["m"]), int(match["d"]))
            except ValueError:
                return None
            return naive.replace(tzinfo=TEHRAN)
        return _jalali(year, int(match["m"]), int(match["d"]), text)
    if re.search(r"[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{4}", text):
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if parsed.tzinfo is None:  # «-0000» or no zone: UTC (RFC 5322), not the machine's zone
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(TEHRAN)
    return _relative(text, now)


def _relative(text: str, now: datetime | None) -> datetime | None:
    if now is None:
        return None
    now = now.astimezone(TEHRAN)
    match = _RELATIVE.search(text)
    if match:
        return now - timedelta(seconds=int(match["n"]) * _UNIT_SECONDS[match["unit"]])
    time_match = _TIME.search(text)
    if "دیروز" in text or "امروز" in text:
        day = now - timedelta(days=1) if "دیروز" in text else now
        if time_match:
            hour = _twelve_hour(int(time_match["h"]), text[time_match.end() :])
            return day.replace(hour=hour, minute=int(time_match["m"]), second=0, microsecond=0)
        return day.replace(hour=0, minute=0, second=0, microsecond=0)
    return None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 string with offset, seconds precision."""
    return value.isoformat(timespec="seconds") if value else None


def parse_since(raw: str) -> datetime:
    """Parse a ``since`` spider argument: ``YYYY-MM-DD`` (Gregorian) or ``1403-02-29`` (Jalali).

    Raises ``ValueError`` with a message that says what was expected.

    >>> parse_since("2024-05-18").isoformat()
    '2024-05-18T00:00:00+03:30'
    >>> parse_since("1403-02-29").isoformat()
    '2024-05-18T00:00:00+03:30'
    """
    text = to_latin_digits(raw.strip())
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        raise ValueError(f"since={raw!r} is not a date: use YYYY-MM-DD (Gregorian or Jalali)")
    year, month, day = (int(g) for g in match.groups())
    try:
        if year < 1700:
            gregorian: datetime = jdatetime.datetime(year, month, day).togregorian()
            return gregorian.replace(tzinfo=TEHRAN)
        return datetime(year, month, day, tzinfo=TEHRAN)
    except ValueError as exc:
        raise ValueError(f"since={raw!r} is not a valid date ({exc})") from None
