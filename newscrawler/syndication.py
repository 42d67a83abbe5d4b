"""Syndication: one story republished by several sites becomes one cluster, across sites and runs.

Regional portals republish agency copy almost word for word: a new first sentence («به گزارش
ایرنا، …»), a source line («منبع: ایرنا»), half-spaces typed as spaces, a paragraph cut. The
exact-duplicate keys of :class:`~newscrawler.pipelines.DedupePipeline` (news id, canonical URL,
body hash) miss such copies, so this pipeline compares bodies by content:

* **Shingles**: the body's comparison key (Arabic ي/ك folded, digits in ASCII, everything but
  letters and digits removed, spaces and ZWNJ included) cut into overlapping
  :data:`SHINGLE`-character pieces. Without spaces the key cannot tell «شهرک‌های» from
  «شهرک های» or «شهرکهای»; nine characters (about two Persian words) keep common phrases of
  one topic from looking alike (see ``scripts/calibrate_syndication.py``).
* **MinHash** (:data:`NUM_PERM` permutations, computed in numpy with no loop per shingle): a
  fixed-size signature whose agreement rate estimates the Jaccard similarity of two shingle
  sets. Each shingle is hashed as a polynomial over its code points (modulo 2**64, then the
  MurmurHash3 64-bit finalizer, low 32 bits kept); each permutation is datasketch's
  ``affine32`` scheme, ``a * h + b`` modulo 2**32 with ``a`` odd (a bijection); ``a``, ``b`` and
  the polynomial's base are drawn from :data:`SEED` with splitmix64 in Python integers, the
  same values on every machine and numpy version (:data:`HASH_SCHEME`).
* **LSH**: the signature cut into :data:`BANDS` bands of :data:`ROWS` values; two articles
  sharing any band become candidates (probability ``1 - (1 - J**3)**42``: 0.61 at J = 0.28,
  0.94 at J = 0.4, 0.996 at J = 0.5, 0.005 at J = 0.05). (42, 3) is what datasketch's
  ``MinHashLSH`` picks for a threshold of 0.25 to 0.28 with 126 permutations.
* **Verification**: a candidate is a copy when the signatures agree on at least ``threshold``
  of the values (:data:`DEFAULT_THRESHOLD`, calibrated by ``scripts/calibrate_syndication.py``
  on ``tests/fixtures/_syndication/pairs.jsonl``) and the two texts' figures agree
  (:data:`MIN_FIGURES`): copies keep the numbers, daily bulletins of one template do not.

The index is a SQLite file (``<state dir>/syndication.sqlite``) shared by all sites and kept
across runs: a table of articles (id, site, story, signature, figures) and a table of band key →
article, looked up with one B-tree probe per band, so nothing is loaded into memory at start and
a million articles cost about a gigabyte of disk, not of RAM (``scripts/bench_syndication.py``).
datasketch's own ``MinHashLSH`` keeps its tables in memory or in Redis/Cassandra; neither is a
local file that becomes durable together with the output, hence these tables.

What a run adds is held in memory and written only once the crawl state has recorded the
article, i.e. once the output file carrying it has been renamed into place and committed
(:mod:`newscrawler.state`): a killed run leaves no story member nobody received. Concurrent runs
see each other's articles once committed; two copies of one story crawled at the same moment by
two runs, each before the other committed, start two stories.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import numpy.typing as npt
from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newscrawler.dates import parse_iso
from newscrawler.pipelines import drop
from newscrawler.state import ledger_for, open_wal, state_dir
from newscrawler.text import to_latin_digits, translator

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Characters per shingle (on the key without spaces; see the module docstring).
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
#: Chosen by ``scripts/calibrate_syndication.py`` on ``tests/fixtures/_syndication/pairs.jsonl``.
DEFAULT_THRESHOLD = 0.27

#: The figures check: when both texts carry at least :data:`MIN_FIGURES` distinct numbers, a
#: copy must share at least :data:`FIGURES_AGREEMENT` of the numbers of the one with fewer.
#: Copies keep the facts (every labelled copy repeats all of them, whatever the digit style);
#: a daily bulletin written from one template (prices, air quality, dam levels) changes them
#: while its words stay, and MinHash alone would call yesterday's bulletin a copy.
MIN_FIGURES = 2
FIGURES_AGREEMENT = 0.8

#: Agencies whose own site is crawled: the agency of a story first published there.
SITE_AGENCY: dict[str, str] = {
    "irna": "IRNA",
    "isna": "ISNA",
    "mehrnews": "Mehr",
    "tasnim": "Tasnim",
    "yjc": "YJC",
}

Signature = npt.NDArray[np.uint16]
"""The low 16 bits of each MinHash value: enough to estimate similarity (two different values
agree by chance once in 65,536) at half the storage of the full 32 bits."""

_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})
#: Letter variants folded and Persian/Arabic-Indic digits to ASCII, in one pass over the
#: characters that need it (``str.translate`` on a whole body costs 0.25 ms).
_FOLD_KEY = translator(_FOLD | str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2))
_NOT_LETTER = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")  # \W includes spaces, punctuation and ZWNJ (a format char)
#: Parameters per SQL statement when looking up many ids (SQLite's limit may be 999).
_CHUNK = 900


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


_MASK64 = (1 << 64) - 1


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
    if not key:
        return np.empty(0, dtype=np.uint32)
    points = np.frombuffer(key.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(SHINGLE, len(points))
    count = len(points) - width + 1
    h = np.full(count, width, dtype=np.uint64)
    for offset in range(width):  # Horner's rule, every piece at once
        h *= _BASE
        h += points[offset : offset + count]
    _fmix64(h)
    return h.astype(np.uint32)  # the low 32 bits


def figures(text: str) -> frozenset[str]:
    """The distinct digit runs of ``text``, in ASCII (``۱٬۲۰۰`` gives ``1`` and ``200``).

    >>> sorted(figures("۴۲۰ میلیارد ریال در 20 ماه، ۴۲۰ تن"))
    ['20', '420']
    """
    return frozenset(_DIGITS.findall(to_latin_digits(text)))


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
    and a minimum per row. About 0.2 ms for a 2,500-character body, half of it the key (1.6 ms
    with datasketch, SHA-1 and a Python loop over the shingles).

    >>> signature("  ،. ") is None
    True
    >>> a = signature("شهرک‌های صنعتی استان قزوین ۱۲ واحد تولیدی تازه دارند")
    >>> b = signature("شهرک های صنعتي استان قزوين 12 واحد توليدي تازه دارند")
    >>> a.shape, a.dtype, similarity(a, b)
    ((126,), dtype('uint16'), 1.0)
    """
    hashes = shingle_hashes(comparison_key(text))
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
    sigs = np.atleast_2d(signatures).astype(np.uint64).reshape(-1, BANDS, ROWS)
    bands = np.arange(1, BANDS + 1, dtype=np.uint64)
    h = np.broadcast_to(bands * np.uint64(0x9E3779B97F4A7C15), sigs.shape[:2]).copy()
    for row in range(ROWS):
        h ^= sigs[:, :, row] << np.uint64(16 * row)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    keys: npt.NDArray[np.int64] = h.view(np.int64)
    return keys if np.ndim(signatures) > 1 else keys[0]


