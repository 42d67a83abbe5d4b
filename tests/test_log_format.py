"""A dropped item is one log line: its id and the reason with its URL, not the item."""

from __future__ import annotations

from scrapy import Spider
from scrapy.exceptions import DropItem

from newscrawler.crawl.log_format import OneLineLogFormatter
from newscrawler.crawl.outcomes import drop
from newscrawler.items import Article
from tests.support.crawl import project_crawler


def test_a_dropped_article_is_logged_in_one_line_without_its_text() -> None:
    crawler = project_crawler(Spider)
    spider = Spider("irna")
    spider.crawler = crawler
    article = Article(
        id="irna:85412345",
        url="https://www.irna.ir/news/85412345/",
        body="متن کامل خبر " * 200,
    )
    assert crawler.settings["LOG_FORMATTER"].endswith("OneLineLogFormatter")
    formatter = OneLineLogFormatter.from_crawler(crawler)
    entry = formatter.dropped(
        article, drop(crawler, "body_too_short", article, "12 words"), None, spider
    )
    line = entry["msg"] % entry["args"]
    assert line == (
        "Dropped irna:85412345: body_too_short: https://www.irna.ir/news/85412345/ (12 words)"
    )
    assert "\n" not in line


def test_something_that_is_not_an_article_is_named_so() -> None:
    crawler = project_crawler(Spider)
    spider = Spider("irna")
    spider.crawler = crawler
    entry = OneLineLogFormatter.from_crawler(crawler).dropped(
        "not an item", DropItem("a\nb"), None, spider
    )
    assert entry["msg"] % entry["args"] == "Dropped an item: a b"
