"""Text-level boilerplate rules: lines that are never article text.

Widgets are removed from the DOM first (see ``extraction.dom``); these rules catch what survives
as plain lines inside the body container: sign-offs, like/view counters, comment headers,
disclaimers, "read more" links, and the lines of the four in-body widgets (related-news
headings, photo credits, social calls to action, star ratings: :mod:`newscrawler.persian.widgets`).
Every rule is matched against
:func:`newscrawler.persian.normalize.match_key` of a normalized line, so Arabic ي/ك, missing or
extra half-spaces and Persian/Latin digits do not defeat it. Rules are data; a site profile adds its
own phrases with ``drop_text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from newscrawler.persian.chars import ZWNJ
from newscrawler.persian.normalize import match_key, normalize_text
from newscrawler.persian.widgets import RELATED_HEADINGS, is_widget_line

#: Lines dropped when they are exactly one of these phrases (after normalization).
EXACT_LINES: tuple[str, ...] = (
    "انتهای پیام",
    "پایان پیام",
    "پایان خبر",
    "پایان نوشتار",
    "این مطلب برایم مفید است",
    "این خبر برایم مفید است",
    "موضوعات داغ",
    "نظرات و دیدگاه ها",
    "نظرات",
    "دیدگاه ها",
    "ارسال نظر",
    "نظر شما",
    "اخبار مرتبط",
    "مطالب مرتبط",
    "پربازدیدترین",
    "پربازدیدترین ها",
    "کپی شد",
    "تبلیغات",
    "اشتراک گذاری",
    "برچسب ها",
    "کلید واژه ها",
    "بازگشت به صفحه رسانه ها",
    *RELATED_HEADINGS,
)

#: Lines dropped when they start with one of these phrases.
PREFIX_LINES: tuple[str, ...] = (
    "بیشتر بخوانید",
    "بخوانید:",
    "بیشتر:",
    "لینک کوتاه",
    "لینک کپی شد",
    "مسئولیت نوشته ها بر عهده نویسندگان",
    "این خبر بروز رسانی می شود",
    "تهیه شده در اداره کل رسانه های نوین",
    "کد خبر:",
    "کد مطلب:",
    "تعداد بازدید",
    "ارسال نظر برای این مطلب",
    "همچنین بخوانید",
    "حتما بخوانید",
    "در همین زمینه بخوانید",
    "در همین رابطه بخوانید",
    "پیشنهاد سردبیر:",
    "اخبار مرتبط:",
    "خبرهای مرتبط:",
    "خبر مرتبط:",
    "مطالب مرتبط:",
    "مطلب مرتبط:",
)

#: Regular expressions over the match key (no spaces, no ZWNJ, Latin digits).
KEY_PATTERNS: tuple[str, ...] = (
    r"[\d\W_]+",  # counters and separators: «3013», «۱۲»، «---»
    r"انتها(ی|ي)?پیام(/.{0,12})?",  # «انتهای پیام/ک»
    r"پایاننوشتار/*",
    r"\d*نفراین(پست|مطلب|خبر)راپسندیده(اند|است)",
    r"این(مطلب|خبر)برایممفیداست\d*(\d*نفراین(پست|مطلب|خبر)راپسندیده(اند|است))?",
    r"منبع:?(خبرگزاری)?(ایرنا|ایسنا|مهر|تسنیم|فارس|باشگاهخبرنگارانجوان|صداوسیما|ایلنا)[\W]*",
    r"(بازدید|نظر|لایک|تعدادنظرات):?\d+",
    r"\d+(بازدید|نظر|دیدگاه)",
)

#: Decoration around a widget label («- تبلیغات -», «« اخبار مرتبط »»), ignored when matching.
EDGE_PUNCTUATION = "-–—_*•|«»()[]<>.،:؛ "

_PUBLISHER = re.compile(r"^\s*انتشار[\s\u200c]*دهنده\s*[:：]\s*(?P<name>\S.{1,79}?)\s*$")


@lru_cache(maxsize=64)
def _compiled(extra: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...], re.Pattern[str]]:
    exact = frozenset(match_key(p).strip(EDGE_PUNCTUATION) for p in EXACT_LINES)
    prefixes = tuple(match_key(p).lstrip(EDGE_PUNCTUATION) for p in (*PREFIX_LINES, *extra))
    pattern = re.compile("|".join(f"(?:{p})" for p in KEY_PATTERNS))
    return exact, prefixes, pattern


def is_boilerplate(line: str, extra: Sequence[str] = ()) -> bool:
    """True when a normalized line is a widget remnant, sign-off or counter.

    >>> is_boilerplate("انتهاي پيام")
    True
    >>> is_boilerplate("۰ نفر این پست را پسندیده اند")
    True
    >>> is_boilerplate("3013")
    True
    >>> is_boilerplate("وی در ادامه گفت: این مطلب مهم است.")
    False
    >>> is_boilerplate("تعداد بازدیدکنندگان نمایشگاه به ۱۰ هزار نفر رسید.")
    False
    >>> is_boilerplate("عکس: ایرنا")
    True
    """
    exact, prefixes, pattern = _compiled(tuple(extra))
    raw_key = match_key(line)
    key = raw_key.strip(EDGE_PUNCTUATION)
    if not key or key in exact or pattern.fullmatch(key) or pattern.fullmatch(raw_key):
        return True
    # raw_key too: «بیشتر:» alone must still match the prefix «بیشتر:» once «:» is stripped.
    # Most lines: one test for all prefixes, and too long for a widget line.
    if (key.startswith(prefixes) or raw_key.startswith(prefixes)) and any(
        (key.startswith(p) or raw_key.startswith(p)) and _ends_word(line, p) for p in prefixes
    ):
        return True
    return is_widget_line(line)


def _ends_word(line: str, prefix_key: str) -> bool:
    """False when a prefix stops inside a word of ``line`` («تعداد بازدید» does not start
    «تعداد بازدیدکنندگان …»). Keys have no spaces or ZWNJ, so this looks at the text itself."""
    if not prefix_key or not prefix_key[-1].isalpha():
        return True
    text = (normalize_text(line) or "").lstrip(EDGE_PUNCTUATION)
    seen = 0
    for index, char in enumerate(text):
        if char.isspace() or char == ZWNJ:
            continue
        seen += 1
        if seen == len(prefix_key):
            following = text[index + 1 : index + 2]
            return not (following.isalnum() or following == ZWNJ)
    return True


def publisher_from_line(line: str) -> str | None:
    """The name in a «انتشار دهنده: …» publisher line, else ``None``.

    >>> publisher_from_line("انتشار دهنده: رضا اولادی")
    'رضا اولادی'
    >>> publisher_from_line("وی گفت: انتشار دهنده کتاب") is None
    True
    """
    match = _PUBLISHER.match(line)
    return match.group("name") if match else None


def drop_boilerplate(lines: Iterable[str], extra: Sequence[str] = ()) -> list[str]:
    """Keep the lines that are article text (publisher lines go to ``publisher`` instead)."""
    return [
        line
        for line in lines
        if not is_boilerplate(line, extra) and publisher_from_line(line) is None
    ]
