"""The ceiling: a bare Scrapy spider that follows the same links and takes the body with parsel.

No item loader, no normalization, no widget removal, no pipelines, no project settings: what
Scrapy itself costs to fetch the same pages and pull a title and the body text out of them.
``python -m tools.bench`` runs it with ``scrapy runspider`` from a directory without
``scrapy.cfg``::

    scrapy runspider bare_spider.py -a start_url=http://127.0.0.1:8001/archive \\
        -a article_re='^/news/\\d+' -a links_css='li.news h3 a' -a next_css='a[rel=next]' \\
        -a body_css='.item-text'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(
        self,
        start_url: str,
        article_re: str,
        links_css: str,
        next_css: str,
        body_css: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.article_re = re.compile(article_re)
        self.links_css = links_css
        self.next_css = next_css
        self.body_css = body_css

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A listing: follow its article links and the next page."""
        for href in response.css(self.links_css).xpath("@href").getall():
            url = response.urljoin(href)
            if self.article_re.search(urlsplit(url).path):
                yield scrapy.Request(url, callback=self.parse_article)
        next_href = response.css(self.next_css).xpath("@href").get()
        if next_href:
            yield scrapy.Request(response.urljoin(next_href), callback=self.parse)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        body = response.css(self.body_css)[:1]
        yield {
            "url": response.url,
            "title": response.css("h1 ::text").get(),
            "body": " ".join(" ".join(body.css("::text").getall()).split()),
        }
