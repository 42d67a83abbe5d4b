"""Incremental crawling: do not download what the crawl state says was already delivered.

A spider middleware (Scrapy 2.19 wants ``process_spider_output`` as an async generator; this is
what scrapy-deltafetch 2.1.0 lacks) that looks at every article request a callback yields:

* an article already delivered is skipped (``newscrawler/skipped/known``), unless it is inside
  the revisit window: published in the last ``NEWSCRAWLER_REVISIT_DAYS`` days and not checked
  for ``NEWSCRAWLER_REVISIT_INTERVAL_HOURS``; a revisited article that changed comes out as a
  new version (see :class:`~newscrawler.pipelines.dedupe.DedupePipeline`);
* when every article on a listing page was delivered by an earlier run, the page's pagination
  is not followed (``newscrawler/listing/stopped_known``): older pages hold older articles.
  This shortcut is taken only when the site's previous run finished normally; after an
  interrupted run the listings are walked again (known articles are still not downloaded), so
  nothing the killed run did not reach is lost.

``NEWSCRAWLER_INCREMENTAL = False`` turns it off (a full re-crawl; unchanged articles are still
not written twice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from newscrawler.crawl.stats import stats_of
from newscrawler.extraction.urls import canonicalize
from newscrawler.persian.dates import parse_iso
from newscrawler.spiders.news import site_of
from newscrawler.state.layout import output_dir, recent_manifests
from newscrawler.state.ledger import ledger_owner
from newscrawler.state.store import KnownArticle

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawler.state.ledger import CrawlLedger


def _callback_name(request: Request) -> str:
    return getattr(request.callback, "__name__", "")


class IncrementalMiddleware:
    """Skips known article requests and stops pagination over known pages."""

    def __init__(self, crawler: Crawler, revisit_days: float, revisit_hours: float) -> None:
        self.crawler = crawler
        self.revisit_window = timedelta(days=revisit_days)
        self.revisit_interval = timedelta(hours=revisit_hours)
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self._may_stop_early: bool | None = None
        self._ledger_owner: CrawlLedger | None = None

    def may_stop_early(self) -> bool:
        """True when the site's latest run (the one this run follows) finished normally."""
        if self._may_stop_early is None:
            spider = self.crawler.spider
            latest = recent_manifests(output_dir(self.crawler), spider.name, 1) if spider else []
            self._may_stop_early = bool(latest) and latest[0].get("finish_reason") == "finished"
        return self._may_stop_early

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_INCREMENTAL"):
            raise NotConfigured
        return cls(
            crawler,
            crawler.settings.getfloat("NEWSCRAWLER_REVISIT_DAYS"),
            crawler.settings.getfloat("NEWSCRAWLER_REVISIT_INTERVAL_HOURS"),
        )

    def due_for_revisit(self, known: KnownArticle, now: datetime) -> bool:
        published = parse_iso(known.published_at or "")
        last_seen = parse_iso(known.last_seen)
        if published is None or last_seen is None:
            return False
        return now - published <= self.revisit_window and now - last_seen >= self.revisit_interval

    def known_before_this_run(self, url: str, now: datetime) -> bool:
        """Delivered by an earlier run and not due for a revisit. Articles this run delivered
        (found first in a feed, say) do not count: older pages may still hold new ones."""
        known = self.known(url)
        return (
            known is not None
            and known.first_seen < self.started
            and not self.due_for_revisit(known, now)
        )

    def known(self, url: str) -> KnownArticle | None:
        keys = [f"url:{canonicalize(url)}"]
        site = site_of(self.crawler.spider)
        news_id = site.news_id(url) if site is not None else None
        if news_id:
            keys.insert(0, f"id:{news_id}")
        if self._ledger_owner is None:  # found once: get_extension walks the extensions
            self._ledger_owner = ledger_owner(self.crawler)
        return self._ledger_owner.ledger.known_request(keys)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        stats = stats_of(self.crawler)  # without Scrapy's wrapper (crawl/stats.py)
        outputs = [obj async for obj in result]
        articles = skipped = 0
        now = datetime.now(UTC)
        kept = []
        for obj in outputs:
            if isinstance(obj, Request) and _callback_name(obj) == "parse_article":
                articles += 1
                known = self.known(obj.url)
                if known is not None and not self.due_for_revisit(known, now):
                    skipped += 1
                    stats.inc_value("newscrawler/skipped/known")
                    continue
                if known is not None:
                    stats.inc_value("newscrawler/revisited")
            kept.append(obj)
        if articles:
            stats.inc_value("newscrawler/links/found", articles)
        # The page's own links, as the spider saw them (some may already have been asked for
        # in this run from a feed or sitemap, so they are not among the outputs).
        try:
            links = response.meta.get("listing_links")
        except AttributeError:  # a response built without a request (tests, the shell)
            links = None
        if links:
            all_known = all(self.known_before_this_run(url, now) for url in links)
        else:
            all_known = articles > 0 and skipped == articles
        all_known = all_known and self.may_stop_early()
        for obj in kept:
            if all_known and isinstance(obj, Request) and _callback_name(obj) == "parse_listing":
                stats.inc_value("newscrawler/listing/stopped_known")
                continue
            yield obj
