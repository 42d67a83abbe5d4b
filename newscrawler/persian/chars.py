"""Characters: invisible ones removed, digits translated, comparison keys, word counts.

Cheap, table-driven helpers with no hazm in them, shared by normalization, boilerplate rules,
dates and dedupe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


ZWNJ = "\u200c"

# Bidi controls, zero-width space/joiner, word joiner, BOM, soft hyphen, and C0/C1 controls
# except newline and tab.
_INVISIBLE = re.compile(
    "[\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
    "\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
#: Any character :data:`_INVISIBLE` or :data:`_PRESENTATION_FORMS` looks for: one scan tells
#: that both would leave a text (most texts) as it is.
_INVISIBLE_OR_FORM = re.compile(_INVISIBLE.pattern[:-1] + "\ufb50-\ufdff\ufe70-\ufeff]")


def translator(table: Mapping[int, Any], frequent: str = "") -> Callable[[str], str]:
    """``str.translate(table)`` as a function that only touches the characters to change.

    ``str.translate`` looks every character up in the table (about 150 ns a character on
    Persian text: 0.3 ms for an article body); a regular expression finds the few that need
    it in a tenth of that. The ``frequent`` characters of the table (Arabic ي and ك, on the
    many sites typed with them: a call of the match function for every word they are in)
    are replaced first with ``str.replace``, which copies the text in C; the table's other
    characters are rare. Same result: each character is mapped once, to characters that are
    not in the table.

    >>> translator(str.maketrans("ي", "ی"))("علي و علی")
    'علی و علی'
    """
    pattern = re.compile("[" + "".join(re.escape(chr(code)) for code in table) + "]+")
    replacements = [(char, str.translate(char, table)) for char in frequent]
    if any(pattern.search(new) for _, new in replacements):
        raise ValueError("a frequent character is mapped to one the table changes")

    def translate(text: str) -> str:
        for old, new in replacements:
            text = text.replace(old, new)
        return pattern.sub(lambda match: match.group(0).translate(table), text)

    return translate


_ARABIC_INDIC_DIGITS = translator(str.maketrans("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"))
#: Each Persian and Arabic-Indic digit with its ASCII digit.
_LATIN_DIGITS = tuple(zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2, strict=True))


def _TO_LATIN_DIGITS(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII by ``str.replace``, one digit after the other.

    A key's digits are in runs all over a text (dates, counts): :func:`translator` called its
    match function for each run; twenty ``replace`` calls (a C scan each, none of them copying
    a text without the digit) cost three quarters of that on the bench's keys. Each digit is
    replaced by an ASCII digit, which no later step replaces: the result is ``str.translate``'s.
    """
    for digit, latin in _LATIN_DIGITS:
        text = text.replace(digit, latin)
    return text


_KEY_JUNK = re.compile(f"[\\s{ZWNJ}]+")


def _fold_presentation_forms(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def strip_invisible(text: str) -> str:
    """Remove control and bidi characters, fold presentation forms; keep ZWNJ.

    >>> strip_invisible("\\u200fسلام\\x00\\ufeff")
    'سلام'
    >>> strip_invisible("\\ufee3\\ufeb4\\ufea0\\ufeaa")
    'مسجد'
    """
    if _INVISIBLE_OR_FORM.search(text) is None:
        return text
    text = _PRESENTATION_FORMS.sub(_fold_presentation_forms, text)
    return _INVISIBLE.sub("", text)


def has_arabic_yeh_kaf(text: str) -> bool:
    """Whether ``text`` holds Arabic ي, ى or ك, which sites typed with an Arabic keyboard use for
    Persian ی and ک. Three substring searches: the class ``[يىك]`` took 22 µs to scan a body of
    1,800 characters.

    >>> has_arabic_yeh_kaf("علي"), has_arabic_yeh_kaf("علی")
    (True, False)
    """
    return "ي" in text or "ى" in text or "ك" in text


def text_key(normalized: str) -> str:
    """The comparison key of an already normalized text: no spaces or ZWNJ, ASCII digits.

    >>> text_key("انتهای\\u200cپیام ۱۲") == "انتهایپیام12"
    True
    """
    # "".join(split()) is _KEY_JUNK.sub without ZWNJ: ``\s`` and ``str.split`` both cut at
    # ``str.isspace`` characters; a line has a match at every space, so the regex built its
    # result from dozens of pieces (half the cost of a boilerplate test).
    return _TO_LATIN_DIGITS("".join(normalized.replace(ZWNJ, "").split()))


def to_latin_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, for parsing numbers and dates.

    >>> to_latin_digits("۱۴۰۳/۰۲/۲۹")
    '1403/02/29'
    """
    return _TO_LATIN_DIGITS(text)


def word_count(text: str | None) -> int:
    """Words separated by whitespace (a ZWNJ joins the parts of one word).

    >>> word_count("شهرک\\u200cهای صنعتی قزوین")
    3
    """
    return len(text.split()) if text else 0
