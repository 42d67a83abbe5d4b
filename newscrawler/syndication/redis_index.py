"""The syndication index in Redis, shared by every worker of a fleet (distributed mode).

Same data as the SQLite index of :mod:`newscrawler.syndication`, one set of keys under the
fleet prefix (``<prefix>:synd:…``):

* ``params``: the MinHash parameters; an index built with others is refused;
* ``next``: the counter that numbers committed articles (``INCR``, so workers never collide);
* ``doc:<n>``: a hash per article (id, site, story, closest copy, agency, published, signature,
  figures);
* ``aid``: article id → number, written with ``HSETNX``: when two workers commit the same
  article, the first one's row stands and the second reuses it;
* ``band:<key>`` and ``cluster:<n>``: sets of numbers, the LSH buckets and the stories.

Writes happen when the worker's ledger commits an output file, as with SQLite, so a killed
worker leaves no story member for an article nobody received. Nothing expires: like the SQLite
file, the index grows with the articles delivered (about 1 KiB per article in Redis).
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import redis

from newscrawler.syndication.index import SyndicationIndex
from newscrawler.syndication.minhash import DEFAULT_THRESHOLD
from newscrawler.syndication.storage import PARAMETERS, Member, bands_of


def _text(value: bytes | None) -> str | None:
    return value.decode() if value else None


class RedisSyndicationIndex(SyndicationIndex):
    """A :class:`SyndicationIndex` whose committed part lives in Redis."""

    def __init__(self, url: str, prefix: str, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._start_run(threshold)
        self.key = f"{prefix}:synd"
        self.server: Any = cast(Any, redis.Redis.from_url(url))
        params: dict[str, str] = dict(PARAMETERS)
        raw = self.server.hgetall(f"{self.key}:params")
        if not raw:  # the first worker writes them (the same values if several race)
            self.server.hset(f"{self.key}:params", mapping=params)
            raw = self.server.hgetall(f"{self.key}:params")
        stored = {k.decode(): v.decode() for k, v in raw.items()}
        if stored != params:
            raise RuntimeError(
                f"the fleet's syndication index ({self.key}) was built with other parameters; "
                "delete its keys to start afresh"
            )

    # storage primitives ------------------------------------------------------------------

    def _load(self, docs: list[int]) -> list[Member]:
        pipe = self.server.pipeline(transaction=False)
        for doc in docs:
            pipe.hgetall(f"{self.key}:doc:{doc}")
        members = []
        for doc, row in zip(docs, pipe.execute(), strict=True):
            if not row:
                continue
            members.append(
                Member(
                    doc,
                    row[b"aid"].decode(),
                    row[b"site"].decode(),
                    int(row[b"cluster"]),
                    int(row[b"dup"]) if row.get(b"dup") else None,
                    _text(row.get(b"agency")),
                    _text(row.get(b"pub")),
                    np.frombuffer(row[b"sig"], dtype="<u2"),
                    frozenset((_text(row.get(b"figures")) or "").split()),
                )
            )
        return members

    def _committed_doc(self, doc: int) -> Member:
        return self._load([doc])[0]

    def _committed_article(self, article_id: str) -> Member | None:
        doc = self.server.hget(f"{self.key}:aid", article_id)
        found = self._load([int(doc)]) if doc else []
        return found[0] if found else None

    def _committed_in_bands(self, keys: list[int]) -> list[Member]:
        docs = self.server.sunion([f"{self.key}:band:{key}" for key in keys]) if keys else set()
        return self._load(sorted(int(d) for d in docs))

    def _committed_in_cluster(self, cluster: int) -> list[Member]:
        docs = self.server.smembers(f"{self.key}:cluster:{cluster}")
        return self._load(sorted(int(d) for d in docs))

    def _store(self, members: list[Member]) -> tuple[dict[int, int], int]:
        doc_of: dict[int, int] = {}
        written = 0
        for member in members:
            doc = int(self.server.incr(f"{self.key}:next"))
            if not self.server.hsetnx(f"{self.key}:aid", member.article_id, doc):
                doc_of[member.ref] = int(self.server.hget(f"{self.key}:aid", member.article_id))
                continue  # another worker committed this article first: its row stands
            doc_of[member.ref] = doc
            cluster = doc_of.get(member.cluster, member.cluster)
            duplicate = member.duplicate
            if duplicate is not None:
                duplicate = doc_of.get(duplicate, duplicate)
            row = {
                "aid": member.article_id,
                "site": member.site,
                "cluster": cluster,
                "dup": "" if duplicate is None else duplicate,
                "agency": member.agency or "",
                "pub": member.published_at or "",
                "sig": member.signature.astype("<u2").tobytes(),
                "figures": " ".join(sorted(member.figures)),
            }
            pipe = self.server.pipeline(transaction=True)
            pipe.hset(f"{self.key}:doc:{doc}", mapping=row)
            pipe.sadd(f"{self.key}:cluster:{cluster}", doc)
            for key in bands_of(member):
                pipe.sadd(f"{self.key}:band:{key}", doc)
            pipe.execute()
            written += 1
        return doc_of, written

    def counts(self) -> tuple[int, int]:
        articles = int(self.server.hlen(f"{self.key}:aid"))
        stories = sum(1 for _ in self.server.scan_iter(f"{self.key}:cluster:*", count=1000))
        return articles, stories

    def bulk_load(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("bulk loading is for the SQLite index (benchmarks, seeding)")

    def close(self) -> None:
        self.server.close()
