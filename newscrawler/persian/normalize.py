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

hazm's spacing pass splits digits and dots off whatever they touch («1,000» → «1 , 000»,
«۱۴۰۳/۰۲/۲۹» → «۱۴۰۳ / ۰۲ / ۲۹», «COVID-19» → «COVID- 19», URLs torn apart), so numbers with
separators, Latin tokens with digits or dots, e-mail addresses and URLs are set aside before it
runs and put back unchanged afterwards.

A ZWNJ the page had is never removed except where it touches a space or another ZWNJ
(where it carries no meaning)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from newscrawler.persian.chars import (
    _ARABIC_INDIC_DIGITS,
    ZWNJ,
    strip_invisible,
    text_key,
    translator,
)
from newscrawler.persian.spacing import SPACING_GUARDS, Guard, _always, _unjoin

if TYPE_CHECKING:
    from hazm import Normalizer

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: The spaces of :data:`_SPACES` other than « »: without them and without a double space,
#: every run of spaces is one « » already, so the replacement would change nothing.
_OTHER_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZWNJ_AT_SPACE = re.compile(f"{ZWNJ}*[ ]+{ZWNJ}*")
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Spans hazm's tokenizer would tear apart (see the module docstring): URLs, e-mail addresses,
# numbers with separators or a percent sign, Latin tokens holding digits, dots, colons or slashes.
_PROTECTED = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"«»]+)"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<number>(?<![A-Za-z\d])\d+(?:(?:[.,/٫٬:\-]\d+)+[%٪]?|[%٪])|(?<=\w-)\d+)"
    r"|(?P<latin>(?<![\w-])[A-Za-z0-9]+(?:[-_.:/][A-Za-z0-9]+)+|(?<!\w)[A-Za-z]+\d[A-Za-z0-9]*)"
)
#: A character every match of :data:`_PROTECTED` holds (see :func:`_protected_spans`).
_PROTECTED_ANCHOR = re.compile(r"[A-Za-z\d@]")
_LOCAL_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_URL_TRAILER = re.compile(r"[.,،؛:!?؟)\]}»'\"]+$")
_PERSIAN_LETTER = re.compile("[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]")
# Placeholders: code points of Supplementary Private Use Area-A, which hazm leaves alone.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER_LIMIT = 0xFFFE
_PLACEHOLDERS = re.compile("[\U000f0000-\U000ffffd]")

#: hazm ``Normalizer`` options, chosen for article text (see the module docstring).
NORMALIZER_OPTIONS = {
    "correct_spacing": True,
    "remove_diacritics": True,
    "remove_specials_chars": True,
    "decrease_repeated_chars": True,
    "persian_style": False,
    "persian_numbers": False,
    "unicodes_replacement": True,
    "seperate_mi": True,
}


#: A hazm spacing pattern, compiled, with its replacement and the guard that says when it can
#: change anything (:data:`~newscrawler.persian.spacing.SPACING_GUARDS`).
_SpacingRule = tuple[re.Pattern[str], str, Guard]


class _HazmTables(NamedTuple):
    """What the overrides of :class:`_ArticleNormalizing` take from hazm besides the instance:
    built once, with the shared normalizer, instead of on every call (see the docstring of the
    class :func:`normalizer` makes for what that saves)."""

    translate: Callable[[str], str]
    suffixes: frozenset[str]
    extra_space: list[_SpacingRule]
    affix_spacing: list[_SpacingRule]
    punctuation_spacing: list[_SpacingRule]


def _hazm_tables() -> _HazmTables:
    """hazm's character table, suffixes and spacing patterns (compiled, each with its guard),
    in the order the normalizer has always loaded them: before hazm's class."""
    from newscrawler.persian import hazm_light

    translate = translator(hazm_light.translation_table())
    hazm_constants = hazm_light.constants()
    suffixes = frozenset(hazm_constants.SUFFIXES)
    extra_space, affix_spacing, punctuation_spacing = (
        [
            (re.compile(pattern), replacement, SPACING_GUARDS.get(pattern, _always))
            for pattern, replacement in patterns
        ]
        for patterns in (
            hazm_constants.EXTRA_SPACE_PATTERNS,
            hazm_constants.AFFIX_SPACING_PATTERNS,
            hazm_constants.PUNCTUATION_SPACING_PATTERNS,
        )
    )
    return _HazmTables(translate, suffixes, extra_space, affix_spacing, punctuation_spacing)


def _substitute(patterns: list[_SpacingRule], text: str) -> str:
    """Apply hazm's spacing ``patterns`` in order, skipping one whose guard says it cannot
    match."""
    for pattern, replacement, guard in patterns:
        if guard(text):
            text = pattern.sub(replacement, text)
    return text


if TYPE_CHECKING:
    from hazm import Normalizer as _NormalizerBase
else:
    # hazm's class is imported only when the normalizer is first built (see :func:`normalizer`),
    # so at run time the overrides are a mixin put in front of it.
    _NormalizerBase = object


