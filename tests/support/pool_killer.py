"""A test-only Scrapy extension: SIGKILLs the extraction worker processes after a few articles.

``tests/test_extraction_pool.py`` enables it with ``-s EXTENSIONS=...`` in a real crawl to check
that a pool whose worker dies loses no article.
"""

from __future__ import annotations

import os
import signal
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler

from newscrawler.crawl.extraction_pool import STAT_OFFLOADED


class KillPoolWorkers:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.after = crawler.settings.getint("KILL_POOL_WORKERS_AFTER", 5)
        self.killed: list[int] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        assert self.crawler.stats is not None
        if self.killed or (self.crawler.stats.get_value(STAT_OFFLOADED) or 0) < self.after:
            return
        for pid in self.crawler.spider.extraction.worker_pids:  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
            self.killed.append(pid)
        self.crawler.stats.set_value("test/pool_workers_killed", len(self.killed))
