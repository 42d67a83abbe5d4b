"""Incremental crawling: do not download what the crawl state says was already delivered.

A spider middleware (Scrapy 2.19 wants ``process_spider_output`` as an async generator; this is
what scrapy-deltafetch 2.1.0 lacks) that looks at every article request a callback yields:

* an article already delivered is skipped (``newscrawler/skipped/known``), unless it is inside
  the revisit window: published in the last ``NEWSCRAWLER_REVISIT_DAYS`` days and not checked
  for ``NEWSCRAWLER_REVISIT_INTERVAL_HOURS``; a revisited article that changed comes out as a
  new version (see :class:`~newscrawler.pipelines.DedupePipeline`);
* when every article on a listing page was skipped as known, the page's pagination is not
  followed (``newscrawler/listing/stopped_known``): older pages hold older articles.

``NEWSCRAWLER_INCREMENTAL = False`` turns it off (a full re-crawl; unchanged articles are still
not written twice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from newscrawler.dates import parse_iso
from newscrawler.extraction.urls import canonicalize
from newscrawler.state import KnownArticle, ledger_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def _callback_name(request: Request) -> str:
    return getattr(request.callback, "__name__", "")


class IncrementalMiddleware:
    """Skips known article requests and stops pagination over known pages."""

    def __init__(self, crawler: Crawler, revisit_days: float, revisit_hours: float) -> None:
        self.crawler = crawler
        self.revisit_window = timedelta(days=revisit_days)
        self.revisit_interval = timedelta(hours=revisit_hours)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_INCREMENTAL", True):
            raise NotConfigured
        return cls(
            crawler,
            crawler.settings.getfloat("NEWSCRAWLER_REVISIT_DAYS", 2),
            crawler.settings.getfloat("NEWSCRAWLER_REVISIT_INTERVAL_HOURS", 6),
        )

    def due_for_revisit(self, known: KnownArticle, now: datetime) -> bool:
        published = parse_iso(known.published_at or "")
        last_seen = parse_iso(known.last_seen)
        if published is None or last_seen is None:
            return False
        return now - published <= self.revisit_window and now - last_seen >= self.revisit_interval

    def known(self, request: Request) -> KnownArticle | None:
        keys = [f"url:{canonicalize(request.url)}"]
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        news_id = site.news_id(request.url) if site is not None else None
        if news_id:
            keys.insert(0, f"id:{news_id}")
        return ledger_for(self.crawler).known_request(keys)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        assert stats is not None
        outputs = [obj async for obj in result]
        articles = skipped = 0
        now = datetime.now(UTC)
        kept = []
        for obj in outputs:
            if isinstance(obj, Request) and _callback_name(obj) == "parse_article":
                articles += 1
                known = self.known(obj)
                if known is not None and not self.due_for_revisit(known, now):
                    skipped += 1
                    stats.inc_value("newscrawler/skipped/known")
                    continue
                if known is not None:
                    stats.inc_value("newscrawler/revisited")
            kept.append(obj)
        if articles:
            stats.inc_value("newscrawler/links/found", articles)
        all_known = articles > 0 and skipped == articles
        for obj in kept:
            if all_known and isinstance(obj, Request) and _callback_name(obj) == "parse_listing":
                stats.inc_value("newscrawler/listing/stopped_known")
                continue
            yield obj
