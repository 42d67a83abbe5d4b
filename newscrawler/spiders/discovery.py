"""Feeds and sitemaps → article requests, one entry at a time and within budgets.

Used by :class:`~newscrawler.spiders.news.NewsSpider` (its ``parse_feed`` and ``parse_sitemap``
callbacks delegate here). What a hostile or broken feed or sitemap cannot do (docs/faults.md):

* stop the whole page: an entry that raises (an out-of-range date, anything) is skipped and
  counted (``newscrawler/skipped/bad_entry``, one warning per page); the other entries are
  still requested;
* make unbounded work: at most ``NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS`` sitemap documents per run
  (``skipped/sitemap_budget``), indexes nested at most ``NEWSCRAWLER_SITEMAP_MAX_DEPTH`` deep
  (``skipped/sitemap_depth``), at most ``NEWSCRAWLER_MAX_LINKS_PER_PAGE`` article links taken
  from one listing, feed or sitemap (``skipped/links_per_page``); each warned about once per run;
* hide behind gzip: a ``.xml.gz`` sitemap served as ``application/x-gzip`` is decompressed (up
  to ``DOWNLOAD_MAXSIZE``, as Scrapy's SitemapSpider does; beyond it ``failed/too_large``); a
  sitemap that is not one is counted (``failed/not_a_sitemap``), not read as empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.selector import Selector
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.gz import gunzip

from newscrawler.crawl.limits import count_skip
from newscrawler.extraction.urls import same_site
from newscrawler.persian.dates import parse_iso

if TYPE_CHECKING:
    from scrapy.http import Request, Response, TextResponse
    from scrapy.settings import BaseSettings

    from newscrawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

#: Request meta key: how many sitemap indexes lie above a sitemap (the site's own are 0).
SITEMAP_DEPTH = "sitemap_depth"
#: Priority of feed and sitemap article requests, and of sitemap requests.
ARTICLE_PRIORITY = 90
SITEMAP_PRIORITY = 20
#: A listing's anchors examined per article link it may give (``link_scope``).
ANCHORS_PER_LINK = 5
_ANCHOR = re.compile(r"<a[\s>]", re.IGNORECASE)

Entry = TypeVar("Entry")
#: An entry's article link and its date (``None``: not an article of this site).
Found = tuple[str, datetime | None] | None


@dataclass(frozen=True)
class DiscoveryLimits:
    """The budgets of one run (their defaults and meaning: ``newscrawler/settings.py``)."""

    sitemap_max_documents: int
    sitemap_max_depth: int
    max_links_per_page: int
    max_body: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DiscoveryLimits:
        return cls(
            sitemap_max_documents=settings.getint("NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS"),
            sitemap_max_depth=settings.getint("NEWSCRAWLER_SITEMAP_MAX_DEPTH"),
            max_links_per_page=settings.getint("NEWSCRAWLER_MAX_LINKS_PER_PAGE"),
            max_body=settings.getint("DOWNLOAD_MAXSIZE"),
        )


def _meta(response: Response) -> dict[str, Any]:
    try:
        return response.meta
    except AttributeError:  # a response built without a request (tests, parse_any)
        return {}


def _local(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


class Discovery:
    """Discovery state of one spider in one run: sitemaps requested, budgets."""

    def __init__(self, spider: NewsSpider, limits: DiscoveryLimits) -> None:
        self.spider = spider
        self.limits = limits
        self.sitemaps_requested = 0

    @property
    def _host(self) -> str:
        return urlsplit(self.spider.site.base_url).hostname or self.spider.site.domain

    def _fail(self, reason: str, kind: str, url: str, detail: str) -> None:
        assert self.spider.crawler.stats is not None
        self.spider.crawler.stats.inc_value(f"newscrawler/failed/{reason}")
        self.spider.logger.warning(
            "%s: %s %s failed (%s: %s)", self.spider.name, kind, url, reason, detail
        )

    # budgets ------------------------------------------------------------------------------

    def sitemap_request(self, url: str, depth: int) -> Request | None:
        """A request for a sitemap ``depth`` indexes below the site's own, or ``None`` (counted)
        when it is off-site, too deep or over the run's sitemap budget."""
        crawler, limits = self.spider.crawler, self.limits
        if not same_site(url, self._host):
            count_skip(crawler, "offsite", 1, "not following sitemap %s: off-site", url)
            return None
        if depth > limits.sitemap_max_depth:
            count_skip(
                crawler,
                "sitemap_depth",
                1,
                "not following sitemap %s: nested deeper than NEWSCRAWLER_SITEMAP_MAX_DEPTH=%d",
                url,
                limits.sitemap_max_depth,
            )
            return None
        if self.sitemaps_requested >= limits.sitemap_max_documents:
            count_skip(
                crawler,
                "sitemap_budget",
                1,
                "not following sitemap %s: NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS=%d sitemaps "
                "requested in this run already (a sitemap trap?)",
                url,
                limits.sitemap_max_documents,
            )
            return None
        self.sitemaps_requested += 1
        return self.spider.request(
            url,
            self.spider.parse_sitemap,
            "sitemap",
            priority=SITEMAP_PRIORITY,
            meta={SITEMAP_DEPTH: depth},
        )

    def link_scope(self, response: TextResponse) -> Selector:
        """The part of a listing whose links are examined: all of it, or, on a page with more
        than ``ANCHORS_PER_LINK`` × ``NEWSCRAWLER_MAX_LINKS_PER_PAGE`` anchors, the page up to
        that many (the anchors after it are counted as ``skipped/links_per_page``). libxml2
        matches a descendant selector (``.post-list h2 a``) in time quadratic in the matches:
        100,000 links took a minute of CPU before any article was requested."""
        limit = ANCHORS_PER_LINK * self.limits.max_links_per_page
        starts = [match.start() for match in _ANCHOR.finditer(response.text)]
        if len(starts) <= limit:
            return response.selector
        self._count_cut(len(starts) - limit, "listing", response.url)
        return Selector(text=response.text[: starts[limit]], type="html")

    def article_links(self, response: Response, hrefs: list[str], kind: str) -> list[str]:
        """The distinct article links of a page, in page order, at most
        ``NEWSCRAWLER_MAX_LINKS_PER_PAGE``: the links after them are not examined, and counted
        (``skipped/links_per_page``)."""
        cap = self.limits.max_links_per_page
        found: dict[str, None] = {}
        distinct = list(dict.fromkeys(hrefs))
        for index, href in enumerate(distinct):
            if len(found) >= cap:
                self._count_cut(len(distinct) - index, kind, response.url)
                break
            url = response.urljoin(href)
            if self.spider._is_article_link(url):
                found[url] = None
        return list(found)

    def _count_cut(self, cut: int, kind: str, url: str) -> None:
        count_skip(
            self.spider.crawler,
            "links_per_page",
            cut,
            "%d links of %s %s not examined: over NEWSCRAWLER_MAX_LINKS_PER_PAGE=%d article links",
            cut,
            kind,
            url,
            self.limits.max_links_per_page,
        )

    # entries, one at a time ---------------------------------------------------------------

    def _entries(
        self,
        response: Response,
        kind: str,
        entries: Iterable[Entry],
        link_of: Callable[[Entry], Found],
    ) -> Iterator[Request]:
        """Article requests for the entries of a feed or urlset, each on its own: an entry that
        raises is skipped and counted, and the page goes on."""
        spider = self.spider
        taken = cut = 0
        bad: list[Exception] = []
        for entry in entries:
            if taken >= self.limits.max_links_per_page:
                cut += 1  # not examined
                continue
            try:
                found = link_of(entry)
                if found is None:
                    continue
                taken += 1
                request = spider._article_request(found[0], ARTICLE_PRIORITY, found[1])
            except Exception as exc:
                bad.append(exc)
                continue
            if request is not None:
                yield request
        self._count_cut(cut, kind, response.url)
        self._count_bad(bad, kind, response.url)

    def _count_bad(self, bad: list[Exception], kind: str, url: str) -> None:
        if not bad:
            return
        assert self.spider.crawler.stats is not None
        self.spider.crawler.stats.inc_value("newscrawler/skipped/bad_entry", len(bad))
        self.spider.logger.warning(
            "%s: %d bad entr%s skipped in %s %s, the others are followed (first: %r)",
            self.spider.name,
            len(bad),
            "y" if len(bad) == 1 else "ies",
            kind,
            url,
            bad[0],
        )

    # feeds --------------------------------------------------------------------------------

    def feed(
        self, response: Response, date_of: Callable[[str | None], datetime | None]
    ) -> Iterator[Request]:
        """RSS 2.0 ``item/link`` and Atom ``entry/link``, with their dates for ``since``."""
        sel = scrapy.Selector(body=response.body, type="xml")
        sel.remove_namespaces()

        def link_of(entry: scrapy.Selector) -> Found:
            link = entry.xpath("./link/text()").get() or entry.xpath("./link/@href").get()
            if not link:
                return None
            url = response.urljoin(link.strip())
            if not self.spider._is_article_link(url):
                return None
            raw = entry.xpath("./pubDate/text() | ./published/text() | ./updated/text()").get()
            return url, date_of(raw)

        yield from self._entries(response, "feed", sel.xpath("//item | //entry"), link_of)

    # sitemaps -----------------------------------------------------------------------------

    def sitemap_body(self, response: Response) -> bytes | None:
        """The XML of a sitemap, gunzipped when it came gzipped (``.xml.gz`` served as
        ``application/x-gzip``: Scrapy only decompresses a gzip ``Content-Encoding``);
        ``None`` (counted) when it cannot be read within ``DOWNLOAD_MAXSIZE``."""
        body = response.body
        if body[:2] != b"\x1f\x8b":
            return body
        max_size = int(_meta(response).get("download_maxsize", self.limits.max_body))
        try:
            return gunzip(body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            detail = f"over DOWNLOAD_MAXSIZE={max_size} bytes once decompressed"
            self._fail("too_large", "sitemap", response.url, detail)
        except Exception as exc:
            self._fail("not_a_sitemap", "sitemap", response.url, f"bad gzip data: {exc!r}")
        return None

    def sitemap(self, response: Response) -> Iterator[Request]:
        """Sitemap indexes, urlsets and Google News sitemaps (``news:publication_date`` is read
        here because Scrapy's sitemap parser drops it)."""
        body = self.sitemap_body(response)
        if body is None:
            return
        try:
            parser = etree.XMLParser(resolve_entities=False, recover=True)
            root = etree.fromstring(body, parser=parser)
        except etree.XMLSyntaxError:
            root = None
        name = _local(root) if root is not None else ""
        if name == "sitemapindex":
            yield from self._index(root, response)
        elif name == "urlset":
            yield from self._entries(response, "sitemap", root, self._url_entry(response))
        else:
            what = f"root element <{name}>" if name else "not XML"
            self._fail("not_a_sitemap", "sitemap", response.url, what)

    def _index(self, root: Any, response: Response) -> Iterator[Request]:
        """The sitemaps an index names, newest first, within the depth and document budget."""
        depth = int(_meta(response).get(SITEMAP_DEPTH, 0)) + 1
        children: list[tuple[datetime, str]] = []
        bad: list[Exception] = []
        for node in root:
            try:
                loc = next((c.text for c in node if _local(c) == "loc"), None)
                lastmod = next((c.text for c in node if _local(c) == "lastmod"), None)
                if loc:
                    when = parse_iso(lastmod or "") or datetime.min.replace(tzinfo=UTC)
                    children.append((when.astimezone(UTC), response.urljoin(loc.strip())))
            except Exception as exc:
                bad.append(exc)
        self._count_bad(bad, "sitemap index", response.url)
        for _, url in sorted(children, reverse=True):  # newest sitemap first
            request = self.sitemap_request(url, depth)
            if request is not None:
                yield request

    def _url_entry(self, response: Response) -> Callable[[Any], Found]:
        def link_of(node: Any) -> Found:
            if _local(node) != "url":
                return None
            loc = None
            raw: dict[str, str] = {}
            for child in node.iter():
                name = _local(child)
                if name == "loc" and child.text:
                    loc = child.text.strip()
                elif name in ("publication_date", "lastmod") and child.text:
                    raw[name] = child.text.strip()
            if not loc:
                return None
            url = response.urljoin(loc)
            if not self.spider._is_article_link(url):
                return None
            dates = {name: parse_iso(text) for name, text in raw.items()}
            # the publication date decides «since»; lastmod only when there is no news tag
            return url, dates.get("publication_date") or dates.get("lastmod")

        return link_of
