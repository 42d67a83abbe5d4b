"""A test-only extension that saves the crawl's stats as JSON, for the tests to compare.

``-s FAULTS_STATS_FILE=<path>``; written when the engine stops, after every ``spider_closed``
handler (the run manifest's included) has set its stats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class StatsDump:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("FAULTS_STATS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        self.path.write_text(json.dumps(stats, default=str, ensure_ascii=False, indent=1))
