"""Where hazm's spacing pass is wrong for news text, and when its patterns can be skipped."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from newscrawler.persian.chars import ZWNJ

if TYPE_CHECKING:
    pass

#: Verb forms that hazm's lexicon joins onto the word before («تکمیل شده است» →
#: «تکمیل‌شده است»), reading a passive or compound verb as an adjective. In news text they are
#: verbs, so a join hazm made before one of them is undone («تکمیل شده است» stays as written).
LIGHT_VERBS = frozenset(
    [
        "شده",
        "شد",
        "شدند",
        "شود",
        "شوند",
        "شدن",
        "گردید",
        "گردیده",
        "گردد",
        "یافته",
        "یافت",
        "یافتند",
        "کرده",
        "کرد",
        "کردند",
        "نموده",
        "نمود",
    ]
)
#: Quantities hazm joins onto «یک» («یک میلیون» → «یک‌میلیون»); those joins are undone too.
_QUANTITIES = frozenset(["هزار", "میلیون", "میلیارد", "صد", "بار"])


def _unjoin(token: str, original: set[str]) -> list[str]:
    """Split a token hazm joined, before a light verb or after «یک» + a quantity."""
    if ZWNJ not in token or token in original:
        return [token]
    parts = token.split(ZWNJ)
    words: list[list[str]] = [[parts[0]]]
    for part in parts[1:]:
        previous = words[-1]
        if part in LIGHT_VERBS or (previous == ["یک"] and part in _QUANTITIES):
            words.append([part])
        else:
            previous.append(part)
    return [ZWNJ.join(word) for word in words]


Guard = Callable[[str], bool]


def _always(text: str) -> bool:
    return True


#: The guards of :func:`_any_of` that look for one needle, and that needle: :func:`_substitute`
#: tests it itself (a guard is a Python call, for each of 22 patterns and every text).
_NEEDLE_OF: dict[Guard, str] = {}


def _any_of(*needles: str) -> Guard:
    if len(needles) == 1:
        needle = needles[0]
        guard: Guard = lambda text: needle in text  # noqa: E731
        _NEEDLE_OF[guard] = needle
        return guard

    return lambda text: any(map(text.__contains__, needles))


_DIGIT = re.compile(r"\d")


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


#: The digits news text has (ASCII, Arabic-Indic, Persian), as a class's inside: for a text
#: without other decimal digits, ``\d`` matches exactly these, and a class of them is scanned
#: several times faster than ``\d`` (a test of each character's Unicode category).
PLAIN_DIGITS = "0-9٠-٩۰-۹"
_PLAIN_DIGIT = re.compile(f"[{PLAIN_DIGITS}]")


def _has_plain_digit(text: str) -> bool:
    return _PLAIN_DIGIT.search(text) is not None


#: For hazm 0.12's spacing patterns (by their source), a test a text passes whenever the
#: pattern would change it: a pattern is only run on a text that passes. Most of these patterns
#: start with a lookbehind, a group or a negated class, so the regular expression engine tries
#: them at every position (40 µs each on an article body) to find, mostly, nothing; a
#: substring test takes a microsecond. ``\b\u200c*\B`` and ``\B\u200c*\b`` cannot match an
#: empty string (``\b`` and ``\B`` at one position), so they need a ZWNJ; ``' +$'`` matches
#: spaces at the end or before a final newline.
SPACING_GUARDS: dict[str, Guard] = {
    "^ +| +$": lambda text: text.startswith(" ") or text.endswith((" ", " \n")),
    " {2,}": _any_of("  "),
    "\\n{3,}": _any_of("\n\n\n"),
    "\\u200c{2,}": _any_of(ZWNJ * 2),
    "\\u200c{1,} ": _any_of(ZWNJ + " "),
    " \\u200c{1,}": _any_of(" " + ZWNJ),
    "\\b\\u200c*\\B": _any_of(ZWNJ),
    "\\B\\u200c*\\b": _any_of(ZWNJ),
    "[ـ\\r]": _any_of("ـ", "\r"),
    "([^ ]ه) ی ": _any_of("ه ی "),
    "(^| )(ن?می) ": _any_of("می "),
    (
        "(?<=[^\\n\\d \\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]{2}) (تر(ین?)?|گری?|های?)"
        "(?=[ \\n\\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]|$)"
    ): _any_of(" تر", " گر", " ها"),
    "([^ ]ه) (ا(م|یم|ش|ند|ی|ید|ت))(?=[ \\n\\.:!،؛؟»\\]\\)\\}]|$)": _any_of("ه ا"),
    "(ه)(ها)": _any_of("هها"),
    '" ([^\\n"]+) "': _any_of('" '),
    "([«\\[\\(\\{]) ": _any_of("« ", "[ ", "( ", "{ "),
    "([^ «\\[\\(\\{])([«\\[\\(\\{])": _any_of("«", "[", "(", "{"),
    "(\\d)([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])": _has_digit,
    "([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])(\\d)": _has_digit,
}


#: A hazm spacing pattern → a pattern that matches the same spans of any text (so ``sub`` with
#: the same replacement gives the same result), written so that the regex engine can skip to
#: where a match can start. hazm's ``\b\u200c*\B`` and ``\B\u200c*\b`` (a half-space at a
#: word's edge) and its suffix pattern open with a zero-width test, which the engine tries at
#: every position of the text: a third of the cost of correct_spacing on an article body. The
#: rewritten forms open with the character every match starts with (ZWNJ; the space before
#: the suffix), the test moved into a lookbehind that covers it:
#:
#: - ``\b\u200c*\B`` matches a run of half-spaces after a word character, minus its last one
#:   when a word character follows (``\B`` needs a non-word character or the end);
#: - ``\B\u200c*\b`` matches a run followed by a word character, from its first half-space
#:   when no word character is before it, else from its second;
#: - the suffix pattern's lookbehind is taken after its space instead of before.
#:
#: ``tests/test_perf_equivalence.py`` checks each pair on generated text and the fixtures.
FASTER_PATTERNS: dict[str, str] = {
    "\\b\\u200c*\\B": "\u200c(?<=\\w\u200c)\u200c*(?!\\w)",
    "\\B\\u200c*\\b": "\u200c(?<!\\w\u200c)\u200c*(?=\\w)",
    (
        "(?<=[^\\n\\d \\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]{2}) (تر(ین?)?|گری?|های?)"
        "(?=[ \\n\\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]|$)"
    ): (
        " (?<=[^\\n\\d \\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]{2} )(تر(ین?)?|گری?|های?)"
        "(?=[ \\n\\.:!،؛؟»\\]\\)\\}«\\[\\(\\{]|$)"
    ),
}

#: hazm's patterns that match a letter before «ه» (``[^ ]ه``) open with a character class
#: most characters belong to, so the engine tries them at nearly every position; written with
#: the class in a lookbehind they open with the literal «ه ا» or «ه ی »: the same matches
#: (two of them cannot overlap, so the class never looks into the match before), minus the
#: letter the replacement put back unchanged. Same replacement as hazm's.
FASTER_PATTERNS.update(
    {
        "([^ ]ه) ی ": "(ه) ی (?<=[^ ]ه ی )",
        "([^ ]ه) (ا(م|یم|ش|ند|ی|ید|ت))(?=[ \\n\\.:!،؛؟»\\]\\)\\}]|$)": (
            "(ه) (ا(?<=[^ ]ه ا)(م|یم|ش|ند|ی|ید|ت))(?=[ \\n\\.:!،؛؟»\\]\\)\\}]|$)"
        ),
    }
)

_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

#: A hazm spacing pattern → steps of ``(pattern, replacement)`` that, applied in order, give
#: what hazm's pattern gives with hazm's replacement, on any text:
#:
#: - ``(^| )(ن?می) `` opens with an alternation holding ``^``, tried at every position; as two
#:   steps, the start of the text and then after a space: a match at the start ends with the
#:   space a second match would need, so none is lost or made;
#: - ``([letters])(\d)`` is tried at every letter (most of an article); a space is put before
#:   each digit that follows a letter instead, the engine skipping to digits.
#:
#: ``tests/test_perf_equivalence.py`` checks each against hazm's pattern.
FASTER_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "(^| )(ن?می) ": (("^(ن?می) ", "\\1\u200c"), (" (ن?می) ", " \\1\u200c")),
    f"([{_LETTERS}])(\\d)": ((f"\\d(?<=[{_LETTERS}]\\d)", " \\g<0>"),),
}

#: A hazm spacing pattern, compiled, with its replacement, the guard that says when it can
#: change anything (:data:`SPACING_GUARDS`), and the guard's one needle when it has one
#: (:data:`_NEEDLE_OF`).
_SpacingRule = tuple[re.Pattern[str], str, Guard, str | None]


def _rules(pattern: str, replacement: str) -> list[_SpacingRule]:
    """hazm's spacing ``pattern`` as the rules that apply it: its faster form
    (:data:`~newscrawler.persian.spacing.FASTER_PATTERNS`,
    :data:`~newscrawler.persian.spacing.FASTER_RULES`), each with the pattern's guard (a
    necessary condition for any of its steps to match)."""
    guard = SPACING_GUARDS.get(pattern, _always)
    steps = FASTER_RULES.get(pattern, ((FASTER_PATTERNS.get(pattern, pattern), replacement),))
    needle = _NEEDLE_OF.get(guard)
    return [(re.compile(step), step_replacement, guard, needle) for step, step_replacement in steps]


def _substitute(patterns: list[_SpacingRule], text: str) -> str:
    """Apply hazm's spacing ``patterns`` in order, skipping one whose guard says it cannot
    match (a guard's one needle tested here, an unguarded pattern not tested)."""
    for pattern, replacement, guard, needle in patterns:
        if needle is not None:
            if needle not in text:
                continue
        elif guard is not _always and not guard(text):
            continue
        text = pattern.sub(replacement, text)
    return text


def _spell_digits(pattern: str) -> str:
    """``pattern`` with each ``\\d`` written as :data:`PLAIN_DIGITS` (inside a class) or a
    class of them: the same matches on a text whose only digits are those."""
    out: list[str] = []
    in_class = False
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            escape = pattern[at : at + 2]
            if escape == "\\d":
                out.append(PLAIN_DIGITS if in_class else f"[{PLAIN_DIGITS}]")
            else:
                out.append(escape)
            at += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern[at + 1 : at + 2] == "^":  # a «]» right after «[» or «[^» is a character
                out.append("^")
                at += 1
            if pattern[at + 1 : at + 2] == "]":
                out.append("]")
                at += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        at += 1
    return "".join(out)


def plain_digit_rules(rules: list[_SpacingRule]) -> list[_SpacingRule]:
    """``rules`` for a text whose only decimal digits are :data:`PLAIN_DIGITS` (what
    :func:`~newscrawler.persian.hazm_light.rare_characters` lets through): ``\\d`` spelled out
    in each pattern and digit guard."""
    return [
        (
            re.compile(_spell_digits(pattern.pattern), pattern.flags),
            replacement,
            _has_plain_digit if guard is _has_digit else guard,
            needle,
        )
        for pattern, replacement, guard, needle in rules
    ]
