"""Article extraction shared with worker processes on the other CPU cores.

Why: extracting a 40 KB article page (lxml, selectors, hazm normalization) costs about as much
CPU as everything Scrapy itself does for the page, and CPython runs both on the one core of the
crawling process. When pages arrive faster than that core can take them (a fast mirror, a
backlog after a pause, ``make bench``), a worker process on another core extracts some of them.

How the work is shared: a page goes to the pool when the pool is ready and has fewer than
:data:`QUEUE_PER_WORKER` pages per worker waiting; otherwise the crawling process extracts it
itself, as it would without a pool. So a pool that is starting, busy or gone never holds a page
back, and the output does not depend on where a page was extracted (the same function runs on
the same text: :func:`~newscrawler.extraction.article.extract_html`).

When: the pool starts only once the crawl has extracted ``NEWSCRAWLER_EXTRACT_POOL_RATE``
articles within one second in-process (``0``: with the crawl). A polite crawl of a real site (a
page every half second or so) never starts one and pays nothing for it.
``NEWSCRAWLER_EXTRACT_WORKERS`` sets the number of workers (default: one per CPU core beyond the
first, at most :data:`MAX_AUTO_WORKERS`; ``0`` turns the pool off).

Failure: a worker that dies (killed, out of memory) breaks the pool; its pages are extracted
in-process, the pool is switched off for the rest of the crawl and a warning says so. Nothing is
lost. Workers are started with ``spawn`` (forking a process that runs a reactor and its threads
is unsafe), ignore Ctrl-C (the crawl decides when to stop) and exit when the crawl process dies.
"""

from __future__ import annotations

import collections
import concurrent.futures
import gc
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from newscrawler.extraction.article import extract_html
from newscrawler.items import Article
from newscrawler.profiles import SiteProfile

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Pages waiting per worker before the crawling process extracts the next one itself: enough to
#: keep a worker busy between two reactor turns, few enough that no page waits long.
QUEUE_PER_WORKER = 16
#: Workers when ``NEWSCRAWLER_EXTRACT_WORKERS`` is not set: the crawling process keeps a core.
MAX_AUTO_WORKERS = 4
#: Stats keys.
STAT_IN_PROCESS = "newscrawler/extract/in_process"
STAT_OFFLOADED = "newscrawler/extract/offloaded"
STAT_WORKER_RSS = "newscrawler/extract/worker_peak_rss_kib"


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return max(0, min(MAX_AUTO_WORKERS, available_cores() - 1))


# In the worker process ------------------------------------------------------------------------

_PROFILE: SiteProfile | None = None


