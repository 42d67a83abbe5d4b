"""The project's spider loader (``SPIDER_LOADER_CLASS``): Scrapy's, which in distributed mode
makes every news spider a fleet worker.

Apart from :mod:`newscrawler.fleet.spiders`, which imports scrapy-redis and, through it, the
whole Redis client (0.2 s of CPU at every start on the bench machine): the loader is built by
every ``scrapy`` command, and a crawl that is not part of a fleet never needs either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.spiderloader import SpiderLoader

from newscrawler.fleet.config import fleet_enabled

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings


class FleetSpiderLoader(SpiderLoader):
    """Scrapy's spider loader; in distributed mode every news spider becomes a worker (the
    same class with :class:`~newscrawler.fleet.spiders.FleetSpiderMixin` in front), otherwise
    classes are unchanged."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.fleet = fleet_enabled(settings)
        self._workers: dict[str, type[Spider]] = {}

    def load(self, spider_name: str) -> type[Spider]:
        cls = super().load(spider_name)
        from newscrawler.spiders.news import NewsSpider

        if not self.fleet or not issubclass(cls, NewsSpider):
            return cls
        if spider_name not in self._workers:
            from newscrawler.fleet.spiders import FleetSpiderMixin

            self._workers[spider_name] = type(
                cls.__name__, (FleetSpiderMixin, cls), {"__module__": cls.__module__}
            )
        return self._workers[spider_name]
