"""hazm's ``Normalizer`` at a fraction of the memory and start-up time, with the same output.

``import hazm`` runs ``hazm/__init__``, which imports every hazm tool and, through them, nltk,
which imports scipy: about 95 MB and a second per process before any text is touched. Building a
``Normalizer`` then loads hazm's lexicon the general way (a dict of 193,000 words with counts
and tags, and a whole ``Lemmatizer`` of which the normalizer keeps the 346,000 verb forms):
another 140 MB and 1.3 s. The normalizer asks only three things of that data: is this a word,
is it a word seen in hazm's corpus (count > 0), is it a verb form.

:func:`normalizer_class` imports hazm 0.12's own ``hazm.normalizer`` and ``hazm.lemmatizer``
without running ``hazm/__init__``, with placeholders for the two nltk base classes they name
(the normalizer never uses them); the placeholders are removed from ``sys.modules`` right after,
so a later ``import hazm`` or ``import nltk`` gets the real packages. :func:`configure` then
gives the normalizer the words with a positive count and the verb forms as frozen sets, and all
the words as an array of hashes (see :class:`Lexicon`), each without the entries that hold a
space (the normalizer only asks about text without spaces: a token, two tokens joined by a
half-space, a run of letters).

A hazm release other than 0.12 gets the real ``hazm.Normalizer``, built the usual way.
``tests/test_perf_equivalence.py`` checks the output against hazm's own normalizer.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from hashlib import blake2b
from importlib import metadata
from pathlib import Path
from typing import Any

from newscrawler.persian import lexicon_cache

#: The hazm releases whose normalizer this module knows how to configure.
KNOWN_VERSIONS = ("0.12.",)
#: hazm's modules the normalizer needs (and that are dropped from ``sys.modules`` afterwards).
_HAZM_MODULES = (
    "hazm.types",
    "hazm.api",
    "hazm.constants",
    "hazm.utils",
    "hazm.stemmer",
    "hazm.word_tokenizer",
    "hazm.lemmatizer",
    "hazm.normalizer",
)
#: ``WordTokenizer.pattern`` of hazm 0.12 (the only part of the tokenizer the normalizer uses
#: with ``join_verb_parts``, abbreviations, emoji and replacements off).
TOKEN_PATTERN = re.compile(r'([؟!?]+|[\d.:]+|[:.،؛»\])}"«\[({/\\])')
#: The tokens :data:`TOKEN_PATTERN` gives, found in one pass: every character of its classes
#: starts a match of it (tried in the same order), and the text between its matches splits on
#: spaces (newlines and tabs are spaces to hazm). The run of other characters (a word, most
#: tokens) is tried first: no character starts both it and another alternative.
TOKENS = re.compile(r'[^ \n\t؟!?\d.:،؛»\])}"«\[({/\\]+|[؟!?]+|[\d.:]+|[:.،؛»\])}"«\[({/\\]')


#: :data:`TOKENS` with ``\d`` spelled out as the digits news text has (ASCII, Arabic-Indic,
#: Persian): a quarter faster (``\d`` is a test of the Unicode category of every character), and
#: the same tokens for a text without other decimal digits, which :func:`rare_characters` finds.
PLAIN_DIGIT_TOKENS = re.compile(
    r'[^ \n\t؟!?0-9٠-٩۰-۹.:،؛»\])}"«\[({/\\]+|[؟!?]+|[0-9٠-٩۰-۹.:]+|[:.،؛»\])}"«\[({/\\]'
)
_PLAIN_DIGITS = ("0", "9"), ("٠", "٩"), ("۰", "۹")


def other_digits() -> str:
    """The decimal digits (``\\d``) other than those :data:`PLAIN_DIGIT_TOKENS` spells out,
    below U+10000 (above it, see :func:`rare_characters`)."""
    every = "".join(map(chr, range(0x10000)))
    plain = "".join(f"{first}-{last}" for first, last in _PLAIN_DIGITS)
    return "".join(re.findall(f"[^\\D{plain}]", every))


class Tokenizer:
    """hazm 0.12 ``WordTokenizer(join_verb_parts=False).tokenize``, without loading its words.

    hazm puts spaces around each match of :data:`TOKEN_PATTERN` and splits on spaces; one
    ``findall`` gives the same tokens (``tests/test_perf_equivalence.py``) in two thirds of the
    time.
    """

    def tokenize(self, text: str) -> list[str]:
        return TOKENS.findall(text)


def word_code(word: str) -> int:
    """A word's 64-bit code in :class:`Lexicon`: BLAKE2b's, the same in every process (Python's
    ``hash`` of a string changes from one process to the next, so codes made with it could not
    be kept in :mod:`~newscrawler.persian.lexicon_cache`)."""
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "little", signed=True)


class Lexicon:
    """What ``Normalizer`` asks of its word list: ``word in words`` and ``words[word][0] > 0``
    (seen in hazm's corpus).

    The words with a positive count (27,000; asked about for every pair of tokens) are a
    frozenset. All 193,000 words are only asked about after a suffix token and in the rare
    repeated-letter pass (less than once an article on the bench corpus), so they are kept as
    the sorted 64-bit :func:`word_code` of each word in an array: 1.5 MB instead of 22 MB of
    strings and hash table, and read from the cache as it is. A word that is not in the list
    but shares a code with one that is would be taken for a word: about one chance in 10^14
    per question.
    """

    __slots__ = ("codes", "positive")

    def __init__(self, codes: array[int], positive: frozenset[str]) -> None:
        self.codes = codes  # sorted; repeated codes do not disturb bisect
        self.positive = positive

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, word: object) -> bool:
        if word in self.positive:
            return True
        if not isinstance(word, str):
            return False
        code = word_code(word)
        at = bisect_left(self.codes, code)
        return at < len(self.codes) and self.codes[at] == code

    def __getitem__(self, word: str) -> tuple[int]:
        if word not in self:
            raise KeyError(word)
        return (1 if word in self.positive else 0,)


def join_heads(words: Lexicon, verbs: frozenset[str]) -> frozenset[str]:
    """What can come before a half-space in a verb form or a word with a positive count:
    ``a + ZWNJ + b`` can only be one of those when ``a`` is in this set."""
    return frozenset(_heads((*verbs, *words.positive)))


def _heads(entries: Iterable[str]) -> set[str]:
    heads: set[str] = set()
    for entry in entries:
        at = entry.find("\u200c")
        while at >= 0:
            heads.add(entry[:at])
            at = entry.find("\u200c", at + 1)
    return heads


def token_spacing(
    tokens: list[str],
    words: Lexicon,
    verbs: frozenset[str],
    suffixes: frozenset[str],
    heads: frozenset[str] | None = None,
) -> list[str]:
    """hazm 0.12's ``Normalizer.token_spacing`` for a :class:`Lexicon`: its test
    ``pair in words and words[pair][0] > 0`` is ``pair in words.positive``, one set lookup.

    With ``heads`` (:func:`join_heads` of ``words`` and ``verbs``), the pair of a token and the
    one before is only built and looked up when the one before is in ``heads``; the result is
    the same. The token before is held in a variable rather than read back from the list (this
    loop runs for every token of every article).
    """
    if not tokens:
        return []
    positive = words.positive
    last = len(tokens) - 1
    previous = tokens[0]
    result = [previous]
    append = result.append
    for t in range(1, last + 1):
        token = tokens[t]
        if heads is None or previous in heads:
            pair = previous + "\u200c" + token
            if pair in verbs or pair in positive:
                if t == last or token + "_" + tokens[t + 1] not in verbs:
                    result[-1] = previous = pair
                    continue
                append(token)  # not joined, and not tried as a suffix
                previous = token
                continue
        if token in suffixes and previous in words:
            result[-1] = previous = previous + "\u200c" + token
            continue
        append(token)
        previous = token
    return result


def _placeholder(name: str, **attributes: Any) -> types.ModuleType:
    """An empty package standing in for an nltk module while hazm's modules are imported."""
    module = types.ModuleType(name, "newscrawler.persian.hazm_light placeholder")
    module.__path__ = []  # a package, so submodule imports find the placeholders
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


@lru_cache(maxsize=1)
def _hazm_version() -> str | None:
    """hazm's installed version, looked up once: a lookup reads the installed packages'
    metadata (13 ms), and the normalizer's set-up asks twice."""
    try:
        return metadata.version("hazm")
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=1)
def _modules() -> dict[str, types.ModuleType] | None:
    """hazm's modules the normalizer is made of, imported without ``hazm/__init__`` and nltk
    unless they are imported already; ``None`` for a hazm release this module does not know."""
    version = _hazm_version()
    if version is None or not version.startswith(KNOWN_VERSIONS):
        return None
    if "hazm" in sys.modules:  # the whole of hazm is loaded anyway
        return {name: importlib.import_module(name) for name in _HAZM_MODULES}
    spec = importlib.util.find_spec("hazm")
    if spec is None or not spec.submodule_search_locations:
        return None
    placeholders = {"hazm": importlib.util.module_from_spec(spec)}  # its __init__ not run
    if "nltk" not in sys.modules:
        tokenizer = type("TokenizerI", (), {})
        stemmer = type("StemmerI", (), {})
        placeholders["nltk"] = _placeholder("nltk")
        placeholders["nltk.tokenize"] = _placeholder("nltk.tokenize")
        placeholders["nltk.tokenize.api"] = _placeholder("nltk.tokenize.api", TokenizerI=tokenizer)
        placeholders["nltk.stem"] = _placeholder("nltk.stem")
        placeholders["nltk.stem.api"] = _placeholder("nltk.stem.api", StemmerI=stemmer)
    sys.modules.update(placeholders)
    try:
        return {name: importlib.import_module(name) for name in _HAZM_MODULES}
    except Exception:
        return None
    finally:
        for name in (*placeholders, *_HAZM_MODULES):
            sys.modules.pop(name, None)


