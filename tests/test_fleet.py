"""Distributed mode (issue 6): a fleet of ``scrapy crawl`` workers sharing one Redis.

A real ``redis-server`` on 127.0.0.1 and a free port, started and stopped here (installed with
apt-get when missing); no fake Redis. Three workers against the demo site deliver exactly what
one process delivers, each article once; a worker killed with SIGKILL loses nothing: the others
finish, and its restart (after ``fleet push --fresh``) reads back its renamed files, releases its
claims and fetches what it held in flight.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tools.demo.site import DemoSite

ROOT = Path(__file__).resolve().parent.parent
FAST = [
    *("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"),
    *("-s", "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"),  # the demo site is local
]
SITE = "irna"
ARGS = ("-a", "max_pages=30")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found is None:
        subprocess.run(["apt-get", "update"], check=True, capture_output=True, timeout=300)
        subprocess.run(
            ["apt-get", "install", "-y", "redis-server"],
            check=True,
            capture_output=True,
            timeout=300,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("redis-server") or "/usr/bin/redis-server"
    return found


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    import redis

    port = free_port()
    server = subprocess.Popen(
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def local_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "REDIS_URL"}


def crawl_command(base_url: str, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        *("-m", "scrapy", "crawl", SITE, "-a", f"base_url={base_url}", *ARGS, *FAST),
        *("-s", f"NEWSCRAWLER_OUTPUT_DIR={output}", *extra),
    ]


def worker(base_url: str, output: Path, url: str, *extra: str) -> subprocess.Popen[str]:
    output.mkdir(parents=True, exist_ok=True)
    fleet = ("-s", "NEWSCRAWLER_FLEET_IDLE_SECONDS=5", "-s", "NEWSCRAWLER_FLEET_POLL_SECONDS=0.2")
    command = crawl_command(base_url, output, "-s", f"REDIS_URL={url}", *fleet, *extra)
    with (output / "worker.log").open("w", encoding="utf-8") as log:
        return subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, env=local_env()
        )


def push(url: str, base_url: str, *extra: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newscrawler.fleet",
            "--redis-url",
            url,
            "push",
            SITE,
            "--base-url",
            base_url,
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "pushed" in result.stdout


def wait_opened(outputs: list[Path], timeout: float = 60) -> None:
    """Until every worker's engine is up (so each can take a share of a short crawl)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = [(o / "worker.log").read_text(encoding="utf-8") for o in outputs]
        if all("Spider opened" in log for log in logs):
            return
        time.sleep(0.05)
    raise AssertionError("a worker never opened its spider")


