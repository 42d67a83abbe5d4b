"""Fleet settings: whether Redis mode is on, the key prefix, this worker's id, the connection."""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def redis_url(settings: BaseSettings | Any) -> str | None:
    """The Redis URL when distributed mode is on, else ``None``."""
    value = settings.get("REDIS_URL") or os.environ.get("REDIS_URL")
    return str(value) if value else None


def fleet_enabled(settings: BaseSettings | Any) -> bool:
    return redis_url(settings) is not None


def prefix(settings: BaseSettings | Any) -> str:
    return str(settings["NEWSCRAWLER_FLEET_PREFIX"])


def worker_id(settings: BaseSettings | Any, root: Path) -> str:
    """``NEWSCRAWLER_WORKER_ID``, else the host name and a digest of the state directory: the
    same directory on the same host is the same worker, so a restart finds its own claims."""
    configured = settings.get("NEWSCRAWLER_WORKER_ID")
    if configured:
        return str(configured)
    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:10]
    return f"{socket.gethostname()}:{digest}"


def connect(url: str) -> Any:
    """A client answering ``str`` (typed ``Any``: redis-py types every reply as bytes | str).

    redis-py is imported here, not with the module: every crawl reads this module's settings
    helpers, and only a fleet connects (the client's import costs 0.2 s of CPU)."""
    import redis

    return redis.Redis.from_url(url, decode_responses=True)


def fleet_settings(site_prefix: str) -> dict[str, Any]:
    """Scrapy settings of a worker (spider priority: ``-s`` still overrides them)."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        # Several workers share the queue: closing one must not delete it (nor the filter).
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        # The priority queue: FIFO/LIFO with SCHEDULER_IDLE_BEFORE_CLOSE block the reactor.
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{site_prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{site_prefix}:%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "newscrawler.fleet.dupefilter.ExpiringDupeFilter",
        "REDIS_START_URLS_KEY": f"{site_prefix}:%(name)s:seeds",
        # claims and committed articles shared by the fleet (newscrawler/fleet/ledger.py)
        "NEWSCRAWLER_LEDGER_CLASS": "newscrawler.fleet.ledger.RedisLedger",
    }