@dataclass
class Member:
    """What the index keeps of one article."""

    ref: int
    """Committed articles: the row id (> 0); this run's pending ones: -1, -2, … (never reused)."""
    article_id: str
    site: str
    cluster: int
    """``ref`` of the first article of the story (the article's own ``ref`` when first)."""
    duplicate: int | None
    agency: str | None
    published_at: str | None
    signature: Signature
    figures: frozenset[str] = frozenset()
    version: int = 1
    """The record's ``version``: the pipeline commits a pending article once the crawl state
    holds this version of it (not kept on disk)."""


@dataclass
class Assignment:
    """The index's verdict on one article: its story and, for a copy, what it copies."""

    article_id: str
    site: str
    cluster_id: str
    duplicate_of: str | None
    source_agency: str | None
    similarity: float | None = None
    """Estimated similarity to ``duplicate_of``."""
    published_at: str | None = None
    signature: Signature | None = None
    figures: frozenset[str] = frozenset()
    cluster: int | None = None
    """``ref`` of the story; ``None`` when the article starts a new one."""
    duplicate: int | None = None
    version: int = 1
    known: bool = False
    """The index already holds this article id (a new version, or a re-crawl)."""


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS articles ("
    " doc INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE, site TEXT NOT NULL,"
    " cluster INTEGER NOT NULL, duplicate_of INTEGER, agency TEXT, published_at TEXT,"
    " signature BLOB NOT NULL, figures TEXT NOT NULL, first_seen TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS articles_cluster ON articles (cluster)",
    "CREATE TABLE IF NOT EXISTS bands ("
    " key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID",
)
#: What makes stored signatures comparable; an index built with other values is refused.
PARAMETERS = {
    "layout": "1",
    "shingle": str(SHINGLE),
    "bands": str(BANDS),
    "rows": str(ROWS),
    "seed": str(SEED),
    "minhash": HASH_SCHEME,
    "figures": f"{MIN_FIGURES} {FIGURES_AGREEMENT}",
}
#: Parameters per SQL statement when looking up many ids (SQLite's limit may be 999).
_CHUNK = 900


