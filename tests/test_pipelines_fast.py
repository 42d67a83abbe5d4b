"""The item pipelines' faster paths give what the code they replaced gave: the stats methods
bound without Scrapy's wrapper (:mod:`newscrawler.pipelines.stats`), an Article's fields read
without an ItemAdapter (:class:`~newscrawler.contract.sanitize.ArticleFields`), the output
contract's stage as a whole (against the code before it, kept here as the reference)."""

from __future__ import annotations

import copy
import dataclasses
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawler.contract.sanitize import (
    ArticleFields,
    cap_lengths,
    fields_view,
    make_safe,
)
from newscrawler.contract.schema import first_violation
from newscrawler.crawl.outcomes import COVERAGE_FIELDS, drop
from newscrawler.items import Article, record_of
from newscrawler.persian.dates import parse_iso
from newscrawler.pipelines.contract import ContractPipeline, caps_of
from newscrawler.pipelines.stats import stats_of
from newscrawler.spiders.news import arguments_of
from newscrawler.spiders.profiled import IrnaSpider
from tests.support.crawl import project_crawler

# --------------------------------------------------------------------------- stats


def test_stats_of_calls_the_collectors_own_methods() -> None:
    crawler = get_crawler()
    assert crawler.stats is not None
    stats = stats_of(crawler)
    collector = type(crawler.stats)
    # the class's functions, not the wrapper __getattribute__ hands out
    assert getattr(stats.inc_value, "__func__", None) is collector.inc_value
    assert getattr(stats.get_value, "__func__", None) is collector.get_value
    assert getattr(stats.set_value, "__func__", None) is collector.set_value
    stats.inc_value("a")
    stats.inc_value("a", 2)
    crawler.stats.inc_value("a")
    stats.inc_value("b", 5, start=10)
    stats.set_value("c", ["x"])
    assert crawler.stats.get_stats() == {"a": 4, "b": 15, "c": ["x"]}
    assert stats.get_value("a") == 4
    assert stats.get_value("missing", "default") == "default"


def test_stats_of_keeps_what_it_cannot_bind() -> None:
    crawler = get_crawler()
    assert crawler.stats is not None
    counted: list[str] = []
    crawler.stats.inc_value = counted.append  # type: ignore[method-assign]
    stats_of(crawler).inc_value("a")
    assert counted == ["a"]
    crawler.stats = mock.Mock()
    stats_of(crawler).inc_value("b")
    crawler.stats.inc_value.assert_called_once_with("b")


# ------------------------------------------------------------------ Article fields

#: Characters the output contract removes, folds or refuses, to damage text with.
DAMAGE = ["  ", "\t", "\r\n", "\u2028", "<b>", "</p>", "\ufffd", "\u200f", "\x07", " \n", "\n"]