def normalizer_class() -> type[Any]:
    """hazm's ``Normalizer`` class, imported the light way when possible."""
    modules = _modules()
    if modules is None:
        from hazm import Normalizer

        return Normalizer  # type: ignore[no-any-return]
    return modules["hazm.normalizer"].Normalizer  # type: ignore[no-any-return]


def constants() -> types.ModuleType:
    """``hazm.constants`` (patterns, letter tables, suffixes)."""
    modules = _modules()
    if modules is None:
        import hazm.constants

        module: types.ModuleType = hazm.constants
        return module
    return modules["hazm.constants"]


def rare_characters(hazm_constants: Any) -> Callable[[str], re.Match[str] | None]:
    """A search for any character hazm's diacritics, special-character and Unicode-replacement
    passes remove or replace (for a replacement, its last character: every one holds it), or a
    decimal digit :data:`PLAIN_DIGIT_TOKENS` does not spell out. None of hazm's other steps
    writes such a character, so a text without one at the start of ``normalize`` skips the
    three passes (three scans of an article body for nothing) and is tokenized with
    :data:`PLAIN_DIGIT_TOKENS`.

    One character class: an alternation of classes, or a class with characters above U+FFFF
    listed one by one, is scanned many times slower. So every character from U+10000 to
    U+1FFFF (the planes that hold such digits, and emoji) counts, and the placeholders of
    :mod:`~newscrawler.persian.protect` (U+F0000 on) do not."""
    classes = [pattern for pattern, _ in hazm_constants.DIACRITICS_PATTERNS]
    classes += [pattern for pattern, _ in hazm_constants.SPECIAL_CHARS_PATTERNS]
    if not all(c.startswith("[") and c.endswith("]") and c.count("[") == 1 for c in classes):
        raise ValueError("hazm's diacritics and special-character patterns are not classes")
    olds = "".join(max(old) for old, _ in hazm_constants.UNICODE_REPLACEMENTS)
    inside = "".join(c[1:-1] for c in classes) + re.escape(olds + other_digits())
    return re.compile(f"[{inside}\U00010000-\U0001ffff]").search


