"""Distributed mode (a fleet of workers): one frontier and one crawl state in Redis.

Off by default; on when ``REDIS_URL`` is set (Scrapy setting, or the environment variable of
the same name read by :mod:`newscrawler.settings`). With it off nothing here connects to Redis.

What is shared, in one Redis server (keys under ``NEWSCRAWLER_FLEET_PREFIX``, ``newscrawler``):

* the request queue and duplicate filter of each site (scrapy-redis' scheduler and priority
  queue: ``<prefix>:<site>:requests``, ``<prefix>:<site>:dupefilter``); fingerprints expire
  after ``NEWSCRAWLER_FLEET_FINGERPRINT_TTL`` seconds (:class:`ExpiringDupeFilter`);
* the seeds, JSON ``{"url": ..., "meta": {...}}`` in ``<prefix>:<site>:seeds`` (pushed by
  ``python -m newscrawler.fleet push``);
* the crawl state: every committed article (``<prefix>:art:<id>``), the URL keys that lead to
  it (``<prefix>:key:<site>:<key>``) and the cross-site keys (``<prefix>:seen:<key>``);
* the claims: before a worker writes an article it claims the article's keys (its id, news id,
  canonical URL, body hash) with one atomic Lua script (``SET ... PX`` on
  ``<prefix>:claim:<key>`` for all keys or none). Two workers therefore never write the same
  article. A claim is released when the file carrying the article is committed (the keys then
  become committed state) or when the worker closes. **A claim of a worker that dies expires
  after ``NEWSCRAWLER_FLEET_CLAIM_TTL`` seconds; a worker restarted with the same worker id
  (the same output directory) releases its own stale claims at once**, after reading back the
  files the dead run had renamed into place.

What is not shared: each worker writes its own files, manifests and local SQLite state under
its own ``NEWSCRAWLER_OUTPUT_DIR``, with the same ``.part`` → fsync → rename → commit rule; the
per-site ``flock`` guards that directory (crash recovery deletes ``.part`` files, which must be
the worker's own), so workers of one site need one directory each and never block each other;
the syndication index (``syndication.sqlite``, near-duplicate stories) stays per worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy import signals
from scrapy.core.engine import ExecutionEngine
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.spiderloader import SpiderLoader
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.spiders import RedisMixin

from newscrawler.middlewares import PAGE_KIND
from newscrawler.state import KnownArticle, Ledger, SiteState, article_keys, now_iso, shared_keys

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "newscrawler"
DEFAULT_CLAIM_TTL = 3600
DEFAULT_FINGERPRINT_TTL = 3600
DEFAULT_IDLE_SECONDS = 30
DEFAULT_POLL_SECONDS = 0.5
#: Callbacks a seed may name (a seed is data from Redis: nothing else is callable).
SEED_CALLBACKS = frozenset(
    {"parse_listing", "parse_feed", "parse_sitemap", "parse_article", "parse_any"}
)


def redis_url(settings: BaseSettings | Any) -> str | None:
    """The Redis URL when distributed mode is on, else ``None``."""
    value = settings.get("REDIS_URL") or os.environ.get("REDIS_URL")
    return str(value) if value else None


def fleet_enabled(settings: BaseSettings | Any) -> bool:
    return redis_url(settings) is not None


def prefix(settings: BaseSettings | Any) -> str:
    return str(settings.get("NEWSCRAWLER_FLEET_PREFIX") or DEFAULT_PREFIX)


def worker_id(settings: BaseSettings | Any, root: Path) -> str:
    """``NEWSCRAWLER_WORKER_ID``, else the host name and a digest of the state directory: the
    same directory on the same host is the same worker, so a restart finds its own claims."""
    configured = settings.get("NEWSCRAWLER_WORKER_ID")
    if configured:
        return str(configured)
    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:10]
    return f"{socket.gethostname()}:{digest}"


def connect(url: str) -> Any:
    """A client answering ``str`` (typed ``Any``: redis-py types every reply as bytes | str)."""
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
        "DUPEFILTER_CLASS": "newscrawler.distributed.ExpiringDupeFilter",
        "REDIS_START_URLS_KEY": f"{site_prefix}:%(name)s:seeds",
    }


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
        ttl = settings.getfloat("NEWSCRAWLER_FLEET_FINGERPRINT_TTL", DEFAULT_FINGERPRINT_TTL)
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


# --- workers: spiders that read seeds from Redis ------------------------------------------


class FleetSpiderMixin(RedisMixin):  # type: ignore[misc]
    """Put before a :class:`~newscrawler.spiders.base.NewsSpider` (the spider loader does it
    when distributed mode is on): start requests come from the site's seeds in Redis, and the
    worker closes once the whole fleet of this site has been idle for
    ``NEWSCRAWLER_FLEET_IDLE_SECONDS`` (no seed, nothing queued, no response anywhere)."""

    fleet_idle_seconds: float = DEFAULT_IDLE_SECONDS
    _fleet_last_activity: float = 0.0
    _fleet_last_beat: float = 0.0
    _fleet_busy_key: str = ""

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.setdict(fleet_settings(prefix(settings)), priority="spider")
        # A worker crawls one site: more requests in flight than the per-site limit would only
        # sit in its downloader queue, taken from the shared queue and out of other workers' reach.
        per_site = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 4)
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
        spider.fleet_idle_seconds = settings.getfloat(
            "NEWSCRAWLER_FLEET_IDLE_SECONDS", DEFAULT_IDLE_SECONDS
        )
        spider._fleet_busy_key = f"{prefix(settings)}:{spider.name}:busy"
        spider._fleet_last_activity = time.monotonic()
        # An idle engine looks at the scheduler (here: the shared queue) only on its heartbeat,
        # 5 s by default: an idle worker would leave a short crawl to the busy ones. Scrapy has
        # no setting for it; the class attribute is read when the spider opens.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = settings.getfloat(
            "NEWSCRAWLER_FLEET_POLL_SECONDS", DEFAULT_POLL_SECONDS
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


class FleetSpiderLoader(SpiderLoader):
    """Scrapy's spider loader; in distributed mode every news spider becomes a worker (the
    same class with :class:`FleetSpiderMixin` in front), otherwise classes are unchanged."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.fleet = fleet_enabled(settings)
        self._workers: dict[str, type[Spider]] = {}

    def load(self, spider_name: str) -> type[Spider]:
        cls = super().load(spider_name)
        from newscrawler.spiders.base import NewsSpider

        if not self.fleet or not issubclass(cls, NewsSpider):
            return cls
        if spider_name not in self._workers:
            self._workers[spider_name] = type(
                cls.__name__, (FleetSpiderMixin, cls), {"__module__": cls.__module__}
            )
        return self._workers[spider_name]


