"""Hostile discovery (issue 14, items 1, 5, 8, 11): one bad entry, silent caps, unbounded work,
a start URL on another host. Sitemaps, feeds and listings parsed from built responses."""

from __future__ import annotations

import gzip
import importlib
import importlib.util
from datetime import datetime
from typing import Any

import pytest
from scrapy.http import Request, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object

import newscrawler.spiders.news as news_module
from newscrawler.persian import dates
from newscrawler.spiders.arguments import CrawlArguments, SpiderArgumentError
from newscrawler.spiders.profiled import CafekhabarqazvinSpider
from tests.support.crawl import project_crawler

BASE = "https://cafekhabarqazvin.ir"
BAD = "9999-12-31T23:59:59Z"


def spider(**settings: Any) -> CafekhabarqazvinSpider:
    crawler = project_crawler(CafekhabarqazvinSpider, **settings)
    made = CafekhabarqazvinSpider.from_crawler(crawler)
    crawler.spider = made
    assert isinstance(made, CafekhabarqazvinSpider)
    return made


def stat(crawl: CafekhabarqazvinSpider, key: str) -> Any:
    return crawl.crawler.stats.get_value(f"newscrawler/{key}")


def urls(requests: Any) -> list[str]:
    return [r.url for r in requests if isinstance(r, Request)]


def urlset(entries: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in entries)
    return (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</urlset>"
    ).encode()


def index(locations: list[str], lastmod: str = "2024-05-01T00:00:00Z") -> bytes:
    body = "".join(
        f"<sitemap><loc>{u}</loc><lastmod>{lastmod}</lastmod></sitemap>" for u in locations
    )
    return (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</sitemapindex>"
    ).encode()


@pytest.fixture
def date_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """The date parsers raise for year 9999, wherever the spider reads them from."""
    real_iso, real_feed = dates.parse_iso, news_module._feed_date

    def parse_iso(text: str) -> datetime | None:
        if text.startswith("9999") or "9999" in text:
            raise OverflowError("date value out of range")
        return real_iso(text)

    def feed_date(raw: str | None) -> datetime | None:
        if raw and "9999" in raw:
            raise OverflowError("date value out of range")
        return real_feed(raw)

    for name in ("newscrawler.spiders.news", "newscrawler.spiders.discovery"):
        if importlib.util.find_spec(name) is not None:  # where the spider reads dates from
            monkeypatch.setattr(
                importlib.import_module(name), "parse_iso", parse_iso, raising=False
            )
    monkeypatch.setattr(news_module, "_feed_date", feed_date)


# item 1: one bad entry ------------------------------------------------------------------


@pytest.mark.usefixtures("date_raises")
def test_a_sitemap_entry_that_raises_is_skipped_and_counted_the_others_requested() -> None:
    crawl = spider()
    body = urlset(
        [
            (f"{BASE}/news/2001/", "2024-05-01T00:00:00Z"),
            (f"{BASE}/news/2002/", BAD),
            (f"{BASE}/news/2003/", "2024-05-02T00:00:00Z"),
        ]
    )
    found = urls(crawl.parse_sitemap(XmlResponse(f"{BASE}/sitemap.xml", body=body)))
    assert found == [f"{BASE}/news/2001/", f"{BASE}/news/2003/"]
    assert stat(crawl, "skipped/bad_entry") == 1


@pytest.mark.usefixtures("date_raises")
def test_a_sitemap_index_entry_that_raises_does_not_stop_the_index() -> None:
    crawl = spider()
    body = (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{BASE}/a.xml</loc><lastmod>{BAD}</lastmod></sitemap>"
        f"<sitemap><loc>{BASE}/b.xml</loc><lastmod>2024-05-01T00:00:00Z</lastmod></sitemap>"
        "</sitemapindex>"
    ).encode()
    found = urls(crawl.parse_sitemap(XmlResponse(f"{BASE}/sitemap.xml", body=body)))
    assert found == [f"{BASE}/b.xml"]
    assert stat(crawl, "skipped/bad_entry") == 1