def _golden_articles() -> list[Article]:
    from newscrawler.extraction.article import extract_article
    from tests.support.golden import all_fixtures, spider_class

    return [
        extract_article(f.response(), spider_class(f.site).profile, now=f.date)
        for f in all_fixtures()
        if f.kind == "article" and f.site != "_unknown"
    ]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Golden articles as extracted, and damaged copies of them: text fields with what
    sanitizing changes, over-long values, odd image URLs, missing fields, short bodies."""
    golden = _golden_articles()
    assert len(golden) >= 10
    rng = random.Random(16)
    damaged = []
    for article in golden * 4:
        changes: dict[str, Any] = {}
        for name in ("title", "kicker", "lead", "body", "author", "section", "published_at_raw"):
            value = getattr(article, name)
            if value and rng.random() < 0.3:
                at = rng.randrange(len(value) + 1)
                changes[name] = value[:at] + rng.choice(DAMAGE) + value[at:]
        if article.tags and rng.random() < 0.3:
            changes["tags"] = [*article.tags, " برچسب  " + rng.choice(DAMAGE), "x" * 300]
        if rng.random() < 0.3:
            changes["images"] = [
                *article.images,
                {"url": "javascript:alert(1)", "caption": None},
                {"url": "https://x.ir/a b.jpg", "caption": "عکس" + rng.choice(DAMAGE) * 2},
                {"url": "https://x.ir/b.jpg", "caption": "ز" * 3000},
            ]
        if rng.random() < 0.2:
            changes["url"] = "https://www.irna.ir/news/1/ خبر"
        if rng.random() < 0.2:
            changes["title"] = "ع" * 5000
        damaged.append(dataclasses.replace(article, **changes))
    verdicts = [
        {"title": None},
        {"body": None},
        {"body": "خبر کوتاه", "word_count": 2},
        {"published_at": "2019-09-08T12:23:00+04:30"},
        {"published_at": None},
        {"author": None, "tags": [], "images": []},
        {"canonical_url": "ftp://x.ir/a"},
        {"news_id": "not digits"},  # refused by the schema
    ]
    return (
        golden
        + damaged
        + [dataclasses.replace(article, **change) for article in golden for change in verdicts]
    )


def test_article_fields_are_what_an_itemadapter_reads_and_sets(articles: list[Article]) -> None:
    caps = caps_of(project_crawler(IrnaSpider).settings)
    changes = 0
    for article in articles:
        ours, theirs = copy.deepcopy(article), copy.deepcopy(article)
        view = fields_view(ours)
        assert type(view) is ArticleFields
        found = make_safe(view) + cap_lengths(view, caps)
        expected = make_safe(ItemAdapter(theirs)) + cap_lengths(ItemAdapter(theirs), caps)
        assert found == expected
        assert record_of(ours) == record_of(theirs)
        for name in [*ItemAdapter(theirs).field_names(), "not_a_field"]:
            assert view.get(name) == ItemAdapter(theirs).get(name)
        changes += bool(found)
    assert changes > len(articles) // 5  # the damage was found and repaired


# ------------------------------------------------------------- the contract's stage


class ReferenceContract(ContractPipeline):
    """The output contract's stage as it was before the fast paths (ItemAdapter, the stats
    collector through Scrapy's wrapper, the date always parsed)."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        assert stats is not None
        for field in make_safe(adapter):
            stats.inc_value(f"newscrawler/sanitized/{field}")
        for field in cap_lengths(adapter, self.caps):
            stats.inc_value(f"newscrawler/truncated/{field}")
        stats.inc_value("newscrawler/extracted")
        stats.inc_value(f"newscrawler/extracted_with/{adapter.get('cms')}")
        for field in COVERAGE_FIELDS:
            if adapter.get(field):
                stats.inc_value(f"newscrawler/coverage/{field}")
        if not adapter.get("title"):
            raise drop(self.crawler, "missing_title", item)
        if not adapter.get("body"):
            self.body_selector_missed(adapter)
            raise drop(self.crawler, "missing_body", item, "body selector matched no text")
        if adapter.get("word_count", 0) < self.min_words:
            raise drop(self.crawler, "body_too_short", item, f"{adapter['word_count']} words")
        since = arguments_of(self.crawler.spider).since
        published = parse_iso(adapter.get("published_at") or "")
        if since and published and published < since:
            raise drop(self.crawler, "older_than_since", item, adapter["published_at"])
        adapter["crawled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        violation = first_violation(record_of(item))
        if violation is not None:
            raise drop(self.crawler, "schema_invalid", item, violation)
        return item


def _contract_run(
    pipeline_class: type[ContractPipeline], articles: list[Article], since: str | None
) -> tuple[dict[str, Any], list[Any]]:
    """Stats and outcomes (the record without its time, or the drop's message) of a stage."""
    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_OUTPUT_DIR="/nonexistent")
    crawler.spider = crawler._create_spider(**({"since": since} if since else {}))
    pipeline = pipeline_class.from_crawler(crawler)
    outcomes: list[Any] = []
    for article in copy.deepcopy(articles):
        try:
            record = record_of(pipeline.process_item(article))
        except DropItem as exc:
            outcomes.append(str(exc))
        else:
            assert record.pop("crawled_at")
            outcomes.append(record)
    assert crawler.stats is not None
    return crawler.stats.get_stats(), outcomes


@pytest.mark.parametrize("since", [None, "2024-01-01"])
def test_the_contract_stage_is_the_reference(articles: list[Article], since: str | None) -> None:
    stats, outcomes = _contract_run(ContractPipeline, articles, since)
    assert (stats, outcomes) == _contract_run(ReferenceContract, articles, since)
    drops = [key for key in stats if key.startswith("newscrawler/dropped/")]
    assert len(drops) >= 4 + bool(since)  # the inputs reach every verdict
    assert any(key.startswith("newscrawler/sanitized/") for key in stats)
    assert any(key.startswith("newscrawler/truncated/") for key in stats)


def test_a_pipeline_item_of_another_kind_takes_itemadapters_way(tmp_path: Path) -> None:
    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_OUTPUT_DIR=str(tmp_path))
    crawler.spider = crawler._create_spider()
    article = _golden_articles()[0]
    item = {**record_of(article), "title": "عنوان  دو فاصله"}
    assert type(fields_view(item)) is ItemAdapter
    done = ContractPipeline.from_crawler(crawler).process_item(item)
    assert done["title"] == "عنوان دو فاصله"
    assert crawler.stats is not None
    assert crawler.stats.get_value("newscrawler/sanitized/title") == 1
