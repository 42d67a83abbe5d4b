"""The tokenizer with its digits spelled out gives hazm's tokens wherever the normalizer uses it.

:func:`newscrawler.persian.normalize.normalizer` tokenizes a text with
:data:`~newscrawler.persian.hazm_light.PLAIN_DIGIT_TOKENS` (``\\d`` written as ASCII,
Arabic-Indic and Persian digits) when :func:`~newscrawler.persian.hazm_light.rare_characters`
finds nothing in it. Checked here: the search finds every other decimal digit, the two
tokenizers agree on texts it lets through and differ on some it stops, and the normalizer's
output is hazm's own on texts full of digits of every script.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from newscrawler.persian import hazm_light
from newscrawler.persian import normalize as text
from newscrawler.persian.chars import ZWNJ

#: Every decimal digit Python's ``\d`` knows.
ALL_DIGITS = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]
PLAIN = [d for d in ALL_DIGITS if re.match(r"[0-9٠-٩۰-۹]", d)]
OTHER = [d for d in ALL_DIGITS if d not in PLAIN]


@pytest.fixture(scope="module")
def rare() -> object:
    return hazm_light.rare_characters(hazm_light.constants())


def test_the_search_finds_every_other_digit_and_no_plain_one(rare: object) -> None:
    assert len(PLAIN) == 30
    assert len(OTHER) > 600
    assert [d for d in OTHER if rare(f"سلام {d} دنیا") is None] == []  # type: ignore[operator]
    assert [d for d in PLAIN if rare(f"سلام {d} دنیا") is not None] == []  # type: ignore[operator]
    assert hazm_light.other_digits() == "".join(d for d in OTHER if d <= "\uffff")


def test_the_search_still_finds_what_the_three_passes_touch(rare: object) -> None:
    """Every character of hazm's diacritics and special-character classes and the last
    character of each Unicode replacement; not a placeholder of protect.py."""
    constants = hazm_light.constants()
    patterns = [p for p, _ in (*constants.DIACRITICS_PATTERNS, *constants.SPECIAL_CHARS_PATTERNS)]
    touched = [chr(c) for c in range(0x10000) if any(re.search(p, chr(c)) for p in patterns)]
    touched += [max(old) for old, _ in constants.UNICODE_REPLACEMENTS]
    assert len(touched) > 100
    assert [c for c in touched if rare(c) is None] == []  # type: ignore[operator]
    placeholders = "".join(map(chr, range(text._PLACEHOLDER_BASE, text._PLACEHOLDER_BASE + 999)))
    assert rare(placeholders) is None  # type: ignore[operator]


def test_no_step_before_the_tokenizer_writes_another_digit() -> None:
    table = hazm_light.translation_table()
    written = "".join(v if isinstance(v, str) else chr(v) for v in table.values() if v is not None)
    assert not any(c in OTHER for c in written)


def _generated(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = [*'اب هی نم 12٣۴.:،؛؟!?»«[](){}/\\"-_ab\n\t', ZWNJ, "می ", "ها", "۱۴۰۳", "3.5"]
    pieces += ["१२", "๓", "𝟘", "١٢", "😀", "x9"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def test_plain_digit_tokens_are_hazms_where_the_search_lets_them(
    texts: list[str], rare: object
) -> None:
    tokenizer = hazm_light.Tokenizer()
    plain = hazm_light.PLAIN_DIGIT_TOKENS.findall
    let_through = stopped_and_different = 0
    for value in texts + _generated(11, 30000):
        if rare(value) is None:  # type: ignore[operator]
            let_through += 1
            assert plain(value) == tokenizer.tokenize(value), repr(value)
        elif plain(value) != tokenizer.tokenize(value):
            stopped_and_different += 1
    assert let_through > 10000
    assert stopped_and_different > 1000


def test_normalizer_output_is_hazms_with_digits_of_every_script(
    reference_normalizer: object,
) -> None:
    fast = text.normalizer()
    for value in _generated(12, 6000):
        assert fast.normalize(value) == reference_normalizer.normalize(value), repr(value)  # type: ignore[attr-defined]
    assert fast.correct_spacing("سال۱۴۰۳ و ๓ و 12") == reference_normalizer.correct_spacing(  # type: ignore[attr-defined]
        "سال۱۴۰۳ و ๓ و 12"
    )


def test_plain_digit_rules_are_hazms_where_the_search_lets_them(
    texts: list[str], rare: object
) -> None:
    """Each spacing rule with ``\\d`` spelled out gives the rule's result on every text the
    search lets through; on digits of other scripts some differ (so the search is needed)."""
    from newscrawler.persian.spacing import _substitute, plain_digit_rules

    fast = text.normalizer()
    rules = [*fast._extra_space, *fast._affix_spacing, *fast._punctuation_spacing]
    spelled = plain_digit_rules(rules)
    assert sum(r[0].pattern != p[0].pattern for r, p in zip(rules, spelled, strict=True)) >= 4
    let_through = stopped_and_different = 0
    for value in texts + _generated(13, 20000):
        for rule, plain in zip(rules, spelled, strict=True):
            if rare(value) is None:  # type: ignore[operator]
                let_through += 1
                assert _substitute([plain], value) == _substitute([rule], value), repr(value)
            elif _substitute([plain], value) != _substitute([rule], value):
                stopped_and_different += 1
    assert let_through > 100000
    assert stopped_and_different > 100


def test_spelled_digits_inside_and_outside_classes() -> None:
    from newscrawler.persian.spacing import _spell_digits

    assert _spell_digits(r"\d(?<=[آ]\d)") == "[0-9٠-٩۰-۹](?<=[آ][0-9٠-٩۰-۹])"
    assert _spell_digits(r"[^\n\d .]{2}") == r"[^\n0-9٠-٩۰-۹ .]{2}"
    assert _spell_digits(r"[]\d]\\d") == r"[]0-9٠-٩۰-۹]\\d"
