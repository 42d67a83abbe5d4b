"""The vocabulary of outcomes shared by the spider and the middlewares: why a page produced no
article (``newscrawler/failed/<reason>``, ``newscrawler/skipped/<reason>``), the site-health
signals (``newscrawler/health/<signal>``), and why a run reached nothing at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    DropItem,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web.client import ResponseFailed

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


#: Request meta key set by the spider: ``article``, ``listing``, ``feed`` or ``sitemap``.
PAGE_KIND = "newscrawler_page"


class PageRejected(IgnoreRequest):
    """A response (or request) that must not become an article, with the reason to count."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# Reasons ---------------------------------------------------------------------------------

#: Exception types → reason, checked in order (Scrapy 2.19 wraps Twisted's errors in its own).
_EXCEPTION_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, net.DNSLookupError), "dns_error"),
    ((DownloadConnectionRefusedError, net.ConnectionRefusedError), "connection_refused"),
    (
        (ResponseDataLossError, ResponseFailed, net.ConnectionLost, net.ConnectionDone),
        "connection_lost",
    ),
    ((net.ConnectError, DownloadFailedError), "connect_error"),
)
#: Fields whose share of extracted articles is tracked for the health check (the run manifest's
#: ``coverage``): a sharp drop means a broken selector.
COVERAGE_FIELDS = ("title", "body", "lead", "published_at", "tags", "author", "images")
#: Reasons that are policy, not failure: counted under ``newscrawler/skipped/``.
SKIP_REASONS = frozenset({"robots_disallowed", "crawler_trap", "private_address"})


def failure_reason(failure: Failure) -> str:
    """The reason a request produced no page, as a short stats key.

    ``http_<status>`` for HTTP errors Scrapy gave up on, the :class:`PageRejected` reason for
    pages rejected here, and ``timeout``, ``dns_error``, ``connection_refused``,
    ``connection_lost``, ``connect_error``, ``too_large``, ``robots_disallowed``,
    ``too_many_redirects`` for what Scrapy raises; ``download_error`` for anything else.
    """
    exc = failure.value
    if isinstance(exc, PageRejected):
        return exc.reason
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return "robots_disallowed"
        if "max redirections" in message:
            return "too_many_redirects"
        if "offsite" in message:
            return "offsite"
        return "ignored"
    if isinstance(exc, DownloadCancelledError):
        # During a crawl Scrapy 2.19 cancels a download only for DOWNLOAD_MAXSIZE: with a
        # message when the size was announced, with none when the body streamed past it.
        return "too_large"
    for types, reason in _EXCEPTION_REASONS:
        if isinstance(exc, types):
            return reason
    return "download_error"


def mark_health(crawler: Crawler, signal: str) -> None:
    """Count a sign that the site blocks us or changed its layout (``newscrawler/health/*``)."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newscrawler/health/{signal}")


# Reachability ----------------------------------------------------------------------------

_NETWORK_ERRORS = {
    "CannotResolveHostError": "the host name did not resolve (DNS)",
    "DNSLookupError": "the host name did not resolve (DNS)",
    "DownloadConnectionRefusedError": "the connection was refused",
    "ConnectionRefusedError": "the connection was refused",
    "DownloadTimeoutError": "every attempt timed out",
    "TimeoutError": "every attempt timed out",
    "TCPTimedOutError": "every attempt timed out",
}


def unreachable(stats: Mapping[str, Any]) -> str | None:
    """Why a finished run never got a single HTTP response, or ``None`` when it got one.

    A crawl that reached nothing is not a healthy run that found no news: it means no
    network, no DNS, a proxy problem or a site that is down, and ``scrapy crawl`` turns this
    into a one-line error and a non-zero exit status.

    >>> why = unreachable({"response_received_count": 0,
    ...     "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError": 3})
    >>> why.split(";")[0]
    'no response at all: the host name did not resolve (DNS), 3 attempts'
    >>> unreachable({"response_received_count": 4}) is None
    True
    """
    if stats.get("response_received_count", 0):
        return None
    if refused := stats.get("newscrawler/skipped/private_address", 0):
        return (
            f"no response at all: {refused} requests went to private, loopback or reserved "
            "addresses and were refused (SSRF guard); to crawl a local mirror allow its address "
            "with -s NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=<address>[:port]"
        )
    prefix = "downloader/exception_type_count/"
    errors = Counter(
        {key.removeprefix(prefix): int(n) for key, n in stats.items() if key.startswith(prefix)}
    )
    if not errors:
        return None
    kind, _ = errors.most_common(1)[0]
    name = kind.rsplit(".", 1)[-1]
    what = _NETWORK_ERRORS.get(name, f"{name} on every attempt")
    return (
        f"no response at all: {what}, {errors.total()} attempts; check the network connection, "
        "DNS and proxy settings, or whether the site is up, then run again"
    )


def drop(crawler: Crawler, reason: str, item: Any, detail: str = "") -> DropItem:
    """Count a drop and build the exception that tells Scrapy to log it."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newscrawler/dropped/{reason}")
    url = ItemAdapter(item).get("url")
    return DropItem(f"{reason}: {url}" + (f" ({detail})" if detail else ""))
