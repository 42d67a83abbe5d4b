"""Persian text normalization: letters, digits, half-spaces, invisible characters, layout."""

from __future__ import annotations

import pytest

from newscrawler.persian.chars import strip_invisible, to_latin_digits, word_count
from newscrawler.persian.normalize import match_key, normalize_text

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Arabic ي / ك → Persian ی / ک
        ("مدير كل", "مدیر کل"),
        ("ايران", "ایران"),
        ("كرمان", "کرمان"),
        ("مدير کل مديريت بحران استان قزوين", "مدیر کل مدیریت بحران استان قزوین"),
        # Arabic-Indic digits → Persian; Persian and Latin digits stay as written
        ("٣٤ نفر", "۳۴ نفر"),
        ("سال ١٤٠٣", "سال ۱۴۰۳"),
        ("سال ۱۴۰۳", "سال ۱۴۰۳"),
        ("سال 2024", "سال 2024"),
        ("۱۲ و 34", "۱۲ و 34"),
        ("کتاب\u200cها ٣٤ و 29", "کتاب\u200cها ۳۴ و 29"),
        # numbers, Latin tokens and addresses keep their spelling (hazm's tokenizer splits them)
        ("COVID-19", "COVID-19"),
        ("کووید-۱۹", "کووید-۱۹"),
        ("اجلاس G20", "اجلاس G20"),
        ("۱۴۰۳/۰۲/۲۹", "۱۴۰۳/۰۲/۲۹"),
        ("1,000,000 ریال", "1,000,000 ریال"),
        ("۱٬۲۰۰ تن", "۱٬۲۰۰ تن"),
        ("تورم ۱۲٫۵ درصد", "تورم ۱۲٫۵ درصد"),
        ("نرخ ۲۰٪ شد", "نرخ ۲۰٪ شد"),
        ("نتیجه ۲-۱ شد", "نتیجه ۲-۱ شد"),
        ("ساعت ۱۰:۲۵", "ساعت ۱۰:۲۵"),
        ("۳.۵ درصد", "۳.۵ درصد"),
        (
            "سایت https://irna.ir/news/85257749 را ببینید",
            "سایت https://irna.ir/news/85257749 را ببینید",
        ),
        ("نشانی www.irna.ir است.", "نشانی www.irna.ir است."),
        ("ایمیل info@irna.ir است", "ایمیل info@irna.ir است"),
        # ... but a number glued to a word is still spaced, as hazm does
        ("بیش از ۵۰درصد", "بیش از ۵۰ درصد"),
        ("قیمت۱٬۲۰۰تومان", "قیمت ۱٬۲۰۰ تومان"),
        # ZWNJ the page had is kept
        ("می\u200cشود", "می\u200cشود"),
        ("کتاب\u200cها", "کتاب\u200cها"),
        ("شهرک\u200cهای", "شهرک\u200cهای"),
        ("طرح\u200cهای عمرانی", "طرح\u200cهای عمرانی"),
        # ... and hazm adds the half-space a page left out
        ("شهرک هاي صنعتي", "شهرک\u200cهای صنعتی"),
        ("میروم", "می\u200cروم"),
        ("نمي\u200cشود", "نمی\u200cشود"),
        # doubled ZWNJ collapsed
        ("می\u200c\u200cشود", "می\u200cشود"),
        ("سلام\u200c\u200c\u200cدنیا", "سلام\u200cدنیا"),
        # ZWNJ next to a space (or a line edge) removed
        ("سلام\u200c دنیا", "سلام دنیا"),
        ("دنیا \u200cخوب", "دنیا خوب"),
        ("سلام \u200c دنیا", "سلام دنیا"),
        ("\u200cسلام\u200c", "سلام"),
        # bidi marks, BOM, NUL, zero-width and control characters removed
        ("\u200fسلام\x00\ufeff", "سلام"),
        ("\ufeffبه گزارش ایرنا", "به گزارش ایرنا"),
        ("سلام\x00دنیا", "سلامدنیا"),
        ("\x07سلام\x1b\x7f", "سلام"),
        ("سلام\x85دنیا", "سلامدنیا"),
        ("سلام\u200bدنیا", "سلامدنیا"),
        ("سلام\u00adدنیا", "سلامدنیا"),
        ("\u202bسلام\u202c دنیا", "سلام دنیا"),
        # Arabic presentation forms folded
        ("\ufee3\ufeb4\ufea0\ufeaa", "مسجد"),
        ("\ufefb", "لا"),
        # diacritics removed
        ("اَلسَّلام", "السلام"),
        # paragraph breaks kept (one per paragraph), spaces collapsed, lines trimmed
        ("بند اول\nبند دوم", "بند اول\nبند دوم"),
        ("بند اول\n\n\nبند دوم", "بند اول\nبند دوم"),
        ("بند اول\n \nبند دوم", "بند اول\nبند دوم"),
        ("بند اول\r\nبند دوم", "بند اول\nبند دوم"),
        ("بند اول\rبند دوم", "بند اول\nبند دوم"),
        ("  \n بند \n", "بند"),
        ("  سلام   دنیا  ", "سلام دنیا"),
        ("سلام\t\tدنیا", "سلام دنیا"),
        ("\u00a0سلام\u00a0دنیا\u00a0", "سلام دنیا"),
        ("سلام\u2009دنیا", "سلام دنیا"),
        ("سلام\u3000دنیا", "سلام دنیا"),
        # Latin punctuation stays as published (persian_style off)
        ("خبر...", "خبر..."),
        ("«سلام»", "«سلام»"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "char",
    [
        "\u200e",  # LRM
        "\u200f",  # RLM
        "\u202a",  # LRE
        "\u202b",  # RLE
        "\u202c",  # PDF
        "\u202d",  # LRO
        "\u202e",  # RLO
        "\u2066",  # LRI
        "\u2067",  # RLI
        "\u2068",  # FSI
        "\u2069",  # PDI
        "\ufeff",  # BOM
        "\x00",  # NUL
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\u2060",  # word joiner
    ],
)
def test_invisible_characters_are_removed(char: str) -> None:
    assert normalize_text(f"{char}سلام{char} دنیا{char}") == "سلام دنیا"
    assert normalize_text(f"می{char}\u200cشود") == "می\u200cشود"


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\n", "\u200c", " \u200f ", "\u200f\ufeff\x00"])
def test_nothing_left_is_none(raw: str | None) -> None:
    assert normalize_text(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "شهرک\u200cهای صنعتی قزوین",
        "به گزارش ایرنا، حمیدرضا خانپور روز سه\u200cشنبه گفت",
        "۱۴۰۳/۰۲/۲۹ و COVID-19",
        "بند اول\nبند دوم",
    ],
)
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert once is not None
    assert normalize_text(once) == once


