"""Extraction on worker processes (newscrawler/crawl/extraction_pool.py).

The same articles whether pages are extracted in the crawl process or by a worker; a worker
killed mid-crawl loses nothing; a crawl process killed with SIGKILL leaves no worker behind; the
pool starts only when pages come fast.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from newscrawler import settings
from newscrawler.crawl import extraction_pool as pool_module
from newscrawler.crawl import pool_start
from newscrawler.crawl.extraction_pool import ExtractionPool
from newscrawler.spiders.profiled import IrnaSpider
from tests.support.processes import ROOT, crawl, crawl_command, delivered, manifests, wait_for
from tools.bench.long import children
from tools.demo.server import DemoServer
from tools.demo.site import build_site

#: Workers from the start, and pages slow enough (30 articles ≥ 3 s) for a worker to be ready:
#: a spawned worker takes about a second to import what it needs.
POOL = [
    "-s",
    "NEWSCRAWLER_EXTRACT_WORKERS=1",
    "-s",
    "NEWSCRAWLER_EXTRACT_POOL_RATE=0",
    "-s",
    "DOWNLOAD_DELAY=0.1",
]
NO_POOL = ["-s", "NEWSCRAWLER_EXTRACT_WORKERS=0"]


class Urls(dict[str, str]):
    """The demo's URLs; a short repr (the site object behind them is huge)."""


@pytest.fixture(scope="module")
def urls() -> Iterator[Urls]:
    with DemoServer(build_site(articles=60)) as served:
        yield Urls(served)


def comparable(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in records}


@pytest.mark.e2e
def test_worker_extraction_gives_the_same_articles(urls: Urls, tmp_path: Path) -> None:
    here, there = tmp_path / "in-process", tmp_path / "pool"
    first = crawl("irna", urls["irna"], here, *NO_POOL)
    second = crawl("irna", urls["irna"], there, *POOL)
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]
    in_process = manifests(here, "irna")[-1]["extraction"]
    pooled = manifests(there, "irna")[-1]["extraction"]
    assert in_process == {"in_process": in_process["in_process"]}
    assert in_process["in_process"] > 20
    assert pooled.get("offloaded", 0) > 0, pooled
    assert "extracting on 1 worker process too" in second.stderr
    expected, got = comparable(delivered(here, "irna")), comparable(delivered(there, "irna"))
    assert len(expected) > 20
    assert got == expected