def _exit_with(parent: int) -> None:
    """Leave when the crawl process is gone (SIGKILL gives it no chance to stop the pool)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _start_worker(profile: SiteProfile, parent: int) -> None:
    global _PROFILE
    _PROFILE = profile
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    extract_html("<html><body><p>آغاز</p></body></html>", profile.base_url + "/", profile)
    gc.freeze()  # what start-up loaded is never garbage: keep the collector off it


def _extract(html: str, url: str, now: datetime | None, province_hint: str | None) -> Article:
    assert _PROFILE is not None, "worker started without a profile"
    return extract_html(html, url, _PROFILE, now=now, province_hint=province_hint)


def _peak_rss_kib() -> int:
    """This worker's peak resident memory: the kernel's high-water mark of its address space
    (``ru_maxrss`` would also count the crawl process's, inherited through fork before exec)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# In the crawling process ----------------------------------------------------------------------


class ExtractionPool:
    """Extracts articles for one spider, in-process or on worker processes (module docstring)."""

    def __init__(
        self,
        profile: SiteProfile,
        *,
        workers: int,
        start_rate: int,
        crawler: Crawler | None = None,
    ) -> None:
        self.profile = profile
        self.workers = workers
        self.start_rate = start_rate
        self.crawler = crawler  # for its stats, which exist once the crawl starts
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._ready = False
        self._off = workers <= 0
        self._waiting = 0
        self._recent: collections.deque[float] = collections.deque(maxlen=max(1, start_rate))

    @classmethod
    def from_crawler(cls, crawler: Crawler, profile: SiteProfile) -> Self:
        settings = crawler.settings
        workers = settings.get("NEWSCRAWLER_EXTRACT_WORKERS")
        pool = cls(
            profile,
            workers=default_workers() if workers in (None, "") else int(workers),
            start_rate=settings.getint("NEWSCRAWLER_EXTRACT_POOL_RATE", 10),
            crawler=crawler,
        )
        crawler.signals.connect(pool.open, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def open(self) -> None:
        """With a start rate of 0, start the workers with the crawl."""
        if self.start_rate <= 0 and not self._off and self._executor is None:
            self._start()

    @property
    def started(self) -> bool:
        return self._executor is not None

    async def extract(
        self, html: str, url: str, *, now: datetime | None, province_hint: str | None
    ) -> Article:
        """The article on the page ``html`` fetched from ``url``, extracted here or by a worker."""
        if self._ready and self._waiting < self.workers * QUEUE_PER_WORKER:
            try:
                article = await self._on_worker(html, url, now, province_hint)
            except BrokenProcessPool as error:
                self._give_up(error)
            else:
                self._count(STAT_OFFLOADED)
                return article
        self._count(STAT_IN_PROCESS)
        self._note_in_process()
        return extract_html(html, url, self.profile, now=now, province_hint=province_hint)

    async def _on_worker(
        self, html: str, url: str, now: datetime | None, province_hint: str | None
    ) -> Article:
        assert self._executor is not None
        self._waiting += 1
        try:
            future = self._executor.submit(_extract, html, url, now, province_hint)
            result: Article = await maybe_deferred_to_future(_deferred(future))
            return result
        finally:
            self._waiting -= 1

    def _note_in_process(self) -> None:
        """Start the pool when in-process extraction runs at ``start_rate`` articles a second."""
        if self._off or self._executor is not None:
            return
        now = time.monotonic()
        self._recent.append(now)
        if len(self._recent) == self._recent.maxlen and now - self._recent[0] <= 1.0:
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        try:
            self._executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.profile, os.getpid()),
            )
            ready = [self._executor.submit(os.getpid) for _ in range(self.workers)]
        except (OSError, RuntimeError) as error:
            self._give_up(error)
            return
        logger.info(
            "%s: pages arrive at %d or more a second: extracting on %d worker process%s too",
            self.profile.name,
            self.start_rate,
            self.workers,
            "" if self.workers == 1 else "es",
        )
        remaining = [len(ready)]

        def one_ready(future: concurrent.futures.Future[int]) -> None:
            remaining[0] -= 1
            if future.exception() is None and remaining[0] == 0 and self._executor is not None:
                self._ready = True

        for future in ready:
            _in_reactor(future, one_ready)

    def _give_up(self, error: BaseException) -> None:
        if self._off:
            return
        self._off, self._ready = True, False
        logger.warning(
            "%s: extraction worker pool failed (%s): extracting in the crawl process only",
            self.profile.name,
            error or type(error).__name__,
        )
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def close(self) -> None:
        """Stop the workers (the scraper has finished every page by ``spider_closed``)."""
        executor, self._executor, self._ready = self._executor, None, False
        if executor is None:
            return
        if not self._off:
            try:
                peaks = [executor.submit(_peak_rss_kib) for _ in range(self.workers)]
                peak = max(f.result(timeout=10) for f in peaks)
            except (BrokenProcessPool, concurrent.futures.TimeoutError, OSError):
                peak = 0
            if peak and self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.set_value(STAT_WORKER_RSS, peak)
        executor.shutdown(wait=True, cancel_futures=True)


def _in_reactor(
    future: concurrent.futures.Future[Any], call: Callable[[concurrent.futures.Future[Any]], None]
) -> None:
    """``call(future)`` in the reactor thread once ``future`` is done (pool futures complete in
    the executor's own thread)."""
    from twisted.internet import reactor

    future.add_done_callback(lambda done: reactor.callFromThread(call, done))  # type: ignore[attr-defined]


def _deferred(future: concurrent.futures.Future[Any]) -> Deferred[Any]:
    """A Deferred fired in the reactor thread with the outcome of a pool ``future``."""
    deferred: Deferred[Any] = Deferred()

    def fire(done: concurrent.futures.Future[Any]) -> None:
        if done.cancelled():
            deferred.errback(concurrent.futures.CancelledError())
        elif (error := done.exception()) is not None:
            deferred.errback(error)
        else:
            deferred.callback(done.result())

    _in_reactor(future, fire)
    return deferred
