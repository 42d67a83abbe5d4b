"""The fifth round's shortcuts in ``newscrawler/persian`` give what the code they replace gave.

- ``chars._TO_LATIN_DIGITS`` (twenty ``str.replace``) is ``str.translate`` with the digit table;
- ``protect._protected_spans`` looks for :data:`~newscrawler.persian.protect._SPAN_ANCHOR`
  (a digit of another script only where a number can start) and still finds every span
  ``_PROTECTED.finditer`` finds.

Each test was checked to fail with its shortcut weakened (a digit left out of the table, the
anchor without its «-» or its separator branch).
"""

from __future__ import annotations

import random
import re

from newscrawler.persian import chars, protect
from newscrawler.persian.chars import ZWNJ

DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
LATIN_TABLE = str.maketrans(DIGITS, "0123456789" * 2)
#: Decimal digits of other scripts (``\d`` matches them; they are not translated).
OTHER_DIGITS = "१२๓๔᠑߁𝟘"


def _generated(seed: int, count: int, pieces: list[str], longest: int = 24) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, longest))) for _ in range(count)
    ]


def test_latin_digits_are_str_translate(texts: list[str]) -> None:
    every = "".join(map(chr, range(0x10000)))
    assert chars._TO_LATIN_DIGITS(every) == every.translate(LATIN_TABLE)
    pieces = [*DIGITS, *OTHER_DIGITS, "0", "9", " ", ZWNJ, "سال", "a", "\n"]
    for value in texts + _generated(41, 20000, pieces):
        assert chars._TO_LATIN_DIGITS(value) == value.translate(LATIN_TABLE), repr(value)
        assert chars.to_latin_digits(value) == value.translate(LATIN_TABLE)
    assert chars.text_key("سال ۱۴۰۳\u200cو ٣٤ 12") == "سال1403و3412"


#: Pieces around numbers: digits of three scripts, every separator the number alternative
#: takes, «-» after a word, percent signs, Latin tokens, e-mails and URLs.
PROTECT_PIECES = [
    *"۱۲۳٠١٢0159",
    *".,/٫٬:-%٪@_+",
    *OTHER_DIGITS,
    " ",
    "\n",
    "سال",
    "ب",
    "a",
    "Z",
    "x-",
    "ب-",
    "http://",
    "www.",
    "@x.ir",
    "۱۴۰۳/۰۲/۲۹",
    "۱٬۲۰۰",
    "COVID-19",
    "۵۰٪",
    "٣٫٥",
]


def _finditer_spans(value: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in protect._PROTECTED.finditer(value)]


def _fast_spans(value: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in protect._protected_spans(value)]


def test_protected_spans_are_finditers(texts: list[str]) -> None:
    numbers = 0
    for value in texts + _generated(43, 40000, PROTECT_PIECES):
        expected = _finditer_spans(value)
        assert _fast_spans(value) == expected, repr(value)
        numbers += any(value[start] in DIGITS for start, _, _ in expected)
    assert numbers > 5000  # many spans start at a Persian or Arabic-Indic digit


def test_the_anchor_skips_persian_numbers_without_separators() -> None:
    """What the new anchor saves: a body's plain Persian numbers are not anchors; a number
    with a separator, a percent sign or after «-» is, and so is every ASCII anchor."""
    anchors = [m.group(0)[0] for m in protect._SPAN_ANCHOR.finditer("در سال ۱۴۰۳ و ۲۵ نفر")]
    assert anchors == []
    for value in ["۱۴۰۳/۰۲", "۵۰٪", "۱٬۲۰۰", "ب-۱۲", "a", "Z", "7", "@"]:
        assert protect._SPAN_ANCHOR.search(value) is not None, value
    old = re.compile(r"[A-Za-z\d@]")
    for value in _generated(47, 5000, PROTECT_PIECES):
        fast = {m.start() for m in protect._SPAN_ANCHOR.finditer(value)}
        assert fast <= {m.start() for m in old.finditer(value)}


def test_substitute_tests_a_guards_needle_as_the_guard_would(texts: list[str]) -> None:
    """``spacing._substitute`` tests a one-needle guard's needle itself and runs an unguarded
    pattern without a test: the result of calling every guard, on every rule the normalizer
    has (both digit forms), for the corpus and generated text."""
    from newscrawler.persian import normalize, spacing

    fast = normalize.normalizer()
    groups = [
        *[[rule] for rule in (*fast._extra_space, *fast._affix_spacing)],
        *[[rule] for rule in fast._punctuation_spacing],
        *[[rule] for group in fast._plain_rules for rule in group],
    ]
    needles = [rule[3] for group in groups for rule in group]
    assert sum(needle is not None for needle in needles) >= 10

    def guarded(rules: list[spacing._SpacingRule], value: str) -> str:
        for pattern, replacement, guard, _ in rules:
            if guard(value):
                value = pattern.sub(replacement, value)
        return value

    pieces = [" ", "  ", "\n", "\n\n\n", ZWNJ, ZWNJ * 2, "ه ی ", "می ", "ه ا", "هها", '" ', "ـ"]
    pieces += ["ا", "ب", "۱", "1", "«", "(", ".", "،", " تر", " ها"]
    changed = 0
    for value in texts[:3000] + _generated(59, 5000, pieces, longest=12):
        for rules in groups:
            expected = guarded(rules, value)
            assert spacing._substitute(rules, value) == expected, (rules[0][0].pattern, value)
            changed += expected != value
    assert changed > 1000
