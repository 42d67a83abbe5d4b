"""Crawler traps: the spider middleware every request a callback yields passes.

A request whose query string keeps growing (an endless calendar or filter), is too long or
repeats a parameter is not followed (``newscrawler/skipped/crawler_trap``). Articles are checked
by the output-contract stage (:mod:`newscrawler.pipelines.contract`), not here.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Spider side -----------------------------------------------------------------------------

#: Query strings longer than this are crawler traps (session ids, calendars, filters).
MAX_QUERY_LENGTH = 255
#: A parameter repeated this often (``?d=1&d=1&d=1``) is a trap.
MAX_PARAM_REPEATS = 3


def query_growth(url: str, parent_url: str, parent_growth: int) -> int:
    """How many times in a row a link's query has grown from the query of the page it was
    found on (same path, every parameter of the parent kept, more added).

    >>> query_growth("/a?y=2019&m=5", "/a?y=2019", 0)
    1
    >>> query_growth("/a?y=2019&m=5&d=1", "/a?y=2019&m=5", 1)
    2
    >>> query_growth("/page/3?s=x", "/page/2?s=x", 0)
    0
    """
    new, old = urlsplit(url), urlsplit(parent_url)
    if new.path != old.path or not old.query:
        return 0
    new_params = Counter(parse_qsl(new.query, keep_blank_values=True))
    old_params = Counter(parse_qsl(old.query, keep_blank_values=True))
    grew = old_params <= new_params and new_params.total() > old_params.total()
    return parent_growth + 1 if grew else 0


def trap_reason(url: str, growth: int, max_query: int = MAX_QUERY_LENGTH) -> str | None:
    """Why ``url`` looks like a crawler trap, or ``None``.

    >>> trap_reason("/cal?d=1&d=2&d=3", 0)
    'parameter d repeated 3 times'
    >>> trap_reason("/a?x=1", 2)
    'query grew 2 times in a row'
    >>> trap_reason("/news/12?utm_source=x", 0) is None
    True
    """
    query = urlsplit(url).query
    if growth >= 2:
        return f"query grew {growth} times in a row"
    if len(query) > max_query:
        return f"query of {len(query)} characters"
    counts = Counter(key for key, _ in parse_qsl(query, keep_blank_values=True))
    if counts:
        key, repeats = counts.most_common(1)[0]
        if repeats >= MAX_PARAM_REPEATS:
            return f"parameter {key} repeated {repeats} times"
    return None


class CrawlGuardMiddleware:
    """Crawler traps are not followed (``newscrawler/skipped/crawler_trap``): a query string
    that grew from the page's own twice in a row (an endless calendar or filter), one over
    ``NEWSCRAWLER_MAX_QUERY_LENGTH`` characters, a parameter repeated three times. Endless
    pagination is capped by the spider (``max_pages``, repeated pages)."""

    def __init__(self, crawler: Crawler, max_query: int) -> None:
        self.crawler = crawler
        self.max_query = max_query

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWLER_MAX_QUERY_LENGTH"))

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        assert stats is not None
        parent_growth = int(response.meta.get("query_growth", 0))
        async for obj in result:
            if isinstance(obj, Request):
                growth = query_growth(obj.url, response.url, parent_growth)
                why = trap_reason(obj.url, growth, self.max_query)
                if why:
                    stats.inc_value("newscrawler/skipped/crawler_trap")
                    logger.warning(
                        "%s: not following %s found on %s: crawler trap (%s)",
                        getattr(self.crawler.spider, "name", "?"),
                        obj.url,
                        response.url,
                        why,
                        extra={"spider": self.crawler.spider},
                    )
                    continue
                if growth:
                    obj.meta["query_growth"] = growth
            yield obj
