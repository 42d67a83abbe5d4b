"""The ledger in Redis: committed articles and atomic claims shared by every worker of a fleet."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawler.fleet.config import (
    connect,
    prefix,
    redis_url,
    worker_id,
)
from newscrawler.state.errors import StateError
from newscrawler.state.ledger import Ledger
from newscrawler.state.store import KnownArticle, SiteState, article_keys, now_iso, shared_keys

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

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
    """:class:`~newscrawler.state.ledger.Ledger` of a fleet worker (same interface): lookups and
    commits go to Redis, claims are atomic across workers (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        site: str,
        output_site_dir: Path,
        url: str,
        worker: str,
        *,
        key_prefix: str,
        claim_ttl: float,
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

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, root: Path, site: str, output_site_dir: Path
    ) -> Ledger:
        url = redis_url(settings)
        if url is None:
            raise StateError("the fleet's ledger needs REDIS_URL (a setting or the environment)")
        return cls(
            root,
            site,
            output_site_dir,
            url,
            worker_id(settings, root),
            key_prefix=prefix(settings),
            claim_ttl=settings.getfloat("NEWSCRAWLER_FLEET_CLAIM_TTL"),
        )

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
        from newscrawler.state.store import file_digest

        digest = file_digest(path)
        name = path.relative_to(self.output_site_dir).as_posix()
        assert isinstance(self.state, RedisSiteState)
        self.state.record_shared(self._staged, self.site)
        held = [key for rec in self._staged for key in self._claims.pop(rec["id"], [])]
        self.release(held)
        SiteState.record(self.state, self._staged, name, run_id, digest)
        self._staged = []
        for listener in self.listeners:
            listener()
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