# --- the shared crawl state ---------------------------------------------------------------

_CLAIM_SCRIPT = """
-- KEYS[1..n]: claim keys; KEYS[n+1..2n]: committed key of each (or a key never set);
-- KEYS[2n+1]: the worker's set of claims. ARGV: article id, worker, ttl ms, then one flag per
-- key ('1': a claim held even for the same article conflicts: the same id twice in a run)
local n = (#KEYS - 1) / 2
for i = 1, n do
  local committed = redis.call('GET', KEYS[n + i])
  if committed and committed ~= ARGV[1] then return {i, committed} end
  local held = redis.call('GET', KEYS[i])
  if held then
    local sep = string.find(held, '\\t', 1, true)
    local holder = string.sub(held, sep + 1)
    if holder ~= ARGV[1] or ARGV[3 + i] == '1' then return {i, holder} end
  end
end
for i = 1, n do
  redis.call('SET', KEYS[i], ARGV[2] .. '\\t' .. ARGV[1], 'PX', ARGV[3])
  redis.call('SADD', KEYS[2 * n + 1], KEYS[i])
end
return false
"""

_RELEASE_SCRIPT = """
-- delete the claims of KEYS still held by worker ARGV[1]; forget them in its set KEYS-last
local mine = KEYS[#KEYS]
for i = 1, #KEYS - 1 do
  local held = redis.call('GET', KEYS[i])
  if held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. '\\t' then
    redis.call('DEL', KEYS[i])
  end
  redis.call('SREM', mine, KEYS[i])
end
return 0
"""


