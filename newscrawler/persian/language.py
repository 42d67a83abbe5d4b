"""Persian or Arabic: which language a text (or a page) is written in.

Iranian sites publish Arabic too (the agencies' Arabic desks, Khuzestan's regional outlets),
and both languages share one script. Normalizing Arabic as Persian rewrites its letters
(ي → ی, ك → ک, ى → ی, ة → ه in some tools): the text is no longer Arabic. So
:func:`~newscrawler.persian.normalize.normalize_text` asks this module, line by line, which
language a line is in, and cleans Arabic lines without the Persian rules.

Letters alone do not decide: older Persian pages (windows-1256, Arabic keyboards) write ي and
ك throughout. What decides is what each language has and the other lacks:

* Persian: the letters پ چ ژ گ, and its function words (است، را، که، می، این، های، برای …);
* Arabic: ة (ta marbuta), and its function words (في، على، إلى، الذي، التي، هذا، أن …).

A line with Persian evidence is Persian; a line with Arabic evidence and none Persian is
Arabic; a line with neither (a name, a number) takes the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newscrawler.persian.chars import has_arabic_yeh_kaf

#: The regular expression :data:`ARABIC_HINT` answers for: a text without a match is not
#: Arabic (most Persian texts stop here).
ARABIC_HINT_PATTERN = re.compile(r"[ةأإ]|(?<!\S)(?:في|على|إلى|الى|عن|الذي|التي|هذا|هذه|كان)(?!\S)")
#: Below this length :class:`_ArabicHint` runs the pattern (5 characters: 1.6 µs against 3.4
#: for the substring searches; 20: even; 90: 15 against 5.9).
_HINT_SHORT = 20
_HINT_WORDS = ("في", "على", "الى", "عن", "الذي", "التي", "هذا", "هذه", "كان")  # إلى: has إ
#: The words of :data:`_HINT_WORDS` written with Persian letters only: the others hold ي, ى
#: or ك, and a text without those letters (most) can only hold these.
_HINT_PERSIAN_WORDS = ("عن", "هذا", "هذه")


class _ArabicHint:
    r"""Whether :data:`ARABIC_HINT_PATTERN` has a match in a text, without running it.

    The pattern's lookbehind makes the engine try it at every character (0.1 ms on an article
    body, on every body and title); substring searches for its letters and words take a
    tenth of that. A word found is a match when whitespace or the text's edge is on both
    sides (``(?<!\S)`` and ``(?!\S)``; ``str.isspace`` is the ``\s`` of a ``str`` pattern).
    ``tests/test_perf_equivalence.py`` compares the two.
    """

    def search(self, text: str) -> bool:
        if len(text) < _HINT_SHORT:  # a few characters: the pattern costs less than the calls
            return ARABIC_HINT_PATTERN.search(text) is not None
        if "ة" in text or "أ" in text or "إ" in text:
            return True
        words = _HINT_WORDS if has_arabic_yeh_kaf(text) else _HINT_PERSIAN_WORDS
        for word in words:
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if (at == 0 or text[at - 1].isspace()) and (
                    end == len(text) or text[end].isspace()
                ):
                    return True
                at = text.find(word, at + 1)
        return False


#: Cheap first look: ``ARABIC_HINT.search(text)`` is false for a text that is not Arabic.
ARABIC_HINT = _ArabicHint()
# Words of one language that the other does not use (not even written with the other's
# letters: «بين», «علي», «حتى», «بعد» are Persian words on pages typed with Arabic letters).
_ARABIC_WORDS = frozenset(
    [
        "في",
        "على",
        "إلى",
        "الى",
        "عن",
        "الذي",
        "التي",
        "الذين",
        "التى",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "كان",
        "كانت",
        "أن",
        "إن",
        "أو",
        "لم",
        "لن",
        "مع",
        "وفي",
        "وعلى",
        "وقال",
        "قال",
        "كما",
        "عند",
        "منذ",
        "أيضا",
        "إلي",
    ]
)
_PERSIAN_WORDS = frozenset(
    [
        "است",
        "را",
        "که",
        "می",
        "این",
        "اين",
        "های",
        "برای",
        "شده",
        "شد",
        "کند",
        "باید",
        "نیز",
        "بود",
        "هست",
        "نمی",
        "کرده",
        "شود",
        "وی",
        "خود",
        "یک",
        "تا",
        "از",
        "با",
        "در",
    ]
)
_PERSIAN_LETTERS = re.compile("[پچژگ]")
_TA_MARBUTA = re.compile("ة")
_TOKEN = re.compile(r"[^\s\d.,،؛:!?؟()«»\"'\[\]{}\-–—/]+")
_YEH_KAF = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})


def evidence(text: str) -> tuple[int, int]:
    """(Persian, Arabic) evidence in ``text``: letters and function words of each language."""
    persian = len(_PERSIAN_LETTERS.findall(text))
    arabic = len(_TA_MARBUTA.findall(text))
    for token in _TOKEN.findall(text):
        if token in _ARABIC_WORDS:
            arabic += 1
        elif token.translate(_YEH_KAF) in _PERSIAN_WORDS:
            persian += 1
    return persian, arabic


def line_language(line: str, default: str = "fa") -> str:
    """``ar`` or ``fa`` for one line (``default`` when it shows neither).

    On a Persian page one Arabic word is not enough (a quotation, a name typed with Arabic
    letters): a line is Arabic there with two pieces of Arabic evidence more than Persian.

    >>> line_language("معارضون يسيطرون على مخازن للصواريخ بريف دمشق", default="ar")
    'ar'
    >>> line_language("أكدت جهات سورية معارضة أن فصائل مسلحة معارضة")
    'ar'
    >>> line_language("شهرك هاي صنعتي قزوين را گسترش مي دهند")
    'fa'
    >>> line_language("محمد علي", default="ar")
    'ar'
    """
    persian, arabic = evidence(line)
    if persian > arabic and persian:
        return "fa"
    if arabic > persian and (default == "ar" or arabic >= 2):
        return "ar"
    return default


def is_arabic(line: str, default: str = "fa") -> bool:
    """Whether ``line`` must keep its Arabic letters (see :func:`line_language`)."""
    if default != "ar" and not ARABIC_HINT.search(line):
        return False
    return line_language(line, default) == "ar"


def text_language(lines: Iterable[str], hint: str | None = None) -> str:
    """The language of a text of several lines: the one most of its letters are written in;
    ``hint`` (the page's ``lang`` attribute) decides a text without evidence."""
    default = "ar" if (hint or "").lower().startswith("ar") else "fa"
    weight = {"fa": 0, "ar": 0}
    for line in lines:
        weight[line_language(line, default)] += len(line)
    if weight["ar"] == weight["fa"]:
        return default
    return "ar" if weight["ar"] > weight["fa"] else "fa"
