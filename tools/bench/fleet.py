"""Throughput of a fleet of 1, 2, 3 … workers against the local demo site (docs/fleet.md).

    python -m tools.bench.fleet [--workers 1,2,3] [--articles 1500] [--site cafekhabarqazvin]

Starts a ``redis-server`` on a free port (``--save '' --appendonly no``) and the demo site, then
for each fleet size: clears Redis, starts N ``scrapy crawl`` workers (one output directory
each), waits until all are up, pushes the site's seeds and waits for all to close. Pages/s is
every response of every worker divided by the time from the push to the close of the last
worker, minus the idle time after which workers close (``NEWSCRAWLER_FLEET_IDLE_SECONDS``).
Delays and AutoThrottle are off: this measures what the machine can process, not politeness.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from tools.demo.server import DemoServer
from tools.demo.site import build_site

ROOT = Path(__file__).resolve().parents[2]
IDLE = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_fleet(n: int, site: str, base: str, url: str, work: Path) -> dict[str, float]:
    client = redis.Redis.from_url(url)
    client.flushdb()
    outputs = [work / f"fleet{n}" / f"w{i}" for i in range(1, n + 1)]
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    workers = []
    for output in outputs:
        output.mkdir(parents=True)
        command = [sys.executable, "-m", "scrapy", "crawl", site, "-a", f"base_url={base}"]
        command += [
            "-a",
            "max_pages=1000",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1",
            "-s",
            "DOWNLOAD_DELAY=0",
        ]
        command += ["-s", f"NEWSCRAWLER_OUTPUT_DIR={output}", "-s", f"REDIS_URL={url}"]
        command += ["-s", f"NEWSCRAWLER_FLEET_IDLE_SECONDS={IDLE}"]
        command += ["-s", "NEWSCRAWLER_FLEET_POLL_SECONDS=0.2", "-s", "LOG_LEVEL=INFO"]
        with (output / "worker.log").open("w") as log:
            workers.append(
                subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
            )
    while not all("Spider opened" in (o / "worker.log").read_text() for o in outputs):
        time.sleep(0.05)
    push = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawler.fleet",
            "--redis-url",
            url,
            "push",
            site,
            "--base-url",
            base,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert push.returncode == 0
    started = time.monotonic()
    for worker in workers:
        worker.wait()
    elapsed = time.monotonic() - started - IDLE
    responses = articles = 0
    for output in outputs:
        for manifest in (output / site / "_manifests").glob("*.json"):
            data = json.loads(manifest.read_text())
            responses += data.get("responses", 0)
            articles += data.get("articles_written", 0)
    client.close()
    return {"responses": responses, "articles": articles, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--site", default="cafekhabarqazvin")
    parser.add_argument("--keep", help="work in this directory (worker logs, output)")
    args = parser.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: apt-get install -y redis-server")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        time.sleep(0.5)
        with (
            DemoServer(build_site(articles=args.articles)) as urls,
            tempfile.TemporaryDirectory() as scratch,
        ):
            rows = []
            for n in (int(x) for x in args.workers.split(",")):
                work = Path(args.keep or scratch)
                result = run_fleet(n, args.site, urls[args.site], url, work)
                print(f"{n} worker(s): {result}", file=sys.stderr)
                rows.append((n, result))
            base_rate = None
            print(f"{os.cpu_count()} CPU(s); site {args.site}, {args.articles} demo articles")
            print("| workers | pages | articles | seconds | pages/s | speed-up |")
            print("|---|---|---|---|---|---|")
            for n, r in rows:
                rate = r["responses"] / r["seconds"]
                base_rate = base_rate or rate
                print(
                    f"| {n} | {r['responses']:.0f} | {r['articles']:.0f} | {r['seconds']:.1f} "
                    f"| {rate:.1f} | {rate / base_rate:.2f}× |"
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
