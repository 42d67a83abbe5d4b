"""Boilerplate lines: every widget remnant of the seed page goes, real sentences stay.

Lines are run through ``normalize_text`` first, as the loader does before the rules see them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newscrawler.persian.boilerplate import drop_boilerplate, is_boilerplate, publisher_from_line
from newscrawler.persian.normalize import normalize_text

ZWNJ = "\u200c"

#: What the seed page (an IRNA dispatch on a Qazvin WordPress portal) printed after its text.
SEED_REMNANTS = [
    "3013",
    "انتهای پیام",
    "انتهای پیام/ک",
    "این مطلب برایم مفید است",
    "0 نفر این پست را پسندیده اند",
    "۱۲ نفر این مطلب را پسندیده اند",
    "موضوعات داغ",
    "نظرات و دیدگاه ها",
    "مسئولیت نوشته ها بر عهده نویسندگان آنهاست و انتشار آن به معنی تایید این نظرات نیست.",
    "بیشتر بخوانید: افتتاح ۱۲ طرح صنعتی در شهرک\u200cهای قزوین",
    "لینک کوتاه: https://irna.ir/xjP3Tn",
    "منبع: ایرنا",
]


def arabic_letters(line: str) -> str:
    return (
        line.replace("ی", "ي")
        .replace("ک", "ك")
        .translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"))
    )


def with_half_spaces(line: str) -> str:
    """The careful typist's spelling: a ZWNJ, not a space, before «ها», «های» and «اند»."""
    for word in ("ها", "اند", "های"):
        line = line.replace(f" {word} ", f"{ZWNJ}{word} ").replace(f" {word}.", f"{ZWNJ}{word}.")
        if line.endswith(f" {word}"):
            line = line[: -len(word) - 1] + ZWNJ + word
    return line


def no_half_spaces(line: str) -> str:
    return line.replace(ZWNJ, " ")


def extra_spaces(line: str) -> str:
    return "  " + line.replace(" ", "   ") + " \u00a0"


def with_bidi_marks(line: str) -> str:
    return "\u200f" + line + "\u200e"


VARIANTS: dict[str, Callable[[str], str]] = {
    "as-is": lambda line: line,
    "arabic-letters": arabic_letters,
    "half-spaces": with_half_spaces,
    "no-half-spaces": no_half_spaces,
    "extra-spaces": extra_spaces,
    "bidi-marks": with_bidi_marks,
}


def loaded(line: str) -> str:
    """The line as the loader hands it to the rules."""
    normalized = normalize_text(line)
    assert normalized is not None
    return normalized


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
@pytest.mark.parametrize("remnant", SEED_REMNANTS)
def test_seed_remnants_are_boilerplate(remnant: str, variant: str) -> None:
    assert is_boilerplate(loaded(VARIANTS[variant](remnant)))


@pytest.mark.parametrize(
    "line",
    [
        "پایان پیام",
        "پایان خبر",
        "پایان نوشتار///",
        "انتهای پیام/ ۲۲۲",
        "انتهاي پيام",
        "انتهای\u200cپیام",
        "این خبر برایم مفید است",
        "۳ نفر این خبر را پسندیده است",
        "بیشتر بخوانید",
        "« بیشتر بخوانید: »",
        "منبع:ایرنا",
        "منبع : ایسنا",
        "منبع: مهر",
        "منبع: خبرگزاری مهر",
        "منبع: باشگاه خبرنگاران جوان",
        "منبع: صدا و سیما",
        "کد خبر: ۱۲۳۴۵",
        "تعداد بازدید: ۱۲۳",
        "تعداد بازدید",
        "بازدید: ۱۲۳",
        "۱۲ بازدید",
        "۴ نظر",
        "۱۲",
        "---",
        "***",
        "- تبلیغات -",
        "« اخبار مرتبط »",
        "اخبار مرتبط:",
        "نظر شما",
        "ارسال نظر",
        "برچسب\u200cها",
        "کلید واژه ها",
        "کپی شد",
        "لینک کپی شد",
        "",
        "\u200f",
    ],
)
def test_other_widget_lines_are_boilerplate(line: str) -> None:
    assert is_boilerplate(normalize_text(line) or "")


