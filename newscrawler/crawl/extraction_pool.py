"""Article extraction shared with worker processes on the other CPU cores.

Why: extracting a 40 KB article page (lxml, selectors, hazm normalization) costs about as much
CPU as everything Scrapy itself does for the page, and CPython runs both on the one core of the
crawling process. When pages arrive faster than that core can take them (a fast mirror, a
backlog after a pause, ``make bench``), worker processes on other cores extract some of them.

How the work is shared: a page goes to a worker when one is ready and has fewer than
:data:`QUEUE_PER_WORKER` pages waiting; otherwise the crawling process extracts it itself, as it
would without workers. So a worker that is starting, busy or gone never holds a page back, and
the output does not depend on where a page was extracted (the same function runs on the same
text: :func:`~newscrawler.extraction.article.extract_html`).

When: the workers start only once the crawl has extracted ``NEWSCRAWLER_EXTRACT_POOL_RATE``
articles within one second in-process (``0``: with the crawl) *and* has at least
``NEWSCRAWLER_EXTRACT_POOL_WORK`` seconds of extraction ahead of it, queued and expected
(:mod:`newscrawler.crawl.pool_start`). A polite crawl of a real site (a page every half second
or so) never starts one, nor does a short one that would end before its worker is ready.
``NEWSCRAWLER_EXTRACT_WORKERS`` sets the number of workers (default: one per CPU core beyond the
first, at most :data:`MAX_AUTO_WORKERS`; ``0`` turns them off).

How: each worker is ``python -m newscrawler.crawl.extraction_worker``, fed through its stdin and
read from its stdout by the crawl's own asyncio event loop (see that module for the frames and for
why not :mod:`concurrent.futures`). Without Scrapy's asyncio reactor there are no workers.

Failure: a worker that dies (killed, out of memory) fails the pages it held; they are extracted
in-process, the workers are stopped for the rest of the crawl and a warning says so. Nothing is
lost. Workers ignore Ctrl-C (the crawl decides when to stop) and exit when their input closes
(as when the crawl process dies).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import pickle
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

from newscrawler.crawl.extraction_worker import FRAME
from newscrawler.crawl.pool_start import StartRule, queued_work
from newscrawler.extraction.article import extract_html
from newscrawler.items import Article
from newscrawler.sites.profile import SiteProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Pages waiting per worker before the crawling process extracts the next one itself, so it
#: does only when a worker is really behind (16 gave it 27 % of the pages with its worker a
#: quarter idle, 32 gave 11 % and a 13 % shorter crawl of the 1,000 irna bench articles).
QUEUE_PER_WORKER = 32
#: Workers when ``NEWSCRAWLER_EXTRACT_WORKERS`` is not set: the crawling process keeps a core.
MAX_AUTO_WORKERS = 4
#: How long closing waits for a worker to finish and say goodbye.
CLOSE_TIMEOUT = 30.0
#: Stats keys.
STAT_IN_PROCESS = "newscrawler/extract/in_process"
STAT_OFFLOADED = "newscrawler/extract/offloaded"
STAT_WORKER_RSS = "newscrawler/extract/worker_peak_rss_kib"
STAT_WORKER_CPU = "newscrawler/extract/worker_cpu_s"


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return max(0, min(MAX_AUTO_WORKERS, available_cores() - 1))


def worker_environment() -> dict[str, str]:
    """The crawl's environment, with its import path: the worker must import this very
    ``newscrawler``, also where the crawl found it on a path set up at run time (scrapyd runs a
    project from an egg it adds to ``sys.path``, which a child process would not see)."""
    # sys.path already holds PYTHONPATH's entries, ahead of the site packages
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}


def _asyncio_reactor() -> bool:
    """Whether Scrapy's asyncio reactor runs this crawl (no reactor yet, as in a spider built
    by a test, counts as no)."""
    from scrapy.utils.reactor import is_asyncio_reactor_installed

    try:
        return is_asyncio_reactor_installed()
    except RuntimeError:
        return False


class WorkerGone(RuntimeError):
    """The worker process ended before answering (killed, crashed, or its pipe broke)."""


class Worker:
    """One worker process and the pages it has been sent."""

    def __init__(
        self,
        process: asyncio.subprocess.Process,
        profile: SiteProfile,
        on_gone: Callable[[WorkerGone], None],
    ) -> None:
        self.process = process
        self.on_gone = on_gone
        self.started_at = time.monotonic()
        self.ready = False
        self.alive = True
        self.peak_rss_kib = 0
        self.cpu_s = 0.0
        self.waiting: dict[int, asyncio.Future[Article]] = {}
        self._tasks = itertools.count()
        self._send(profile)
        self.reader = asyncio.ensure_future(self._read())
        self.errors = asyncio.ensure_future(self._log_errors())

    def _send(self, message: Any) -> None:
        assert self.process.stdin is not None
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(FRAME.pack(len(payload)) + payload)

    async def extract(
        self, html: str, url: str, now: datetime | None, province_hint: str | None
    ) -> Article:
        task = next(self._tasks)
        future: asyncio.Future[Article] = asyncio.get_running_loop().create_future()
        self.waiting[task] = future
        # A write to a closed pipe is dropped silently: the reader fails the page (WorkerGone).
        self._send((task, html, url, now, province_hint))
        return await future

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        reason = "its output ended"
        closed = False
        try:
            while True:
                (size,) = FRAME.unpack(await stdout.readexactly(FRAME.size))
                message = pickle.loads(await stdout.readexactly(size))
                if message[0] == "ready":
                    self.ready = self.alive
                    logger.debug(
                        "extraction worker %d ready after %.2f s",
                        self.process.pid,
                        time.monotonic() - self.started_at,
                    )
                elif message[0] == "done":
                    self.peak_rss_kib, self.cpu_s = message[1], message[2]
                    closed = True
                    break
                else:
                    self._resolve(*message)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            status = self.process.returncode
            reason = f"its output ended ({type(error).__name__}" + (
                f", exit status {status})" if status is not None else ")"
            )
        except Exception as error:  # an answer that cannot be read: stop using this worker
            reason = f"its answer could not be read ({type(error).__name__}: {error})"
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        finally:
            self.alive = self.ready = False
            gone = WorkerGone(f"worker {self.process.pid} stopped: {reason}")
            for future in self.waiting.values():
                if not future.done():
                    future.set_exception(gone)
            self.waiting.clear()
            if not closed:
                self.on_gone(gone)

    def _resolve(self, task: int, ok: bool, value: Any) -> None:
        future = self.waiting.pop(task, None)
        if future is None or future.done():
            return
        if ok:
            future.set_result(value)
        elif isinstance(value, BaseException) and not isinstance(value, StopIteration):
            future.set_exception(value)
        else:  # a Future refuses StopIteration; in-process it would be a RuntimeError too
            future.set_exception(RuntimeError(f"{type(value).__name__}: {value}"))

    async def _log_errors(self) -> None:
        """The worker's stderr (a crash's traceback, a library's warning) into the crawl's log."""
        stderr = self.process.stderr
        if stderr is None:
            return
        with contextlib.suppress(Exception):
            async for line in stderr:
                text = line.decode("utf-8", "replace").rstrip()
                if text:
                    logger.warning("extraction worker %d: %s", self.process.pid, text)

    async def close(self) -> None:
        """Close its input, wait for its goodbye (its peak memory) and its exit."""
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(self.reader), CLOSE_TIMEOUT)
            await asyncio.wait_for(self.process.wait(), CLOSE_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.errors), CLOSE_TIMEOUT)


class ExtractionPool:
    """Extracts articles for one spider, in-process or on worker processes (module docstring)."""

    def __init__(
        self,
        profile: SiteProfile,
        *,
        workers: int,
        start_rate: int,
        start_work: float = 0.0,
        crawler: Crawler | None = None,
    ) -> None:
        self.profile = profile
        self.workers = workers
        self.start_rate = start_rate
        self.crawler = crawler  # for its stats and engine, which exist once the crawl starts
        self._pool: list[Worker] = []
        self._closing = False
        self._launching: asyncio.Future[None] | None = None
        self._off = workers <= 0
        self.rule = StartRule(start_rate, start_work, lambda: time.monotonic())

    @classmethod
    def from_crawler(cls, crawler: Crawler, profile: SiteProfile) -> Self:
        settings = crawler.settings
        workers = settings.get("NEWSCRAWLER_EXTRACT_WORKERS")
        count = default_workers() if workers in (None, "") else int(workers)
        if count and not _asyncio_reactor():
            logger.info("%s: no extraction workers without the asyncio reactor", profile.name)
            count = 0
        pool = cls(
            profile,
            workers=count,
            start_rate=settings.getint("NEWSCRAWLER_EXTRACT_POOL_RATE"),
            start_work=settings.getfloat("NEWSCRAWLER_EXTRACT_POOL_WORK"),
            crawler=crawler,
        )
        crawler.signals.connect(pool.open, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    @property
    def started(self) -> bool:
        return self._launching is not None

    @property
    def worker_pids(self) -> list[int]:
        return [worker.process.pid for worker in self._pool if worker.alive]

    async def extract(
        self,
        html: str,
        url: str,
        *,
        now: datetime | None,
        province_hint: str | None,
        source: bytes | None = None,
    ) -> Article:
        """The article on the page ``html`` from ``url`` (``source``: its bytes), here or on a
        worker (sent the text: the bytes spare only this process an encoding)."""
        worker = self._free_worker()
        if worker is not None:
            try:
                article = await worker.extract(html, url, now, province_hint)
            except WorkerGone as error:
                self._give_up(error)
            else:
                self._count(STAT_OFFLOADED)
                return article
        self._count(STAT_IN_PROCESS)
        started = time.thread_time()  # CPU, not wall: what a worker would take off this core
        try:
            return extract_html(
                html, url, self.profile, now=now, province_hint=province_hint, source=source
            )
        finally:
            self._note_in_process(time.thread_time() - started)

    def _free_worker(self) -> Worker | None:
        if self._off:
            return None
        ready = [w for w in self._pool if w.ready and len(w.waiting) < QUEUE_PER_WORKER]
        return min(ready, key=lambda w: len(w.waiting)) if ready else None

    def _note_in_process(self, seconds: float) -> None:
        """Start the workers when the crawl is extraction-bound with enough work ahead
        (:class:`~newscrawler.crawl.pool_start.StartRule`)."""
        if self._off or self.started:
            return
        if self.rule.note(seconds, queued_work(self.crawler)):
            self._start()

    def open(self) -> None:
        """With a start rate of 0, start the workers with the crawl."""
        if self.start_rate <= 0 and not self._off and not self.started:
            self._start()

    def _start(self) -> None:
        self._launching = asyncio.ensure_future(self._launch())

    async def _launch(self) -> None:
        for _ in range(self.workers):
            if self._off or self._closing:
                return
            process = None
            try:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "newscrawler.crawl.extraction_worker",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    env=worker_environment(),
                    # its own session: a terminal's Ctrl-C goes to the crawl, which decides
                    start_new_session=True,
                )
                self._pool.append(Worker(process, self.profile, self._give_up))
            except Exception as error:
                if process is not None and process.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                self._give_up(error)
                return
        why = (
            "with the crawl"
            if self.start_rate <= 0
            else f"pages arrive at {self.start_rate} or more a second, "
            f"{self.rule.work_ahead(queued_work(self.crawler)):.1f} s of extraction ahead"
        )
        logger.info(
            "%s: %s: extracting on %d worker process%s too",
            self.profile.name,
            why,
            self.workers,
            "" if self.workers == 1 else "es",
        )

    def _give_up(self, error: BaseException) -> None:
        if self._off:
            return
        self._off = True
        logger.warning(
            "%s: extraction worker failed (%s): extracting in the crawl process only",
            self.profile.name,
            error,
        )
        for worker in self._pool:
            worker.ready = False
            if worker.alive:
                with contextlib.suppress(ProcessLookupError):
                    worker.process.kill()

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    async def close(self) -> None:
        """Stop the workers (the scraper has finished every page by ``spider_closed``)."""
        self._closing = True
        if self._pool or self._launching is not None:
            await self._close()

    async def _close(self) -> None:
        if self._launching is not None:
            await asyncio.gather(self._launching, return_exceptions=True)  # stops at _closing
        pool, self._pool = self._pool, []
        if not pool:
            return
        await asyncio.gather(*(worker.close() for worker in pool), return_exceptions=True)
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value(
                STAT_WORKER_RSS, max(worker.peak_rss_kib for worker in pool)
            )
            self.crawler.stats.set_value(
                STAT_WORKER_CPU, round(sum(worker.cpu_s for worker in pool), 3)
            )
