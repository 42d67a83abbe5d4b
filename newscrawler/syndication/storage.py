"""Where the syndication index keeps committed articles: the record, its format, SQLite.

:class:`SqliteStorage` holds the storage primitives of :class:`~newscrawler.syndication.index.
SyndicationIndex` (read a committed article by row id, by article id, by band key or by story;
write pending ones; bulk load; counts; close), :class:`Member` the record they read and write,
and :data:`PARAMETERS` what makes stored signatures comparable. They are apart from the matching
logic of :mod:`newscrawler.syndication.index` because that logic does not depend on where
members are kept: :class:`~newscrawler.syndication.redis_index.RedisSyndicationIndex` replaces
exactly these primitives to keep the same data in Redis, so that a fleet's workers share one
index, and uses :class:`Member` and :data:`PARAMETERS` from here as well.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newscrawler.state.store import open_wal
from newscrawler.syndication.minhash import (
    BANDS,
    FIGURES_AGREEMENT,
    HASH_SCHEME,
    MIN_FIGURES,
    ROWS,
    SEED,
    SHINGLE,
    Signature,
    band_keys,
)

Bands = npt.NDArray[np.int64]
"""The :data:`~newscrawler.syndication.minhash.BANDS` band keys of one signature."""


def bands_of(member: Member) -> list[int]:
    """A member's band keys as Python integers (carried since matching, else computed)."""
    bands = member.bands if member.bands is not None else band_keys(member.signature)
    keys: list[int] = bands.tolist()
    return keys


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
    bands: Bands | None = None
    """A pending article's LSH band keys, computed once when it was matched (not kept on disk:
    the bands table holds them)."""


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


#: SQLite's page cache of the index, KiB. Why not more: the cache fills with every page a
#: crawl writes, so a long crawl's memory grew with the index (1.2 KiB an article, the file's own
#: growth, up to 64 MiB before); pages beyond it are read from the OS's file cache. 100,000
#: indexed articles (``tools.bench.syndication``, loaded machine): query median 0.56 ms, p99
#: 1.13 ms with 4 MiB; 0.64 ms, p99 12.9 ms with 64 MiB, 64 MiB more RSS.
CACHE_KIB = 4096


def _connect(path: Path) -> sqlite3.Connection:
    db = open_wal(path, wait=60.0)
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    return db


def _by_key(keys: list[Bands], owners: list[int]) -> list[int]:
    """``key, doc, key, doc, …`` of the articles' band keys in key order (neighbouring keys
    share B-tree pages), sorted in numpy: the order of sorting the pairs as tuples."""
    if not keys:
        return []
    flat = np.concatenate(keys)
    docs = np.repeat(np.array(owners, dtype=np.int64), [len(k) for k in keys])
    order = np.lexsort((docs, flat))
    pairs: list[int] = np.column_stack((flat[order], docs[order])).ravel().tolist()
    return pairs


#: Band rows per ``INSERT`` statement (two parameters a row, under SQLite's oldest limit of 999
#: a statement).
_ROWS_PER_INSERT = 400


def _insert_bands(db: sqlite3.Connection, pairs: list[int]) -> None:
    """``INSERT OR IGNORE`` the band rows of :func:`_by_key`, :data:`_ROWS_PER_INSERT` rows a
    statement: the same rows in the same order as a statement a row (``executemany``), at
    less than half the cost (a committed article has 42 of them: ~190 → ~85 µs)."""
    step = 2 * _ROWS_PER_INSERT
    for start in range(0, len(pairs), step):
        chunk = pairs[start : start + step]
        rows = ", ".join(["(?, ?)"] * (len(chunk) // 2))
        db.execute(f"INSERT OR IGNORE INTO bands VALUES {rows}", chunk)


class SqliteStorage:
    """Committed articles in a SQLite file: a table of articles and a table of band key →
    article (see :mod:`newscrawler.syndication`).

    Its methods are the storage primitives the matching of
    :class:`~newscrawler.syndication.index.SyndicationIndex` calls;
    :class:`~newscrawler.syndication.redis_index.RedisSyndicationIndex` overrides them to keep
    the same data in Redis, so that a fleet's workers share one index.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
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
            rows, keys, owners = [], [], []
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
                keys.append(
                    member.bands if member.bands is not None else band_keys(member.signature)
                )
                owners.append(last)
            self._db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            _insert_bands(self._db, _by_key(keys, owners))
        return doc_of, len(rows)

    def bulk_load(
        self, article_ids: Sequence[str], sites: Sequence[str], signatures: Signature
    ) -> None:
        """Commit many articles at once, each a story of its own, band keys written in key
        order (seeding an index from a corpus, or a benchmark): far faster than
        :meth:`SyndicationIndex.commit <newscrawler.syndication.index.SyndicationIndex.commit>`
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