def translation_table() -> dict[int, Any]:
    """hazm's table of letter variants (``TRANSLATION_SRC`` → ``TRANSLATION_DST``)."""
    modules = _modules()
    if modules is None:
        from hazm.utils import maketrans
    else:
        maketrans = modules["hazm.utils"].maketrans
    table = constants()
    return maketrans(table.TRANSLATION_SRC, table.TRANSLATION_DST)  # type: ignore[no-any-return]


def _words(path: Any) -> Iterator[tuple[str, int]]:
    """``(word, count)`` as hazm 0.12's ``words_list`` reads ``words.dat``."""
    with path.open(encoding="utf-8") as file:
        for line in file:
            item = line.strip().split("\t")
            if len(item) == 3:
                yield item[0], int(item[1])


def _verb_forms(modules: dict[str, types.ModuleType]) -> Iterator[str]:
    """The keys of hazm 0.12's ``Lemmatizer(joined_verb_parts=False).verbs``."""
    utils = modules["hazm.utils"]
    conjugation = modules["hazm.lemmatizer"].Conjugation()
    yield "است"
    with utils.default_verbs.open(encoding="utf-8") as file:
        verbs = [verb.strip() for verb in file if verb]
    for verb in verbs:
        yield from conjugation.get_all(verb)


def _lexicon_lists(modules: dict[str, types.ModuleType]) -> lexicon_cache.LexiconLists:
    """What the normalizer takes from hazm's files (the cache's content): the sorted
    :func:`word_code` of every word without a space, the words whose last entry has a positive
    count (the last entry of a word wins, as in hazm's dict), the verb forms without a space,
    and their :func:`join_heads`."""
    codes = array("q")
    positive: dict[str, None] = {}  # ordered: the file is the same from one build to the next
    for word, count in _words(modules["hazm.utils"].default_words):
        if " " in word:
            continue
        codes.append(word_code(word))
        if count > 0:
            positive[word] = None
        else:
            positive.pop(word, None)
    verbs = tuple(dict.fromkeys(v for v in _verb_forms(modules) if " " not in v))
    heads = _heads((*verbs, *positive))
    codes = array("q", sorted(codes))
    return lexicon_cache.LexiconLists(codes.tobytes(), tuple(positive), verbs, tuple(sorted(heads)))