@pytest.mark.usefixtures("date_raises")
def test_a_feed_entry_that_raises_is_skipped_and_counted_the_others_requested() -> None:
    crawl = spider()
    items = "".join(
        f"<item><link>{BASE}/news/{n}/</link><pubDate>{d}</pubDate></item>"
        for n, d in (
            (3001, "Mon, 13 May 2024 08:00:00 +0000"),
            (3002, "Fri, 31 Dec 9999 23:59:59 GMT"),
            (3003, "Tue, 14 May 2024 08:00:00 +0000"),
        )
    )
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    response = TextResponse(f"{BASE}/feed/", body=rss.encode(), encoding="utf-8")
    assert urls(crawl.parse_feed(response)) == [f"{BASE}/news/3001/", f"{BASE}/news/3003/"]
    assert stat(crawl, "skipped/bad_entry") == 1


# item 5: gzip sitemaps, counted limits --------------------------------------------------


def test_a_gzipped_sitemap_served_as_x_gzip_is_read() -> None:
    crawl = spider()
    body = gzip.compress(urlset([(f"{BASE}/news/{n}/", "2024-05-01T00:00:00Z") for n in (41, 42)]))
    response = Response(
        f"{BASE}/sitemap-1.xml.gz", body=body, headers={"Content-Type": "application/x-gzip"}
    )
    assert urls(crawl.parse_sitemap(response)) == [f"{BASE}/news/41/", f"{BASE}/news/42/"]


def test_a_gzip_bomb_sitemap_is_cut_at_download_maxsize_and_counted() -> None:
    crawl = spider(DOWNLOAD_MAXSIZE=10_000)
    entries = [(f"{BASE}/news/{n}/", "2024-05-01T00:00:00Z") for n in range(100, 2000)]
    response = Response(f"{BASE}/big.xml.gz", body=gzip.compress(urlset(entries)))
    assert urls(crawl.parse_sitemap(response)) == []
    assert stat(crawl, "failed/too_large") == 1


def test_a_sitemap_that_is_not_one_is_counted() -> None:
    crawl = spider()
    html = b"<html><body><p>Not found</p></body></html>"
    assert urls(crawl.parse_sitemap(TextResponse(f"{BASE}/sitemap.xml", body=html))) == []
    assert urls(crawl.parse_sitemap(Response(f"{BASE}/s.xml.gz", body=b"\x1f\x8bnot gzip"))) == []
    assert stat(crawl, "failed/not_a_sitemap") == 2


def spider_middlewares(crawl: CafekhabarqazvinSpider, *kinds: type) -> list[Any]:
    """The project's spider middlewares of these kinds, as ``scrapy crawl`` builds them."""
    settings = crawl.crawler.settings
    paths = build_component_list(settings.getwithbase("SPIDER_MIDDLEWARES"))
    classes = [load_object(path) for path in paths]
    return [build_from_crawler(cls, crawl.crawler) for cls in classes if issubclass(cls, kinds)]


def listing(links: list[str], next_href: str | None = None) -> bytes:
    items = "".join(
        f'<article><h2 class="entry-title"><a href="{u}">x</a></h2></article>' for u in links
    )
    nav = f'<a class="next page-numbers" href="{next_href}">بعدی</a>' if next_href else ""
    return f"<html><body>{items}{nav}</body></html>".encode()


def test_pagination_is_not_cut_by_depth_limit_and_depth_cuts_are_counted() -> None:
    crawl = spider()
    crawl.arguments = CrawlArguments.parse(crawl.profile, max_pages="200")
    (depth,) = spider_middlewares(crawl, DepthMiddleware)
    page = TextResponse(
        f"{BASE}/page/25/",
        body=listing([f"{BASE}/news/25/"], f"{BASE}/page/26/"),
        request=Request(f"{BASE}/page/25/", meta={"depth": 1}),
    )
    page.meta["depth"] = 20  # as deep as DEPTH_LIMIT: its links would be at 21
    article, following = list(crawl.parse_listing(page, page=25))
    assert following.url == f"{BASE}/page/26/"
    assert depth.get_processed_request(following, page) is following  # pagination: no depth
    assert depth.get_processed_request(article, page) is None
    assert stat(crawl, "skipped/depth_limit") == 1


def test_urls_over_the_length_limit_are_counted() -> None:
    crawl = spider()
    (length,) = spider_middlewares(crawl, UrlLengthMiddleware)
    long_url = f"{BASE}/news/7/" + "a" * 2100
    response = TextResponse(f"{BASE}/", body=b"<html></html>")
    assert length.get_processed_request(Request(long_url), response) is None
    assert length.get_processed_request(Request(f"{BASE}/news/8/"), response) is not None
    assert stat(crawl, "skipped/url_too_long") == 1


