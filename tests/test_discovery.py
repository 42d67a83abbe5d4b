"""Discovery from sitemaps and feeds: news dates decide ``since`` before anything is downloaded."""

from __future__ import annotations

from typing import Any

from scrapy.http import Request, TextResponse, XmlResponse

from newscrawler.spiders.profiled import CafekhabarqazvinSpider
from tests.support.crawl import project_crawler

BASE = "https://cafekhabarqazvin.ir"


def spider(**args: Any) -> CafekhabarqazvinSpider:
    crawler = project_crawler(CafekhabarqazvinSpider)
    made = CafekhabarqazvinSpider.from_crawler(crawler, **args)
    crawler.spider = made
    assert isinstance(made, CafekhabarqazvinSpider)
    return made


def urls(requests: Any) -> list[str]:
    return [r.url for r in requests if isinstance(r, Request)]


NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{BASE}/news/1201/</loc><lastmod>2024-07-01T08:00:00+03:30</lastmod>
    <news:news><news:publication><news:name>کافه خبر</news:name><news:language>fa</news:language>
    </news:publication><news:publication_date>2024-05-02T09:00:00+03:30</news:publication_date>
    <news:title>خبر قدیمی که بعدا ویرایش شد</news:title></news:news></url>
  <url><loc>{BASE}/news/1202/</loc>
    <news:news><news:publication_date>2024-06-20T09:00:00+03:30</news:publication_date></news:news>
  </url>
  <url><loc>{BASE}/news/1203/</loc><lastmod>2024-06-25T10:00:00+03:30</lastmod></url>
  <url><loc>{BASE}/category/اقتصاد/</loc></url>
  <url><loc>https://other-site.ir/news/1204/</loc></url>
</urlset>
"""


def test_news_sitemap_dates_decide_since_before_download() -> None:
    crawl = spider(since="2024-06-01")
    response = XmlResponse(f"{BASE}/sitemap.xml", body=NEWS_SITEMAP.encode())
    # 1201 was published in May (its lastmod in July is an edit): skipped; the category page
    # and the other site's link are not articles of this site
    assert urls(crawl.parse_sitemap(response)) == [f"{BASE}/news/1202/", f"{BASE}/news/1203/"]
    assert crawl.crawler.stats.get_value("newscrawler/skipped/older_than_since") == 1


def test_sitemap_index_is_followed_newest_first() -> None:
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{BASE}/sitemap-2024-01.xml</loc><lastmod>2024-01-31T00:00:00Z</lastmod></sitemap>
      <sitemap><loc>{BASE}/sitemap-2024-03.xml</loc><lastmod>2024-03-31T00:00:00Z</lastmod></sitemap>
      <sitemap><loc>https://evil.example/sitemap.xml</loc></sitemap>
    </sitemapindex>"""
    response = XmlResponse(f"{BASE}/sitemap.xml", body=index.encode())
    assert urls(spider().parse_sitemap(response)) == [
        f"{BASE}/sitemap-2024-03.xml",
        f"{BASE}/sitemap-2024-01.xml",
    ]


def test_rss_and_atom_feeds() -> None:
    rss = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
      <item><title>الف</title><link>{BASE}/news/1301/</link>
        <pubDate>Sat, 18 May 2024 06:55:00 GMT</pubDate></item>
      <item><title>ب</title><link>{BASE}/news/1302/</link>
        <pubDate>Wed, 10 Jul 2024 06:55:00 +0000</pubDate></item>
      <item><title>ج</title><link>https://t.me/cafekhabar/1303</link></item>
    </channel></rss>"""
    crawl = spider(since="2024-06-01")
    response = TextResponse(f"{BASE}/feed/", body=rss.encode(), encoding="utf-8")
    assert urls(crawl.parse_feed(response)) == [f"{BASE}/news/1302/"]
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link href="{BASE}/news/1401/"/><updated>2024-07-01T10:00:00Z</updated></entry>
    </feed>"""
    response = TextResponse(f"{BASE}/atom", body=atom.encode(), encoding="utf-8")
    assert urls(spider().parse_feed(response)) == [f"{BASE}/news/1401/"]


def test_max_articles_caps_what_is_scheduled() -> None:
    crawl = spider(max_articles=1)
    response = XmlResponse(f"{BASE}/sitemap.xml", body=NEWS_SITEMAP.encode())
    assert len(urls(crawl.parse_sitemap(response))) == 1
