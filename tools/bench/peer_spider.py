"""The peer: what a user builds instead of newscrawler, a Scrapy spider that hands each article
page to ``trafilatura.extract`` (metadata on, JSON out).

The same link-following as the bare spider (:mod:`bare_spider`: listing links matched by the
profile's article pattern, the next-page link), the same settings (``COMMON_SETTINGS``), run the
same way (``scrapy runspider`` from a directory without ``scrapy.cfg``), so that the only
difference between the bare row and this one is the extraction: trafilatura's readability and
metadata passes instead of one parsel query. Each item is trafilatura's JSON record (title,
author, date, text, …) plus the URL; a page trafilatura finds nothing in still yields its URL,
so that every row counts the same article pages (the bare spider yields one item per page)::

    scrapy runspider peer_spider.py -a start_url=http://127.0.0.1:8001/archive \\
        -a article_re='^/news/\\d+' -a links_css='li.news h3 a' -a next_css='a[rel=next]'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
import trafilatura
from scrapy.http import Response


class PeerSpider(scrapy.Spider):
    name = "peer"

    def __init__(
        self,
        start_url: str,
        article_re: str,
        links_css: str,
        next_css: str,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("body_css", None)  # the bare spider's argument: trafilatura finds the body
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.article_re = re.compile(article_re)
        self.links_css = links_css
        self.next_css = next_css

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A listing: follow its article links and the next page (as the bare spider does)."""
        for href in response.css(self.links_css).xpath("@href").getall():
            url = response.urljoin(href)
            if self.article_re.search(urlsplit(url).path):
                yield scrapy.Request(url, callback=self.parse_article)
        next_href = response.css(self.next_css).xpath("@href").get()
        if next_href:
            yield scrapy.Request(response.urljoin(next_href), callback=self.parse)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        extracted = trafilatura.extract(
            response.text,
            url=response.url,
            output_format="json",
            with_metadata=True,
            include_comments=False,
        )
        record: dict[str, Any] = json.loads(extracted) if extracted else {}
        record["url"] = response.url
        yield record
