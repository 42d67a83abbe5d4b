"""The item pipelines' faster paths give what the code they replaced gave: the stats methods
bound without Scrapy's wrapper (:mod:`newscrawler.crawl.stats`), an Article's fields read
without an ItemAdapter (:class:`~newscrawler.contract.sanitize.ArticleFields`), the output
contract's stage as a whole (against the code before it, kept here as the reference)."""

from __future__ import annotations

import copy
import dataclasses
import random
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
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
from newscrawler.contract.schema import _holds_tuple, first_violation
from newscrawler.crawl.outcomes import COVERAGE_FIELDS, drop
from newscrawler.crawl.stats import stats_of
from newscrawler.items import Article, record_of
from newscrawler.persian.dates import parse_iso
from newscrawler.pipelines.contract import ContractPipeline, caps_of
from newscrawler.spiders.news import arguments_of
from newscrawler.spiders.profiled import IrnaSpider
from newscrawler.state.store import KnownArticle, SiteState, article_keys, now_iso
from newscrawler.syndication.index import SyndicationIndex
from newscrawler.syndication.minhash import BANDS, NUM_PERM, ROWS, _digit_runs, band_keys
from tests.support.crawl import project_crawler, state_record

# --------------------------------------------------------------------------- stats


def test_stats_of_changes_the_stats_as_the_collectors_methods() -> None:
    ours, theirs = get_crawler(), get_crawler()
    assert ours.stats is not None
    assert theirs.stats is not None
    stats = stats_of(ours)
    rng = random.Random(17)
    for _ in range(2000):
        key = rng.choice("abcde")
        operation = rng.randrange(4)
        if operation == 0:
            stats.inc_value(key)
            theirs.stats.inc_value(key)
        elif operation == 1:
            stats.inc_value(key, 3, start=10)
            theirs.stats.inc_value(key, 3, start=10)
        elif operation == 2:
            stats.set_value(key, rng.randrange(100))
            theirs.stats.set_value(key, stats.get_value(key))
        else:
            assert stats.get_value(key, "none") == theirs.stats.get_value(key, "none")
        if rng.random() < 0.01:  # a collector's values replaced as a whole
            ours.stats.set_stats(dict(ours.stats.get_stats()))
    assert ours.stats.get_stats() == theirs.stats.get_stats()
    assert len(ours.stats.get_stats()) == 5


def test_stats_of_binds_an_overriding_collectors_own_methods() -> None:
    from scrapy.statscollectors import MemoryStatsCollector

    class Doubling(MemoryStatsCollector):
        def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
            super().inc_value(key, 2 * count, start)

    crawler = get_crawler(settings_dict={"STATS_CLASS": Doubling})
    assert isinstance(crawler.stats, Doubling)
    stats = stats_of(crawler)
    assert getattr(stats.inc_value, "__func__", None) is Doubling.inc_value  # not the wrapper
    stats.inc_value("a")
    stats.set_value("b", 1)
    assert crawler.stats.get_stats() == {"a": 2, "b": 1}
    assert stats.get_value("a") == 2


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


# ------------------------------------------------------------------ the crawl state


class ReferenceSiteState(SiteState):
    """``by_keys`` and ``record`` as they were: a query a key, two statements an article."""

    def by_keys(self, keys: Iterable[str]) -> KnownArticle | None:
        for key in keys:
            row = self.db.execute("SELECT article_id FROM keys WHERE key = ?", (key,)).fetchone()
            if row:
                return self.article(row[0])
        return None

    def record(
        self,
        records: list[dict[str, Any]],
        file_name: str,
        run_id: str,
        digest: tuple[int, str, int],
    ) -> None:
        now = now_iso()
        lines, sha, size = digest
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for rec in records:
                self.db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET content_hash = excluded.content_hash, "
                    "version = MAX(version, excluded.version), last_seen = excluded.last_seen, "
                    "published_at = excluded.published_at, modified_at = excluded.modified_at",
                    (
                        rec["id"],
                        rec.get("news_id"),
                        rec.get("canonical_url"),
                        rec.get("content_hash"),
                        rec.get("version") or 1,
                        now,
                        now,
                        rec.get("published_at"),
                        rec.get("modified_at"),
                    ),
                )
                self.db.executemany(
                    "INSERT OR IGNORE INTO keys VALUES (?, ?)",
                    [(key, rec["id"]) for key in article_keys(rec)],
                )
            self.db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (file_name, run_id, lines, size, sha, now),
            )
            self.db.execute("DELETE FROM opened WHERE name = ?", (file_name,))