class RedisSiteState(SiteState):
    """The site state of a worker: articles and their keys in Redis (shared by the fleet);
    committed files in the worker's local SQLite file, as in local mode."""

    def __init__(self, path: Path, site: str, server: Any, key_prefix: str) -> None:
        super().__init__(path, site)
        self.server = server
        self.prefix = key_prefix

    def article_key(self, article_id: str) -> str:
        return f"{self.prefix}:art:{article_id}"

    def url_key(self, key: str) -> str:
        return f"{self.prefix}:key:{self.site}:{key}"

    def article(self, article_id: str) -> KnownArticle | None:
        row = self.server.hgetall(self.article_key(article_id))
        if not row:
            return None
        return KnownArticle(
            id=article_id,
            content_hash=row.get("content_hash") or None,
            version=int(row.get("version") or 1),
            published_at=row.get("published_at") or None,
            modified_at=row.get("modified_at") or None,
            last_seen=row.get("last_seen", ""),
            first_seen=row.get("first_seen", ""),
        )

    def by_keys(self, keys: Iterable[str]) -> KnownArticle | None:
        for key in keys:
            article_id = self.server.get(self.url_key(key))
            if article_id:
                return self.article(article_id)
        return None

    def touch(self, article_ids: Iterable[str]) -> None:
        now = now_iso()
        with self.server.pipeline() as pipe:
            for article_id in article_ids:
                pipe.hset(self.article_key(article_id), "last_seen", now)
            pipe.execute()

    def record_shared(self, records: list[dict[str, Any]], site: str) -> None:
        """One MULTI/EXEC: the articles, their URL keys and their cross-site keys."""
        now = now_iso()
        with self.server.pipeline(transaction=True) as pipe:
            for rec in records:
                key = self.article_key(rec["id"])
                fields = {
                    "content_hash": rec.get("content_hash") or "",
                    "version": str(rec.get("version") or 1),
                    "published_at": rec.get("published_at") or "",
                    "modified_at": rec.get("modified_at") or "",
                    "last_seen": now,
                    "news_id": rec.get("news_id") or "",
                    "canonical_url": rec.get("canonical_url") or "",
                }
                pipe.hset(key, mapping=fields)
                pipe.hsetnx(key, "first_seen", now)
                for url_key in article_keys(rec):
                    pipe.setnx(self.url_key(url_key), rec["id"])
                for shared in shared_keys(rec):
                    pipe.setnx(f"{self.prefix}:seen:{shared}", rec["id"])
            pipe.execute()