def records_on_disk(output: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted(output.glob(f"{SITE}/date=*/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def manifest_files(output: Path) -> set[str]:
    return {
        entry["path"]
        for path in (output / SITE / "_manifests").glob("*.json")
        for entry in json.loads(path.read_text(encoding="utf-8"))["files"]
    }


def finish(process: subprocess.Popen[str], output: Path, timeout: float = 120) -> None:
    try:
        code = process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0, (output / "worker.log").read_text(encoding="utf-8")[-3000:]


@pytest.fixture(scope="module")
def expected(demo: tuple[DemoSite, dict[str, str]], tmp_path_factory: Any) -> set[str]:
    """The article ids a single local process (no Redis) delivers."""
    output = tmp_path_factory.mktemp("single")
    result = subprocess.run(
        crawl_command(demo[1][SITE], output),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env=local_env(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    ids = {r["id"] for r in records_on_disk(output)}
    assert len(ids) >= 90
    return ids


# --- without Redis ---------------------------------------------------------------------------


def test_off_by_default_spiders_and_ledger_are_the_local_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scrapy.settings import Settings
    from scrapy.utils.misc import load_object

    from newscrawler import settings as project_settings
    from newscrawler.fleet.ledger import RedisLedger
    from newscrawler.fleet.loader import FleetSpiderLoader
    from newscrawler.spiders.profiled import IrnaSpider
    from newscrawler.state.ledger import Ledger

    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = Settings()
    settings.setmodule(project_settings)
    assert FleetSpiderLoader.from_settings(settings).load("irna") is IrnaSpider
    ledger_class = load_object(settings["NEWSCRAWLER_LEDGER_CLASS"])
    ledger = ledger_class.from_settings(settings, tmp_path / ".state", "irna", tmp_path / "irna")
    try:
        assert type(ledger) is Ledger
        assert not isinstance(ledger, RedisLedger)
    finally:
        ledger.close()
    settings.set("REDIS_URL", "redis://127.0.0.1:1/0")  # on: nothing connects yet
    worker_cls = FleetSpiderLoader.from_settings(settings).load("irna")
    assert issubclass(worker_cls, IrnaSpider)
    assert worker_cls is not IrnaSpider
    worker_cls.update_settings(settings)  # what a worker's crawler does with its settings
    assert load_object(settings["NEWSCRAWLER_LEDGER_CLASS"]) is RedisLedger


def test_a_crawl_outside_a_fleet_imports_no_redis_client() -> None:
    """What every crawl loads (the spider loader, a spider, the pipelines, extensions and
    middlewares its settings name) leaves redis-py and scrapy-redis unimported: 0.2 s of CPU
    at every start that only a fleet needs."""
    script = (
        "import os, sys\n"
        "os.environ.pop('REDIS_URL', None)\n"
        "from scrapy.utils.misc import load_object\n"
        "from scrapy.utils.project import get_project_settings\n"
        "from scrapy.spiderloader import get_spider_loader\n"
        "settings = get_project_settings()\n"
        "get_spider_loader(settings).load('irna')\n"
        "for key in ('ITEM_PIPELINES', 'EXTENSIONS', 'DOWNLOADER_MIDDLEWARES',\n"
        "            'SPIDER_MIDDLEWARES'):\n"
        "    for path in settings.getdict(key):\n"
        "        load_object(path)\n"
        "load_object(settings['NEWSCRAWLER_LEDGER_CLASS'])\n"
        "print(sorted(m for m in ('redis', 'scrapy_redis') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip() == "[]", done.stderr[-2000:]


def test_seeds_are_the_start_requests_of_a_local_run() -> None:
    from newscrawler.fleet.seeds import seeds
    from newscrawler.spiders.profiled import IrnaSpider

    base = "http://127.0.0.1:9"
    everything = seeds(IrnaSpider, base_url=base)
    assert {s["meta"]["callback"] for s in everything} >= {"parse_listing"}
    assert all(s["url"].startswith(base) for s in everything)
    (province,) = seeds(IrnaSpider, base_url=base, province="qazvin")
    assert province["meta"]["callback"] == "parse_listing"
    assert province["meta"]["cb_kwargs"] == {"page": 1}
    assert province["meta"]["province_hint"] == "qazvin"
    json.dumps(province)  # JSON, as pushed


# --- with a real redis-server ----------------------------------------------------------------


def record(article_id: str, body_hash: str, url: str) -> dict[str, Any]:
    news_id = article_id.split(":")[1]
    return {
        "id": article_id,
        "site": "irna",
        "news_id": news_id,
        "url": url,
        "canonical_url": url,
        "content_hash": body_hash,
        "version": 1,
    }


@pytest.mark.e2e
def test_claims_are_atomic_and_a_dead_workers_claims_are_recovered(
    redis_url: str, redis_client: Any, tmp_path: Path
) -> None:
    from newscrawler.fleet.ledger import RedisLedger
    from newscrawler.state.store import article_keys

    def open_worker(name: str, ttl: float = 60) -> RedisLedger:
        root = tmp_path / name
        return RedisLedger(
            root / ".state",
            "irna",
            root / "irna",
            redis_url,
            name,
            key_prefix="newscrawler",
            claim_ttl=ttl,
        )

    a, b = open_worker("a"), open_worker("b")
    first = record("irna:1", "h1", "http://x/1")
    assert a.claim(first) is None
    assert b.claim(first) == ("id:irna:1", "irna:1")  # held by a: b must not write it
    assert b.claim(record("irna:2", "h1", "http://x/2")) == ("body:h1", "irna:1")
    assert b.claim(record("irna:3", "h3", "http://x/3")) is None
    # a commits: the article becomes shared state, its claims go
    out = tmp_path / "a" / "irna" / "date=2026-01-01"
    out.mkdir(parents=True)
    (out / "r-0001.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    a.stage(first)
    a.commit(out / "r-0001.jsonl", "r")
    assert redis_client.get("newscrawler:claim:id:irna:1") is None
    assert b.state.article("irna:1") is not None
    assert b.known_request(article_keys(first)) is not None  # a request for it is known
    assert b.claim(record("irna:4", "h4", "http://x/1")) == ("url:http://x/1", "irna:1")
    # a dies holding a claim: it blocks b ...
    assert a.claim(record("irna:5", "h5", "http://x/5")) is None
    a.lock.release()  # the kernel's part of dying; the claim stays in Redis
    assert b.claim(record("irna:5", "h5", "http://x/5")) == ("id:irna:5", "irna:5")
    # ... until a restarts in its directory (same worker id) and recovers
    again = open_worker("a")
    report = again.reconcile()
    assert report["released_claims"] >= 1
    assert b.claim(record("irna:5", "h5", "http://x/5")) is None
    # a worker that never comes back: its claims expire
    c = open_worker("c", ttl=0.3)
    assert c.claim(record("irna:6", "h6", "http://x/6")) is None
    assert b.claim(record("irna:6", "h6", "http://x/6")) is not None
    time.sleep(0.4)
    assert b.claim(record("irna:6", "h6", "http://x/6")) is None
    for ledger in (again, b, c):
        ledger.close()


@pytest.mark.e2e
def test_fingerprints_expire_after_the_revisit_window(redis_url: str, redis_client: Any) -> None:
    import redis
    from scrapy import Request

    from newscrawler.fleet.dupefilter import ExpiringDupeFilter

    server = redis.Redis.from_url(redis_url)
    dupefilter = ExpiringDupeFilter(server, "newscrawler:irna:dupefilter", ttl=0.5)
    try:
        assert dupefilter.request_seen(Request("http://x/1")) is False
        assert dupefilter.request_seen(Request("http://x/1")) is True
        assert 0 < redis_client.ttl("newscrawler:irna:dupefilter") <= 1  # the key expires too
        time.sleep(0.6)
        assert dupefilter.request_seen(Request("http://x/1")) is False  # window passed
        dupefilter.TRIM_EVERY = 1
        time.sleep(0.6)
        dupefilter.request_seen(Request("http://x/2"))
        assert redis_client.zcard("newscrawler:irna:dupefilter") == 1  # x/1 trimmed
    finally:
        server.close()


@pytest.mark.e2e
def test_three_workers_deliver_what_one_process_does_each_article_once(
    demo: tuple[DemoSite, dict[str, str]],
    expected: set[str],
    redis_url: str,
    redis_client: Any,
    tmp_path: Path,
) -> None:
    base = demo[1][SITE]
    outputs = [tmp_path / f"w{i}" for i in (1, 2, 3)]
    # pages at most 20 a second per worker: without a delay, the first two workers to poll
    # could drain the 100 pages before the third asked (seen once: 0, 75, 25)
    paced = ("-s", "DOWNLOAD_DELAY=0.05")
    workers = [worker(base, output, redis_url, *paced) for output in outputs]
    try:
        wait_opened(outputs)
        push(redis_url, base)
    finally:
        for process, output in zip(workers, outputs, strict=True):
            finish(process, output)
    per_worker = [records_on_disk(output) for output in outputs]
    ids = Counter(r["id"] for records in per_worker for r in records)
    print(f"fleet of 3: {[len(r) for r in per_worker]} articles, {len(ids)} distinct")
    assert [i for i, n in ids.items() if n > 1] == []  # no article written twice
    assert set(ids) == expected
    assert all(records for records in per_worker)  # every worker wrote some
    for output in outputs:  # each worker's own manifests name each of its files
        on_disk = {p.relative_to(output).as_posix() for p in output.glob(f"{SITE}/date=*/*.jsonl")}
        assert manifest_files(output) == on_disk
    assert redis_client.keys("newscrawler:claim:*") == []  # every claim released
    assert redis_client.zcard(f"newscrawler:{SITE}:dupefilter") > 0


@pytest.mark.e2e
def test_a_killed_worker_loses_nothing_its_restart_picks_up_what_it_held(
    demo: tuple[DemoSite, dict[str, str]],
    expected: set[str],
    redis_url: str,
    redis_client: Any,
    tmp_path: Path,
) -> None:
    base = demo[1][SITE]
    outputs = [tmp_path / f"w{i}" for i in (1, 2, 3)]
    slow = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    small_files = ("-s", "NEWSCRAWLER_FILE_MAX_ITEMS=3")
    workers = [worker(base, output, redis_url, *slow, *small_files) for output in outputs]
    victim, victim_dir = workers[0], outputs[0]
    try:
        wait_opened(outputs)
        push(redis_url, base)
        deadline = time.monotonic() + 60
        # kill it with a committed file and articles claimed for its open .part file
        claims = f"newscrawler:claims:{victim_worker_id(victim_dir)}"
        while not (list(victim_dir.glob(f"{SITE}/date=*/*.jsonl")) and redis_client.scard(claims)):
            assert time.monotonic() < deadline, "the victim never committed a file"
            assert victim.poll() is None, "the victim finished before it could be killed"
            time.sleep(0.005)
        assert victim.poll() is None, "the victim finished before it could be killed"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        held = redis_client.smembers(claims)
    finally:
        for process, output in zip(workers[1:], outputs[1:], strict=True):
            finish(process, output)
        if victim.poll() is None:
            victim.kill()
            victim.wait()
    before = Counter(r["id"] for output in outputs for r in records_on_disk(output))
    assert [i for i, n in before.items() if n > 1] == []
    missing = expected - set(before)
    assert all(records_on_disk(output) for output in outputs[1:])  # the others did finish
    print(f"kill: {len(before)} delivered by the fleet, {len(missing)} held by the victim")
    # the restart of the dead worker, in its directory: a new round of seeds
    push(redis_url, base, "--fresh")
    restart = worker(base, victim_dir, redis_url)
    finish(restart, victim_dir)
    log = (victim_dir / "worker.log").read_text(encoding="utf-8")
    after = Counter(r["id"] for output in outputs for r in records_on_disk(output))
    assert [i for i, n in after.items() if n > 1] == []  # nothing twice
    assert set(after) == expected  # nothing lost
    assert not list(victim_dir.glob(f"{SITE}/date=*/*.jsonl.part"))
    on_disk = {
        p.relative_to(victim_dir).as_posix() for p in victim_dir.glob(f"{SITE}/date=*/*.jsonl")
    }
    assert manifest_files(victim_dir) == on_disk  # the killed run got a recovery manifest
    # The kill lands while claims are held in all but rare runs, where the victim commits and
    # releases them between the check and the signal; nothing may be lost either way.
    if held:
        assert "claim(s) an interrupted run of worker" in log  # ... until its restart
    assert redis_client.keys("newscrawler:claim:*") == []
    print(f"restart: {len(after) - len(before)} fetched again; {len(held)} stale claims released")


def victim_worker_id(output: Path) -> str:
    from newscrawler.fleet.config import worker_id

    return worker_id({}, output / ".state")


@pytest.mark.e2e
def test_workers_share_one_syndication_index(redis_url: str, redis_client: Any) -> None:
    """Worker B sees the story worker A delivered: its copy is marked, in the same cluster."""
    from newscrawler.syndication.redis_index import RedisSyndicationIndex

    pairs = [
        json.loads(line)
        for line in (ROOT / "tests/fixtures/_syndication/pairs.jsonl").read_text().splitlines()
    ]
    pair = next(p for p in pairs if p["label"] == "same" and p["kind"] == "republished")
    other = next(p for p in pairs if p["label"] != "same")
    worker_a = RedisSyndicationIndex(redis_url, "newscrawler")
    worker_b = RedisSyndicationIndex(redis_url, "newscrawler")
    try:
        first = worker_a.match(
            "irna:1", "irna", pair["a"], published_at="2024-05-18T10:00:00+03:30"
        )
        worker_a.add(first)
        assert worker_b.match("yjc:9", "yjc", pair["b"]).duplicate_of is None  # not committed yet
        assert worker_a.commit() == 1
        copy = worker_b.match("yjc:9", "yjc", pair["b"])
        assert copy.duplicate_of == "irna:1"
        assert copy.cluster_id == "irna:1"
        assert copy.source_agency == "IRNA"  # from the story's earliest member's site
        worker_b.add(copy)
        assert worker_b.commit() == 1
        unrelated = worker_b.match("yjc:10", "yjc", other["b"])
        assert unrelated.duplicate_of is None
        # both workers deliver the same article: one row, the first worker's
        again = worker_b.match("irna:1", "irna", pair["a"])
        assert again.known
        assert worker_a.counts() == (2, 1)
        assert (
            RedisSyndicationIndex(redis_url, "newscrawler")
            .match("isna:5", "isna", pair["b"])
            .cluster_id
            == "irna:1"
        )  # a worker started later sees it too
    finally:
        worker_a.close()
        worker_b.close()
