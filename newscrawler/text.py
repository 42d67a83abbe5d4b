"""Persian text normalization: the one place where article text is cleaned.

Every text field goes through :func:`normalize_text`, which

1. removes invisible junk (bidi controls, BOM, NUL and other C0/C1 controls, zero-width
   characters other than ZWNJ) and folds Arabic presentation forms (NFKC on those code points only);
2. turns Arabic-Indic digits (٠-٩) into Persian ones (۰-۹); Latin digits are kept as the page
   wrote them, so a number, a year or "COVID-19" reads the same as on the site;
3. runs hazm's ``Normalizer`` (built once) with options chosen for article text:
   Arabic ي/ك → Persian ی/ک, spacing and half-space (ZWNJ) fixes around suffixes and «می»,
   diacritics removed; ``persian_numbers`` and ``persian_style`` off so digits and Latin
   punctuation stay as published;
4. collapses runs of spaces and trims each line, keeping line breaks (paragraphs).

A ZWNJ the page had is never removed except where it touches a space or another ZWNJ
(where it carries no meaning).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hazm import Normalizer

ZWNJ = "\u200c"

# Bidi controls, zero-width space/joiner, word joiner, BOM, soft hyphen, and C0/C1 controls
# except newline and tab.
_INVISIBLE = re.compile(
    "[\u200b\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
    "\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
_ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
_TO_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_JUNK = re.compile(f"{ZWNJ}*[ ]+{ZWNJ}*|{ZWNJ}{{2,}}")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@lru_cache(maxsize=1)
def normalizer() -> Normalizer:
    """The shared hazm Normalizer (construction takes about a second, so it is built once)."""
    from hazm import Normalizer

    return Normalizer(
        correct_spacing=True,
        remove_diacritics=True,
        remove_specials_chars=True,
        decrease_repeated_chars=True,
        persian_style=False,
        persian_numbers=False,
        unicodes_replacement=True,
        seperate_mi=True,
    )


def _fold_presentation_forms(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def strip_invisible(text: str) -> str:
    """Remove control and bidi characters, fold presentation forms; keep ZWNJ.

    >>> strip_invisible("\\u200fسلام\\x00\\ufeff")
    'سلام'
    >>> strip_invisible("\\ufee3\\ufeb4\\ufea0\\ufeaa")
    'مسجد'
    """
    text = _PRESENTATION_FORMS.sub(_fold_presentation_forms, text)
    return _INVISIBLE.sub("", text)


def normalize_text(text: str | None) -> str | None:
    """Normalize one text value (may hold several lines); ``None`` when nothing is left.

    >>> normalize_text("  شهرک هاي صنعتي   قزوين  ")
    'شهرک\\u200cهای صنعتی قزوین'
    >>> normalize_text("کتاب\\u200cها ٣٤ و 29") == "کتاب\\u200cها ۳۴ و 29"
    True
    >>> normalize_text(" \\u200f ") is None
    True
    """
    if text is None:
        return None
    text = strip_invisible(text).translate(_ARABIC_INDIC_DIGITS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    if not text.strip():
        return None
    text = normalizer().normalize(text)
    text = _ZWNJ_JUNK.sub(lambda m: " " if " " in m.group(0) else ZWNJ, text)
    lines = [line.strip(" " + ZWNJ) for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    return text or None


def match_key(text: str) -> str:
    """A comparison key: normalized, with spaces, ZWNJ and punctuation-like separators removed.

    Boilerplate rules and dedupe compare keys, so «انتهاي  پيام» and «انتهای‌پیام» are equal.

    >>> match_key("انتهاي  پيام") == match_key("انتهای\\u200cپیام")
    True
    """
    normalized = normalize_text(text) or ""
    return re.sub(rf"[\s{ZWNJ}]+", "", normalized).translate(_TO_LATIN_DIGITS)


def to_latin_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, for parsing numbers and dates.

    >>> to_latin_digits("۱۴۰۳/۰۲/۲۹")
    '1403/02/29'
    """
    return text.translate(_TO_LATIN_DIGITS)


def word_count(text: str | None) -> int:
    """Words separated by whitespace (a ZWNJ joins the parts of one word).

    >>> word_count("شهرک\\u200cهای صنعتی قزوین")
    3
    """
    return len(text.split()) if text else 0
