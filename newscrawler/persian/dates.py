"""Dates as Iranian news sites print them, to ISO 8601 with the right Asia/Tehran offset.

Machine-readable values (JSON-LD, ``article:published_time``, ``time@datetime``) are ISO or
RFC 822 Gregorian; visible ones are Jalali in many shapes:
«۲۹ اردیبهشت ۱۴۰۳ - ۱۰:۲۵», «۱۴۰۳/۰۲/۲۹»، «دوشنبه / ۱۶ آبان ۱۴۰۱ / ۰۷:۴۵»,
«تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۳۹۷», «یکشنبه, 27 اسفند 1396», «1398/06/17-12:23», two-digit
years «97/12/01», and relative «۳ ساعت پیش», «دیروز». Iran kept summer time (+04:30) until
2022, so offsets come from ``zoneinfo``, never a fixed +03:30.

Bounds: a page's date is a claim, not a fact. Every parser here returns ``None``, never raises,
for a date that is not a plausible publication date of a news page:

- before :data:`EARLIEST` (1990-01-01, Tehran), which is before any Persian news site and
  refuses the "unset" dates CMSs print (1970-01-01, 0001-01-01) and two-digit years read as
  13xx that are not;
- after ``now`` + :data:`FUTURE_TOLERANCE` (one day: a site's wrong offset or a post scheduled
  for tomorrow passes) when ``now`` is given, as during a crawl; without ``now`` (extraction as
  a pure function, sitemaps) after :data:`LATEST` (2100-01-01), which refuses year-9999
  placeholders;
- out of Python's range once converted to Tehran time (year 9999 late on 31 December, year 1),
  which used to raise ``OverflowError``.

:func:`iso` writes offsets in whole minutes (the JSON Schema's ``±HH:MM``): a datetime in
Tehran's local mean time (+03:25:44, before 1946) is written as the same instant at +03:26.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import jdatetime

from newscrawler.persian.chars import strip_invisible, to_latin_digits

TEHRAN = ZoneInfo("Asia/Tehran")
#: The earliest date accepted (module docstring).
EARLIEST = datetime(1990, 1, 1, tzinfo=TEHRAN)
#: The latest date accepted when no ``now`` is given.
LATEST = datetime(2100, 1, 1, tzinfo=TEHRAN)
#: How far after ``now`` a date may be.
FUTURE_TOLERANCE = timedelta(days=1)
#: What a date parser may raise on a value out of range: caught, the date is ``None``.
_OUT_OF_RANGE = (OverflowError, ValueError)

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
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ك": "ک"})
#: Gregorian month names as Persian and Arabic pages print them (Arabic letters as
#: :func:`_clean` leaves them: ي/ك in Persian form), Levantine and Egyptian/Gulf names both
#: («آب/اغسطس»), and English ones.
GREGORIAN_MONTHS: dict[str, int] = {
    name.replace("_", " ").translate(_ARABIC_LETTERS): number
    for number, names in enumerate(
        (
            "ژانویه ژانویهٔ يناير كانون_الثاني january jan",
            "فوریه فبراير شباط february feb",
            "مارس آذار march mar",
            "آوریل أبريل ابريل إبريل نيسان april apr",
            "مه مايو أيار ايار may",
            "ژوئن يونيو يونيه حزيران june jun",
            "ژوئیه جولای يوليو يوليه تموز july jul",
            "اوت آگوست أغسطس اغسطس آب august aug",
            "سپتامبر سبتمبر أيلول ايلول september sep sept",
            "اکتبر أكتوبر اكتوبر تشرين_الأول تشرين_الاول october oct",
            "نوامبر نوفمبر تشرين_الثاني november nov",
            "دسامبر ديسمبر كانون_الأول كانون_الاول december dec",
        ),
        start=1,
    )
    for name in names.split()
}
_GREGORIAN_ALT = "|".join(
    re.escape(name).replace("\\ ", r"\s+")
    for name in sorted(GREGORIAN_MONTHS, key=len, reverse=True)
)
_GREGORIAN_NAMED = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?P<month>{_GREGORIAN_ALT})(?:\s*/\s*(?:{_GREGORIAN_ALT}))?"
    rf"\s*[,،]?\s*(?P<y>\d{{4}})(?!\d)|(?<![A-Za-z])(?P<month2>{_GREGORIAN_ALT})\.?\s+"
    r"(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4})(?!\d)",
    re.IGNORECASE,
)
#: An offset printed with the time: «(GMT+0400)», «UTC+03:30».
_PRINTED_OFFSET = re.compile(r"(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2}):?(?P<m>\d{2})?")
_TIME = re.compile(r"(?<!\d)(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?P<month>{_MONTH_ALT})[\s\u200c]*(?:ماه\s*)?(?P<y>\d{{2,4}})(?!\d)"
)
_NUMERIC_YMD = re.compile(
    r"(?<!\d)(?P<y>\d{4}|\d{2})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})(?!\d)"
)
#: Day first, four-digit year last: «03/11/2024» (Arabic pages), «۱۴/۰۸/۱۴۰۳».
_NUMERIC_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4})(?!\d)")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
# «ب.ظ» / «بعد از ظهر» (p.m.) and «ق.ظ» / «قبل از ظهر» (a.m.) after a 12-hour time.
# Arabic pages write «م» (مساءً) and «ص» (صباحاً) after a 12-hour time.
_PM = re.compile(
    r"ب\s*\.\s*ظ|بعد\s*از\s*ظهر|بعدازظهر|(?<![A-Za-z])PM(?![A-Za-z])|مساء|م(?![\u0600-\u06ff])",
    re.I,
)
_AM = re.compile(
    r"ق\s*\.\s*ظ|قبل\s*از\s*ظهر|قبل\s*ازظهر|(?<![A-Za-z])AM(?![A-Za-z])|صباح|ص(?![\u0600-\u06ff])",
    re.I,
)
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


def _gregorian(match: re.Match[str], text: str) -> datetime | None:
    """A Gregorian date with a month name («04 آب/اغسطس 2013، 02:21 (GMT+0400)», «12 February
    2011»)."""
    month = GREGORIAN_MONTHS[" ".join((match["month"] or match["month2"]).lower().split())]
    return _gregorian_at(
        int(match["y"] or match["y2"]), month, int(match["d"] or match["d2"]), text
    )


def _gregorian_at(year: int, month: int, day: int, text: str) -> datetime | None:
    """A Gregorian day at the time and offset printed with it in ``text`` (Tehran's when none
    is)."""
    time_match = _TIME.search(text)
    hour = minute = 0
    if time_match:
        hour = _twelve_hour(int(time_match["h"]), text[time_match.end() :])
        minute = int(time_match["m"])
    zone: timezone | ZoneInfo = TEHRAN
    if offset := _PRINTED_OFFSET.search(text):
        minutes = int(offset["h"]) * 60 + int(offset["m"] or 0)
        zone = timezone(timedelta(minutes=-minutes if offset["sign"] == "-" else minutes))
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(TEHRAN)
    except ValueError:
        return None


def _twelve_hour(hour: int, after: str) -> int:
    """``hour`` on the 24-hour clock when the time is followed by a p.m. or a.m. marker."""
    if _PM.match(after.lstrip()) and hour < 12:
        return hour + 12
    if _AM.match(after.lstrip()) and hour == 12:
        return 0
    return hour


def within_bounds(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """``value`` when it is a plausible publication date (the module docstring's bounds),
    else ``None``.

    >>> within_bounds(datetime(1970, 1, 1, tzinfo=UTC)) is None
    True
    """
    if value is None:
        return None
    try:
        latest = LATEST if now is None else now + FUTURE_TOLERANCE
        return value if EARLIEST <= value <= latest else None
    except _OUT_OF_RANGE:
        return None


def parse_iso(raw: str, now: datetime | None = None) -> datetime | None:
    """ISO 8601 (with or without offset; naive means Tehran time), converted to Tehran;
    ``None`` out of bounds (module docstring).

    >>> parse_iso("2024-05-18T06:55:00Z").isoformat()
    '2024-05-18T10:25:00+03:30'
    >>> parse_iso("2019-06-01T10:00:00").isoformat()
    '2019-06-01T10:00:00+04:30'
    >>> parse_iso("9999-12-31T23:59:59Z") is None
    True
    """
    value = raw.strip()
    if not _ISO.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return within_bounds(parsed.replace(tzinfo=TEHRAN), now)
        return within_bounds(parsed.astimezone(TEHRAN), now)
    except _OUT_OF_RANGE:
        return None


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
    >>> parse_date("۱ فروردین ۱۴۵۰", now=datetime(2026, 1, 1, tzinfo=UTC)) is None
    True
    """
    if not raw or not raw.strip():
        return None
    try:
        return within_bounds(_parse(raw, now), now)
    except _OUT_OF_RANGE:
        return None


def _parse(raw: str, now: datetime | None) -> datetime | None:
    iso = parse_iso(raw, now)
    if iso:
        return iso
    text = _clean(raw)
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        return _jalali(int(match["y"]), JALALI_MONTHS[match["month"]], int(match["d"]), text)
    if re.search(r"[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{4}", text):
        return parse_rfc822(text)
    match = _GREGORIAN_NAMED.search(text)
    if match:
        return _gregorian(match, text)
    match = _NUMERIC_YMD.search(text) or _NUMERIC_DMY.search(text)
    if match:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if year > 1700:  # a Gregorian date written with slashes
            return _gregorian_at(year, month, day, text)
        return _jalali(year, month, day, text)
    return _relative(text, now)


def parse_rfc822(raw: str, now: datetime | None = None) -> datetime | None:
    """An RFC 822 date (RSS ``pubDate``), converted to Tehran; ``None`` when it is not one or
    out of bounds (module docstring). A year written with four digits is read as written
    (``email.utils`` reads «0001» as 2001).

    >>> parse_rfc822("Sat, 18 May 2024 06:55:00 GMT").isoformat()
    '2024-05-18T10:25:00+03:30'
    >>> parse_rfc822("Fri, 31 Dec 9999 23:59:59 GMT") is None
    True
    """
    year = re.search(r"\b\d{1,2} [A-Za-z]{3} (\d{4})\b", raw)
    if year and int(year[1]) < EARLIEST.year:
        return None
    try:
        parsed = parsedate_to_datetime(raw.strip())
        if parsed.tzinfo is None:  # «-0000» or no zone: UTC (RFC 5322), not the machine's zone
            parsed = parsed.replace(tzinfo=UTC)
        return within_bounds(parsed.astimezone(TEHRAN), now)
    except (TypeError, *_OUT_OF_RANGE):
        return None


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
    """ISO 8601 string with offset, seconds precision; an offset in whole minutes (the same
    instant at the nearest whole-minute offset when the zone's is not, as Tehran's local mean
    time +03:25:44 before 1946). ``None`` for a value that cannot be written so.

    >>> iso(datetime(1900, 1, 1, 10, tzinfo=TEHRAN))
    '1900-01-01T10:00:16+03:26'
    """
    if not value:
        return None
    offset = value.utcoffset()
    try:
        if offset is not None and offset % timedelta(minutes=1):
            minutes = round(offset / timedelta(minutes=1))
            value = value.astimezone(timezone(timedelta(minutes=minutes)))
        return value.isoformat(timespec="seconds")
    except _OUT_OF_RANGE:
        return None


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
