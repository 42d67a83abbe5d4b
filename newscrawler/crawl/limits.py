"""Limits that cut a crawl short, counted: no link is left behind without a reason.

Scrapy drops requests over ``DEPTH_LIMIT`` with a DEBUG line and requests over
``URLLENGTH_LIMIT`` with an INFO line; the subclasses here count them too, as
``newscrawler/skipped/depth_limit`` and ``newscrawler/skipped/url_too_long``, so that they reach
the run manifest (``skipped``). :func:`count_skip` is what the spider uses for its own budgets
(``sitemap_budget``, ``sitemap_depth``, ``links_per_page``, ``offsite``, ``bad_entry``): the
count, and one warning per reason per run.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def count_skip(crawler: Crawler, reason: str, count: int, message: str, *args: Any) -> None:
    """Count ``count`` links not followed as ``newscrawler/skipped/<reason>``; the first time in
    the run, log ``message % args`` as a warning (later ones at DEBUG)."""
    if count <= 0:
        return
    assert crawler.stats is not None
    key = f"newscrawler/skipped/{reason}"
    first = not crawler.stats.get_value(key)  # the run's first cut for this reason
    crawler.stats.inc_value(key, count)
    spider = getattr(crawler, "spider", None)
    once = f" (counted as newscrawler/skipped/{reason}; warned once per run)" if first else ""
    logger.log(
        logging.WARNING if first else logging.DEBUG,
        "%s: " + message + "%s",
        getattr(spider, "name", "?"),
        *args,
        once,
        extra={"spider": spider},
    )


class CountedDepthMiddleware(DepthMiddleware):
    """Scrapy's ``DEPTH_LIMIT``, counted (``skipped/depth_limit``). Listing pagination does not
    add depth (the spider marks next pages ``depth_reset``: ``max_pages`` bounds it), and nested
    sitemaps are bounded by ``NEWSCRAWLER_SITEMAP_MAX_DEPTH``, so this is a safety net."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        processed = super().get_processed_request(request, response)
        if processed is None:
            count_skip(
                self.crawler,
                "depth_limit",
                1,
                "not following %s: deeper than DEPTH_LIMIT=%d",
                request.url,
                self.maxdepth,
            )
        return processed


class CountedUrlLengthMiddleware(UrlLengthMiddleware):
    """Scrapy's ``URLLENGTH_LIMIT`` (2,083 characters), counted (``skipped/url_too_long``)."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        processed = super().get_processed_request(request, response)
        if processed is None:
            count_skip(
                self.crawler,
                "url_too_long",
                1,
                "not following a URL of %d characters (URLLENGTH_LIMIT=%d): %s…",
                len(request.url),
                self.maxlength,
                request.url[:200],
            )
        return processed
