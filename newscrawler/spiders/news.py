"""The one crawl logic every site shares: entry points → listings, feeds, sitemaps → articles.

A site spider is a subclass that sets ``profile`` and nothing else (they are generated for every
site profile, :mod:`newscrawler.spiders.profiled`). Its arguments (``-a``) are parsed into
:class:`~newscrawler.spiders.arguments.CrawlArguments`, exposed as ``spider.arguments``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from parsel.csstranslator import css2xpath
from scrapy.http import Request, Response, TextResponse

from newscrawler.crawl.extraction_pool import ExtractionPool
from newscrawler.crawl.limits import count_skip
from newscrawler.crawl.outcomes import PAGE_KIND, SKIP_REASONS, failure_reason, mark_health
from newscrawler.extraction.article import NotAnArticle
from newscrawler.extraction.urls import same_site
from newscrawler.items import Article
from newscrawler.persian.charset import utf8_source
from newscrawler.persian.dates import TEHRAN, parse_iso, parse_rfc822
from newscrawler.sites.profile import SiteProfile
from newscrawler.spiders.arguments import ALL_PROVINCES, CrawlArguments, provincial_listings
from newscrawler.spiders.discovery import Discovery, DiscoveryLimits

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure


class NewsSpider(scrapy.Spider):
    """Crawls one site described by a :class:`~newscrawler.sites.profile.SiteProfile`."""

    profile: ClassVar[SiteProfile]
    name: str
    ARGUMENTS = CrawlArguments.names()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "profile" in cls.__dict__:
            cls.name = cls.profile.name
            cls.custom_settings = dict(cls.profile.custom_settings)

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> CrawlArguments:
        """Parse spider arguments; raise :class:`SpiderArgumentError` with one clear line."""
        return CrawlArguments.parse(cls.profile, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spider_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in self.ARGUMENTS}
        super().__init__(*args, **kwargs)
        self.arguments = self.check_arguments(**spider_kwargs)
        profile = self.run_profile(spider_kwargs)
        if self.arguments.base_url:
            profile = profile.rebased(self.arguments.base_url)
        self.site: SiteProfile = profile
        self.allowed_domains = [profile.domain]  # www. and other subdomains included
        self.articles_scheduled = 0
        # in-process only until from_crawler gives it the crawl's settings
        self.extraction = ExtractionPool(profile, workers=0, start_rate=1)
        self._deny = re.compile("|".join(profile.deny)) if profile.deny else None

    def run_profile(self, raw: dict[str, Any]) -> SiteProfile:
        """The profile this run crawls: the class's (the generic spider makes one from its
        arguments)."""
        return self.profile

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extraction = ExtractionPool.from_crawler(crawler, spider.site)
        return spider

    @functools.cached_property
    def discovery(self) -> Discovery:
        """Feeds and sitemaps, and the run's discovery budgets (read from the crawl's settings)."""
        return Discovery(self, DiscoveryLimits.from_settings(self.crawler.settings))

    def request(self, url: str, callback: Any, kind: str, **kwargs: Any) -> Request:
        """A request of this spider: its page kind is known to the middlewares, and every
        failure reaches :meth:`on_error`, which counts it."""
        meta = {PAGE_KIND: kind, **kwargs.pop("meta", {})}
        return Request(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def on_error(self, failure: Failure) -> None:
        """Count a page that produced nothing, by reason: ``newscrawler/failed/<reason>``, or
        ``newscrawler/skipped/<reason>`` when skipping is policy (robots.txt)."""
        request = failure.request  # type: ignore[attr-defined]
        reason = failure_reason(failure)
        outcome = "skipped" if reason in SKIP_REASONS else "failed"
        self.crawler.stats.inc_value(f"newscrawler/{outcome}/{reason}")
        self.logger.log(
            20 if outcome == "skipped" else 30,
            "%s: %s %s %s (%s)",
            self.name,
            request.meta.get(PAGE_KIND, "page"),
            request.url,
            outcome,
            getattr(failure.value, "detail", "") or f"{reason}: {failure.value!r}",
        )

    # discovery --------------------------------------------------------------------------

    def entry_points(self) -> list[tuple[str, str | None]]:
        """Listing pages to start from, as absolute URLs, each with the province slug of the
        articles it lists (``None``: their own pages say). ``province=all``: every provincial
        listing the profile knows, each with its own province."""
        site = self.site
        province = self.arguments.province
        if province == ALL_PROVINCES:
            listings = provincial_listings(site)
            return [(site.base_url + path, slug) for slug, path in listings.items()]
        listing = site.provinces.get(province) if province else None
        if listing:
            return [(site.base_url + listing, province)]
        if self.arguments.section:
            paths: tuple[str, ...] = (site.sections[self.arguments.section],)
        else:
            paths = site.home
        return [(site.base_url + path, province or site.province) for path in paths]

    async def start(self) -> AsyncIterator[Any]:
        site = self.site
        if self.arguments.start_url:
            kind = "article" if site.news_id(self.arguments.start_url) else "start"
            yield self.request(self.arguments.start_url, self.parse_any, kind, dont_filter=True)
            return
        narrowed = (
            bool(self.arguments.province or self.arguments.section)
            and self.arguments.province != site.province
        )
        if "sitemap" in self.arguments.sources and not narrowed:
            for path in site.sitemaps:
                request = self.discovery.sitemap_request(site.base_url + path, depth=0)
                if request is not None:
                    yield request
        if "feed" in self.arguments.sources and not narrowed:
            for path in site.feeds:
                yield self.request(site.base_url + path, self.parse_feed, "feed", priority=20)
        if "listing" in self.arguments.sources:
            for url, province in self.entry_points():
                yield self.request(
                    url,
                    self.parse_listing,
                    "listing",
                    cb_kwargs={"page": 1},
                    priority=10,
                    meta={"province_hint": province},
                )

    async def parse_any(self, response: Response) -> AsyncIterator[Any]:
        """A ``start_url`` may be an article, a feed, a sitemap or a listing."""
        if self.site.news_id(response.url):
            async for article in self.parse_article(response):
                yield article
            return
        head = (self.discovery.sitemap_body(response) or b"")[:2000]
        if b"<urlset" in head or b"<sitemapindex" in head:
            found: Iterator[Any] = self.parse_sitemap(response)
        elif b"<rss" in head or b"<feed" in head:
            found = self.parse_feed(response)
        else:
            found = self.parse_listing(response, page=1)
        for result in found:
            yield result

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        """What ``scrapy parse --spider=<site> URL`` calls: the page as :meth:`parse_any` reads
        a ``start_url`` (an article, a listing, a feed or a sitemap)."""
        async for result in self.parse_any(response):
            yield result

    def _is_article_link(self, url: str) -> bool:
        if not same_site(url, urlsplit(self.site.base_url).hostname or self.site.domain):
            return False
        path = urlsplit(url).path
        if self._deny and self._deny.search(path):
            return False
        return self.site.news_id(url) is not None

    def _site_url(self, url: str) -> str:
        """The URL to fetch for an article link: the ``http``/``https`` and ``www.``/bare
        spellings of the site's own host become the site's scheme and host, and the fragment
        goes. Scrapy's duplicate filter then sees one URL where a listing and a feed spelled it
        two ways; other variants (another slug, tracking parameters) are fetched and the dedupe
        pipeline keeps the first."""
        parts = urlsplit(url)
        base = urlsplit(self.site.base_url)
        scheme, netloc = parts.scheme, parts.netloc
        host = (parts.hostname or "").removeprefix("www.")
        if host == (base.hostname or "").removeprefix("www.") and parts.port in (None, base.port):
            scheme, netloc = base.scheme, base.netloc
        return urlunsplit((scheme, netloc, parts.path, parts.query, ""))

    def _quota_reached(self) -> bool:
        return (
            self.arguments.max_articles is not None
            and self.articles_scheduled >= self.arguments.max_articles
        )

    def _article_request(
        self,
        url: str,
        priority: int,
        listed_at: datetime | None = None,
        province: str | None = None,
    ) -> Request | None:
        """A request for an article link, or ``None`` when the quota is reached or the link is
        older than ``since``. ``province``: the slug of the listing it was found on."""
        if self._quota_reached():
            return None
        if self.arguments.since and listed_at and listed_at < self.arguments.since:
            self.crawler.stats.inc_value("newscrawler/skipped/older_than_since")
            return None
        self.articles_scheduled += 1
        return self.request(
            self._site_url(url),
            self.parse_article,
            "article",
            priority=priority,
            meta={"province_hint": province or self.arguments.one_province or self.site.province},
        )

    def parse_listing(self, response: Response, page: int, previous: str = "") -> Iterator[Request]:
        """Follow article links in page order (newest first), then the next page.

        Pagination stops at ``max_pages``, and at a page that repeats the previous one link for
        link (a CMS that serves its last page for any page number: endless pagination). A
        listing without article links is warned about and counted
        (``newscrawler/failed/listing_no_links``): the layout has probably changed.
        """
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            return
        stats.inc_value("newscrawler/pages/listing")
        selectors = self.site.selectors
        # one XPath for every link (not one per element: 100,000 links took a minute)
        scope = self.discovery.link_scope(response)  # a page of 100,000 links: its start
        hrefs = self.listing_hrefs(scope)
        articles = self.discovery.article_links(response, hrefs, "listing")
        with contextlib.suppress(AttributeError):  # a response built without a request
            response.meta["listing_links"] = articles  # read by the incremental middleware
        if not articles:
            self._no_article_links(response, len(hrefs))
        digest = hashlib.sha256("\n".join(articles).encode()).hexdigest()[:16] if articles else ""
        if digest and digest == previous:
            stats.inc_value("newscrawler/listing/stalled")
            self.logger.info(
                "%s: listing %s repeats the previous page: pagination stops here",
                self.name,
                response.url,
            )
            return
        base_priority = 100 - page * 10
        province = _listing_province(response)
        for url in articles:
            if self._quota_reached():
                return
            request = self._article_request(url, base_priority, province=province)
            if request is not None:
                yield request
        if not selectors.next_page:
            return
        next_href = response.css(selectors.next_page).xpath("@href").get()
        if not next_href:
            return
        if page >= self.arguments.max_pages:
            stats.inc_value("newscrawler/listing/max_pages_reached")
            return
        next_url = response.urljoin(next_href)
        if not same_site(next_url, urlsplit(self.site.base_url).hostname or ""):
            count_skip(self.crawler, "offsite", 1, "not following next page %s: off-site", next_url)
            return
        yield self.request(
            next_url,
            self.parse_listing,
            "listing",
            cb_kwargs={"page": page + 1, "previous": digest},
            priority=base_priority - 5,
            # pagination adds no depth: max_pages bounds it, not DEPTH_LIMIT
            meta={"depth_reset": True, "province_hint": province},
        )

    def listing_hrefs(self, scope: Any) -> list[str]:
        """The candidate article links of a listing (its profile's teaser links)."""
        hrefs: list[str] = scope.xpath(
            f"({css2xpath(self.site.selectors.article_links)})/@href"
        ).getall()
        return hrefs

    def _no_article_links(self, response: Response, links: int) -> None:
        """A listing without article links: warned about and counted, the layout has probably
        changed (``newscrawler/failed/listing_no_links``, health ``listing_no_links``)."""
        selector = self.site.selectors.article_links
        self.logger.warning(
            "%s: no article links on listing %s (selector %r matched %d links): "
            "has the layout changed?",
            self.name,
            response.url,
            selector,
            links,
        )
        self.crawler.stats.inc_value("newscrawler/listing/empty")
        self.crawler.stats.inc_value("newscrawler/failed/listing_no_links")
        mark_health(self.crawler, "listing_no_links")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """RSS 2.0 ``item/link`` and Atom ``entry/link``, with their dates for ``since``, each
        entry on its own (:meth:`Discovery.feed`)."""
        self.crawler.stats.inc_value("newscrawler/pages/feed")
        return self.discovery.feed(response, _feed_date)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Sitemap indexes (within the run's sitemap budget), urlsets, Google News sitemaps,
        gzipped or not, each entry on its own (:meth:`Discovery.sitemap`)."""
        self.crawler.stats.inc_value("newscrawler/pages/sitemap")
        return self.discovery.sitemap(response)

    # articles ---------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        """The article on the page, extracted in this process or by a worker process on another
        core when pages come fast (:class:`~newscrawler.crawl.extraction_pool.ExtractionPool`)."""
        if not isinstance(response, TextResponse):  # normally rejected before (PageCheck)
            self.crawler.stats.inc_value("newscrawler/failed/not_html")
            self.logger.warning("%s: %s is not an HTML page, skipped", self.name, response.url)
            return
        self.crawler.stats.inc_value("newscrawler/pages/article")
        try:
            article = await self.extraction.extract(
                response.text,
                response.url,
                now=datetime.now(TEHRAN),
                province_hint=response.meta.get("province_hint"),
                source=utf8_source(response.body, response.encoding, response.text),
            )
        except NotAnArticle as reason:  # a site without a profile: a home or section page
            self.crawler.stats.inc_value("newscrawler/failed/not_article")
            self.logger.info("%s: %s is not an article: %s", self.name, response.url, reason)
            return
        except Exception as error:  # one page the extraction cannot take (HTML 100,000 deep)
            self.crawler.stats.inc_value("newscrawler/failed/extraction_error")
            why = " ".join(f"{type(error).__name__}: {error}".split())[:300]
            self.logger.warning(
                "%s: article %s failed: extraction_error (%s)", self.name, response.url, why
            )
            self.logger.debug("extraction error on %s", response.url, exc_info=error)
            return
        yield article


def _listing_province(response: Response) -> str | None:
    """The province slug of the listing a response is (from its request), if it has one."""
    try:
        hint = response.meta.get("province_hint")
    except AttributeError:  # a response built without a request
        return None
    return str(hint) if hint else None


def _feed_date(raw: str | None) -> datetime | None:
    """A feed entry's date (ISO 8601 or RFC 822); ``None``, never an error, when it is neither
    or out of range (year 9999, year 1: :mod:`newscrawler.persian.dates`)."""
    if not raw:
        return None
    return parse_iso(raw) or parse_rfc822(raw)


def site_of(spider: object) -> SiteProfile | None:
    """The profile a news spider crawls (rebased on ``base_url``); ``None`` for any other spider
    (``scrapy shell``, a test's plain spider): components then skip their site checks."""
    return spider.site if isinstance(spider, NewsSpider) else None


def arguments_of(spider: object) -> CrawlArguments:
    """The parsed arguments of a news spider; the defaults for any other spider."""
    return spider.arguments if isinstance(spider, NewsSpider) else CrawlArguments()
