"""Middlewares for the hostile web: keep crawling, lose nothing, say what went wrong.

Scrapy already handles most faults of real news sites (see ``docs/faults.md`` for the table):
RetryMiddleware retries 5xx, 429, timeouts and dropped connections; RedirectMiddleware caps
redirect chains; ``DOWNLOAD_MAXSIZE`` cancels huge bodies; HttpErrorMiddleware turns 4xx into
errors. The code here covers what Scrapy gets wrong or does not see:

* :class:`StrictRobotsTxtMiddleware`: a robots.txt that fails to load (5xx, 429, no
  connection) means "disallow everything" (RFC 9309 §2.3.1.4), not "allow everything";
* :class:`RetryAfterMiddleware`: ``Retry-After`` on 429/503 pauses the host that long before
  the retry (Scrapy retries at once), and gives up when the wait is unreasonable;
* :class:`PageCheckMiddleware`: a 200 response that is not the page it claims to be: a PDF or
  image at an article URL, an anti-bot challenge (ArvanCloud «در حال بررسی مرورگر…»,
  Cloudflare) or a login wall, an article cut short, a page in windows-1256 that declares
  another charset (repaired with :mod:`newscrawler.charset`);
* :class:`RedirectGuardMiddleware`: a redirect to another site or back into its own chain
  (Scrapy follows the first and silently dupe-filters the second);
* :class:`CrawlGuardMiddleware` (spider middleware): crawler traps (query strings that keep
  growing), the site-health signals of extraction (body selector matched nothing), and the
  output-safety gate every article passes before the pipelines.

Every page that does not become an article is counted once, by the spider's errback, under
``newscrawler/failed/<reason>`` (or ``newscrawler/skipped/<reason>`` when skipping it is policy,
as for robots.txt); :func:`failure_reason` names the reason. Signals that the site blocks us or
changed its layout are also counted under ``newscrawler/health/<signal>``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, urljoin, urlsplit

from itemadapter import ItemAdapter, is_item
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse, XmlResponse
from scrapy.robotstxt import RobotParser
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import call_later, sleep
from twisted.internet import error as net
from twisted.web.client import ResponseFailed
from w3lib.url import canonicalize_url, safe_url_string

from newscrawler import charset
from newscrawler.extraction.article import split_css
from newscrawler.extraction.urls import same_site
from newscrawler.text import match_key, strip_invisible, word_count

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
#: Reasons that are policy, not failure: counted under ``newscrawler/skipped/``.
SKIP_REASONS = frozenset({"robots_disallowed", "crawler_trap"})


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
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWLER_RETRY_AFTER_MAX", 120))

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


# Page checks -----------------------------------------------------------------------------

#: Markup only anti-bot challenge pages carry (ArvanCloud, Cloudflare, Sucuri, Incapsula,
#: DDoS-Guard): conclusive at any page size. Matched in the lowercased body (ASCII case is
#: ignored, as by the re.IGNORECASE alternation these replace), by substring search: a regex
#: alternation tries every branch at every byte of a 40 KB page.
_CHALLENGE_MARKERS = (
    b"__arcsrc",
    b"cf-browser-verification",
    b"cf_chl_opt",
    b"/cdn-cgi/challenge-platform/",
    b"sucuri_cloudproxy_js",
    b"_incapsula_resource",
    b"ddos-guard.net/",
)
_AR_KEY = re.compile(rb"\bar_key\b")  # ArvanCloud's AR_Key, a whole word (lowercased body)
#: Words a challenge page shows; conclusive only on a small page without the article.
_CHALLENGE_TEXT = re.compile(
    "در حال بررسی مرورگر|درحال بررسی مرورگر|arvancloud|checking your browser|just a moment"
    "|ddos protection|verify you are human",
    re.IGNORECASE,
)
#: What a text :data:`_CHALLENGE_TEXT` matches must contain (the regex then decides): the
#: Persian words' common part (Persian has no case), and, in the text's ASCII characters
#: lowercased, a piece of each English phrase without i, k or s, the only ASCII letters that
#: re.IGNORECASE also matches with a non-ASCII letter (İ ı K ſ).
_CHALLENGE_TEXT_HINT = "بررسی مرورگر"
_CHALLENGE_ASCII_HINTS = (
    b"arvancloud",
    b"ng your brow",
    b"t a moment",
    b" protect",
    b"fy you are human",
)
#: Challenge and login pages are small; a page over this size is a real page.
SMALL_PAGE = 64 * 1024
#: A password field, in the lowercased body (only searched when it says "password").
_PASSWORD_FIELD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password")
_LOGIN_URL = re.compile(r"(^|/)(wp-login\.php|login|signin|sign-in|auth|account)(/|$|\?)", re.I)
#: Signatures of binary files served at article URLs (whatever the Content-Type says).
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"RIFF")


def _has_challenge_markup(low: bytes) -> bool:
    """Markup of an anti-bot challenge anywhere in a page; ``low``: its body, lowercased.

    >>> _has_challenge_markup(b"<script>window.CF_CHL_OPT={cvId:'3'}</script>".lower())
    True
    >>> _has_challenge_markup(b"var Ar_Key='x'".lower()), _has_challenge_markup(b"bar_keys")
    (True, False)
    """
    return any(marker in low for marker in _CHALLENGE_MARKERS) or (
        b"ar_key" in low and _AR_KEY.search(low) is not None
    )


def _shows_challenge_text(text: str) -> bool:
    """The words of a challenge page in a page's text («در حال بررسی مرورگر», "Just a moment").

    The answer of ``_CHALLENGE_TEXT.search(text)``, which only runs on a text with a hint.

    >>> _shows_challenge_text("<title>Just A Moment...</title>")
    True
    >>> _shows_challenge_text("<p>مرورگر خود را به‌روز کنید</p>")
    False
    """
    if _CHALLENGE_TEXT_HINT not in text:
        ascii_low = text.encode("ascii", "ignore").lower()
        if not any(hint in ascii_low for hint in _CHALLENGE_ASCII_HINTS):
            return False
    return _CHALLENGE_TEXT.search(text) is not None


def _has_password_field(low: bytes) -> bool:
    """An ``<input type="password">`` in a page; ``low``: its body, lowercased.

    >>> _has_password_field(b'<form><INPUT name="pwd" TYPE="Password"></form>'.lower())
    True
    >>> _has_password_field(b"<p>forgot your password?</p><input type=text>")
    False
    """
    return b"password" in low and _PASSWORD_FIELD.search(low) is not None


_CLOSING_TAG = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)
#: The end of a page searched first for its closing tag (the whole page if not there).
_TAIL = 4096


def is_truncated(body: bytes) -> bool:
    """An HTML document that stops before ``</body>`` and ``</html>``: CMS templates always
    close them, and what cuts a page short (a proxy, a PHP fatal error half-way through the
    template) leaves neither. Scripts or comments after ``</html>`` are fine.

    >>> is_truncated(b"<html><body><p>full</p></body></html>\\n<!-- cache -->")
    False
    >>> is_truncated(b"<html><body><p>half a sent")
    True
    >>> is_truncated(b"<html><body><p>half</p><b>Fatal error</b>: in x.php on line 3<br />")
    True
    """
    tail = body[-_TAIL:]  # a complete page closes its tags in its last few hundred bytes
    if _CLOSING_TAG.search(tail):
        return False
    return len(body) <= _TAIL or _CLOSING_TAG.search(body) is None


class PageCheckMiddleware:
    """Reject 200 responses that are not the page they claim to be; repair their encoding.

    Runs on the pages the spider asked for (requests marked with ``newscrawler_page``), after
    decompression and before meta-refresh handling (a challenge page often refreshes itself).
    In order (feeds and sitemaps get step 3's challenge check only):

    1. not HTML: a PDF, an image, an archive (by Content-Type or by magic bytes) → ``not_html``;
    2. encoding: a page whose bytes are not in its declared charset is re-decoded
       (``newscrawler/encoding/repaired/<how>``);
    3. anti-bot challenge → ``challenge_page``; login wall (a password field and no article
       body, or a redirect to a login URL) → ``login_wall``; both also mark the site's health;
    4. an article cut short (no ``</body>``/``</html>``) is retried like a 5xx, then
       ``truncated``.

    A rejected page raises :class:`PageRejected`; the spider's errback counts it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        kind = request.meta.get(PAGE_KIND)
        if kind not in ("article", "listing", "feed", "sitemap") or response.status != 200:
            return response
        html_page = kind in ("article", "listing")
        if html_page and (
            not isinstance(response, TextResponse) or response.body.startswith(_BINARY_MAGIC)
        ):
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            raise PageRejected("not_html", content_type or "binary body")
        if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
            return response  # a real feed or sitemap (XML, or gzip bytes)
        if html_page:
            response = self.repair_encoding(response)
        blocked = self.blocked(request, response, kind)
        if blocked:
            mark_health(self.crawler, blocked)
            if kind == "listing":
                # still a listing page that gave no links: the run manifest's health check
                # ("no article links found on N listing pages") must see a blocked site
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("newscrawler/pages/listing")
            raise PageRejected(blocked, f"{len(response.body)} bytes")
        if kind == "article" and is_truncated(response.body):
            assert self.crawler.spider is not None
            retry = get_retry_request(
                request, spider=self.crawler.spider, reason="truncated", give_up_log_level="INFO"
            )
            if retry is not None:
                return retry
            mark_health(self.crawler, "truncated")
            raise PageRejected("truncated", f"HTML ends after {len(response.body)} bytes")
        return response

    def repair_encoding(self, response: TextResponse) -> TextResponse:
        fixed = charset.repair(response.body, response.encoding, response.text)
        if fixed is None:
            return response
        text, how = fixed
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawler/encoding/repaired/{how}")
        logger.info(
            "%s was decoded as %s but is %s: re-decoded",
            response.url,
            response.encoding,
            {"utf8": "UTF-8", "cp1256": "windows-1256", "mixed": "UTF-8 mixed with windows-1256"}[
                how
            ],
            extra={"spider": self.crawler.spider},
        )
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")

    def blocked(self, request: Request, response: TextResponse, kind: str) -> str | None:
        """``challenge_page``, ``login_wall`` or ``None``."""
        body = response.body
        small = len(body) <= SMALL_PAGE
        redirected_to_login = bool(
            request.meta.get("redirect_urls") and _LOGIN_URL.search(urlsplit(response.url).path)
        )
        if kind == "article" and redirected_to_login:
            return "login_wall"
        low = body.lower()  # what the markers are matched in, whatever their ASCII case
        challenge = _has_challenge_markup(low) or (small and _shows_challenge_text(response.text))
        login = kind == "article" and small and _has_password_field(low)
        if not (challenge or login):
            return None
        if kind == "article" and self._has_article_body(response):
            return None  # the real article is there: a login widget or a word in the text
        if kind == "listing" and self._has_article_links(response):
            return None  # a real listing that names its CDN
        return "challenge_page" if challenge else "login_wall"

    def _has_article_links(self, response: TextResponse) -> bool:
        site = getattr(self.crawler.spider, "site", None)
        css = getattr(getattr(site, "selectors", None), "article_links", None)
        return bool(css and response.css(css))

    def _has_article_body(self, response: TextResponse) -> bool:
        site = getattr(self.crawler.spider, "site", None)
        css = getattr(getattr(site, "selectors", None), "body", None)
        if not css:
            return False
        min_words = self.crawler.settings.getint("NEWSCRAWLER_MIN_BODY_WORDS", 20)
        for alternative in split_css(css):
            found = response.css(alternative)
            if found:
                return len(" ".join(found[0].xpath("string()").getall()).split()) >= min_words
        return False


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


#: A tag or comment left in text (also as hazm spaced it: «< / b>», «<! -- x -->»).
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
#: What :func:`~newscrawler.text.strip_invisible` leaves and JSON consumers still choke on:
#: U+FFFD (a NUL or broken byte in the page), lone surrogates.
_JUNK = re.compile("[\ufffd\ud800-\udfff]")
_SPACES = re.compile(r"[ \t]{2,}")
_TEXT_FIELDS = (
    "title",
    "kicker",
    "subtitle",
    "lead",
    "body",
    "section",
    "province",
    "author",
    "publisher",
    "published_at_raw",
)


def clean_text(value: str) -> str:
    """Text as the output contract wants it: no tags, controls, bidi marks, U+FFFD; a lone
    ``<``/``>`` becomes ``‹``/``›`` (the JSON Schema refuses angle brackets in text).

    >>> clean_text("عنوان <b>برجسته< / b> خبر\\u200f\\ufffd")
    'عنوان برجسته خبر'
    >>> clean_text("دما > ۴۰")
    'دما › ۴۰'
    """
    text = _TAG.sub(" ", strip_invisible(value))
    text = _JUNK.sub("", text).replace("<", "‹").replace(">", "›")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _needs_cleaning(value: str) -> bool:
    return clean_text(value) != value


def http_url(value: Any) -> str | None:
    """An absolute http(s) URL in safe (percent-encoded) form, or ``None``.

    >>> http_url("https://x.ir/a b.jpg")
    'https://x.ir/a%20b.jpg'
    >>> http_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(value, str):
        return None
    url = safe_url_string(value.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def make_safe(adapter: ItemAdapter) -> list[str]:
    """Bring an article up to the output contract in place; returns the fields changed.

    A no-op when extraction did its job: every change is counted, so a non-zero
    ``newscrawler/sanitized/*`` stat points at an extraction bug to fix at the source.
    """
    changed = []
    for field in _TEXT_FIELDS:
        value = adapter.get(field)
        if isinstance(value, str) and _needs_cleaning(value):
            adapter[field] = clean_text(value) or None
            changed.append(field)
    tags = adapter.get("tags")
    if tags and any(_needs_cleaning(tag) for tag in tags):
        adapter["tags"] = [clean for tag in tags if (clean := clean_text(tag))]
        changed.append("tags")
    images = adapter.get("images") or []
    safe_images = []
    for image in images:
        url = http_url(image.get("url"))
        if url is None:
            continue
        caption = image.get("caption")
        safe_images.append(
            {"url": url, "caption": (clean_text(caption) or None) if caption else None}
        )
    if safe_images != images:
        adapter["images"] = safe_images
        changed.append("images")
    for field in ("url", "canonical_url"):
        value = adapter.get(field)
        if value is not None and http_url(value) != value:
            adapter[field] = http_url(value)
            changed.append(field)
    if "body" in changed:
        body = adapter.get("body")
        adapter["word_count"] = word_count(body)
        adapter["content_hash"] = (
            hashlib.sha256(match_key(body).encode()).hexdigest() if body else None
        )
    return changed


class CrawlGuardMiddleware:
    """Spider-side guards on everything a callback yields.

    * requests: crawler traps are not followed (``newscrawler/skipped/crawler_trap``): a query
      string that grew from the page's own twice in a row (an endless calendar or filter), one
      over ``NEWSCRAWLER_MAX_QUERY_LENGTH`` characters, a parameter repeated three times.
      Endless pagination is capped by the spider (``max_pages``, repeated pages).
    * articles: an article whose body selector matched nothing is passed on (the validation
      pipeline drops it as ``missing_body``) and marks the site's health
      (``newscrawler/health/body_selector_miss``) with a warning naming the selector; every
      article is brought up to the output contract by :func:`make_safe`.
    """

    def __init__(self, crawler: Crawler, max_query: int) -> None:
        self.crawler = crawler
        self.max_query = max_query

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWLER_MAX_QUERY_LENGTH", 255))

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
            elif is_item(obj):
                self.check_article(ItemAdapter(obj), response)
            yield obj

    def check_article(self, adapter: ItemAdapter, response: Response) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for field in make_safe(adapter):
            stats.inc_value(f"newscrawler/sanitized/{field}")
        if adapter.get("title") and not adapter.get("body"):
            mark_health(self.crawler, "body_selector_miss")
            site = getattr(self.crawler.spider, "site", None)
            logger.warning(
                "%s: the body selector %r matched no text on %s: has the layout changed?",
                getattr(self.crawler.spider, "name", "?"),
                getattr(getattr(site, "selectors", None), "body", None),
                response.url,
                extra={"spider": self.crawler.spider},
            )


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


__all__ = [
    "PAGE_KIND",
    "SKIP_REASONS",
    "CrawlGuardMiddleware",
    "PageCheckMiddleware",
    "PageRejected",
    "RedirectGuardMiddleware",
    "RetryAfterMiddleware",
    "StrictRobotsTxtMiddleware",
    "failure_reason",
    "mark_health",
    "unreachable",
]
