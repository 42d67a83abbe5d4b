"""Redirects Scrapy gets wrong: to another site, or back into their own chain."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response
from w3lib.url import canonicalize_url, safe_url_string

from newscrawler.crawl.outcomes import PageRejected
from newscrawler.crawl.robots import _is_robots, _site_domain
from newscrawler.extraction.urls import same_site

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class RedirectGuardMiddleware:
    """Stop redirects Scrapy would follow to the wrong place, or drop without a word.

    Runs before RedirectMiddleware. A redirect of an article or listing to another site would
    be followed (and parsed with this site's profile) or filtered as offsite without reaching
    the errback; a redirect back to a URL already in its chain would be dropped silently by the
    duplicate filter. Both are rejected here, as ``offsite_redirect`` and ``redirect_loop``.
    A chain that never repeats is capped by ``REDIRECT_MAX_TIMES`` (``too_many_redirects``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            response.status not in (301, 302, 303, 307, 308)
            or b"Location" not in response.headers
            or request.meta.get("dont_redirect")
            or _is_robots(request)
        ):
            return response
        location = urljoin(request.url, safe_url_string(response.headers[b"Location"] or b""))
        domain = _site_domain(self.crawler)
        if domain and urlsplit(location).scheme in ("http", "https"):
            if not same_site(location, domain):
                raise PageRejected("offsite_redirect", f"to {location}")
            chain = {canonicalize_url(u) for u in request.meta.get("redirect_urls", [])}
            chain.add(canonicalize_url(request.url))
            if canonicalize_url(location) in chain:
                raise PageRejected("redirect_loop", f"back to {location}")
        return response