class _ArticleNormalizing(_NormalizerBase):  # type: ignore[misc]
    """The methods :func:`normalizer`'s class overrides in hazm's ``Normalizer``.

    A mixin defined here, not a class defined inside :func:`normalizer`, only to keep functions
    short: hazm's class is imported lazily, so the class that joins the two is still made
    there. ``super()`` reaches hazm's methods through that class's MRO.
    """

    def __init__(self, tables: _HazmTables) -> None:
        from newscrawler.persian import hazm_light

        # One attribute each, not the tuple: these are read for every text and line.
        (
            self._translate,
            self._suffixes,
            self._extra_space,
            self._affix_spacing,
            self._punctuation_spacing,
        ) = tables
        # Held, not imported in token_spacing: an import statement costs a microsecond a line.
        self._lexicon, self._lexicon_spacing = hazm_light.Lexicon, hazm_light.token_spacing
        hazm_light.configure(self, **NORMALIZER_OPTIONS)
        self._join_heads = (
            hazm_light.join_heads(self._words, self._verbs)
            if isinstance(self._words, hazm_light.Lexicon) and self._verbs is not None
            else None
        )

    def normalize(self, text: str) -> str:
        # hazm 0.12's Normalizer.normalize step for step, with the table built once
        # (tests/test_perf_equivalence.py compares the two).
        text = self._translate(text)
        if self._persian_style:
            text = self.persian_style(text)
        if self._persian_number:
            text = self.persian_number(text)
        if self._remove_diacritics:
            text = self.remove_diacritics(text)
        if self._correct_spacing:
            text = self.correct_spacing(text)
        if self._unicodes_replacement:
            text = self.unicodes_replacement(text)
        if self._remove_specials_chars:
            text = self.remove_specials_chars(text)
        if self._decrease_repeated_chars:
            text = self.decrease_repeated_chars(text)
        if self._seperate_mi:
            text = self.seperate_mi(text)
        return text

    def correct_spacing(self, text: str) -> str:
        # hazm 0.12's Normalizer.correct_spacing with its patterns compiled once.
        text = _substitute(self._extra_space, text)
        result = []
        for line in text.split("\n"):
            if line.strip() and self._tokenizer:
                line = " ".join(self.token_spacing(self._tokenizer.tokenize(line)))
            result.append(line)
        text = _substitute(self._affix_spacing, "\n".join(result))
        return _substitute(self._punctuation_spacing, text)

    def decrease_repeated_chars(self, text: str) -> str:
        # Every change hazm's pass makes is inside a run of three same letters.
        if not self.more_than_two_repeat_pattern.search(text):
            return text
        return super().decrease_repeated_chars(text)  # type: ignore[no-any-return]

    def token_spacing(self, tokens: list[str]) -> list[str]:
        if isinstance(self._words, self._lexicon):
            spaced = self._lexicon_spacing(
                tokens, self._words, self._verbs, self._suffixes, self._join_heads
            )
        else:
            spaced = super().token_spacing(tokens)
        if len(spaced) == len(tokens):
            return spaced  # nothing joined, nothing to undo
        original = set(tokens)
        result: list[str] = []
        for token in spaced:
            if ZWNJ in token and token not in original:  # what _unjoin may split
                result.extend(_unjoin(token, original))
            else:
                result.append(token)
        return result


@lru_cache(maxsize=1)
def normalizer() -> Normalizer:
    """The shared hazm Normalizer, built once (see :mod:`newscrawler.persian.hazm_light` for how it
    is loaded in a fraction of hazm's usual time and memory)."""
    from newscrawler.persian import hazm_light

    tables = _hazm_tables()

    class ArticleNormalizer(_ArticleNormalizing, hazm_light.normalizer_class()):  # type: ignore[misc]
        """hazm's Normalizer without its verb-as-adjective joins (see :data:`LIGHT_VERBS`).

        Same output as hazm's, faster: its character table is built once (hazm 0.12 rebuilds it
        on every call: 60 µs, more than the rest of a short field's normalization), its spacing
        patterns are compiled once, and the repeated-letter pass only runs when a letter is
        repeated three times. The overrides are :class:`_ArticleNormalizing`'s.
        """

    return ArticleNormalizer(tables)


