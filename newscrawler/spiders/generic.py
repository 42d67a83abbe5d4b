"""``scrapy crawl generic``: a Persian news site nobody wrote a profile for.

    scrapy crawl generic -a start_url=https://www.example.ir/
    scrapy crawl generic -a site=example.ir -a province=kerman
    scrapy crawl generic -a site=a.ir,b.ir          # one crawl per site, in one process
    scrapy crawl generic -a sites_file=hosts.txt    # one host (or URL) per line

The same crawl as a profiled site's (politeness, state, incremental stop, dedupe, syndication,
manifests, exit statuses: :class:`~newscrawler.spiders.news.NewsSpider` does it all), with a
profile made from the host (:mod:`newscrawler.sites.unknown`): the site's name is its host,
article links are told apart by their URL shapes, and each page is extracted with the CMS family
its markup shows, else the generic extractor; a page that is not an article is counted
(``failed/not_article``), never written. A host in the registry of regional portals
(:mod:`newscrawler.sites.registry`) brings its family, feeds, sitemaps and province.

Discovery: the start page (the home page unless ``start_url`` says otherwise) as a listing, its
``<link rel="alternate">`` feeds and its menu's section pages (each a listing with pagination),
the ``Sitemap:`` lines of robots.txt, and the usual feed and sitemap locations, tried once each:
a location the site does not have is counted as ``discovery/probe_missing``, not as a failure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse

from newscrawler.sites.profile import PROVINCES
from newscrawler.sites.unknown import UnknownSiteProfile, site_name, unknown_site
from newscrawler.spiders.arguments import CrawlArguments, SpiderArgumentError, http_url
from newscrawler.spiders.news import NewsSpider

#: Feed and sitemap locations news CMSs use, tried when the site names none.
FEED_PROBES = ("/feed", "/rss", "/rss.xml", "/fa/rss")
SITEMAP_PROBES = ("/sitemap.xml", "/sitemap_index.xml")
#: Section pages taken from the start page's menus.
MAX_SECTIONS = 20
#: Links outside the site's navigation (menus, header, footer).
_CONTENT_LINKS = (
    "//a[@href][not(ancestor::nav or ancestor::header or ancestor::footer"
    " or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' menu ')"
    " or contains(@class, 'navbar') or contains(@class, 'topnav') or @id='menu'])]/@href"
)
#: Request meta key of a section page found in a menu.
SECTION = "generic_section"
_MENUS = "nav a, header a, .menu a, #menu a, .nav a, ul.navbar-nav a, .main-menu a"
_NEXT = "link[rel=next], a[rel=next], .pagination a.next, a.next, .pager a.next"
_ALTERNATE = (
    "link[rel=alternate][type='application/rss+xml'], "
    "link[rel=alternate][type='application/atom+xml']"
)


def hosts_of(site: str | None = None, sites_file: str | None = None) -> list[str]:
    """The sites a ``generic`` crawl was asked for, as URLs (``https://`` when no scheme)."""
    raw: list[str] = []
    if site:
        raw += site.split(",")
    if sites_file:
        path = Path(sites_file)
        if not path.is_file():
            raise SpiderArgumentError(f"sites_file={sites_file!r}: no such file")
        raw += path.read_text(encoding="utf-8").splitlines()
    urls = []
    for entry in (e.strip() for e in raw):
        if not entry or entry.startswith("#"):
            continue
        url = entry if "//" in entry else f"https://{entry}"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in entry:
            raise SpiderArgumentError(f"{entry!r} is not a host name or an http(s) URL")
        urls.append(f"{parts.scheme}://{parts.netloc}/")
    return urls


def profile_for(url: str, province: str | None = None) -> UnknownSiteProfile:
    """The profile of the site at ``url``: the registry's row when it has one."""
    from newscrawler.sites.registry import portal

    row = portal(urlsplit(url).hostname or "")
    if row is None:
        return unknown_site(url, province=province)
    return unknown_site(
        url,
        family=row.cms,
        province=province or row.province,
        feeds=tuple(row.feeds),
        sitemaps=tuple(row.sitemaps),
        title=row.name,
    )


class GenericSpider(NewsSpider):
    """Crawls one site without a profile (module docstring)."""

    name = "generic"
    ARGUMENTS = NewsSpider.ARGUMENTS | {"site", "sites_file"}

    @classmethod
    def site_urls(cls, **kwargs: Any) -> list[str]:
        """The sites one ``scrapy crawl generic`` was asked for (several: one crawl each)."""
        urls = hosts_of(kwargs.get("site"), kwargs.get("sites_file"))
        if kwargs.get("start_url"):
            if urls:
                raise SpiderArgumentError("give start_url= or site=/sites_file=, not both")
            parts = urlsplit(http_url("start_url", kwargs["start_url"]))
            urls = [f"{parts.scheme}://{parts.netloc}/"]
        if not urls:
            raise SpiderArgumentError(
                "generic needs a site: -a start_url=https://<site>/ or -a site=<host>[,<host>…]"
                " or -a sites_file=<file>"
            )
        return urls

    @classmethod
    def profile_of(cls, **kwargs: Any) -> UnknownSiteProfile:
        urls = cls.site_urls(**kwargs)
        if len(urls) > 1:
            raise SpiderArgumentError("one site per generic spider: scrapy crawl splits the list")
        province = kwargs.get("province")
        if province is not None and province not in PROVINCES:
            raise SpiderArgumentError(
                f"province={province!r} is not a province slug; known: {', '.join(PROVINCES)}"
            )
        return profile_for(urls[0], province)

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> CrawlArguments:
        profile = cls.profile_of(**kwargs)
        rest = {k: v for k, v in kwargs.items() if k not in ("site", "sites_file")}
        return CrawlArguments.parse(profile, **rest)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = self.site.name  # the site's host: ids, state and output folders

    def run_profile(self, raw: dict[str, Any]) -> UnknownSiteProfile:
        return self.profile_of(**raw)

    # discovery ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        start_url = self.arguments.start_url
        if start_url and self.site.news_id(start_url) is not None:
            yield self.request(start_url, self.parse_any, "article", dont_filter=True)
            return
        base = self.site.base_url
        home = start_url or base + "/"
        if "listing" in self.arguments.sources or "feed" in self.arguments.sources:
            yield self.request(home, self.parse_home, "listing", priority=10)
        if "sitemap" in self.arguments.sources:
            yield self.request(base + "/robots.txt", self.parse_robots, "sitemap", priority=30)
            for path in self.site.sitemaps or SITEMAP_PROBES:
                request = self.discovery.sitemap_request(base + path, depth=0)
                if request is not None:
                    yield request.replace(errback=self.on_probe_missing)
        if "feed" in self.arguments.sources:
            for path in self.site.feeds or FEED_PROBES:
                yield self.request(
                    base + path, self.parse_feed, "feed", priority=20, errback=self.on_probe_missing
                )

    def request(self, url: str, callback: Any, kind: str, **kwargs: Any) -> Request:
        errback = kwargs.pop("errback", None)
        request = super().request(url, callback, kind, **kwargs)
        return request.replace(errback=errback) if errback else request

    def on_probe_missing(self, failure: Any) -> None:
        """A usual feed or sitemap location the site does not have: counted, not a failure."""
        self.crawler.stats.inc_value("newscrawler/discovery/probe_missing")
        self.logger.debug("%s: no %s", self.name, failure.request.url)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """The ``Sitemap:`` lines of robots.txt."""
        if not isinstance(response, TextResponse):
            return
        for line in response.text.splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap" and value.strip():
                request = self.discovery.sitemap_request(response.urljoin(value.strip()), 0)
                if request is not None:
                    yield request

    def parse_home(self, response: Response) -> Iterator[Request]:
        """The start page: its feeds, its articles and pagination, its menu's sections."""
        if not isinstance(response, TextResponse):
            return
        if "feed" in self.arguments.sources:
            for href in response.css(_ALTERNATE).xpath("@href").getall():
                yield self.request(response.urljoin(href), self.parse_feed, "feed", priority=20)
        if "listing" not in self.arguments.sources:
            return
        yield from self.parse_listing(response, page=1)
        yield from self.section_requests(response)

    def section_requests(self, response: TextResponse) -> Iterator[Request]:
        """The site's own section pages linked from the start page's menus (at most
        :data:`MAX_SECTIONS`), each a listing with its pagination."""
        seen: set[str] = {response.url}
        for href in response.css(_MENUS).xpath("@href").getall():
            url = response.urljoin(href).split("#", 1)[0]
            if url in seen or not self._is_section(url):
                continue
            seen.add(url)
            if len(seen) > MAX_SECTIONS:
                break
            yield self.request(
                url,
                self.parse_listing,
                "listing",
                cb_kwargs={"page": 1},
                priority=5,
                meta={SECTION: True},
            )

    def listing_hrefs(self, scope: Any) -> list[str]:
        """Every link of the page's content: links in menus, headers and footers are the
        site's navigation (its «about us», a TV schedule under the article URL shape), not
        teasers; the menus' sections are followed as listings (:meth:`section_requests`)."""
        hrefs: list[str] = scope.xpath(_CONTENT_LINKS).getall()
        return hrefs

    def _no_article_links(self, response: Response, links: int) -> None:
        """A menu page without article links (about us, a tag cloud) is no sign of a changed
        layout here: counted, not warned about; only the start page without any is."""
        if response.meta.get(SECTION):
            self.crawler.stats.inc_value("newscrawler/discovery/section_without_articles")
            return
        super()._no_article_links(response, links)

    def _is_section(self, url: str) -> bool:
        base, parts = urlsplit(self.site.base_url), urlsplit(url)
        return (
            parts.scheme in ("http", "https")
            and (parts.hostname or "").removeprefix("www.")
            == (base.hostname or "").removeprefix("www.")
            and parts.port == base.port
            and self.site.news_id(url) is None
            and not (self._deny and self._deny.search(parts.path))
        )


def site_names(**kwargs: Any) -> list[str]:
    """The output names of the sites a ``generic`` crawl was asked for."""
    return [site_name(url) for url in GenericSpider.site_urls(**kwargs)]