@pytest.mark.e2e
def test_a_killed_worker_loses_no_article(urls: Urls, tmp_path: Path) -> None:
    reference = crawl("irna", urls["irna"], tmp_path / "reference", *NO_POOL)
    assert reference.returncode == 0, reference.stderr[-2000:]
    # -s EXTENSIONS replaces the project's dict: keep its extensions (the run manifest) in it
    killer = json.dumps({**settings.EXTENSIONS, "tests.support.pool_killer.KillPoolWorkers": 0})
    result = crawl(
        "irna",
        urls["irna"],
        tmp_path / "killed",
        *POOL,
        "-s",
        f"EXTENSIONS={killer}",
        "-s",
        "KILL_POOL_WORKERS_AFTER=3",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "'test/pool_workers_killed': 1" in result.stderr
    assert "extraction worker failed" in result.stderr
    records = delivered(tmp_path / "killed", "irna")
    assert len(records) == len({r["id"] for r in records})  # nothing twice
    expected = comparable(delivered(tmp_path / "reference", "irna"))
    assert comparable(records) == expected  # nothing lost


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_no_worker_outlives_a_killed_crawl(tmp_path: Path) -> None:
    # a slow site (one page at a time, a delay) so that the crawl is still running when killed
    with DemoServer(build_site(articles=200)) as served:
        command = crawl_command(
            "irna",
            served["irna"],
            tmp_path / "out",
            *POOL,
            "-s",
            "CONCURRENT_REQUESTS=2",
        )
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            assert wait_for(lambda: children(process.pid), timeout=60), "no worker started"
            workers = children(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            assert wait_for(lambda: not any(_alive(pid) for pid in workers), timeout=15), (
                "a worker outlived its crawl"
            )
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


# The start rule, without processes -----------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _pool(
    monkeypatch: pytest.MonkeyPatch, workers: int, rate: int, work: float = 0.0, queued: int = 0
) -> tuple[ExtractionPool, _Clock]:
    """A pool whose start is recorded, not run; ``queued``: pages and requests behind each
    page (what the crawl's engine would show)."""
    clock = _Clock()
    monkeypatch.setattr(pool_module.time, "monotonic", clock)
    monkeypatch.setattr(pool_module, "queued_work", lambda crawler: queued)
    pool = ExtractionPool(IrnaSpider.profile, workers=workers, start_rate=rate, start_work=work)
    monkeypatch.setattr(pool, "_start", lambda: setattr(pool, "_launching", object()))
    return pool, clock


def test_the_pool_starts_when_articles_come_at_the_start_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool, clock = _pool(monkeypatch, workers=1, rate=10)
    for _ in range(9):
        pool._note_in_process(0.01)
        clock.now += 0.1
    assert not pool.started  # 9 articles: not yet 10 within a second
    pool._note_in_process(0.01)
    assert pool.started  # the 10th, 0.9 s after the first


def test_a_steady_crawl_below_the_rate_never_starts_the_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool, clock = _pool(monkeypatch, workers=1, rate=10, work=1.5, queued=100)
    for _ in range(1000):
        pool._note_in_process(0.01)
        clock.now += 0.125  # 8 a second, for two minutes
    assert not pool.started


def test_a_polite_crawl_never_starts_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    pool, clock = _pool(monkeypatch, workers=1, rate=10, work=1.5, queued=100)
    for _ in range(500):
        pool._note_in_process(0.01)
        clock.now += 0.5  # a page every half second
    assert not pool.started


def test_no_pool_without_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    pool, _clock = _pool(monkeypatch, workers=0, rate=1)
    for _ in range(50):
        pool._note_in_process(0.01)
    assert not pool.started


def test_a_short_fast_crawl_never_starts_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """40 articles at 100 a second (the bench's N=200, one source of 5): 0.4 s of extraction
    in all, less than a worker's start-up, whatever the queue showed (all 40 queued at once)."""
    pool, clock = _pool(monkeypatch, workers=1, rate=10, work=1.5)
    for left in range(39, -1, -1):
        monkeypatch.setattr(pool_module, "queued_work", lambda crawler, left=left: left)
        pool._note_in_process(0.01)
        clock.now += 0.01
    assert not pool.started


def test_a_long_fast_crawl_starts_the_pool_once_its_work_pays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages at 100 a second with 30 queued behind each (a bench crawl's steady state): the
    pool starts when extraction so far plus the queue reaches 1.5 s, not at the 10th page."""
    pool, clock = _pool(monkeypatch, workers=1, rate=10, work=1.5, queued=30)
    pages = 0
    while not pool.started and pages < 1000:
        pool._note_in_process(0.01)
        clock.now += 0.01
        pages += 1
    # 0.01 s a page: pages × 0.01 + 30 × 0.01 ≥ 1.5 from about the 120th page on
    assert 119 <= pages <= 121


def test_a_draining_crawl_does_not_start_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """However long the crawl has run, nothing left queued is no work ahead."""
    pool, clock = _pool(monkeypatch, workers=1, rate=10, work=1.5, queued=0)
    for _ in range(1000):
        pool._note_in_process(0.01)
        clock.now += 0.01
    assert not pool.started
    assert pool.rule.work_ahead(0) == 0.0
    assert pool.rule.work_ahead(10) == pytest.approx(10 * 0.01 + 10.0)


def test_the_queue_is_read_from_the_engine() -> None:
    engine = SimpleNamespace(
        scheduler=[0] * 7,
        downloader=SimpleNamespace(active={1, 2, 3, 4}),
        # the page being extracted is one of the scraper's active ones
        scraper=SimpleNamespace(slot=SimpleNamespace(queue=[1, 2, 3], active={1, 2})),
    )
    crawler: Any = SimpleNamespace(engine=engine)
    assert pool_start.queued_work(crawler) == 7 + 4 + 3 + 1
    assert pool_start.queued_work(None) == 0


def test_default_workers_leave_the_crawl_process_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    for cores, expected in ((1, 0), (2, 1), (3, 2), (16, pool_module.MAX_AUTO_WORKERS)):
        monkeypatch.setattr(pool_module, "available_cores", lambda cores=cores: cores)
        assert pool_module.default_workers() == expected


def test_a_worker_imports_what_the_crawl_imports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """scrapyd runs a project from an egg it puts on ``sys.path`` at run time: the worker must
    see it too."""
    (tmp_path / "only_on_the_crawls_path.py").write_text("NAME = 'found'\n")
    probe = [sys.executable, "-c", "import only_on_the_crawls_path as m; print(m.NAME)"]
    plain = subprocess.run(probe, capture_output=True, text=True, check=False, cwd="/")
    assert plain.returncode != 0  # not importable from a plain child
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    child = subprocess.run(
        probe,
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
        env=pool_module.worker_environment(),
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "found"


# Edge cases found in review ----------------------------------------------------------------


def test_an_error_a_future_refuses_does_not_hang_the_page() -> None:
    """``Future.set_exception(StopIteration())`` raises; the page must still get its error."""
    import asyncio

    from newscrawler.crawl.extraction_pool import Worker

    async def scenario() -> BaseException | None:
        worker = Worker.__new__(Worker)
        future = asyncio.get_running_loop().create_future()
        worker.waiting = {7: future}
        worker._resolve(7, False, StopIteration("from a generator"))
        worker._resolve(8, True, "an answer nobody waits for")  # ignored, no KeyError
        return future.exception()

    error = asyncio.run(scenario())
    assert isinstance(error, RuntimeError)
    assert "StopIteration" in str(error)


class _NeedsTwoArguments(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")


def test_worker_errors_reach_the_crawl_as_exceptions_it_can_raise() -> None:
    import pickle

    from lxml import etree

    from newscrawler.crawl.extraction_worker import portable

    plain = portable(ValueError("bad date"))
    assert type(plain) is ValueError
    assert any("in extraction worker" in note for note in plain.__notes__)
    try:
        etree.fromstring("<unclosed")
    except etree.XMLSyntaxError as error:
        lxml_error = portable(error)
    for sent in (portable(_NeedsTwoArguments("https://x.ir/1", "odd")), lxml_error):
        received = pickle.loads(pickle.dumps(sent))  # what the crawl process reads
        assert isinstance(received, RuntimeError)
    assert "_NeedsTwoArguments: https://x.ir/1: odd" in str(
        portable(_NeedsTwoArguments("https://x.ir/1", "odd"))
    )


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_closing_while_workers_start_leaves_none_running() -> None:
    import asyncio

    async def scenario() -> tuple[list[int], list[int]]:
        pool = ExtractionPool(IrnaSpider.profile, workers=2, start_rate=0)
        pool.open()  # starts launching
        await asyncio.sleep(0)  # _launch has begun spawning
        pool._closing = True
        await pool._close()
        return pool.worker_pids, children(os.getpid())

    pids, left = asyncio.run(scenario())
    assert pids == []
    assert [pid for pid in left if _alive(pid)] == []
