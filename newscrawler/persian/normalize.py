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
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from newscrawler.persian.chars import (
    _ARABIC_INDIC_DIGITS,
    ZWNJ,
    strip_invisible,
    text_key,
    translator,
)
from newscrawler.persian.language import ARABIC_HINT, is_arabic
from newscrawler.persian.protect import (  # noqa: F401 (tests compare with these)
    _PERSIAN_LETTER,
    _PLACEHOLDER_BASE,
    _PLACEHOLDERS,
    _PROTECTED,
    _URL_TRAILER,
    _protect,
    _restore,
)
from newscrawler.persian.spacing import (
    _rules,
    _SpacingRule,
    _substitute,
    _unjoin,
    plain_digit_rules,
)

if TYPE_CHECKING:
    from hazm import Normalizer

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: The spaces of :data:`_SPACES` other than « »: without them and without a double space,
#: every run of spaces is one « » already, so the replacement would change nothing.
_OTHER_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
#: What :data:`_OTHER_SPACES` or the Arabic-Indic digit translation looks for: one scan tells
#: both have nothing to do (most texts).
_DIGIT_OR_SPACE = re.compile(r"[٠-٩\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZWNJ_AT_SPACE = re.compile(f"{ZWNJ}*[ ]+{ZWNJ}*")
_ZWNJ_RUN = re.compile(f"{ZWNJ}{{2,}}")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL).search


#: hazm 0.12's ``\bن?می[letters]+`` (``Normalizer.seperate_mi``) with its ``\b`` as a
#: lookbehind after the first letter: the same matches, and the engine skips to an «ن» or a «م».
_MI_WORD = re.compile("(?:ن(?<!\\wن)می|م(?<!\\wم)ی)[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]+")

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


class _HazmTables(NamedTuple):
    """What the overrides of :class:`_ArticleNormalizing` take from hazm besides the instance:
    built once, with the shared normalizer, instead of on every call (see the docstring of the
    class :func:`normalizer` makes for what that saves)."""

    translate: Callable[[str], str]
    suffixes: frozenset[str]
    extra_space: list[_SpacingRule]
    affix_spacing: list[_SpacingRule]
    punctuation_spacing: list[_SpacingRule]
    rare: Callable[[str], re.Match[str] | None]


def _hazm_tables() -> _HazmTables:
    """hazm's character table, suffixes and spacing patterns (compiled, each with its guard),
    in the order the normalizer has always loaded them: before hazm's class."""
    from newscrawler.persian import hazm_light

    translate = translator(hazm_light.translation_table(), frequent="يك")
    hazm_constants = hazm_light.constants()
    suffixes = frozenset(hazm_constants.SUFFIXES)
    extra_space, affix_spacing, punctuation_spacing = (
        [rule for pattern, replacement in patterns for rule in _rules(pattern, replacement)]
        for patterns in (
            hazm_constants.EXTRA_SPACE_PATTERNS,
            hazm_constants.AFFIX_SPACING_PATTERNS,
            hazm_constants.PUNCTUATION_SPACING_PATTERNS,
        )
    )
    return _HazmTables(
        translate,
        suffixes,
        extra_space,
        affix_spacing,
        punctuation_spacing,
        hazm_light.rare_characters(hazm_constants),
    )


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
            self._rare,
        ) = tables
        # Held, not imported in token_spacing: an import statement costs a microsecond a line.
        self._lexicon, self._lexicon_spacing = hazm_light.Lexicon, hazm_light.token_spacing
        hazm_light.configure(self, **NORMALIZER_OPTIONS)  # sets _join_heads on the light path
        self._join_heads: frozenset[str] | None = getattr(self, "_join_heads", None)
        # For a text whose only digits are ASCII, Arabic-Indic and Persian ones: hazm 0.12's
        # tokenizer and the spacing patterns with \d spelled out (hazm's own tokenizer, of
        # another release, is always asked).
        self._plain_tokenize: Callable[[str], list[str]] | None = (
            hazm_light.PLAIN_DIGIT_TOKENS.findall
            if isinstance(self._tokenizer, hazm_light.Tokenizer)
            else None
        )
        self._plain_rules = tuple(
            map(
                plain_digit_rules,
                (self._extra_space, self._affix_spacing, self._punctuation_spacing),
            )
        )

    def normalize(self, text: str) -> str:
        # hazm 0.12's Normalizer.normalize step for step, with the table built once
        # (tests/test_perf_equivalence.py compares the two).
        # Else three passes with nothing to do, and only digits PLAIN_DIGIT_TOKENS spells out.
        rare = self._rare(text) is not None
        text = self._translate(text)
        if self._persian_style:
            text = self.persian_style(text)
        if self._persian_number:
            text = self.persian_number(text)
        if self._remove_diacritics and rare:
            text = self.remove_diacritics(text)
        if self._correct_spacing:
            text = self._spacing(text, plain=not rare)
        if self._unicodes_replacement and rare:
            text = self.unicodes_replacement(text)
        if self._remove_specials_chars and rare:
            text = self.remove_specials_chars(text)
        if self._decrease_repeated_chars:
            text = self.decrease_repeated_chars(text)
        if self._seperate_mi:
            text = self.seperate_mi(text)
        return text

    def correct_spacing(self, text: str) -> str:
        return self._spacing(text, plain=False)

    def _spacing(self, text: str, plain: bool) -> str:
        # hazm 0.12's Normalizer.correct_spacing with its patterns compiled once; ``plain``: the
        # text has no decimal digits but ASCII, Arabic-Indic and Persian ones (see normalize).
        tokenize = self._plain_tokenize if plain else None
        if tokenize is None and self._tokenizer:
            tokenize = self._tokenizer.tokenize
        extra_space, affix_spacing, punctuation_spacing = (
            self._plain_rules
            if plain
            else (self._extra_space, self._affix_spacing, self._punctuation_spacing)
        )
        text = _substitute(extra_space, text)
        result = []
        for line in text.split("\n"):
            if line.strip() and tokenize is not None:
                line = " ".join(self.token_spacing(tokenize(line)))
            result.append(line)
        text = _substitute(affix_spacing, "\n".join(result))
        return _substitute(punctuation_spacing, text)

    def seperate_mi(self, text: str) -> str:
        # hazm 0.12's seperate_mi: «می»/«نمی» and the letters after it, a half-space put after
        # the prefix when that makes a known verb form. Its pattern opens with ``\b``, tried
        # at every position; :data:`_MI_WORD` opens with the prefix's first letter
        # (tests/test_perf_equivalence.py compares the two).
        if "می" not in text:  # every match holds it
            return text
        return _MI_WORD.sub(self._join_mi, text)

    def _join_mi(self, match: re.Match[str]) -> str:
        word = match.group(0)
        cut = 3 if word.startswith("نمی") else 2
        joined = word[:cut] + ZWNJ + word[cut:]
        return joined if self._verbs and joined in self._verbs else word

    def decrease_repeated_chars(self, text: str) -> str:
        # Every change hazm's pass makes is inside a run of three same letters; three same
        # characters of any kind are looked for first, three times faster (a letter class
        # tried at every letter), and are rare (mostly «۰۰۰»).
        if not _TRIPLE(text) or not self.more_than_two_repeat_pattern.search(text):
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