def _tables(state: SiteState) -> dict[str, list[Any]]:
    """Every table's rows, the times left out (the two stores write them a moment apart)."""
    return {
        "articles": state.db.execute(
            "SELECT id, news_id, canonical_url, content_hash, version, published_at, "
            "modified_at FROM articles ORDER BY id"
        ).fetchall(),
        "keys": state.db.execute("SELECT * FROM keys ORDER BY key").fetchall(),
        "files": state.db.execute("SELECT name, run_id, lines FROM files ORDER BY 1").fetchall(),
        "opened": state.db.execute("SELECT name FROM opened ORDER BY 1").fetchall(),
    }


def _timeless(known: KnownArticle | None) -> KnownArticle | None:
    """The article without its first and last seen times (the two stores write a moment
    apart, maybe in two seconds)."""
    return None if known is None else dataclasses.replace(known, last_seen="", first_seen="")


def _state_records(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Records of a few dozen articles (new versions of some, and articles sharing URLs: the
    first writer of a key keeps it)."""
    records = []
    for _ in range(count):
        n = rng.randrange(600)
        record = state_record(
            n, version=rng.choice([1, 1, 2, 3]), modified_at=rng.choice([None, "x"])
        )
        if rng.random() < 0.2:
            record["canonical_url"] = f"https://irna.ir/news/{rng.randrange(600)}"
        if rng.random() < 0.1:
            record["news_id"] = None
        records.append(record)
    return records


def test_the_site_state_records_and_finds_as_before(tmp_path: Path) -> None:
    ours = SiteState(tmp_path / "ours.sqlite", "irna")
    theirs = ReferenceSiteState(tmp_path / "theirs.sqlite", "irna")
    rng = random.Random(18)
    for file in range(12):
        # files of 1 to 29 records, and of 300 (over a statement's 111 articles, 499 keys)
        records = _state_records(rng, 300 if file in (3, 7) else rng.randrange(1, 30))
        name = f"date=2026-12-05/run-{file:04d}.jsonl"
        for state in (ours, theirs):
            state.note_opened(name, "run")
            state.note_opened(f"{name}.other", "run")
            state.record(records, name, "run", (len(records), "0" * 64, 100))
        assert _tables(ours) == _tables(theirs)
        for _ in range(200):
            keys = [
                rng.choice(
                    [f"id:{rng.randrange(80)}", f"url:https://irna.ir/news/{rng.randrange(80)}"]
                )
                for _ in range(rng.randrange(4))
            ]
            assert _timeless(ours.by_keys(keys)) == _timeless(theirs.by_keys(keys)), keys
    # a key whose article row is gone ends the search, as before
    for state in (ours, theirs):
        state.db.execute("INSERT INTO keys VALUES ('id:orphan', 'irna:none')")
    (known,) = ours.db.execute("SELECT key FROM keys WHERE key LIKE 'url:%' LIMIT 1").fetchone()
    keys = ["id:orphan", known]
    assert ours.by_keys(keys) is None
    assert theirs.by_keys(keys) is None
    assert _timeless(ours.by_keys(keys[1:])) == _timeless(theirs.by_keys(keys[1:])) is not None
    assert len(_tables(ours)["keys"]) > 60
    ours.close()
    theirs.close()


# --------------------------------------------------------------- the schema's tuple check


def _reference_holds_tuple(value: Any) -> bool:
    for item in value.values() if isinstance(value, dict) else value:
        if isinstance(item, tuple):
            return True
        if isinstance(item, (dict, list)) and _reference_holds_tuple(item):
            return True
    return False


def test_the_tuple_check_finds_what_the_recursive_one_found() -> None:
    rng = random.Random(19)

    def nested(depth: int) -> Any:
        kind = rng.randrange(8 if depth < 4 else 4)
        if kind == 0:
            return ("t",) if rng.random() < 0.05 else "s"
        if kind in (1, 2, 3):
            return rng.choice([None, 1, 2.5, "x", True])
        if kind in (4, 5):
            return [nested(depth + 1) for _ in range(rng.randrange(4))]
        return {str(n): nested(depth + 1) for n in range(rng.randrange(4))}

    found = 0
    for _ in range(5000):
        value = {str(n): nested(0) for n in range(rng.randrange(6))}
        expected = _reference_holds_tuple(value)
        assert _holds_tuple(value) == expected, value
        found += expected
    assert 100 < found < 4900


# ------------------------------------------------------------------ near-duplicates


def test_the_figures_of_bench_like_bodies_take_the_table(articles: list[Article]) -> None:
    bodies = [a.body for a in articles if a.body]
    for body in bodies:
        assert _digit_runs(body) == set(re.findall(r"\d+", body)), body
    # the one-text memo answers for that text only
    body = bodies[0]
    other = "".join(reversed(body))
    assert _digit_runs(body) == _digit_runs(body)
    assert _digit_runs(other) == set(re.findall(r"\d+", other))
    assert _digit_runs("१२ ۳") is None
    assert _digit_runs("𝟘 ۳") is None
    rng = random.Random(21)
    for _ in range(20000):  # short texts of digits and separators: every run's edge
        text = "".join(rng.choices("0۱٢9 ،٬.-x\n", k=rng.randint(0, 14)))
        assert _digit_runs(text) == set(re.findall(r"\d+", text)), repr(text)


def test_pending_candidates_are_the_members_sharing_a_band(tmp_path: Path) -> None:
    """Matching against this run's pending articles: every pending member with a band key in
    common (most share one band with an earlier one), newest first, before and after partial
    commits."""
    index = SyndicationIndex(tmp_path / "s.sqlite")
    rng = np.random.default_rng(20)
    sigs = rng.integers(0, 65536, size=(150, NUM_PERM), dtype=np.uint16)
    found = 0
    for n, sig in enumerate(sigs):
        if n and rng.random() < 0.7:  # one band of an earlier article, every band in turn
            band = n % BANDS
            rows = slice(band * ROWS, (band + 1) * ROWS)
            sig[rows] = sigs[int(rng.integers(max(0, n - 20), n))][rows]
        verdict = index.match(f"x:{n}", "x", "", precomputed=sig)
        keys = set(band_keys(sig).tolist())
        expected = [
            ref
            for ref, member in sorted(index._pending.items(), reverse=True)
            if keys & set(band_keys(member.signature).tolist())
        ]
        assert [m.ref for m in index._candidates(band_keys(sig)) if m.ref < 0] == expected
        found += len(expected)
        index.add(verdict)
        if n % 50 == 49:
            index.commit(len(index.pending) // 2)
    assert found > 80
    assert index.counts()[0] > 0
    assert index.pending_count > 0
    index.close()


def test_the_index_commits_what_each_file_commit_delivers(
    tmp_path: Path, articles: list[Article]
) -> None:
    """The pending articles enter the index when the ledger commits their file (its listener),
    not later: after every item, the index holds exactly the articles of committed files."""
    import sqlite3

    from tests.test_syndication import Run

    run = Run(tmp_path, IrnaSpider, NEWSCRAWLER_FILE_MAX_ITEMS=3)
    index = tmp_path / "output" / ".state" / "syndication.sqlite"
    golden = articles[:12]
    for n, article in enumerate(copy.deepcopy(golden), 1):
        run.process(article)
        db = sqlite3.connect(index)
        (indexed,) = db.execute("SELECT COUNT(*) FROM articles").fetchone()
        db.close()
        assert indexed == n - n % 3, n
        assert run.syndication.index is not None
        assert run.syndication.index.pending_count == n % 3
    run.close()


def test_the_band_rows_are_written_as_one_statement_a_row_wrote_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commits of 1 to 30 articles (42 band rows each: under, at and over a statement's 400
    rows) leave the same tables as ``executemany`` of a statement a row."""
    from newscrawler.syndication import storage

    def one_a_row(db: Any, pairs: list[int]) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?)", zip(pairs[::2], pairs[1::2], strict=True)
        )

    rng = np.random.default_rng(22)
    sigs = rng.integers(0, 65536, size=(120, NUM_PERM), dtype=np.uint16)
    sigs[60:] = sigs[:60]  # the same bands again (other articles): rows of equal keys
    sizes = [1, 9, 10, 30, 3, 27, 40]
    tables = []
    for name, insert in (("ours", storage._insert_bands), ("theirs", one_a_row)):
        monkeypatch.setattr(storage, "_insert_bands", insert)
        index = SyndicationIndex(tmp_path / f"{name}.sqlite")
        done = 0
        for size in sizes:
            for n in range(done, done + size):
                index.add(index.match(f"x:{n}", "x", "", precomputed=sigs[n]))
            done += size
            index.commit()
        tables.append(
            (
                index._db.execute("SELECT * FROM bands").fetchall(),
                index._db.execute("SELECT doc, article_id, cluster FROM articles").fetchall(),
            )
        )
        index.close()
    assert tables[0] == tables[1]
    assert len(tables[0][0]) == 120 * BANDS
