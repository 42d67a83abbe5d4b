"""How the crawl state scales: start-up time, memory and lookup cost with N known articles.

    python -m tools.bench.state 1000000 10000000    # sizes (default: 1 M and 10 M)
    python -m tools.bench.state 1000000 --dir /tmp/x --json x.json --discard

For each size a state file is generated once under ``output/bench/state-<N>/`` (``--dir``; kept
for the next run unless ``--discard``: 10 M articles are ~3 GB), then a fresh process opens it
the way a crawl does (lock, open, crash recovery over an output folder) and looks up 20,000
request URLs, half known and half not. Prints a table and writes ``output/bench/state.json``
(``--json``). ``make bench`` runs it (``python -m tools.bench --scale``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "output" / "bench"
SITE = "benchsite"
BATCH = 200_000


def generate(root: Path, n: int) -> float:
    """Write a state file of ``n`` articles (each with an id key and a URL key)."""
    from newscrawler.state.ledger import Ledger

    path = root / f"{SITE}.sqlite"
    if path.exists():
        return 0.0
    started = time.perf_counter()
    Ledger(root, SITE, root / "out").close()  # creates the tables exactly as a crawl does
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    now = "2026-11-26T00:00:00+00:00"
    for start in range(0, n, BATCH):
        ids = range(start, min(n, start + BATCH))
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, 1, ?, ?, ?, NULL)",
            (
                (
                    f"{SITE}:{i}",
                    str(i),
                    f"https://bench.example/news/{i}",
                    f"{i:064x}",
                    now,
                    now,
                    "2025-01-01T00:00:00+03:30",
                )
                for i in ids
            ),
        )
        db.executemany(
            "INSERT INTO keys VALUES (?, ?)",
            (
                (key, f"{SITE}:{i}")
                for i in ids
                for key in (f"id:{i}", f"url:https://bench.example/news/{i}")
            ),
        )
        db.commit()
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return time.perf_counter() - started


def measure(root: Path, n: int) -> dict[str, float]:
    """Run in a fresh process: open like a crawl, then look up request URLs."""
    from newscrawler.state.ledger import Ledger

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    ledger = Ledger(root, SITE, root / "out")
    ledger.reconcile()
    opened = time.perf_counter() - started
    rng = random.Random(7)
    urls = [rng.randrange(n) for _ in range(10_000)] + [n + i for i in range(10_000)]
    rng.shuffle(urls)
    started = time.perf_counter()
    hits = sum(
        ledger.known_request([f"id:{i}", f"url:https://bench.example/news/{i}"]) is not None
        for i in urls
    )
    lookups = time.perf_counter() - started
    ledger.close()
    assert hits == 10_000, hits
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "startup_s": round(opened, 4),
        "lookup_us": round(lookups / len(urls) * 1e6, 1),
        "rss_mib": round(rss / 1024, 1),
        "rss_growth_mib": round((rss - rss_before) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "sizes", type=int, nargs="*", default=[1_000_000, 10_000_000], help="known articles"
    )
    parser.add_argument("--dir", type=Path, default=OUT, help="where the state-<N>/ folders go")
    parser.add_argument("--json", type=Path, help="write the rows here (default DIR/state.json)")
    parser.add_argument(
        "--discard", action="store_true", help="remove each generated state once measured"
    )
    args = parser.parse_args(argv)
    folder: Path = args.dir
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        root = folder / f"state-{n}"
        root.mkdir(parents=True, exist_ok=True)
        print(f"state of {n:,} articles …", flush=True)
        try:
            made = generate(root, n)
            probe = subprocess.run(
                [sys.executable, "-m", "tools.bench.state", "--measure", str(root), str(n)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(probe.stdout)
            size = (root / f"{SITE}.sqlite").stat().st_size / 2**20
        finally:
            if args.discard:
                shutil.rmtree(root, ignore_errors=True)
        rows.append(
            {"articles": n, "file_mib": round(size), "generate_s": round(made, 1), **figures}
        )
    print(
        f"{'articles':>10} {'file MiB':>9} {'start-up s':>11} {'lookup µs':>10} "
        f"{'peak RSS MiB':>13} {'RSS growth MiB':>15}"
    )
    for r in rows:
        print(
            f"{r['articles']:>10,} {r['file_mib']:>9,} {r['startup_s']:>11} "
            f"{r['lookup_us']:>10} {r['rss_mib']:>13} {r['rss_growth_mib']:>15}"
        )
    path: Path = args.json or folder / "state.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]))))
        raise SystemExit(0)
    raise SystemExit(main())