def test_a_next_page_on_another_host_is_counted() -> None:
    crawl = spider()
    response = TextResponse(
        f"{BASE}/", body=listing([f"{BASE}/news/90/"], "https://elsewhere.example/page/2/")
    )
    assert urls(crawl.parse_listing(response, page=1)) == [f"{BASE}/news/90/"]
    assert stat(crawl, "skipped/offsite") == 1


# item 8: budgets ------------------------------------------------------------------------


def test_sitemap_documents_per_run_are_bounded_and_counted() -> None:
    crawl = spider(NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS=3)
    body = index([f"{BASE}/sitemap-{n}.xml" for n in range(5)])
    found = urls(crawl.parse_sitemap(XmlResponse(f"{BASE}/sitemap.xml", body=body)))
    assert len(found) == 3
    assert stat(crawl, "skipped/sitemap_budget") == 2
    # later indexes get nothing more
    again = urls(crawl.parse_sitemap(XmlResponse(f"{BASE}/sitemap-0.xml", body=body)))
    assert again == []
    assert stat(crawl, "skipped/sitemap_budget") == 7


def test_nested_sitemap_indexes_are_bounded_in_depth_and_counted() -> None:
    crawl = spider(NEWSCRAWLER_SITEMAP_MAX_DEPTH=2)
    body = index([f"{BASE}/s-{n}.xml" for n in range(4)])
    level1 = Request(f"{BASE}/s.xml", meta={"sitemap_depth": 1})
    found = urls(crawl.parse_sitemap(XmlResponse(level1.url, body=body, request=level1)))
    assert len(found) == 4  # depth 2: allowed
    level2 = Request(f"{BASE}/s-0.xml", meta={"sitemap_depth": 2})
    assert urls(crawl.parse_sitemap(XmlResponse(level2.url, body=body, request=level2))) == []
    assert stat(crawl, "skipped/sitemap_depth") == 4


def test_article_links_per_listing_feed_and_sitemap_are_capped_and_counted() -> None:
    crawl = spider(NEWSCRAWLER_MAX_LINKS_PER_PAGE=10)
    links = [f"{BASE}/news/{n}/" for n in range(1000, 1050)]
    page = TextResponse(f"{BASE}/", body=listing(links))
    assert urls(crawl.parse_listing(page, page=1)) == links[:10]
    sitemap = XmlResponse(f"{BASE}/sitemap.xml", body=urlset([(u, "2024-05-01") for u in links]))
    assert len(urls(crawl.parse_sitemap(sitemap))) == 10
    items = "".join(f"<item><link>{u}</link></item>" for u in links)
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    assert len(urls(crawl.parse_feed(TextResponse(f"{BASE}/feed/", body=rss.encode())))) == 10
    assert stat(crawl, "skipped/links_per_page") == 3 * 40


# item 11: start_url on another host -----------------------------------------------------


@pytest.mark.parametrize(
    ("start_url", "base_url"),
    [
        ("https://elsewhere.example/news/1/", None),
        ("https://cafekhabarqazvin.ir.evil.example/news/1/", None),
        ("https://cafekhabarqazvin.ir/news/1/", "http://127.0.0.1:8000"),  # not the mirror
    ],
)
def test_a_start_url_on_another_host_is_refused(start_url: str, base_url: str | None) -> None:
    given = {"start_url": start_url, **({"base_url": base_url} if base_url else {})}
    with pytest.raises(SpiderArgumentError, match=r"start_url=.* is not on"):
        CrawlArguments.parse(CafekhabarqazvinSpider.profile, **given)


@pytest.mark.parametrize(
    ("start_url", "base_url"),
    [
        ("https://cafekhabarqazvin.ir/news/1/", None),
        ("http://www.cafekhabarqazvin.ir/feed/", None),
        ("https://m.cafekhabarqazvin.ir/news/1/", None),
        ("http://127.0.0.1:8000/news/1/", "http://127.0.0.1:8000"),
    ],
)
def test_a_start_url_on_the_site_is_accepted(start_url: str, base_url: str | None) -> None:
    given = {"start_url": start_url, **({"base_url": base_url} if base_url else {})}
    assert CrawlArguments.parse(CafekhabarqazvinSpider.profile, **given).start_url == start_url
