"""Benchmark the syndication index: build, insert, query time and memory at 100 k and 1 M articles.

    python -m tools.bench.syndication                   # 100 000 and 1 000 000 articles
    python -m tools.bench.syndication --sizes 100000    # one size
    python -m tools.bench.syndication --keep DIR        # leave the SQLite files in DIR
    python -m tools.bench.syndication --json out.json   # the figures as JSON too

Articles are generated as MinHash signatures, not text (normalizing and hashing a million
bodies measures hazm and the hashing, not the index): a thousand "topics" whose articles share a
value with probability 0.2 per position (estimated similarity about 0.04 between two of them,
the level of two stories on one subject in the labelled pairs), so LSH has realistic stray
candidates to verify. The cost of a real signature is measured separately on the labelled
pairs' bodies.

For each size: the index is seeded with :meth:`SyndicationIndex.bulk_load` (band keys written in
key order), then a crawl is imitated with the pipeline's own calls: 2 000 new articles, half of
them copies of a random indexed article (each signature value kept with probability 0.7), each
looked up with :meth:`~SyndicationIndex.match`, added, and committed in runs of 500 (the default
``NEWSCRAWLER_FILE_MAX_ITEMS``). Reported: build time, commit time per article, query latency
(median and 99th percentile), copies found, the file size, and the process's resident memory.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from newscrawler.persian.normalize import normalize_text
from newscrawler.syndication.index import SyndicationIndex
from newscrawler.syndication.minhash import BANDS, NUM_PERM, ROWS, signature

PAIRS = Path(__file__).resolve().parents[2] / "tests/fixtures/_syndication/pairs.jsonl"
TOPICS = 1000
TOPIC_SHARE = 0.2
COPY_KEEP = 0.7
NEW_ARTICLES = 2000
RUN = 500
CHUNK = 250_000


def rss_mib() -> float:
    """Resident memory of this process now (not the peak)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(rng: np.random.Generator, topics: np.ndarray, count: int) -> np.ndarray:
    """``count`` signatures, each drawn around a random topic."""
    sigs = rng.integers(0, 1 << 16, size=(count, NUM_PERM), dtype=np.uint16)
    chosen = topics[rng.integers(0, len(topics), size=count)]
    shared = rng.random((count, NUM_PERM)) < TOPIC_SHARE
    sigs[shared] = chosen[shared]
    return sigs


def text_signature_cost() -> tuple[float, int]:
    """Milliseconds per body for :func:`signature` on the labelled pairs' bodies."""
    bodies = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        bodies += [normalize_text(pair["a"]) or "", normalize_text(pair["b"]) or ""]
    signature(bodies[0])  # warm up
    started = time.perf_counter()
    for body in bodies:
        signature(body)
    return (time.perf_counter() - started) / len(bodies) * 1000, len(bodies)


def bench(size: int, folder: Path, seed: int = 1405) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    topics = rng.integers(0, 1 << 16, size=(TOPICS, NUM_PERM), dtype=np.uint16)
    path = folder / f"syndication-{size}.sqlite"
    index = SyndicationIndex(path)
    started = time.perf_counter()
    kept = []  # a sample of indexed signatures to copy from later
    for start in range(0, size, CHUNK):
        count = min(CHUNK, size - start)
        sigs = generate(rng, topics, count)
        index.bulk_load([f"gen:{start + i}" for i in range(count)], ["gen"] * count, sigs)
        kept.append((start, sigs[rng.integers(0, count, size=NEW_ARTICLES // 2)]))
    build = time.perf_counter() - started
    build_rss = rss_mib()

    originals = np.vstack([sigs for _, sigs in kept])
    picks = rng.integers(0, len(originals), size=NEW_ARTICLES // 2)
    copies = originals[picks].copy()
    fresh = rng.integers(0, 1 << 16, size=copies.shape, dtype=np.uint16)
    replaced = rng.random(copies.shape) >= COPY_KEEP
    copies[replaced] = fresh[replaced]
    new = generate(rng, topics, NEW_ARTICLES // 2)
    batch = np.vstack([copies, new])
    is_copy = np.arange(NEW_ARTICLES) < NEW_ARTICLES // 2
    order = rng.permutation(NEW_ARTICLES)

    query_ms, commit_s, found, false_found = [], [], 0, 0
    for position, i in enumerate(order, 1):
        started = time.perf_counter()
        verdict = index.match(f"new:{i}", "new", "", precomputed=batch[i])
        query_ms.append((time.perf_counter() - started) * 1000)
        if verdict.duplicate_of is not None:
            found += bool(is_copy[i])
            false_found += not is_copy[i]
        index.add(verdict)
        if position % RUN == 0:
            started = time.perf_counter()
            index.commit()
            commit_s.append(time.perf_counter() - started)
    query_rss = rss_mib()
    articles, stories = index.counts()
    index.close()
    files = [path, path.with_name(path.name + "-wal")]
    return {
        "articles": size,
        "build_s": build,
        "build_rate": size / build,
        "commit_ms_per_article": statistics.mean(commit_s) / RUN * 1000,
        "commit_s_per_run": statistics.mean(commit_s),
        "query_ms_median": statistics.median(query_ms),
        "query_ms_p99": float(np.percentile(query_ms, 99)),
        "copies_found": found / int(is_copy.sum()),
        "false_copies": false_found,
        "indexed": articles,
        "stories": stories,
        "file_mib": sum(f.stat().st_size for f in files if f.exists()) / 2**20,
        "rss_after_build_mib": build_rss,
        "rss_while_querying_mib": query_rss,
        "peak_rss_mib": peak_rss_mib(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="write the indexes here and keep them")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    cost, bodies = text_signature_cost()
    print(
        f"index: MinHash {NUM_PERM} values (16 bits kept), LSH {BANDS} bands x {ROWS} rows; "
        f"signature of a real body: {cost:.2f} ms (mean of {bodies} bodies)"
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-syndication-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in args.sizes:
            r = bench(size, folder)
            rows.append(r)
            print(
                f"{r['articles']:>9,} articles: build {r['build_s']:.1f} s "
                f"({r['build_rate']:,.0f}/s, bulk), file {r['file_mib']:,.0f} MiB; "
                f"insert {r['commit_ms_per_article']:.2f} ms/article "
                f"({r['commit_s_per_run']:.2f} s per commit of {RUN}); "
                f"query median {r['query_ms_median']:.2f} ms, p99 {r['query_ms_p99']:.2f} ms; "
                f"copies found {r['copies_found']:.1%}, false copies {r['false_copies']}; "
                f"RSS {r['rss_after_build_mib']:,.0f} MiB after build, "
                f"{r['rss_while_querying_mib']:,.0f} MiB while querying "
                f"(peak {r['peak_rss_mib']:,.0f} MiB)",
                flush=True,
            )
            if not args.keep:
                for leftover in folder.glob(f"syndication-{size}.sqlite*"):
                    leftover.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        figures = {
            "num_perm": NUM_PERM,
            "bands": BANDS,
            "rows": ROWS,
            "signature_ms": cost,
            "signature_bodies": bodies,
            "new_articles": NEW_ARTICLES,
            "commit_run": RUN,
            "sizes": rows,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
