"""The syndication stage's fast paths give what their definitions give (newscrawler/syndication/).

Each fast path (the comparison key by table lookup, the figures found on the untranslated text,
the band keys computed once per article and carried to the index and its storage) is compared
with an independent reference written out plainly here: regular expressions and ``str`` methods
for the key and the figures, Python integers for the band keys.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import numpy.typing as npt

from newscrawler.persian.chars import ZWNJ, to_latin_digits
from newscrawler.persian.normalize import normalize_text
from newscrawler.syndication import minhash
from newscrawler.syndication.index import SyndicationIndex
from newscrawler.syndication.minhash import (
    _FOLD,
    BANDS,
    NUM_PERM,
    ROWS,
    band_keys,
    figures,
    signature,
)

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    json.loads(line)
    for line in (ROOT / "tests" / "fixtures" / "_syndication" / "pairs.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line
]
TEXTS = [p[side] for p in PAIRS for side in ("a", "b")]


def defined_key(text: str) -> str:
    """The comparison key by its definition: digits and letter forms folded, ZWNJ and every
    character that is not a letter or digit removed, lowercase."""
    text = to_latin_digits(text).translate(_FOLD).replace(ZWNJ, "")
    return re.sub(r"[\W_]+", "", text).lower()


def fast_key(text: str) -> str | None:
    points = minhash._key_points(text)
    return None if points is None else "".join(map(chr, points.tolist()))


ODD = "يىكةیکه۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩09_ \u200c\u200d،.!AİıßΣςσΑΒ\u0640\u064b\U0001d400ﻻ\n०१२३٣４５ǅᾈﬀ"


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = ODD + "".join(chr(rng.randrange(0x20, 0x10000)) for _ in range(8))
        texts.append("".join(rng.choices(pool, k=rng.randint(0, 40))))
    return texts


def test_the_key_table_gives_every_character_its_defined_key() -> None:
    """Each character of the Basic Multilingual Plane, alone: the table's key is the defined
    one, or the character is left to the regular expressions (``None``)."""
    left = []
    for code in range(0x10000):
        char = chr(code)
        key = fast_key(char)
        if key is None:
            left.append(char)
        else:
            assert key == defined_key(char), hex(code)
    # lone surrogates, and the two whose lowercase is not one character of their own
    assert set(left) == {chr(c) for c in range(0xD800, 0xE000)} | {"İ", "Σ"}


def test_the_key_table_gives_whole_texts_their_defined_key() -> None:
    texts = TEXTS + [normalize_text(text) or "" for text in TEXTS] + random_texts(3000, 16)
    looked_up = 0
    for text in texts:
        key = fast_key(text)
        if key is not None:
            looked_up += 1
            assert key == defined_key(text), text
    assert looked_up > len(texts) // 2
    assert fast_key("ΑΣ") is None  # final sigma: the regular expressions decide
    assert fast_key("abc \U0001d400") is None  # outside the BMP


def reference_signature(text: str) -> npt.NDArray[np.uint16] | None:
    """MinHash of the defined key's shingles, one distinct shingle at a time in Python ints."""
    key = defined_key(text)
    if not key:
        return None
    width = minhash.SHINGLE
    pieces = {key} if len(key) <= width else {key[i : i + width] for i in range(len(key) - 9 + 1)}
    mask = (1 << 64) - 1
    base = int(minhash._BASE)
    perms = list(zip(minhash._PERM_A[:, 0].tolist(), minhash._PERM_B[:, 0].tolist(), strict=True))
    lows = [1 << 32] * NUM_PERM
    for piece in pieces:
        h = len(piece)
        for char in piece:
            h = (h * base + ord(char)) & mask
        for multiplier in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, None):
            h ^= h >> 33
            if multiplier is not None:
                h = (h * multiplier) & mask
        h &= 0xFFFFFFFF
        lows = [min(low, (a * h + b) & 0xFFFFFFFF) for low, (a, b) in zip(lows, perms, strict=True)]
    return np.array([low & 0xFFFF for low in lows], dtype=np.uint16)


def test_signatures_by_table_and_by_regular_expressions_are_the_reference_minhash() -> None:
    texts = [normalize_text(t) or t for t in TEXTS[:6]] + random_texts(60, 7)
    texts += ["ΟΔΟΣ ΑΘΗΝΩΝ ۱۲ خیابان", "İstanbul ۱۴۰۳ شهرک‌های صنعتی", "𝐀𝐁𝐂 شهرک‌های صنعتی"]
    for text in texts:
        expected, sig = reference_signature(text), signature(text)
        if expected is None:
            assert sig is None, text
        else:
            assert sig is not None, text
            assert np.array_equal(sig, expected), text


def test_figures_are_the_digit_runs_of_the_translated_text() -> None:
    texts = TEXTS + random_texts(3000, 42)
    texts += ["۱٬۲۰۰ و 1200 و ١٢٠٠ و ۱۲۰۰", "१२ ٣4۵ ４２", "بدون عدد"]
    for text in texts:
        assert figures(text) == frozenset(re.findall(r"\d+", to_latin_digits(text))), text


def reference_band_keys(sig: npt.NDArray[np.uint16]) -> list[int]:
    """splitmix64's finalizer over each band's values, in Python integers, as signed 64 bits."""
    mask = (1 << 64) - 1
    keys = []
    for band in range(BANDS):
        h = ((band + 1) * 0x9E3779B97F4A7C15) & mask
        for row in range(ROWS):
            h ^= int(sig[band * ROWS + row]) << (16 * row)
            h ^= h >> 30
            h = (h * 0xBF58476D1CE4E5B9) & mask
            h ^= h >> 27
            h = (h * 0x94D049BB133111EB) & mask
            h ^= h >> 31
        keys.append(h - (1 << 64) if h >> 63 else h)
    return keys


def test_band_keys_are_the_reference_keys_for_one_and_for_many() -> None:
    rng = np.random.default_rng(5)
    sigs = rng.integers(0, 1 << 16, size=(5, NUM_PERM), dtype=np.uint16)
    assert band_keys(sigs).tolist() == [reference_band_keys(s) for s in sigs]
    assert band_keys(sigs[2]).tolist() == reference_band_keys(sigs[2])


def test_the_band_keys_computed_at_matching_are_the_ones_stored(tmp_path: Path) -> None:
    """Computed once per article, carried from the match to the pending member and to the
    bands table: the stored keys are the reference keys of the stored signature."""
    index = SyndicationIndex(tmp_path / "s.sqlite")
    bodies = [normalize_text(p["a"]) or "" for p in PAIRS[:8]]
    for number, body in enumerate(bodies):
        verdict = index.match(f"irna:{number}", "irna", body)
        assert verdict.bands is not None
        assert verdict.signature is not None
        assert verdict.bands.tolist() == reference_band_keys(verdict.signature)
        index.add(verdict)
    assert all(member.bands is not None for member in index.pending)
    index.commit()
    stored = index._db.execute("SELECT key, doc FROM bands ORDER BY doc, key").fetchall()
    expected = []
    for doc, sig in index._db.execute("SELECT doc, signature FROM articles ORDER BY doc"):
        keys = reference_band_keys(np.frombuffer(sig, dtype="<u2"))
        expected += sorted((key, doc) for key in set(keys))
    assert stored == expected
    # and the committed copies are found again through them
    again = index.match("yjc:1", "yjc", bodies[3])
    assert again.duplicate_of == "irna:3"
    index.close()
