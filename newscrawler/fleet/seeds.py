"""Seeds of the fleet: the start requests of a site as JSON, pushed to its Redis queue."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Request

from newscrawler.crawl.outcomes import PAGE_KIND

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


# --- seeds ----------------------------------------------------------------------------------


def seeds(spider_cls: type[Any], **arguments: Any) -> list[dict[str, Any]]:
    """The start requests a local run of ``spider_cls`` with these arguments would make, as
    JSON seeds (a listing's province goes along as the province hint of its articles)."""
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
        if request.meta.get("province_hint"):  # the listing's own, with province=all too
            meta["province_hint"] = request.meta["province_hint"]
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
