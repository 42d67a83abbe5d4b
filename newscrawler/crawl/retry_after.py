"""``Retry-After`` on 429/503: pause the host that long before the retry (Scrapy retries at
once), and give the page up as ``rate_limited`` when the wait is unreasonable.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later, sleep

from newscrawler.crawl.outcomes import PageRejected
from newscrawler.crawl.robots import _is_robots

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Retry-After -----------------------------------------------------------------------------


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> parse_retry_after(b"120")
    120.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after(b"soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Honour ``Retry-After`` on 429 and 503: pause the whole host, then let Scrapy retry.

    Scrapy's RetryMiddleware retries a 429 at once, which is what gets a crawler banned. This
    middleware sits before it (its ``process_response`` runs first): it reads the header and
    pauses the host's download slot until the time is up, so requests already queued for the
    host wait as well as new ones (and the retry, left to RetryMiddleware, comes after the
    pause). A wait longer than ``NEWSCRAWLER_RETRY_AFTER_MAX`` seconds is not honoured: the page
    is given up at once as ``rate_limited`` (asking again sooner would be hammering).
    """

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.paused_until: dict[str, float] = {}  # slot key → monotonic time

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX"))

    def _slot_key(self, request: Request) -> str:
        downloader = getattr(self.crawler.engine, "downloader", None)
        return downloader.get_slot_key(request) if downloader else urlsplit(request.url).netloc

    async def process_request(self, request: Request) -> None:
        """A request for a paused host that meets no paused slot (a slot is dropped when idle
        for a minute) waits here."""
        until = self.paused_until.get(self._slot_key(request))
        if until is not None:
            wait = until - time.monotonic()
            if wait > 0:
                await sleep(wait)

    def _pause(self, request: Request, delay: float) -> None:
        """Hold the host's download slot for ``delay`` seconds. The downloader already blocks
        a slot while ``slot.latercall`` is pending (that is how DOWNLOAD_DELAY works), so the
        pause is a later call of the downloader's own resume function."""
        key = self._slot_key(request)
        until = time.monotonic() + delay
        if until <= self.paused_until.get(key, 0.0):
            return
        self.paused_until[key] = until
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = downloader.slots.get(key) if downloader else None
        resume = getattr(downloader, "_latercall", None)
        if slot is None or resume is None:
            return  # process_request still holds new requests
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(delay, resume, slot)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503) or request.meta.get("dont_retry"):
            return response
        delay = parse_retry_after(response.headers.get(b"Retry-After"))
        if delay is None:
            return response  # plain retry by RetryMiddleware
        assert self.crawler.stats is not None
        if delay > self.max_wait and not _is_robots(request):
            self.crawler.stats.inc_value("newscrawler/retry_after/too_long")
            raise PageRejected(
                "rate_limited",
                f"HTTP {response.status} asks to wait {delay:.0f} s, more than "
                f"NEWSCRAWLER_RETRY_AFTER_MAX={self.max_wait:.0f}",
            )
        delay = min(delay, self.max_wait)
        self._pause(request, delay)
        self.crawler.stats.inc_value("newscrawler/retry_after/honoured")
        self.crawler.stats.max_value("newscrawler/retry_after/max_seconds", delay)
        logger.info(
            "%s answered %d with Retry-After %.0f s: pausing requests to %s",
            request.url,
            response.status,
            delay,
            urlsplit(request.url).netloc,
            extra={"spider": self.crawler.spider},
        )
        return response
