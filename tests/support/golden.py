"""Golden fixtures: a saved page in, the expected record (or requests) out.

Layout: ``tests/fixtures/<site>/<YYYY-MM-DD>-<kind>.html`` with ``<same>.json`` beside it.
The date is the day the template was captured or written; ``kind`` is ``article`` (one or more
article pages, e.g. ``article``, ``article-2``) or ``listing``. An article JSON holds
``{"url": ..., "expected": {...Article fields except crawled_at...}}``; a listing JSON holds
``{"url": ..., "articles": [...article URLs in order...], "next_page": url | null}``.
An optional ``"encoding"`` names a non-UTF-8 page's charset.

Relative dates («۳ ساعت پیش») are resolved against noon, Tehran time, of the fixture's date.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request

from newscrawler.extraction.article import extract_article
from newscrawler.persian.dates import TEHRAN
from newscrawler.spiders.news import NewsSpider
from newscrawler.spiders.profiled import SPIDERS
from tests.support.crawl import project_crawler

FIXTURES = Path(__file__).parent.parent / "fixtures"


@dataclasses.dataclass(frozen=True)
class Fixture:
    site: str
    html: Path

    @property
    def kind(self) -> str:
        return "listing" if self.html.stem.endswith("listing") else "article"

    @property
    def json_path(self) -> Path:
        return self.html.with_suffix(".json")

    @property
    def date(self) -> datetime:
        return datetime.strptime(self.html.name[:10], "%Y-%m-%d").replace(hour=12, tzinfo=TEHRAN)

    def spec(self) -> dict[str, Any]:
        return json.loads(self.json_path.read_text(encoding="utf-8"))

    def response(self, url: str | None = None, encoding: str | None = None) -> HtmlResponse:
        spec = self.spec() if self.json_path.exists() else {}
        return HtmlResponse(
            url=url or spec["url"],
            body=self.html.read_bytes(),
            encoding=encoding or spec.get("encoding", "utf-8"),
        )

    def __str__(self) -> str:
        return f"{self.site}/{self.html.name}"


def all_fixtures() -> list[Fixture]:
    return [
        Fixture(site_dir.name, html)
        for site_dir in sorted(FIXTURES.iterdir())
        if site_dir.is_dir() and not site_dir.name.startswith("_")
        for html in sorted(site_dir.glob("*.html"))
    ]


def spider_class(site: str) -> type[NewsSpider]:
    """The site's spider, from the registry the crawl and the CLI use."""
    return SPIDERS[site]


def article_record(fixture: Fixture, url: str | None = None) -> dict[str, Any]:
    """What the site's profile extracts from the saved article page (``crawled_at`` left out)."""
    cls = spider_class(fixture.site)
    article = extract_article(fixture.response(url), cls.profile, now=fixture.date)
    record = dataclasses.asdict(article)
    record.pop("crawled_at")
    return record


def listing_requests(fixture: Fixture, url: str | None = None) -> dict[str, Any]:
    """Article URLs and the next listing page the site's spider takes from a saved listing."""
    cls = spider_class(fixture.site)
    crawler = project_crawler(cls)
    spider = cls.from_crawler(crawler)
    requests: Iterator[Request] = spider.parse_listing(fixture.response(url), page=1)
    articles, next_page = [], None
    for request in requests:
        if request.callback == spider.parse_article:
            articles.append(request.url)
        else:
            next_page = request.url
    return {"articles": articles, "next_page": next_page}