def test_strip_invisible_keeps_zwnj_and_folds_presentation_forms() -> None:
    assert strip_invisible("\u200fمی\u200cشود\u200e") == "می\u200cشود"
    assert strip_invisible("\ufee3\ufeb4\ufea0\ufeaa") == "مسجد"
    assert strip_invisible("بند\nدوم\tسوم") == "بند\nدوم\tسوم"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۱۴۰۳/۰۲/۲۹", "1403/02/29"),
        ("١٤٠٣", "1403"),
        ("2024 و ۲۰۲۴", "2024 و 2024"),
        ("کد ۰۹", "کد 09"),
    ],
)
def test_to_latin_digits(raw: str, expected: str) -> None:
    assert to_latin_digits(raw) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ("انتهای پیام", "انتهاي  پيام", "انتهای\u200cپیام", "انتهایپیام", " انتهای پیام "),
        ("شهرک\u200cهای صنعتی", "شهرک های صنعتی", "شهرك هاي صنعتي", "شهرک\u200cهای  صنعتی"),
        ("۱۲ نفر", "12 نفر", "١٢ نفر", "۱۲نفر"),
        ("می\u200cشود", "می شود", "میشود", "مي\u200c\u200cشود"),
    ],
)
def test_match_key_ignores_spacing_zwnj_letters_and_digits(variants: tuple[str, ...]) -> None:
    keys = {match_key(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("انتهای پیام", "انتهای خبر"),
        ("۱۲ نفر", "۱۳ نفر"),
        ("منبع: ایرنا", "منبع ایرنا"),  # punctuation is part of the key
    ],
)
def test_match_key_tells_different_text_apart(left: str, right: str) -> None:
    assert match_key(left) != match_key(right)


def test_match_key_of_nothing_is_empty() -> None:
    assert match_key("") == ""
    assert match_key("\u200f \u200c") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, 0),
        ("", 0),
        ("قزوین", 1),
        ("شهرک\u200cهای صنعتی قزوین", 3),
        ("می\u200cشود", 1),
        ("یک\nدو  سه", 3),
        ("سال ۱۴۰۳ و 2024", 4),
    ],
)
def test_word_count(text: str | None, expected: int) -> None:
    assert word_count(text) == expected
