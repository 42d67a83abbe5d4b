"""robots.txt failure rules of RFC 9309: a robots.txt that fails to load (5xx, 429, no
connection) means "disallow everything" (§2.3.1.4), not "allow everything" as in Scrapy.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser

from newscrawler.crawl.outcomes import PageRejected

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _is_robots(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


def _site_domain(crawler: Crawler) -> str | None:
    domains = getattr(crawler.spider, "allowed_domains", None) or []
    return str(domains[0]) if domains else None


# robots.txt ------------------------------------------------------------------------------


class RobotsUnavailable(RobotParser):
    """Stands for a robots.txt that could not be loaded: nothing on that host is allowed."""

    def __init__(self, why: str) -> None:
        self.why = why

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Self:
        return cls("not loaded")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's failure rules.

    Scrapy treats a robots.txt it could not load as "no rules" and crawls everything, and parses
    the body of a 404 or 500 page as if it were rules. RFC 9309 §2.3.1.3-4: 4xx means no rules
    (so the body is ignored), 5xx or an unreachable server means *complete disallow*. 429 counts
    as 5xx (the server asks us to back off). Retries happen first (RetryMiddleware applies to
    the robots.txt request too); a host still unavailable after them is skipped for the run:
    each of its pages is counted as ``failed/robots_unavailable``.
    """

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unavailable(netloc, f"HTTP {response.status}")
            return
        if 400 <= response.status < 500:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unavailable(netloc, type(exc).__name__)

    def _unavailable(self, netloc: str, why: str) -> None:
        logger.warning(
            "robots.txt of %s could not be loaded (%s): nothing on that host is crawled in this "
            "run (RFC 9309)",
            netloc,
            why,
            extra={"spider": self.crawler.spider},
        )
        self._stats.inc_value("newscrawler/robots/unavailable")
        parser = RobotsUnavailable(why)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if pending is not None and not isinstance(pending, RobotParser):
            pending.callback(parser)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, RobotsUnavailable):
            raise PageRejected("robots_unavailable", f"robots.txt not loaded ({rp.why})")
        super().process_request_2(rp, request)