def _protect(text: str) -> tuple[str, list[str]]:
    """Replace the spans of :data:`_PROTECTED` with one placeholder character each."""
    if _PLACEHOLDERS.search(text):
        return text, []
    saved: list[str] = []

    def hold(match: re.Match[str]) -> str:
        span, trailer = match.group(0), ""
        if match.lastgroup == "url":  # a sentence's «.» or «،» after a URL is not part of it
            end = _URL_TRAILER.search(span)
            if end:
                span, trailer = span[: end.start()], end.group(0)
        if len(saved) >= _PLACEHOLDER_LIMIT:
            return match.group(0)
        saved.append(span)
        held = chr(_PLACEHOLDER_BASE + len(saved) - 1)
        if match.lastgroup == "number":  # hazm puts a space between a number and a word
            before = text[match.start() - 1 : match.start()]
            after = text[match.end() : match.end() + 1]
            held = (
                (" " if _PERSIAN_LETTER.match(before) else "")
                + held
                + (" " if _PERSIAN_LETTER.match(after) else "")
            )
        return held + trailer

    parts: list[str] = []
    done = 0  # text[:done] is in parts
    for match in _protected_spans(text):
        parts.append(text[done : match.start()])
        parts.append(hold(match))
        done = match.end()
    if not parts:
        return text, saved
    parts.append(text[done:])
    return "".join(parts), saved


def _protected_spans(text: str) -> Iterator[re.Match[str]]:
    """``_PROTECTED.finditer(text)``, trying the pattern only where a match can start.

    Every match holds a character of :data:`_PROTECTED_ANCHOR` (a URL's «h» or «w», an
    e-mail's «@», a digit, a Latin letter) and starts at one, except an e-mail, which starts at
    the first of the characters of its local part (:data:`_LOCAL_PART`) before its «@». So the
    leftmost match at or after a position starts at the next anchor or in the run of local-part
    characters just before it. Finding anchors takes a fast scan; the pattern, with its
    lookbehinds, tried at every position of an article body took 0.2 ms.
    """
    at = 0
    end = len(text)
    while at < end:
        anchor = _PROTECTED_ANCHOR.search(text, at)
        if anchor is None:
            return
        found = None
        start = anchor.start()
        first = start
        while first > at and text[first - 1] in _LOCAL_PART:
            first -= 1
        for candidate in range(first, start + 1):
            found = _PROTECTED.match(text, candidate)
            if found is not None:
                break
        if found is None:
            at = start + 1
        else:
            yield found
            at = found.end()


def _restore(text: str, saved: list[str]) -> str:
    if not saved:
        return text
    return _PLACEHOLDERS.sub(lambda m: saved[ord(m.group(0)) - _PLACEHOLDER_BASE], text)


def normalize_text(text: str | None) -> str | None:
    """Normalize one text value (may hold several lines); ``None`` when nothing is left.

    >>> normalize_text("  شهرک هاي صنعتي   قزوين  ")
    'شهرک\\u200cهای صنعتی قزوین'
    >>> normalize_text("کتاب\\u200cها ٣٤ و 29") == "کتاب\\u200cها ۳۴ و 29"
    True
    >>> normalize_text(" \\u200f ") is None
    True
    >>> normalize_text("۱٬۲۰۰ تن در ۱۴۰۳/۰۲/۲۹ (COVID-19)")
    '۱٬۲۰۰ تن در ۱۴۰۳/۰۲/۲۹ (COVID-19)'
    """
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # before \r goes as a control char
    text = _ARABIC_INDIC_DIGITS(strip_invisible(text))
    if "  " in text or _OTHER_SPACES.search(text):
        text = _SPACES.sub(" ", text)
    if not text.strip():
        return None
    text, saved = _protect(text)
    text = _restore(normalizer().normalize(text), saved)
    if "  " in text or ZWNJ + " " in text or " " + ZWNJ in text:  # else one « » for one « »
        text = _ZWNJ_AT_SPACE.sub(" ", text)
    if ZWNJ + ZWNJ in text:
        text = _ZWNJ_RUN.sub(ZWNJ, text)
    lines = [line.strip(" " + ZWNJ) for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
    if not text:
        return None
    remember_normalized(text)
    return text


#: Texts (and lines of texts) :func:`normalize_text` returned lately, so that :func:`match_key`
#: does not normalize them a second time. Bounded: cleared when full.
_NORMALIZED: dict[str, None] = {}
_NORMALIZED_LIMIT = 2048


def remember_normalized(text: str) -> None:
    """Note that ``text`` (and each of its lines) is normalization output.

    Normalizing such a text again changes at most its spaces and half-spaces (hazm's spacing
    rules; every other step maps characters to ones it leaves alone), which :func:`text_key`
    removes: so its key is :func:`text_key` of it as is.
    """
    if len(_NORMALIZED) >= _NORMALIZED_LIMIT:
        _NORMALIZED.clear()
    _NORMALIZED[text] = None
    if "\n" in text:
        _NORMALIZED.update(dict.fromkeys(text.split("\n")))


def match_key(text: str) -> str:
    """A comparison key: normalized, without spaces or ZWNJ, digits in ASCII (punctuation stays).

    Boilerplate rules and dedupe compare keys, so «انتهاي  پيام» and «انتهای‌پیام» are equal.
    A text :func:`normalize_text` just produced is not normalized again (see
    :func:`remember_normalized`).

    >>> match_key("انتهاي  پيام") == match_key("انتهای\\u200cپیام")
    True
    """
    if text in _NORMALIZED:
        return text_key(text)
    return text_key(normalize_text(text) or "")