@pytest.mark.parametrize(
    "line",
    [
        "نظرات کارشناسان در این زمینه متفاوت است.",
        "کارشناسان بر لزوم توجه به نظرات و دیدگاه ها تاکید کردند.",
        "در سال ۱۴۰۲ بیش از ۱۲ هزار تن گندم از کشاورزان قزوینی خریداری شد.",
        "۲۵ درصد واحدهای صنعتی استان غیرفعال هستند.",
        "3013 واحد صنعتی در استان فعال است.",
        "منبع آگاه گفت که جلسه شورای شهر لغو شد.",
        "منبع آگاهی در استانداری قزوین این خبر را تایید کرد.",
        "منبع اصلی آلودگی هوا در قزوین واحدهای صنعتی است.",
        "وی در ادامه گفت: این مطلب مهم است.",
        "او گفت انتهای پیام را نخوانده است.",
        "موضوعات داغ این هفته در مجلس بررسی شد.",
        "بیشتر مردم در انتخابات شرکت کردند.",
        "تعداد بازدیدکنندگان نمایشگاه به ۱۰ هزار نفر رسید.",
        "تعداد بازدید\u200cکنندگان از موزه\u200cها افزایش یافت.",
        "به گزارش ایرنا، حمیدرضا خانپور روز سه شنبه گفت: ۴۰ واحد صنعتی راه اندازی شد.",
        "مدیرعامل شرکت شهرک های صنعتی استان قزوین گفت: ماحصل این بازدیدها حل مشکلات بود.",
    ],
)
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(loaded(line))


@pytest.mark.parametrize(
    ("line", "extra", "expected"),
    [
        ("بیشتر:", ("بیشتر:",), True),  # IRNA's related-news heading
        ("بیشتر: افتتاح طرح صنعتی", ("بیشتر:",), True),
        ("بیشتر مردم در انتخابات شرکت کردند.", ("بیشتر:",), False),
        ("انتهای پیام/ ح.ع", ("انتهای پیام/",), True),
        ("این خبر بروز رسانی می شود...", ("این خبر بروز رسانی می شود",), True),
        ("منبع: روزنامه اطلاعات", ("منبع:",), True),
        ("منبع: روزنامه اطلاعات", (), False),
    ],
)
def test_site_phrases(line: str, extra: tuple[str, ...], expected: bool) -> None:
    assert is_boilerplate(loaded(line), extra) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("انتشار دهنده: رضا اولادی", "رضا اولادی"),
        ("انتشار\u200cدهنده: رضا اولادی", "رضا اولادی"),
        ("انتشاردهنده : رضا اولادی", "رضا اولادی"),
        ("  انتشار دهنده:  رضا اولادی  ", "رضا اولادی"),
        ("انتشار دهنده: ر", None),
        ("انتشار دهنده:", None),
        ("وی گفت: انتشار دهنده کتاب", None),
        ("انتشار دهنده کتاب گفت: چاپ دوم منتشر شد", None),
        ("رضا اولادی", None),
    ],
)
def test_publisher_from_line(line: str, expected: str | None) -> None:
    assert publisher_from_line(line) == expected


def test_publisher_line_survives_normalization() -> None:
    assert publisher_from_line(loaded("انتشار دهنده: رضا اولادي")) == "رضا اولادی"


def test_drop_boilerplate_keeps_article_lines_in_order() -> None:
    lines = [
        "به گزارش ایرنا، استاندار قزوین گفت: ۴۰ طرح افتتاح شد.",
        "بیشتر بخوانید: افتتاح ۱۲ طرح صنعتی",
        "وی افزود: نظرات کارشناسان بررسی می\u200cشود.",
        "3013",
        "انتشار دهنده: رضا اولادی",
        "منبع آگاه گفت که طرح دوم هم آماده است.",
        "انتهای پیام",
        "0 نفر این پست را پسندیده اند",
    ]
    assert drop_boilerplate([loaded(line) for line in lines]) == [
        "به گزارش ایرنا، استاندار قزوین گفت: ۴۰ طرح افتتاح شد.",
        "وی افزود: نظرات کارشناسان بررسی می\u200cشود.",
        "منبع آگاه گفت که طرح دوم هم آماده است.",
    ]


def test_drop_boilerplate_uses_site_phrases() -> None:
    lines = ["خبر اصلی.", "بیشتر:", "بیشتر مردم آمدند."]
    assert drop_boilerplate(lines, ("بیشتر:",)) == ["خبر اصلی.", "بیشتر مردم آمدند."]
    assert drop_boilerplate([]) == []
