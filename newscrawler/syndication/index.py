"""The index of stories: signatures and LSH bands in SQLite, shared by every site and run."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newscrawler.persian.dates import parse_iso
from newscrawler.state.store import open_wal
from newscrawler.syndication.minhash import (
    BANDS,
    DEFAULT_THRESHOLD,
    FIGURES_AGREEMENT,
    HASH_SCHEME,
    MIN_FIGURES,
    ROWS,
    SEED,
    SHINGLE,
    Signature,
    band_keys,
    figures,
    figures_agree,
    signature,
    similarity,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

#: Agencies whose own site is crawled: the agency of a story first published there.
SITE_AGENCY: dict[str, str] = {
    "irna": "IRNA",
    "isna": "ISNA",
    "mehrnews": "Mehr",
    "tasnim": "Tasnim",
    "yjc": "YJC",
}
#: Parameters per SQL statement when looking up many ids (SQLite's limit may be 999).
_CHUNK = 900


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

    # Storage primitives (committed articles); RedisSyndicationIndex (redis_index.py) keeps the
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
