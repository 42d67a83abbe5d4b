"""Validation: drop what is not a usable article, with a counted reason, and count field
coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from itemadapter import ItemAdapter

from newscrawler.crawl.outcomes import drop
from newscrawler.persian.dates import parse_iso
from newscrawler.state.layout import output_dir as output_dir
from newscrawler.state.layout import safe_token as safe_token

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


#: Fields whose share of extracted articles is tracked for the health check.
COVERAGE_FIELDS = ("title", "body", "lead", "published_at", "tags", "author", "images")


class ValidatePipeline:
    """Drop what is not a usable article: no title, no or too short body, outside the window.

    It also counts, for every extracted article, which fields it has (``newscrawler/coverage/*``):
    the run manifest turns these into field coverage, and a sharp drop means a broken selector.
    """

    def __init__(self, crawler: Crawler, min_words: int) -> None:
        self.crawler = crawler
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWLER_MIN_BODY_WORDS", 20))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self.count_coverage(adapter)
        if not adapter.get("title"):
            raise drop(self.crawler, "missing_title", item)
        if not adapter.get("body"):
            raise drop(self.crawler, "missing_body", item, "body selector matched no text")
        if adapter.get("word_count", 0) < self.min_words:
            raise drop(self.crawler, "body_too_short", item, f"{adapter['word_count']} words")
        since = getattr(self.crawler.spider, "since", None)
        published = parse_iso(adapter.get("published_at") or "")
        if since and published and published < since:
            raise drop(self.crawler, "older_than_since", item, adapter["published_at"])
        return item

    def count_coverage(self, adapter: ItemAdapter) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newscrawler/extracted")
        for field in COVERAGE_FIELDS:
            if adapter.get(field):
                self.crawler.stats.inc_value(f"newscrawler/coverage/{field}")
