"""scrapy-redis' duplicate filter with fingerprints that expire."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy.http import Request
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter

if TYPE_CHECKING:
    from scrapy import Spider

logger = logging.getLogger(__name__)

# --- the shared frontier ---------------------------------------------------------------------

_SEEN_SCRIPT = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > tonumber(ARGV[3]) then return 1 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 0
"""


class ExpiringDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis' duplicate filter with a revisit window: a sorted set of fingerprint →
    time first requested; a fingerprint older than ``ttl`` seconds no longer counts (the URL may
    be requested again) and is trimmed, and the whole key expires ``ttl`` seconds after the last
    new request. The set therefore holds at most the requests of the last ``ttl`` seconds."""

    TRIM_EVERY = 500

    def __init__(self, server: Any, key: str, debug: bool = False, ttl: float = 3600) -> None:
        super().__init__(server, key, debug)
        self.ttl = float(ttl)
        self._calls = 0
        self._seen = server.register_script(_SEEN_SCRIPT)

    @classmethod
    def from_spider(cls, spider: Spider) -> Self:
        settings = spider.settings
        key = settings.get("SCHEDULER_DUPEFILTER_KEY") % {"spider": spider.name}
        ttl = settings.getfloat("NEWSCRAWLER_FLEET_FINGERPRINT_TTL")
        return cls(
            get_redis_from_settings(settings), key, settings.getbool("DUPEFILTER_DEBUG"), ttl
        )

    def request_seen(self, request: Request) -> bool:
        now = time.time()
        cutoff = now - self.ttl
        self._calls += 1
        if self._calls % self.TRIM_EVERY == 0:
            self.server.zremrangebyscore(self.key, "-inf", cutoff)
        fingerprint = self.request_fingerprint(request)
        seen = self._seen(keys=[self.key], args=[fingerprint, now, cutoff, max(1, int(self.ttl))])
        return bool(seen)
