"""Issue 14, items 3 and 9: line separators and CR in text, capped field lengths, pages that
break extraction (HTML nested 100,000 levels deep) counted instead of lost."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Request

from newscrawler import settings
from newscrawler.contract.sanitize import clean_text, make_safe
from newscrawler.crawl.extraction_pool import ExtractionPool
from newscrawler.items import Article
from newscrawler.persian.chars import word_count
from newscrawler.persian.normalize import match_key
from newscrawler.pipelines.contract import ContractPipeline
from newscrawler.pipelines.store import JsonlStorePipeline
from newscrawler.spiders.profiled import SPIDERS
from newscrawler.state.ledger import read_records
from tests.support.crawl import close_ledger, open_ledger, project_crawler
from tests.support.faults import hostile_pages, pages

SPIDER = SPIDERS["cafekhabarqazvin"]
BODY = " ".join(pages.paragraphs("1001"))
URL = "https://cafekhabarqazvin.ir/1001/x/"


def make_article(**overrides: Any) -> Article:
    body = overrides.pop("body", BODY)
    fields: dict[str, Any] = {
        "id": "cafekhabarqazvin:1001",
        "site": "cafekhabarqazvin",
        "cms": "wordpress",
        "url": URL,
        "canonical_url": "https://cafekhabarqazvin.ir/1001/",
        "news_id": "1001",
        "title": pages.title("1001"),
        "body": body,
        "word_count": word_count(body),
        "content_hash": hashlib.sha256(match_key(body).encode()).hexdigest(),
        **overrides,
    }
    return Article(**fields)


def new_crawler(tmp_path: Path, **overrides: Any) -> Any:
    crawler = project_crawler(SPIDER, NEWSCRAWLER_OUTPUT_DIR=str(tmp_path / "out"), **overrides)
    crawler.spider = crawler._create_spider()
    return crawler


# ------------------------------------------------------------------ item 3: separators, CR


@pytest.mark.parametrize("sep", ["\r", "\r\n", "\n", "\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_a_one_line_field_is_a_space(sep: str) -> None:
    adapter = ItemAdapter(make_article(title=f"آب{sep}ورزش", author=f"مریم{sep}صالحی"))
    assert set(make_safe(adapter)) == {"title", "author"}
    assert adapter["title"] == "آب ورزش"
    assert adapter["author"] == "مریم صالحی"


@pytest.mark.parametrize("sep", ["\r", "\r\n", "\u2028", "\u2029"])
def test_a_line_separator_in_the_body_is_a_newline(sep: str) -> None:
    assert clean_text(f"یک{sep}دو", multiline=True) == "یک\nدو"
    adapter = ItemAdapter(make_article(body=f"{BODY}{sep}{BODY}"))
    assert make_safe(adapter) == ["body"]
    assert adapter["body"] == f"{BODY}\n{BODY}"
    assert adapter["word_count"] == 2 * word_count(BODY)


def test_the_contract_counts_separators_it_replaced(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path)
    item = ContractPipeline.from_crawler(crawler).process_item(make_article(title="آب\r\nورزش"))
    assert item.title == "آب ورزش"
    assert crawler.stats.get_value("newscrawler/sanitized/title") == 1


def test_u2028_is_written_escaped_and_read_back(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path)
    try:
        store = JsonlStorePipeline.from_crawler(crawler)
        open_ledger(crawler)
        # the store writes what it is given: U+2028 reaching it must not break the line
        store.process_item(make_article(title="آب\u2028ورزش", lead="یک\u2029دو"))
        store.close_spider()
    finally:
        close_ledger(crawler)
    (path,) = (tmp_path / "out").rglob("*.jsonl")
    raw = path.read_text(encoding="utf-8")
    assert "\u2028" not in raw
    assert "\\u2028" in raw
    assert "\\u2029" in raw
    (record,) = read_records(path)
    assert record["title"] == "آب\u2028ورزش"
    assert record["lead"] == "یک\u2029دو"


def test_read_records_splits_on_newline_only(tmp_path: Path) -> None:
    """A file an older version wrote, with U+2028 raw inside a JSON string, is not damaged."""
    path = tmp_path / "old.jsonl"
    path.write_text('{"id": "a:1", "title": "x\u2028y\u0085z"}\n{"id": "a:2"}\n', "utf-8")
    assert [r["id"] for r in read_records(path)] == ["a:1", "a:2"]


# ------------------------------------------------------------------ item 9: caps, deep pages


def test_fields_are_capped_and_counted(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_MAX_BODY_CHARS=500)
    pipeline = ContractPipeline.from_crawler(crawler)
    huge = "عنوان بلند " * 100_000
    item = pipeline.process_item(
        make_article(title=huge, author=huge, tags=[huge], body=(BODY + "\n") * 20)
    )
    assert item.title.startswith("عنوان بلند")
    assert len(item.title) <= settings.NEWSCRAWLER_MAX_TITLE_CHARS
    assert len(item.author) <= settings.NEWSCRAWLER_MAX_SHORT_CHARS
    assert len(item.tags[0]) <= settings.NEWSCRAWLER_MAX_SHORT_CHARS
    assert len(item.body) <= 500
    assert item.word_count == word_count(item.body)
    assert item.content_hash == hashlib.sha256(match_key(item.body).encode()).hexdigest()
    stats = crawler.stats.get_stats()
    for field in ("title", "author", "tags", "body"):
        assert stats[f"newscrawler/truncated/{field}"] == 1, field


def test_an_article_within_the_caps_is_not_touched(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path)
    article = make_article()
    ContractPipeline.from_crawler(crawler).process_item(article)
    assert article.title == pages.title("1001")
    assert not [k for k in crawler.stats.get_stats() if "truncated" in k]


def deep_page() -> str:
    return hostile_pages.article("14901")


def test_a_page_nested_100000_deep_is_counted_as_an_extraction_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = new_crawler(tmp_path)
    spider = crawler.spider
    request = Request(URL)
    response = HtmlResponse(URL, body=deep_page().encode(), encoding="utf-8", request=request)

    async def articles() -> list[Any]:
        return [article async for article in spider.parse_article(response)]

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(articles()) == []
    assert crawler.stats.get_value("newscrawler/failed/extraction_error") == 1
    lines = [r.getMessage() for r in caplog.records if "extraction_error" in r.getMessage()]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert URL in lines[0]
    assert "RecursionError" in lines[0]
    # the next page of the same spider is extracted as usual
    good = pages.article("1001").encode()
    response = HtmlResponse(URL, body=good, encoding="utf-8", request=request)
    (article,) = asyncio.run(articles())
    assert article.title == pages.title("1001")


def test_a_worker_answers_a_page_it_cannot_extract_and_keeps_working() -> None:
    async def scenario() -> tuple[BaseException | None, Article, list[int]]:
        pool = ExtractionPool(SPIDER.profile, workers=1, start_rate=0)
        pool.open()
        deadline = time.monotonic() + 60
        while not (pool._pool and pool._pool[0].ready) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert pool._free_worker() is not None, "the worker never became ready"
        error = None
        try:
            await pool.extract(deep_page(), URL, now=None, province_hint=None)
        except Exception as exc:
            error = exc
        pids = pool.worker_pids
        article = await pool.extract(pages.article("1001"), URL, now=None, province_hint=None)
        await pool.close()
        return error, article, pids

    error, article, pids = asyncio.run(scenario())
    assert isinstance(error, RecursionError)
    assert len(pids) == 1  # the worker was not given up
    assert article.title == pages.title("1001")