def normalize_text(text: str | None, language: str | None = None) -> str | None:
    """Normalize one text value (may hold several lines); ``None`` when nothing is left.

    ``language`` is the page's (``fa`` when not given): a line in Arabic
    (:mod:`newscrawler.persian.language`) keeps its letters and digits and is only cleaned of
    invisible characters and extra spaces; on an Arabic page so is a line that shows neither
    language.

    >>> normalize_text("  شهرک هاي صنعتي   قزوين  ")
    'شهرک\u200cهای صنعتی قزوین'
    >>> normalize_text("کتاب\u200cها ٣٤ و 29") == "کتاب\u200cها ۳۴ و 29"
    True
    >>> normalize_text(" \u200f ") is None
    True
    >>> normalize_text("۱٬۲۰۰ تن در ۱۴۰۳/۰۲/۲۹ (COVID-19)")
    '۱٬۲۰۰ تن در ۱۴۰۳/۰۲/۲۹ (COVID-19)'
    >>> normalize_text("أكدت جهات سورية معارضة أن فصائل مسلحة في ريف دمشق ٤")
    'أكدت جهات سورية معارضة أن فصائل مسلحة في ريف دمشق ٤'
    """
    if text is None:
        return None
    if len(text) <= SHORT_TEXT:
        normalized = _normalize_short(text, language)
    else:
        normalized = _normalize_text(text, language)
    if normalized:
        remember_normalized(normalized)
    return normalized


#: Texts up to this long are memoized (:func:`_normalize_short`).
SHORT_TEXT = 256


@lru_cache(maxsize=2048)
def _normalize_short(text: str, language: str | None) -> str | None:
    """:func:`_normalize_text` of a short value, memoized: a site repeats its tags, sections,
    provinces, author names and captions on page after page (on the bench corpus 70 % of the
    short values extraction normalizes were seen before), and hazm's passes cost about the
    same for a word as for a paragraph. Bounded: at most 2,048 values of 256 characters."""
    return _normalize_text(text, language)


def _normalize_text(text: str, language: str | None) -> str | None:
    """:func:`normalize_text`, without the memo (nor :func:`remember_normalized`)."""
    text = strip_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    if language == "ar" or ARABIC_HINT.search(text):
        lines = [
            _normalize_arabic(line) if is_arabic(line, language or "fa") else _normalize(line)
            for line in text.split("\n")
        ]
        text = "\n".join(line for line in lines if line)
    else:
        text = _normalize(text) or ""
    return text or None


def _normalize_arabic(line: str) -> str:
    """An Arabic line: spaces collapsed, nothing else (its letters and digits are Arabic)."""
    return _SPACES.sub(" ", line).strip(" " + ZWNJ)


def _normalize(text: str) -> str | None:
    """The Persian path (module docstring) on a text without invisible characters."""
    odd = _DIGIT_OR_SPACE.search(text) is not None
    if odd:
        text = _ARABIC_INDIC_DIGITS(text)
    if "  " in text or (odd and _OTHER_SPACES.search(text)):
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
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip() or None


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
