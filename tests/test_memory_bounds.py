"""What a long crawl keeps per article stays bounded (issue 16): counted in entries, not timed.

Each test runs far more articles through a structure than its in-memory bound and checks both
the bound and that the answers are those of the unbounded structure it replaced.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from newscrawler.state.claims import RunKeys
from newscrawler.state.ledger import Ledger
from newscrawler.syndication.index import CommittedRefs, SyndicationIndex
from newscrawler.syndication.minhash import NUM_PERM
from tests.support.crawl import state_record

SITE = "irna"
record = state_record


def test_run_keys_answer_as_a_dict_with_a_bounded_dict() -> None:
    keys, reference = RunKeys(), dict[str, str]()
    rng = random.Random(16)
    try:
        for n in range(20_000):
            batch = [f"url:{rng.randrange(30_000)}", f"body:{rng.randrange(30_000)}"]
            assert keys.holders(batch) == {k: reference[k] for k in batch if k in reference}
            keys.hold(batch, f"a:{n}")
            reference.update(dict.fromkeys(batch, f"a:{n}"))
            assert len(keys._recent) < RunKeys.SPILL_AT
        everything = sorted(reference)
        for start in range(0, len(everything), 500):
            chunk = everything[start : start + 500]
            assert keys.holders(chunk) == {key: reference[key] for key in chunk}
    finally:
        keys.close()


def test_the_ledger_finds_duplicates_claimed_long_before(tmp_path: Path) -> None:
    """10,000 articles claimed: memory holds fewer than SPILL_AT keys, and an article's news id,
    URL and body claimed thousands of articles earlier still conflict, in the same order."""
    ledger = Ledger(tmp_path / "state", SITE, tmp_path / "out" / SITE)
    try:
        for n in range(10_000):
            assert ledger.claim(record(n)) is None
        assert len(ledger._claimed._recent) < RunKeys.SPILL_AT
        assert ledger.claim(record(7)) == (f"id:{SITE}:7", "irna:7")  # a second version
        same_url = record(10_001, canonical_url="https://irna.ir/news/8", content_hash="f" * 64)
        assert ledger.claim(same_url) == ("url:https://irna.ir/news/8", "irna:8")
        url_first = record(10_002, canonical_url="https://irna.ir/news/9", content_hash=f"{5:064x}")
        assert ledger.claim(url_first) == ("url:https://irna.ir/news/9", "irna:9")
        same_body = record(10_003, canonical_url=None, content_hash=f"{5:064x}")
        assert ledger.claim(same_body) == (f"body:{5:064x}", "irna:5")
        # the same article again under its own keys is no duplicate of itself (no news id)
        assert ledger.claim(record(11, news_id=None)) is None
    finally:
        ledger.close()


def test_committed_refs_resolve_as_a_dict() -> None:
    refs, reference = CommittedRefs(), dict[int, int]()
    doc = 0
    for start in range(-1, -20_001, -500):
        batch = {}
        for ref in range(start, start - 500, -1):
            if ref % 7:  # some pending refs were discarded, never committed
                doc += 1
                batch[ref] = doc
        refs.update(batch)
        reference.update(batch)
    for ref in [*range(-20_100, 0), 1, 5, 10**6]:
        assert refs.get(ref, ref) == reference.get(ref, ref)
    assert len(refs) == len(reference)
    assert refs._docs.itemsize * len(refs._docs) <= 8 * 20_000  # 8 bytes an article


def test_the_syndication_index_keeps_nothing_per_committed_article(tmp_path: Path) -> None:
    """5,000 articles matched, added and committed in files of 500: what stays in memory is
    the pending articles of the open file and 8 bytes a committed one."""
    index = SyndicationIndex(tmp_path / "syndication.sqlite")
    rng = np.random.default_rng(16)
    try:
        for n in range(5_000):
            sig = rng.integers(0, 1 << 16, NUM_PERM, dtype=np.uint16)
            index.add(index.match(f"irna:{n}", SITE, "", precomputed=sig))
            if (n + 1) % 500 == 0:
                index.commit()
        assert not index.pending
        assert not index._pending_ids
        assert not index._pending_bands
        assert len(index._resolved) == 5_000
        assert index.counts()[0] == 5_000
        cache_kib = -index._db.execute("PRAGMA cache_size").fetchone()[0]
        assert cache_kib <= 8 * 1024  # SQLite's page cache, bounded whatever the index size
    finally:
        index.close()
