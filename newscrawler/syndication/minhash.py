"""Near-duplicate detection by content: comparison keys, shingles, MinHash signatures, LSH
band keys, and the figures check (see :mod:`newscrawler.syndication`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from newscrawler.persian.chars import translator

logger = logging.getLogger(__name__)

#: Characters per shingle (on the key without spaces; see the module docstring).
_MASK64 = (1 << 64) - 1
SHINGLE = 9
#: LSH bands and values per band; the signature has exactly ``BANDS * ROWS`` values.
BANDS = 42
ROWS = 3
NUM_PERM = BANDS * ROWS
#: Seed of the MinHash permutations: changing it (or any constant above) makes stored
#: signatures incomparable, so the index records them and refuses to open with others.
SEED = 1405
#: How shingles are hashed and permuted (see the module docstring), recorded in the index with
#: the constants above: signatures of another scheme (earlier versions hashed with datasketch's
#: SHA-1) cannot be compared with these.
HASH_SCHEME = (
    "shingles: code-point polynomial mod 2^64, fmix64, low 32 bits; "
    "affine32 a*h+b mod 2^32, splitmix64 parameters; low 16 bits"
)
#: Default share of agreeing signature values from which an article is a copy of another.
#: Chosen by ``tools/calibrate_syndication.py`` on ``tests/fixtures/_syndication/pairs.jsonl``.
DEFAULT_THRESHOLD = 0.27

#: The figures check: when both texts carry at least :data:`MIN_FIGURES` distinct numbers, a
#: copy must share at least :data:`FIGURES_AGREEMENT` of the numbers of the one with fewer.
#: Copies keep the facts (every labelled copy repeats all of them, whatever the digit style);
#: a daily bulletin written from one template (prices, air quality, dam levels) changes them
#: while its words stay, and MinHash alone would call yesterday's bulletin a copy.
MIN_FIGURES = 2
FIGURES_AGREEMENT = 0.8

Signature = npt.NDArray[np.uint16]

_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})
#: Letter variants folded and Persian/Arabic-Indic digits to ASCII, in one pass over the
#: characters that need it (``str.translate`` on a whole body costs 0.25 ms).
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_FOLD_KEY = translator(_FOLD | _ASCII_DIGITS)
_NOT_LETTER = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")  # \W includes spaces, punctuation and ZWNJ (a format char)


def comparison_key(text: str) -> str:
    """Letters and ASCII digits only: spacing, ZWNJ, punctuation and letter variants gone.

    >>> comparison_key("شهرک‌های صنعتي ۱۲،") == comparison_key("شهرک های صنعتی 12")
    True
    >>> comparison_key("Ali ٤٢_ك")
    'ali42ک'
    """
    # Removing first is the same as folding first (the fold maps letters and digits to letters
    # and digits) and leaves less to fold.
    return _FOLD_KEY(_NOT_LETTER.sub("", text)).lower()


#: Code points of the fast key (:func:`_key_points`): 0 removes a character; :data:`_SLOW`
#: marks one whose lowercase is not one character of its own (``İ`` gives two, ``Σ`` depends
#: on its neighbours), for which the key is taken with :func:`comparison_key`.
_SLOW = 0xFFFFFFFF
_BMP = 0x10000
_key_table: npt.NDArray[np.uint32] | None = None


def _build_key_table() -> npt.NDArray[np.uint32]:
    """:func:`comparison_key` of every character of the Basic Multilingual Plane, in one
    table (8 ms, once per process): the same expressions on all of them at once."""
    every = np.arange(_BMP, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    kept = re.sub(_NOT_LETTER.pattern[:-1], "\0", every)  # one character at a time
    codes = np.frombuffer(kept.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    where = np.flatnonzero(codes)
    folded = _FOLD_KEY(kept.replace("\0", ""))
    lowered = []
    for start in range(0, len(folded), 64):  # str.lower per block: per character is slower
        block = folded[start : start + 64]
        low = block.lower()
        if len(low) != len(block):  # a character became several: kept out of the table
            low = "".join(c.lower() if len(c.lower()) == 1 else "\0" for c in block)
        lowered.append(low)
    values = np.frombuffer("".join(lowered).encode("utf-32-le"), dtype="<u4").copy()
    values[values == 0] = _SLOW
    values[where == ord("Σ")] = _SLOW  # final sigma: its lowercase depends on the next letter
    table = np.zeros(_BMP, dtype=np.uint32)
    table[where] = values
    return table


def _key_points(text: str) -> npt.NDArray[np.uint32] | None:
    """The code points of :func:`comparison_key`, by table lookup (30 µs for a 2,500-character
    body instead of 0.2 ms); ``None`` for a text the table does not cover (a character outside
    the BMP, a lone surrogate, or one marked :data:`_SLOW`).

    >>> "".join(map(chr, _key_points("شهرک‌های صنعتي ۱۲،"))) == comparison_key("شهرک های صنعتی 12")
    True
    >>> _key_points("𝐀"), _key_points("ΑΣ")
    (None, None)
    """
    global _key_table
    points = _bmp_points(text)
    if points is None:
        return None
    if not len(points):
        return np.empty(0, dtype=np.uint32)
    if _key_table is None:
        _key_table = _build_key_table()
    mapped = _key_table.take(points)  # take: half the time of indexing with an array
    key: npt.NDArray[np.uint32] = mapped[mapped != 0]
    if len(key) and int(key.max()) == _SLOW:
        return None
    return key


def _bmp_points(text: str) -> npt.NDArray[np.uint16] | None:
    """The code points of a text of the Basic Multilingual Plane, ``None`` for any other (a
    character beyond it, a lone surrogate).

    Encoded as UTF-16, which writes a BMP character as its code point in two bytes and one
    beyond it in four: the length tells, with no pass over the values to find their maximum
    (and the points, 16-bit, can only index within a table of the plane). The last text's are
    kept: the signature and the figures of a body both ask.
    """
    global _last_points
    last = _last_points
    if last is not None and last[0] is text:
        return last[1]
    try:
        raw = text.encode("utf-16-le")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    if len(raw) != 2 * len(text):  # a character beyond the BMP (a surrogate pair)
        return None
    points = np.frombuffer(raw, dtype="<u2")
    _last_points = (text, points)
    return points


_last_points: tuple[str, npt.NDArray[np.uint16]] | None = None


def shingles(text: str) -> set[bytes]:
    """The distinct :data:`SHINGLE`-character pieces of the comparison key (a shorter key is
    one piece; an empty key none).

    >>> sorted(shingles("abcdefghij"))
    [b'abcdefghi', b'bcdefghij']
    """
    key = comparison_key(text)
    if len(key) <= SHINGLE:
        return {key.encode()} if key else set()
    return {key[i : i + SHINGLE].encode() for i in range(len(key) - SHINGLE + 1)}


def _splitmix64(seed: int, count: int) -> list[int]:
    """``count`` pseudo-random 64-bit integers from ``seed`` (splitmix64 in Python integers: the
    same on every machine, whatever numpy's random generators do).

    >>> [hex(v) for v in _splitmix64(0, 2)]
    ['0xe220a8397b1dcdaf', '0x6e789e6aa1b965f4']
    """
    values = []
    for _ in range(count):
        seed = (seed + 0x9E3779B97F4A7C15) & _MASK64
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        values.append(z ^ (z >> 31))
    return values


_DRAWN = _splitmix64(SEED, 1 + NUM_PERM)
#: The base of the shingles' polynomial hash (odd, so no character's weight vanishes).
_BASE = np.uint64(_DRAWN[0] | 1)
#: The permutations ``a * h + b`` modulo 2**32, one per row (``a`` odd: a bijection).
_PERM_A = np.array([v & 0xFFFFFFFF | 1 for v in _DRAWN[1:]], dtype=np.uint32)[:, None]
_PERM_B = np.array([v >> 32 for v in _DRAWN[1:]], dtype=np.uint32)[:, None]
#: Shingles permuted at a time: a ``(NUM_PERM, _BLOCK)`` array of 4 MiB at most, whatever the
#: length of the text.
_BLOCK = 8192


def _fmix64(h: npt.NDArray[np.uint64]) -> None:
    """MurmurHash3's 64-bit finalizer, in place: a bijection whose every output bit depends on
    every input bit (a polynomial's low bits depend only on the characters' low bits)."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)


def shingle_hashes(key: str) -> npt.NDArray[np.uint32]:
    """A 32-bit hash of each :data:`SHINGLE`-character piece of a comparison key, in order and
    with repeats (a key shorter than :data:`SHINGLE` is one piece; an empty one none).

    A piece ``c[0] … c[k-1]`` (code points) hashes as the polynomial
    ``k * B**k + c[0] * B**(k-1) + … + c[k-1]`` modulo 2**64 (``B`` is drawn from :data:`SEED`;
    the length term keeps a short key apart from any full-length piece), then :func:`_fmix64`,
    low 32 bits kept. All pieces are computed at once, :data:`SHINGLE` vector steps in all.

    >>> shingle_hashes("abcdefghij").shape, shingle_hashes("abc").shape, shingle_hashes("").shape
    ((2,), (1,), (0,))
    >>> bool(shingle_hashes("abcdefghiabcdefghi")[0] == shingle_hashes("abcdefghiabcdefghi")[9])
    True
    """
    return _point_hashes(np.frombuffer(key.encode("utf-32-le"), dtype="<u4"))


def _point_hashes(points: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """:func:`shingle_hashes` of a key given as its code points."""
    if not len(points):
        return np.empty(0, dtype=np.uint32)
    points = points.astype(np.uint64)
    width = min(SHINGLE, len(points))
    count = len(points) - width + 1
    if width == 9:  # the same polynomial in 10 vector steps instead of 19 (see below)
        pairs = points[:-1] * _BASE
        pairs += points[1:]  # c[i] B + c[i+1]
        quads = pairs[:-2] * _B2
        quads += pairs[2:]  # c[i] B^3 + … + c[i+3]
        h = points[:count] * _B8
        h += _HEAD9  # 9 B^9 + c[i] B^8
        h += quads[1 : 1 + count] * _B4
        h += quads[5 : 5 + count]
    else:
        h = np.full(count, width, dtype=np.uint64)
        for offset in range(width):  # Horner's rule, every piece at once
            h *= _BASE
            h += points[offset : offset + count]
    _fmix64(h)
    return h.astype(np.uint32)  # the low 32 bits


#: Powers of the polynomial's base modulo 2**64 for nine-character pieces: ``9 B**9 + c[0] B**8
#: + (c[1] B**3 + … + c[4]) B**4 + (c[5] B**3 + … + c[8])``, the same sum as Horner's rule.
_B2, _B4, _B8 = (np.uint64(pow(int(_BASE), k, 1 << 64)) for k in (2, 4, 8))
_HEAD9 = np.uint64(9 * pow(int(_BASE), 9, 1 << 64) & _MASK64)


def figures(text: str) -> frozenset[str]:
    """The distinct digit runs of ``text``, in ASCII (``۱٬۲۰۰`` gives ``1`` and ``200``).

    >>> sorted(figures("۴۲۰ میلیارد ریال در 20 ماه، ۴۲۰ تن"))
    ['20', '420']
    """
    # The runs of the text are those of its ASCII digits (digits are translated to digits), so
    # only the distinct runs that need it are translated, not the whole text.
    runs = _digit_runs(text)
    if runs is None:
        runs = set(_DIGITS.findall(text))
    return frozenset(run if run.isascii() else run.translate(_ASCII_DIGITS) for run in runs)


#: For each character of the BMP: 1 for an ASCII, Arabic-Indic or Persian digit, 2 for any
#: other character ``\d`` matches (a decimal digit of another script), 0 for the rest: found
#: by ``\d`` itself, over a string of every character of the plane (2 ms).
_DIGIT_KINDS = np.zeros(_BMP, dtype=np.uint8)
_EVERY = np.arange(_BMP, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
_DIGIT_KINDS[[found.start() for found in re.finditer(r"\d", _EVERY)]] = 2
_DIGIT_KINDS[[ord(c) for c in "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"]] = 1
del _EVERY


def _digit_runs(text: str) -> set[str] | None:
    """``set(re.findall(r"\\d+", text))`` by table lookup (the regular expression asks every
    character's Unicode category: 60-90 µs for a 2,500-character body); ``None`` for a text
    with a character beyond the BMP, a lone surrogate or a digit of another script."""
    points = _bmp_points(text)
    if points is None:
        return None
    kinds = _DIGIT_KINDS.take(points)  # take: half the time of indexing with an array
    where = np.flatnonzero(kinds).tolist()  # a few dozen digits in a body
    if not where:
        return set()
    if kinds.max() > 1:
        return None
    runs = set()
    start = previous = where[0]
    for at in where:
        if at != previous + 1 and at != start:
            runs.add(text[start : previous + 1])
            start = at
        previous = at
    runs.add(text[start : previous + 1])
    return runs


def figures_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two texts' numbers allow one to be a copy of the other (see :data:`MIN_FIGURES`).

    >>> figures_agree(frozenset("12345"), frozenset("1234"))
    True
    >>> figures_agree(frozenset("12345"), frozenset("1289"))
    False
    >>> figures_agree(frozenset("12"), frozenset("19"))
    False
    >>> figures_agree(frozenset("1"), frozenset("8"))  # too few numbers to tell
    True
    """
    fewer = min(len(a), len(b))
    return fewer < MIN_FIGURES or len(a & b) >= FIGURES_AGREEMENT * fewer


def signature(text: str) -> Signature | None:
    """The MinHash signature of ``text``, or ``None`` when it has no letter or digit.

    Value ``i`` is the least ``a[i] * h + b[i]`` (modulo 2**32) over the :func:`shingle_hashes`
    ``h`` of the text's :func:`comparison_key` (a repeated shingle changes no minimum, so the
    pieces need not be made distinct), low 16 bits kept: one ``(NUM_PERM, pieces)`` product
    and a minimum per row. About 0.3 ms for a 2,500-character body on the bench machine, two
    thirds of it the permutations (the key by table 35 µs, the pieces' hashes 55 µs); 1.6 ms
    with datasketch, SHA-1 and a Python loop over the shingles.

    >>> signature("  ،. ") is None
    True
    >>> a = signature("شهرک‌های صنعتی استان قزوین ۱۲ واحد تولیدی تازه دارند")
    >>> b = signature("شهرک های صنعتي استان قزوين 12 واحد توليدي تازه دارند")
    >>> a.shape, a.dtype, similarity(a, b)
    ((126,), dtype('uint16'), 1.0)
    """
    points = _key_points(text)  # None: a character left to the regular expressions
    hashes = shingle_hashes(comparison_key(text)) if points is None else _point_hashes(points)
    if not len(hashes):
        return None
    lows = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    for start in range(0, len(hashes), _BLOCK):  # one block for any ordinary body
        values = _PERM_A * hashes[start : start + _BLOCK]  # uint32: wraps modulo 2**32
        values += _PERM_B
        np.minimum(lows, values.min(axis=1), out=lows)
    return (lows & 0xFFFF).astype(np.uint16)


def similarity(a: Signature, b: Signature) -> float:
    """Share of agreeing values: the estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def band_keys(signatures: Signature) -> npt.NDArray[np.int64]:
    """One signed 64-bit key per band (``(n, NUM_PERM)`` → ``(n, BANDS)``; one row → one row).

    The band number is mixed in, so equal values in different bands give different keys; the
    mix is splitmix64's finalizer on numpy arrays, the same on every machine.
    """
    sigs = signatures.astype(np.uint64).reshape(*signatures.shape[:-1], BANDS, ROWS)
    h = np.empty(sigs.shape[:-1], dtype=np.uint64)  # (BANDS,) or (n, BANDS)
    h[...] = _BAND_SEEDS
    for row in range(ROWS):
        h ^= sigs[..., row] << _ROW_SHIFTS[row]
        h ^= h >> _S30
        h *= _M1
        h ^= h >> _S27
        h *= _M2
        h ^= h >> _S31
    keys: npt.NDArray[np.int64] = h.view(np.int64)
    return keys


def _per_band(value: int) -> npt.NDArray[np.uint64]:
    """``value`` once per band: array operands, because a numpy scalar costs more per operation
    than the operation on 42 values (33 µs for one signature's keys instead of 60)."""
    return np.full(BANDS, value, dtype=np.uint64)


_BAND_SEEDS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
_ROW_SHIFTS = [_per_band(16 * row) for row in range(ROWS)]
_S27, _S30, _S31 = _per_band(27), _per_band(30), _per_band(31)
_M1, _M2 = _per_band(0xBF58476D1CE4E5B9), _per_band(0x94D049BB133111EB)


def evaluate(
    pairs: Iterable[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[bool, float, bool, bool]]:
    """For each ``(a, b)`` of normalized bodies: whether LSH makes them candidates, their
    estimated similarity, whether their figures agree, and whether the detector calls ``b`` a
    copy of ``a`` at ``threshold`` (what :meth:`SyndicationIndex.match` decides for the pair)."""
    results = []
    for a, b in pairs:
        sig_a, sig_b = signature(a), signature(b)
        if sig_a is None or sig_b is None:
            results.append((False, 0.0, True, False))
            continue
        candidate = bool(np.any(band_keys(sig_a) == band_keys(sig_b)))
        score = similarity(sig_a, sig_b)
        agree = figures_agree(figures(a), figures(b))
        results.append((candidate, score, agree, candidate and agree and score >= threshold))
    return results
