"""When a crawl starts its extraction workers: once it is extraction-bound *and* has enough
extraction work ahead to pay for a worker.

Why both: a worker costs its start-up (CPU before its first page: Python, lxml, hazm's lexicon;
0.74–0.83 s, 1.4–2.5 s of wall time on a loaded 2-core machine, and 0.46–0.52 s once the lexicon's
codes were cached) and 47–48 MiB for the rest of the crawl. Pages arriving fast (the rate rule,
``NEWSCRAWLER_EXTRACT_POOL_RATE`` articles within one second) say the crawl process is the
bottleneck, not how much is left: a crawl of 40 articles reaches 10 a second in its first burst and
then ends before the worker is ready, paying 1.8× its memory for nothing (issue 16: 0.35× bare
Scrapy's throughput at N=200).

The work ahead is what the crawl can see plus what its past predicts:

* *queued*: pages waiting to be extracted (responses in Scrapy's scraper), being downloaded
  (the downloader's active requests) and requests waiting in the scheduler, each weighed at the
  mean in-process extraction time so far (CPU time of the crawl's thread, not wall time, which
  a loaded machine stretches);
* *expected*: as much again as the crawl has already spent extracting, as long as anything is
  queued. A crawl that has been extracting for T seconds is, with nothing else known, as likely
  to go on for T more as to stop; this is the ski-rental rule (rent until the rent paid equals
  the price, then buy), which never pays more than twice the best choice made knowing the
  crawl's length. Nothing queued (the crawl is draining) counts nothing.

The workers start when queued + expected reaches ``NEWSCRAWLER_EXTRACT_POOL_WORK`` seconds of
extraction, of CPU time (default ``0.8``: at least a worker's own start-up, the price in the
ski-rental rule, with room for its memory; twice the whole extraction of a 40-article crawl,
0.15–0.4 s at 3–7 ms a page). ``0`` keeps the rate rule alone.
"""

from __future__ import annotations

import collections
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class StartRule:
    """Decides, one in-process extraction at a time, whether to start the workers now."""

    def __init__(
        self, rate: int, work_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.work_s = work_s
        self.clock = clock
        self._recent: collections.deque[float] = collections.deque(maxlen=max(1, rate))
        self.extracted = 0
        self.busy_s = 0.0

    def fast(self) -> bool:
        """Whether the last ``rate`` in-process extractions came within one second."""
        recent = self._recent
        return len(recent) == recent.maxlen and recent[-1] - recent[0] <= 1.0

    def work_ahead(self, queued: int) -> float:
        """Seconds of extraction ahead: ``queued`` pages at the mean time per page, plus as
        much as was spent so far while anything is queued (module docstring)."""
        if not queued or not self.extracted:
            return 0.0
        return queued * self.busy_s / self.extracted + self.busy_s

    def note(self, seconds: float, queued: int) -> bool:
        """One page was extracted in-process in ``seconds``, with ``queued`` pages and requests
        behind it; whether the workers should start now."""
        self._recent.append(self.clock())
        self.extracted += 1
        self.busy_s += seconds
        if not self.fast():
            return False
        return self.work_ahead(queued) >= self.work_s


def queued_work(crawler: Crawler | None) -> int:
    """Pages and requests behind the page being extracted: the scheduler's requests, the
    downloader's active ones, and responses waiting in or being processed by the scraper (this
    page excluded). 0 when the crawl has no engine (a spider built by a test)."""
    engine = getattr(crawler, "engine", None)
    if engine is None:
        return 0
    total = 0
    scheduler = getattr(engine, "scheduler", None)  # Scrapy ≥ 2.19; before, in its _slot
    if scheduler is None:
        scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
    with contextlib.suppress(TypeError):  # a scheduler without __len__
        total += len(scheduler) if scheduler is not None else 0
    downloader = getattr(engine, "downloader", None)
    total += len(getattr(downloader, "active", ()))
    slot = getattr(getattr(engine, "scraper", None), "slot", None)
    if slot is not None:
        total += len(slot.queue) + max(0, len(slot.active) - 1)
    return total