class RedisLedger(Ledger):
    """:class:`~newscrawler.state.Ledger` of a fleet worker (same interface): lookups and
    commits go to Redis, claims are atomic across workers (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        site: str,
        output_site_dir: Path,
        url: str,
        worker: str,
        key_prefix: str = DEFAULT_PREFIX,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
    ) -> None:
        super().__init__(root, site, output_site_dir)  # the local lock and SQLite files
        self.server = connect(url)
        self.worker = worker
        self.prefix = key_prefix
        self.claim_ttl_ms = max(1, int(claim_ttl * 1000))
        local = self.state
        self.state = RedisSiteState(local.path, site, self.server, key_prefix)
        local.close()
        self._claim = self.server.register_script(_CLAIM_SCRIPT)
        self._release = self.server.register_script(_RELEASE_SCRIPT)
        self._claims: dict[str, list[str]] = {}  # article id → claim keys held

    @property
    def claims_set(self) -> str:
        return f"{self.prefix}:claims:{self.worker}"

    def known_request(self, keys: Iterable[str]) -> KnownArticle | None:
        return self.state.by_keys(keys)

    def claim(self, record: dict[str, Any]) -> tuple[str, str] | None:
        keys = [f"id:{record['id']}"]
        if record.get("news_id"):
            keys.append(f"id:{record.get('site')}:{record['news_id']}")
        keys = list(dict.fromkeys(keys + shared_keys(record)))
        claim_keys = [f"{self.prefix}:claim:{key}" for key in keys]
        committed = [
            f"{self.prefix}:seen:{key}" if not key.startswith("id:") else f"{self.prefix}:none"
            for key in keys
        ]
        flags = ["1" if key.startswith("id:") else "0" for key in keys]
        found = self._claim(
            keys=[*claim_keys, *committed, self.claims_set],
            args=[record["id"], self.worker, self.claim_ttl_ms, *flags],
        )
        if found:
            index, holder = found
            return keys[int(index) - 1], str(holder)
        self._claims.setdefault(record["id"], []).extend(claim_keys)
        return None

    def release(self, claim_keys: list[str]) -> None:
        if claim_keys:
            self._release(keys=[*claim_keys, self.claims_set], args=[self.worker])

    def commit(self, path: Path, run_id: str) -> tuple[int, str, int]:
        """Redis first (articles become known to the fleet, claims released), then the local
        file record: a crash between the two leaves a file the local state does not know,
        which the next start reads back (committing it again is idempotent)."""
        from newscrawler.state import file_digest

        digest = file_digest(path)
        name = path.relative_to(self.output_site_dir).as_posix()
        assert isinstance(self.state, RedisSiteState)
        self.state.record_shared(self._staged, self.site)
        held = [key for rec in self._staged for key in self._claims.pop(rec["id"], [])]
        self.release(held)
        SiteState.record(self.state, self._staged, name, run_id, digest)
        self._staged = []
        return digest

    def reconcile(self) -> dict[str, Any]:
        """Local recovery as in local mode, then release what a dead run of this worker still
        claims (its files are read back first, so their articles are committed state)."""
        report = super().reconcile()
        stale = list(self.server.smembers(self.claims_set))
        self.release(stale)
        report["released_claims"] = len(stale)
        if stale:
            logger.warning(
                "fleet: released %d claim(s) an interrupted run of worker %s still held "
                "(their articles can be written again)",
                len(stale),
                self.worker,
            )
        return report

    def close(self) -> None:
        try:
            self.release([key for keys in self._claims.values() for key in keys])
            self._claims = {}
            self.server.close()
        finally:
            super().close()


def open_ledger(
    settings: BaseSettings | Any, root: Path, site: str, output_site_dir: Path
) -> Ledger:
    """The ledger of a run: :class:`RedisLedger` in distributed mode, else the local one."""
    url = redis_url(settings)
    if url is None:
        return Ledger(root, site, output_site_dir)
    return RedisLedger(
        root,
        site,
        output_site_dir,
        url,
        worker_id(settings, root),
        prefix(settings),
        float(settings.get("NEWSCRAWLER_FLEET_CLAIM_TTL") or DEFAULT_CLAIM_TTL),
    )


# --- seeds ----------------------------------------------------------------------------------


def seeds(spider_cls: type[Any], **arguments: Any) -> list[dict[str, Any]]:
    """The start requests a local run of ``spider_cls`` with these arguments would make, as
    JSON seeds (``province`` goes along as the province hint of their articles)."""
    import asyncio

    spider = spider_cls(**{k: v for k, v in arguments.items() if v is not None})

    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    out = []
    for request in asyncio.run(collect()):
        meta: dict[str, Any] = {
            "callback": getattr(request.callback, "__name__", "parse_any"),
            "cb_kwargs": request.cb_kwargs,
            "priority": request.priority,
            "kind": request.meta.get(PAGE_KIND, "start"),
        }
        if arguments.get("province"):
            meta["province_hint"] = arguments["province"]
        out.append({"url": request.url, "meta": meta})
    return out


def push_seeds(server: Any, key_prefix: str, site: str, items: list[dict[str, Any]]) -> int:
    if not items:
        return 0
    key = f"{key_prefix}:{site}:seeds"
    return int(server.rpush(key, *(json.dumps(s, ensure_ascii=False) for s in items)))


def frontier_keys(key_prefix: str, site: str) -> list[str]:
    """The keys of one site's frontier: queue, duplicate filter, seeds, busy beat."""
    return [f"{key_prefix}:{site}:{name}" for name in ("requests", "dupefilter", "seeds", "busy")]


def iter_state_keys(server: Any, key_prefix: str) -> Iterator[str]:
    for pattern in ("art:*", "key:*", "seen:*", "claim:*", "claims:*"):
        yield from server.scan_iter(f"{key_prefix}:{pattern}", count=1000)