def _chronological(member: Member) -> tuple[bool, datetime, bool, int]:
    """Sort key: earliest publication first, undated last; then committed before pending,
    each in the order written."""
    published = parse_iso(member.published_at or "")
    latest = datetime.max.replace(tzinfo=UTC)
    return (published is None, published or latest, member.ref < 0, abs(member.ref))


def _connect(path: Path) -> sqlite3.Connection:
    db = open_wal(path, wait=60.0)
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages, whatever the index size
    return db


class SyndicationIndex:
    """Committed articles in SQLite plus this run's pending ones in memory."""

    def __init__(self, path: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"syndication threshold must be in (0, 1], not {threshold}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.threshold = threshold
        self._db = _connect(path)
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                self._db.execute(statement)
            stored = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
            if not stored:
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", PARAMETERS.items())
                stored = dict(PARAMETERS)
        if stored != PARAMETERS:
            self._db.close()
            raise RuntimeError(
                f"{path} was built with other syndication parameters ({stored}); its signatures "
                f"cannot be compared with these ({PARAMETERS}): move it away to start afresh"
            )
        self._pending: dict[int, Member] = {}  # in the order added
        self._pending_ids: dict[str, int] = {}
        self._pending_bands: dict[int, list[int]] = {}
        self._resolved: dict[int, int] = {}  # pending ref → row id, once committed
        self._next_ref = -1

    # ----------------------------------------------------------------------- lookups

    def _committed(self, where: str, params: Sequence[Any]) -> list[Member]:
        rows = self._db.execute(
            "SELECT doc, article_id, site, cluster, duplicate_of, agency, published_at, signature,"
            f" figures FROM articles WHERE {where}",
            params,
        ).fetchall()
        return [
            Member(
                doc,
                aid,
                site,
                cluster,
                dup,
                agency,
                pub,
                np.frombuffer(sig, dtype="<u2"),
                frozenset(figures.split()),
            )
            for doc, aid, site, cluster, dup, agency, pub, sig, figures in rows
        ]

    def _resolve(self, ref: int) -> int:
        return self._resolved.get(ref, ref)

    # Storage primitives (committed articles); RedisSyndicationIndex (distributed.py) keeps the
    # same data in Redis so that a fleet's workers share one index.

    def _committed_doc(self, doc: int) -> Member:
        return self._committed("doc = ?", (doc,))[0]

    def _committed_article(self, article_id: str) -> Member | None:
        found = self._committed("article_id = ?", (article_id,))
        return found[0] if found else None

    def _committed_in_bands(self, keys: list[int]) -> list[Member]:
        placeholders = ",".join("?" * len(keys))
        return self._committed(
            f"doc IN (SELECT doc FROM bands WHERE key IN ({placeholders})) ORDER BY doc", keys
        )

    def _committed_in_cluster(self, cluster: int) -> list[Member]:
        return self._committed("cluster = ?", (cluster,))

    def _member(self, ref: int) -> Member:
        ref = self._resolve(ref)
        if ref < 0:
            return self._pending[ref]
        return self._committed_doc(ref)

    def _known(self, article_id: str) -> Member | None:
        if article_id in self._pending_ids:
            return self._pending[self._pending_ids[article_id]]
        return self._committed_article(article_id)

    def _candidates(self, keys: npt.NDArray[np.int64]) -> list[Member]:
        values = [int(k) for k in keys]
        committed = self._committed_in_bands(values)
        pending = {ref for key in values for ref in self._pending_bands.get(key, ())}
        return committed + [self._pending[ref] for ref in sorted(pending, reverse=True)]

    def _members(self, cluster: int) -> list[Member]:
        committed = self._committed_in_cluster(cluster) if cluster > 0 else []
        return committed + [m for m in self._pending.values() if m.cluster == cluster]

    def _agency(self, cluster: int | None, site: str, published_at: str | None) -> str | None:
        """The agency of the story's earliest published member, this article included: the one
        its text named, else the one its site is (:data:`SITE_AGENCY`)."""
        this = Member(-(1 << 62), "", site, 0, None, None, published_at, np.zeros(0, np.uint16))
        members = [this, *(self._members(cluster) if cluster is not None else [])]
        origin = min(members, key=_chronological)
        return origin.agency or SITE_AGENCY.get(origin.site)

    def _assignment_of(self, member: Member, version: int) -> Assignment:
        cluster = self._member(member.cluster)
        duplicate = self._member(member.duplicate) if member.duplicate is not None else None
        return Assignment(
            article_id=member.article_id,
            site=member.site,
            cluster_id=cluster.article_id,
            duplicate_of=duplicate.article_id if duplicate else None,
            source_agency=member.agency,
            similarity=similarity(member.signature, duplicate.signature) if duplicate else None,
            version=version,
            known=True,
        )

    # ----------------------------------------------------------------------- the API

    def match(
        self,
        article_id: str,
        site: str,
        body: str,
        *,
        agency: str | None = None,
        published_at: str | None = None,
        version: int = 1,
        precomputed: Signature | None = None,
    ) -> Assignment:
        """Which story ``body`` belongs to; nothing is recorded (see :meth:`add`).

        ``agency`` is the one the text names (extraction's ``source_agency``); when it is
        ``None`` the story's earliest published member decides. An article id the index
        already holds keeps the story it was given (a new version does not move).
        ``precomputed`` replaces the signature of ``body`` (benchmarks).
        """
        known = self._known(article_id)
        if known is not None:
            return self._assignment_of(known, version)
        sig = signature(body) if precomputed is None else precomputed
        if sig is None:  # no text to compare: a story of its own, not indexed
            return Assignment(article_id, site, article_id, None, agency, version=version)
        best: tuple[float, Member] | None = None
        own_figures = figures(body)
        for candidate in self._candidates(band_keys(sig)):
            score = similarity(sig, candidate.signature)
            if score < self.threshold or not figures_agree(own_figures, candidate.figures):
                continue
            if best is None or score > best[0]:
                best = (score, candidate)
        if best is None:
            return Assignment(
                article_id,
                site,
                article_id,
                None,
                agency or self._agency(None, site, published_at),
                published_at=published_at,
                signature=sig,
                figures=own_figures,
                version=version,
            )
        score, original = best
        cluster = self._resolve(original.cluster)
        return Assignment(
            article_id,
            site,
            self._member(cluster).article_id,
            original.article_id,
            agency or self._agency(cluster, site, published_at),
            similarity=score,
            published_at=published_at,
            signature=sig,
            figures=own_figures,
            cluster=cluster,
            duplicate=original.ref,
            version=version,
        )

    def add(self, assignment: Assignment) -> None:
        """Remember a delivered article for this run (durable only after :meth:`commit`)."""
        if assignment.known or assignment.signature is None:
            return
        ref = self._next_ref
        self._next_ref -= 1
        cluster = ref if assignment.cluster is None else self._resolve(assignment.cluster)
        duplicate = None if assignment.duplicate is None else self._resolve(assignment.duplicate)
        self._pending[ref] = Member(
            ref,
            assignment.article_id,
            assignment.site,
            cluster,
            duplicate,
            assignment.source_agency,
            assignment.published_at,
            assignment.signature,
            assignment.figures,
            assignment.version,
        )
        self._pending_ids[assignment.article_id] = ref
        for key in band_keys(assignment.signature):
            self._pending_bands.setdefault(int(key), []).append(ref)

    @property
    def pending(self) -> list[Member]:
        """This run's articles not yet committed, in the order added."""
        return list(self._pending.values())

    def commit(self, count: int | None = None) -> int:
        """Write the first ``count`` pending articles (all by default) and their band keys in
        one transaction; returns how many rows were written."""
        members = self.pending[:count]
        if not members:
            return 0
        doc_of, written = self._store(members)
        self._forget([m.ref for m in members])
        self._resolved.update(doc_of)
        for member in self._pending.values():  # later articles may point at committed ones
            member.cluster = doc_of.get(member.cluster, member.cluster)
            if member.duplicate is not None:
                member.duplicate = doc_of.get(member.duplicate, member.duplicate)
        return written

    def _store(self, members: list[Member]) -> tuple[dict[int, int], int]:
        """Write ``members`` (pending refs → new row ids) in one transaction; returns the id of
        each and how many rows were written (an article a concurrent run committed meanwhile
        keeps that run's row)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")  # row ids are handed out under the write lock
            (last,) = self._db.execute("SELECT COALESCE(MAX(doc), 0) FROM articles").fetchone()
            present: dict[str, int] = {}
            ids = [m.article_id for m in members]
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                present.update(
                    self._db.execute(
                        f"SELECT article_id, doc FROM articles WHERE article_id IN ({marks})",
                        chunk,
                    ).fetchall()
                )
            doc_of: dict[int, int] = {}
            rows, band_rows = [], []
            for member in members:
                if member.article_id in present:  # committed meanwhile by a concurrent run
                    doc_of[member.ref] = present[member.article_id]
                    continue
                last += 1
                doc_of[member.ref] = last
                duplicate = member.duplicate
                rows.append(
                    (
                        last,
                        member.article_id,
                        member.site,
                        doc_of.get(member.cluster, member.cluster),
                        None if duplicate is None else doc_of.get(duplicate, duplicate),
                        member.agency,
                        member.published_at,
                        member.signature.astype("<u2").tobytes(),
                        " ".join(sorted(member.figures)),
                        now,
                    )
                )
                band_rows += [(int(key), last) for key in band_keys(member.signature)]
            self._db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            band_rows.sort()  # neighbouring keys share B-tree pages
            self._db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", band_rows)
        return doc_of, len(rows)

    def _forget(self, refs: Iterable[int]) -> None:
        gone = set(refs)
        for ref in gone:
            member = self._pending.pop(ref)
            self._pending_ids.pop(member.article_id, None)
        for key in list(self._pending_bands):
            kept = [ref for ref in self._pending_bands[key] if ref not in gone]
            if kept:
                self._pending_bands[key] = kept
            else:
                del self._pending_bands[key]

    def discard(self) -> None:
        """Forget this run's uncommitted articles (their output never became visible)."""
        self._forget(list(self._pending))

    def bulk_load(
        self, article_ids: Sequence[str], sites: Sequence[str], signatures: Signature
    ) -> None:
        """Commit many articles at once, each a story of its own, band keys written in key
        order (seeding an index from a corpus, or a benchmark): far faster than :meth:`commit`
        for millions of rows, because the B-tree is filled from left to right."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            (last,) = self._db.execute("SELECT COALESCE(MAX(doc), 0) FROM articles").fetchone()
            docs = np.arange(last + 1, last + 1 + len(article_ids), dtype=np.int64)
            self._db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, '', ?)",
                (
                    (int(doc), aid, site, int(doc), sig.astype("<u2").tobytes(), now)
                    for doc, aid, site, sig in zip(
                        docs, article_ids, sites, signatures, strict=True
                    )
                ),
            )
            keys = band_keys(signatures).ravel()
            order = np.argsort(keys, kind="stable")
            keys = keys[order]
            owners = docs[order // BANDS]
            del order
            for start in range(0, len(keys), 1 << 20):  # Python ints for a slice at a time
                end = start + (1 << 20)
                self._db.executemany(
                    "INSERT OR IGNORE INTO bands VALUES (?, ?)",
                    zip(keys[start:end].tolist(), owners[start:end].tolist(), strict=True),
                )

    def counts(self) -> tuple[int, int]:
        """Committed articles, and stories among them."""
        articles, stories = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(cluster = doc), 0) FROM articles"
        ).fetchone()
        return int(articles), int(stories)

    def close(self) -> None:
        self._db.close()


def _count(crawler: Crawler, key: str) -> None:
    assert crawler.stats is not None
    crawler.stats.inc_value(key)


class SyndicationPipeline:
    """Give every article its story (``cluster_id``), mark republished copies
    (``duplicate_of``) and fill ``source_agency`` from the story's first publisher.

    Settings: ``NEWSCRAWLER_SYNDICATION_ENABLED`` (default on),
    ``NEWSCRAWLER_SYNDICATION_THRESHOLD`` (default :data:`DEFAULT_THRESHOLD`),
    ``NEWSCRAWLER_SYNDICATION_DROP`` (drop copies instead of marking them, counted as
    ``newscrawler/dropped/syndicated``). It runs after the dedupe pipeline, so a copy with the
    very same body is still dropped there as a duplicate.

    Durability follows the crawl state: an article enters the index only once the crawl state
    records it, i.e. once the output file carrying it has been renamed into place and committed
    (:meth:`newscrawler.state.Ledger.commit`). Files are committed in item order, so the pending
    articles are checked oldest first after every item and at the end of the run; what is still
    pending when the run ends was never delivered and is forgotten.
    """

    def __init__(self, crawler: Crawler, path: Path, threshold: float, drop_copies: bool) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(
                f"NEWSCRAWLER_SYNDICATION_THRESHOLD must be in (0, 1], not {threshold}"
            )
        self.crawler = crawler
        self.path = path
        self.threshold = threshold
        self.drop_copies = drop_copies
        self.index: SyndicationIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_SYNDICATION_ENABLED", True):
            raise NotConfigured
        return cls(
            crawler,
            state_dir(settings) / "syndication.sqlite",
            float(settings.get("NEWSCRAWLER_SYNDICATION_THRESHOLD") or DEFAULT_THRESHOLD),
            settings.getbool("NEWSCRAWLER_SYNDICATION_DROP", False),
        )

    def open_spider(self) -> None:
        from newscrawler.distributed import prefix, redis_url

        url = redis_url(self.crawler.settings)
        if url:  # a fleet's workers share one index in Redis
            from newscrawler.syndication_redis import RedisSyndicationIndex

            self.index = RedisSyndicationIndex(url, prefix(self.crawler.settings), self.threshold)
        else:
            self.index = SyndicationIndex(self.path, self.threshold)
        ledger_for(self.crawler).listeners.append(self.flush)  # index what each commit delivers

    def close_spider(self) -> None:
        # Scrapy closes pipelines in reverse order: the store pipeline has committed its last
        # file by now, and the crawl state is still open.
        if self.index is not None:
            self.flush()
            self.index.discard()
            self.index.close()
            self.index = None

    def flush(self) -> int:
        """Commit the pending articles the crawl state has recorded (a prefix: files are
        committed in the order their articles were written)."""
        if self.index is None or not self.index.pending:
            return 0
        state = ledger_for(self.crawler).state
        delivered = 0
        for member in self.index.pending:
            known = state.article(member.article_id)
            if known is None or known.version < member.version:
                break
            delivered += 1
        return self.index.commit(delivered) if delivered else 0

    def process_item(self, item: Any) -> Any:
        assert self.index is not None
        self.flush()
        adapter = ItemAdapter(item)
        article_id = adapter.get("id")
        if not article_id:
            return item
        verdict = self.index.match(
            article_id,
            adapter.get("site") or "",
            adapter.get("body") or "",
            agency=adapter.get("source_agency"),
            published_at=adapter.get("published_at"),
            version=adapter.get("version") or 1,
        )
        if verdict.duplicate_of is not None and not verdict.known:
            if self.drop_copies:
                raise drop(
                    self.crawler,
                    "syndicated",
                    item,
                    f"copy of {verdict.duplicate_of}, similarity {verdict.similarity:.2f}",
                )
            _count(self.crawler, "newscrawler/syndication/copies")
            logger.debug(
                "syndicated copy: %s of %s (similarity %.2f)",
                article_id,
                verdict.duplicate_of,
                verdict.similarity or 0.0,
            )
        elif not verdict.known:
            _count(self.crawler, "newscrawler/syndication/stories")
        self.index.add(verdict)
        adapter["cluster_id"] = verdict.cluster_id
        adapter["duplicate_of"] = verdict.duplicate_of
        adapter["source_agency"] = verdict.source_agency
        return item


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
