"""Fleet workers: every news spider, reading its seeds from Redis when ``REDIS_URL`` is set
(:class:`~newscrawler.fleet.loader.FleetSpiderLoader` puts the mixin in front)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.core.engine import ExecutionEngine
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy_redis.spiders import RedisMixin

from newscrawler.fleet.config import fleet_settings, prefix, redis_url

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

#: Callbacks a seed may name (a seed is data from Redis: nothing else is callable).
SEED_CALLBACKS = frozenset(
    {"parse_listing", "parse_feed", "parse_sitemap", "parse_article", "parse_any"}
)


# --- workers: spiders that read seeds from Redis ------------------------------------------


class FleetSpiderMixin(RedisMixin):  # type: ignore[misc]
    """Put before a :class:`~newscrawler.spiders.news.NewsSpider` (the spider loader does it
    when distributed mode is on): start requests come from the site's seeds in Redis, and the
    worker closes once the whole fleet of this site has been idle for
    ``NEWSCRAWLER_FLEET_IDLE_SECONDS`` (no seed, nothing queued, no response anywhere)."""

    fleet_idle_seconds: float
    _fleet_last_activity: float = 0.0
    _fleet_last_beat: float = 0.0
    _fleet_busy_key: str = ""

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.setdict(fleet_settings(prefix(settings)), priority="spider")
        # A worker crawls one site: more requests in flight than the per-site limit would only
        # sit in its downloader queue, taken from the shared queue and out of other workers' reach.
        per_site = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        settings.set("CONCURRENT_REQUESTS", per_site, priority="spider")
        # scrapy-redis reads REDIS_URL: the environment variable counts as the setting
        url = redis_url(settings)
        if url and not settings.get("REDIS_URL"):
            settings.set("REDIS_URL", url, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Self:
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        settings = crawler.settings
        spider.fleet_idle_seconds = settings.getfloat("NEWSCRAWLER_FLEET_IDLE_SECONDS")
        spider._fleet_busy_key = f"{prefix(settings)}:{spider.name}:busy"
        spider._fleet_last_activity = time.monotonic()
        # An idle engine looks at the scheduler (here: the shared queue) only on its heartbeat,
        # 5 s by default: an idle worker would leave a short crawl to the busy ones. Scrapy has
        # no setting for it; the class attribute is read when the spider opens.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = settings.getfloat(
            "NEWSCRAWLER_FLEET_POLL_SECONDS"
        )
        # MAX_IDLE_TIME_BEFORE_CLOSE counts from import time; this timer counts from activity.
        crawler.signals.connect(spider._fleet_active, signal=signals.spider_opened)
        crawler.signals.connect(spider._fleet_active, signal=signals.response_received)
        crawler.signals.connect(spider._fleet_active, signal=signals.request_scheduled)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for request in self.next_requests():
            yield request

    def _fleet_active(self, *args: Any, **kwargs: Any) -> None:
        self._fleet_last_activity = time.monotonic()
        if self._fleet_last_activity - self._fleet_last_beat >= 1.0 and self.server is not None:
            self._fleet_last_beat = self._fleet_last_activity
            ttl = max(1, int(self.fleet_idle_seconds * 2))
            self.server.set(self._fleet_busy_key, time.time(), ex=ttl)

    def fleet_idle_for(self) -> float:
        """Seconds since this worker, or any worker of the site, last did something."""
        idle = time.monotonic() - self._fleet_last_activity
        if self.server is not None:
            beat = self.server.get(self._fleet_busy_key)
            if beat:
                idle = min(idle, max(0.0, time.time() - float(beat)))
        return idle

    def spider_idle(self) -> None:
        if self.server is not None and self.count_size(self.redis_key) > 0:
            self._fleet_last_activity = time.monotonic()
        self.schedule_next_requests()
        if self.fleet_idle_for() >= self.fleet_idle_seconds:
            return
        raise DontCloseSpider

    def make_request_from_data(self, data: bytes | str) -> list[Request]:
        """A seed pushed by :func:`push_seeds`: JSON ``{"url": ..., "meta": {"callback",
        "cb_kwargs", "priority", "kind", "province_hint"}}``; anything else is logged and
        skipped."""
        try:
            seed = json.loads(data)
            url = str(seed["url"])
            meta = dict(seed.get("meta") or {})
        except (ValueError, KeyError, TypeError):
            self.logger.warning("fleet: ignored a seed that is not JSON with a url: %r", data)
            return []
        callback = meta.get("callback") or "parse_any"
        if callback not in SEED_CALLBACKS:
            self.logger.warning("fleet: ignored a seed with callback %r: %s", callback, url)
            return []
        extra = {"province_hint": meta["province_hint"]} if meta.get("province_hint") else {}
        request: Request = self.request(  # type: ignore[attr-defined]
            url,
            getattr(self, callback),
            str(meta.get("kind") or "start"),
            cb_kwargs=dict(meta.get("cb_kwargs") or {}),
            priority=int(meta.get("priority") or 0),
            dont_filter=True,  # a pushed seed is an order: fetched even if seen recently
            meta=extra,
        )
        return [request]

    def parse_listing(self, response: Response, page: int, previous: str = "") -> Iterator[Request]:
        """The listing's own parse; the province of a seed follows its articles and pages."""
        hint = response.meta.get("province_hint")
        for obj in super().parse_listing(response, page, previous):
            if hint and isinstance(obj, Request):
                obj.meta["province_hint"] = hint
            yield obj