def configure(normalizer: Any, **options: bool) -> None:
    """Set up ``normalizer`` (an instance of a :func:`normalizer_class` subclass) with hazm's
    constructor ``options``, loading the lexicon compactly when the light import worked."""
    modules = _modules()
    if modules is None:
        normalizer_class().__init__(normalizer, **options)
        return
    base = modules["hazm.normalizer"].Normalizer
    # What Normalizer.__init__ sets, from the same arguments.
    for option, attribute in (
        ("correct_spacing", "_correct_spacing"),
        ("remove_diacritics", "_remove_diacritics"),
        ("remove_specials_chars", "_remove_specials_chars"),
        ("decrease_repeated_chars", "_decrease_repeated_chars"),
        ("persian_style", "_persian_style"),
        ("persian_numbers", "_persian_number"),
        ("unicodes_replacement", "_unicodes_replacement"),
        ("seperate_mi", "_seperate_mi"),
    ):
        setattr(normalizer, attribute, options[option])
    normalizer._tokenizer = None
    normalizer._words = None
    normalizer._verbs = None
    normalizer._join_heads = None
    if options["correct_spacing"] or options["decrease_repeated_chars"] or options["seperate_mi"]:
        utils = modules["hazm.utils"]
        lists = lexicon_cache.load(
            _hazm_version() or "",  # known: _modules() found it
            (Path(utils.default_words), Path(utils.default_verbs)),
            lambda: _lexicon_lists(modules),
        )
        if options["correct_spacing"] or options["decrease_repeated_chars"]:
            normalizer._tokenizer = Tokenizer()
            codes = array("q")
            codes.frombytes(lists.codes)
            normalizer._words = Lexicon(codes, frozenset(lists.positive))
        if options["seperate_mi"]:
            normalizer._verbs = frozenset(lists.verbs)
        if normalizer._words is not None and normalizer._verbs is not None:
            normalizer._join_heads = frozenset(lists.heads)
    if options["decrease_repeated_chars"]:
        normalizer.more_than_two_repeat_pattern = re.compile(
            r"([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])\1{2,}",
        )
        normalizer.repeated_chars_pattern = re.compile(
            r"[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]*"
            r"([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])\1{2,}"
            r"[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]*",
        )
    assert isinstance(normalizer, base)
