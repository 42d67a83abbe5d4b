"""The index of stories, shared by every site and run: which story an article belongs to.

This module holds the matching (candidates from LSH bands, verification, the story's agency)
and this run's pending articles until they are committed. Where committed articles are kept
is :mod:`newscrawler.syndication.storage`: signatures and LSH bands in SQLite, which
:class:`SyndicationIndex` builds on, or in Redis for a fleet
(:mod:`newscrawler.syndication.redis_index`).
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from newscrawler.persian.dates import parse_iso
from newscrawler.syndication.minhash import (
    DEFAULT_THRESHOLD,
    Signature,
    band_keys,
    figures,
    figures_agree,
    signature,
    similarity,
)
from newscrawler.syndication.storage import Bands, Member, SqliteStorage

logger = logging.getLogger(__name__)

#: Agencies whose own site is crawled: the agency of a story first published there.
SITE_AGENCY: dict[str, str] = {
    "irna": "IRNA",
    "isna": "ISNA",
    "mehrnews": "Mehr",
    "tasnim": "Tasnim",
    "yjc": "YJC",
}


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
    bands: Bands | None = None
    """:func:`~newscrawler.syndication.minhash.band_keys` of ``signature``, computed once."""
    cluster: int | None = None
    """``ref`` of the story; ``None`` when the article starts a new one."""
    duplicate: int | None = None
    version: int = 1
    known: bool = False
    """The index already holds this article id (a new version, or a re-crawl)."""


class CommittedRefs:
    """Pending ref → row id of the articles this run has committed: 8 bytes an article.

    Why not a dict: the mapping lives as long as the run and gains one entry per article (a
    dict of ints held ~100 bytes each, 2.4 MiB of a 25,000-article crawl's growth). Pending
    refs are handed out -1, -2, … and committed oldest first, so ref ``-k`` is slot ``k - 1``
    of an array; a ref that was discarded, never committed, keeps 0 (no row id is 0).
    """

    def __init__(self) -> None:
        self._docs = array("q")

    def __len__(self) -> int:
        return sum(1 for doc in self._docs if doc)

    def get(self, ref: int, default: int) -> int:
        slot = -ref - 1
        if 0 <= slot < len(self._docs):
            return self._docs[slot] or default
        return default

    def update(self, doc_of: Mapping[int, int]) -> None:
        for ref, doc in doc_of.items():
            slot = -ref - 1
            if slot < 0:
                continue
            if slot >= len(self._docs):
                self._docs.frombytes(bytes(self._docs.itemsize * (slot + 1 - len(self._docs))))
            self._docs[slot] = doc


def _chronological(member: Member) -> tuple[bool, datetime, bool, int]:
    """Sort key: earliest publication first, undated last; then committed before pending,
    each in the order written."""
    published = parse_iso(member.published_at or "")
    latest = datetime.max.replace(tzinfo=UTC)
    return (published is None, published or latest, member.ref < 0, abs(member.ref))


class SyndicationIndex(SqliteStorage):
    """Committed articles in SQLite (:class:`~newscrawler.syndication.storage.SqliteStorage`)
    plus this run's pending ones in memory."""

    def __init__(self, path: Path, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._start_run(threshold)
        super().__init__(path)

    def _start_run(self, threshold: float) -> None:
        """The threshold (checked) and this run's pending articles: what an index keeps in
        memory, whatever stores its committed part."""
        if not 0 < threshold <= 1:
            raise ValueError(f"syndication threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self._pending: dict[int, Member] = {}  # in the order added
        self._pending_ids: dict[str, int] = {}
        self._pending_bands: dict[int, list[int]] = {}
        self._resolved = CommittedRefs()  # pending ref → row id, once committed
        self._next_ref = -1

    # ----------------------------------------------------------------------- lookups

    def _resolve(self, ref: int) -> int:
        return self._resolved.get(ref, ref)

    def _member(self, ref: int) -> Member:
        ref = self._resolve(ref)
        if ref < 0:
            return self._pending[ref]
        return self._committed_doc(ref)

    def _known(self, article_id: str) -> Member | None:
        if article_id in self._pending_ids:
            return self._pending[self._pending_ids[article_id]]
        return self._committed_article(article_id)

    def _candidates(self, keys: Bands) -> list[Member]:
        values = keys.tolist()
        committed = self._committed_in_bands(values)
        bands = self._pending_bands
        pending = {ref for key in bands.keys() & values for ref in bands[key]}
        return committed + [self._pending[ref] for ref in sorted(pending, reverse=True)]

    def _members(self, cluster: int) -> list[Member]:
        committed = self._committed_in_cluster(cluster) if cluster > 0 else []
        return committed + [m for m in self._pending.values() if m.cluster == cluster]

    def _agency(self, cluster: int | None, site: str, published_at: str | None) -> str | None:
        """The agency of the story's earliest published member, this article included: the one
        its text named, else the one its site is (:data:`SITE_AGENCY`)."""
        if cluster is None:  # a new story: this article is its only member
            return SITE_AGENCY.get(site)
        this = Member(-(1 << 62), "", site, 0, None, None, published_at, np.zeros(0, np.uint16))
        members = [this, *self._members(cluster)]
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
        own_figures = figures(body)
        bands = band_keys(sig)
        best = self._closest(sig, bands, own_figures)
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
                bands=bands,
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
            bands=bands,
            cluster=cluster,
            duplicate=original.ref,
            version=version,
        )

    def _closest(
        self, sig: Signature, bands: Bands, own_figures: frozenset[str]
    ) -> tuple[float, Member] | None:
        """The most similar candidate at or above the threshold whose figures agree (the
        first of equals), with its similarity."""
        best: tuple[float, Member] | None = None
        for candidate in self._candidates(bands):
            score = similarity(sig, candidate.signature)
            if score < self.threshold or not figures_agree(own_figures, candidate.figures):
                continue
            if best is None or score > best[0]:
                best = (score, candidate)
        return best

    def add(self, assignment: Assignment) -> None:
        """Remember a delivered article for this run (durable only after :meth:`commit`)."""
        if assignment.known or assignment.signature is None:
            return
        bands = assignment.bands
        if bands is None:
            bands = band_keys(assignment.signature)
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
            bands,
        )
        self._pending_ids[assignment.article_id] = ref
        keys = bands.tolist()
        pending = self._pending_bands
        if pending.keys().isdisjoint(keys):  # nearly always: a list of one for each key
            pending.update({key: [ref] for key in keys})
            return
        for key in keys:
            pending.setdefault(key, []).append(ref)

    @property
    def pending(self) -> list[Member]:
        """This run's articles not yet committed, in the order added."""
        return list(self._pending.values())

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def pending_in_order(self) -> Iterator[Member]:
        """:attr:`pending` without the copy (nothing may be added or committed meanwhile)."""
        return iter(self._pending.values())

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

    def _forget(self, refs: Iterable[int]) -> None:
        gone = set(refs)
        if len(gone) == len(self._pending):  # all of them (a commit of everything pending)
            self._pending.clear()
            self._pending_ids.clear()
            self._pending_bands.clear()
            return
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
