"""The output contract's shortcut (:func:`newscrawler.contract.sanitize._suspect`): a text it
finds nothing in is one :func:`~newscrawler.contract.sanitize.clean_text` leaves as it is, so
skipping the cleaning changes no record."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from parsel import Selector

from newscrawler.contract.sanitize import _needs_cleaning, _suspect, clean_text

FIXTURES = Path(__file__).parent / "fixtures"
#: Every kind of character clean_text treats specially, and ordinary ones.
ALPHABET = (
    "ab سلام۱2"
    " \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2003\u2028\u2029\u202f\u3000"  # spaces and breaks
    "\u200b\u200c\u200d\u200e\u200f\u202b\u2066\ufeff\u00ad\x00\x07\x7f\x9b"  # invisible
    "\ufb8a\ufee3\ufdf2<>/!\ufffd\ud800"  # presentation forms, tags, junk
)


#: One of each change clean_text makes, inside ordinary text.
CASES = [
    "خبر  مهم", "خبر\t\tمهم", "خبر \tمهم", " خبر", "خبر ", "خبر\n", "\nخبر", "خبر\n\nمهم",
    "خبر \nمهم", "خبر\n مهم", "خبر\r\nمهم", "خبر\u2028مهم", "<b>خبر</b>", "دما > ۴۰",
    "خبر\u200fمهم", "خبر\ufffd", "\ufee3\ufeb4\ufea0\ufeaa", "خبر\xa0", "\u3000خبر",
]  # fmt: skip


def _texts() -> list[str]:
    rng = random.Random(16)
    texts = CASES + [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))) for _ in range(20000)
    ]
    for html in sorted(FIXTURES.glob("*/*.html"))[:40]:
        page = Selector(text=html.read_bytes().decode("utf-8", "replace"))
        texts += page.xpath("//body//text()").getall()
    return texts


@pytest.mark.parametrize("multiline", [False, True])
def test_a_text_without_suspects_is_clean(multiline: bool) -> None:
    texts = _texts()
    unsuspected = [t for t in texts if not _suspect(t)]
    assert len(unsuspected) > 500  # the shortcut is taken, and tried on many texts
    assert not any(not _suspect(case) for case in CASES)
    for text in unsuspected:
        if not multiline and "\n" in text:
            continue
        assert clean_text(text, multiline=multiline) == text, repr(text)


@pytest.mark.parametrize("multiline", [False, True])
def test_needs_cleaning_is_the_full_comparison(multiline: bool) -> None:
    for text in _texts():
        expected = clean_text(text, multiline=multiline) != text
        assert _needs_cleaning(text, multiline) == expected, repr(text)
