"""Item pipelines: validate → dedupe/version → stamp → store, through a real (unstarted) crawler.

Scrapy 2.19 calls ``open_spider()`` / ``close_spider()`` / ``process_item(item)`` without a
spider argument; the pipelines reach the spider through ``crawler.spider``.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newscrawler.items import Article
from newscrawler.persian.chars import word_count
from newscrawler.persian.normalize import match_key
from newscrawler.pipelines.contract import ContractPipeline
from newscrawler.pipelines.dedupe import DedupePipeline
from newscrawler.pipelines.store import HOST, JsonlStorePipeline
from newscrawler.spiders.news import NewsSpider
from newscrawler.spiders.profiled import IrnaSpider, IsnaSpider
from newscrawler.state.layout import safe_token
from tests.support.crawl import close_ledger, open_ledger, project_crawler

BODY = (
    "به گزارش ایرنا، حمیدرضا خانپور روز سه\u200cشنبه در نشست شورای اطلاع\u200cرسانی شهرک\u200cهای "
    "صنعتی استان قزوین گفت: سال گذشته ۴۰ واحد صنعتی در شهرک\u200cهای استان راه\u200cاندازی شد "
    "و برای ۱٬۲۰۰ نفر شغل ایجاد کرد."
)


def make_article(**overrides: Any) -> Article:
    body = overrides.pop("body", BODY)
    fields: dict[str, Any] = {
        "id": "irna:85257749",
        "site": "irna",
        "cms": "nastooh",
        "url": "https://www.irna.ir/news/85257749/",
        "canonical_url": "https://irna.ir/news/85257749",
        "news_id": "85257749",
        "title": "افتتاح ۴۰ طرح صنعتی در قزوین",
        "body": body,
        "word_count": word_count(body),
        "published_at": "2024-05-18T10:25:00+03:30",
        "content_hash": hashlib.sha256(match_key(body).encode()).hexdigest() if body else None,
    }
    fields.update(overrides)
    return Article(**fields)


def other_article(n: int, **overrides: Any) -> Article:
    """An article distinct from :func:`make_article` by id, URL and body."""
    body = f"{BODY} این خبر شماره {n} است."
    fields: dict[str, Any] = {
        "id": f"irna:{n}",
        "news_id": str(n),
        "url": f"https://www.irna.ir/news/{n}/",
        "canonical_url": f"https://irna.ir/news/{n}",
        "body": body,
    }
    fields.update(overrides)
    return make_article(**fields)


def new_crawler(
    tmp_path: Path,
    spider_args: dict[str, Any] | None = None,
    spider: type[NewsSpider] = IrnaSpider,
    **settings: Any,
) -> Crawler:
    """A crawler (IRNA unless told) writing under ``tmp_path/output``, with its spider created."""
    crawler = project_crawler(spider, NEWSCRAWLER_OUTPUT_DIR=str(tmp_path / "output"), **settings)
    crawler.spider = crawler._create_spider(**(spider_args or {}))
    return crawler


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


def drop_counters(crawler: Crawler) -> set[str]:
    assert crawler.stats is not None
    return {key for key in crawler.stats.get_stats() if key.startswith("newscrawler/dropped/")}


# ------------------------------------------------------------------------ output contract


@pytest.fixture
def validate(tmp_path: Path) -> ContractPipeline:
    return ContractPipeline.from_crawler(new_crawler(tmp_path, {"since": "2024-01-01"}))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": None}, "missing_title"),
        ({"title": ""}, "missing_title"),
        ({"body": None}, "missing_body"),
        ({"body": ""}, "missing_body"),
        ({"body": "خبر کوتاه"}, "body_too_short"),
        ({"body": " ".join(["واژه"] * 19)}, "body_too_short"),
        ({"published_at": "2023-12-31T23:59:59+03:30"}, "older_than_since"),
        ({"published_at": "2019-09-08T12:23:00+04:30"}, "older_than_since"),
    ],
)
def test_validate_drops_and_counts(
    validate: ContractPipeline, overrides: dict[str, Any], reason: str
) -> None:
    item = make_article(**overrides)
    with pytest.raises(DropItem, match=rf"^{reason}: https://www\.irna\.ir/news/85257749/"):
        validate.process_item(item)
    assert stat(validate.crawler, f"newscrawler/dropped/{reason}") == 1
    assert drop_counters(validate.crawler) == {f"newscrawler/dropped/{reason}"}


def test_validate_counts_each_drop(validate: ContractPipeline) -> None:
    for _ in range(3):
        with pytest.raises(DropItem):
            validate.process_item(make_article(title=None))
    assert stat(validate.crawler, "newscrawler/dropped/missing_title") == 3


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"body": " ".join(["واژه"] * 20)},  # exactly the minimum
        {"published_at": "2024-01-01T00:00:00+03:30"},  # the first moment of «since»
        {"published_at": "2023-12-31T20:30:00Z"},  # the same moment, in UTC
        {"published_at": None},  # no date: kept, the window cannot be checked
    ],
)
def test_validate_keeps_usable_articles(
    validate: ContractPipeline, overrides: dict[str, Any]
) -> None:
    item = make_article(**overrides)
    assert validate.process_item(item) is item
    assert drop_counters(validate.crawler) == set()


def test_an_unreadable_date_passes_the_window_and_fails_the_schema(
    validate: ContractPipeline,
) -> None:
    item = make_article(published_at="not a date")
    validate.check_usable(item, ItemAdapter(item))  # the window cannot be checked: no drop
    assert drop_counters(validate.crawler) == set()
    with pytest.raises(DropItem, match=r"^schema_invalid: .*published_at"):
        validate.process_item(item)
    assert drop_counters(validate.crawler) == {"newscrawler/dropped/schema_invalid"}


def test_validate_without_since_keeps_old_articles(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path)
    pipeline = ContractPipeline.from_crawler(crawler)
    item = make_article(published_at="2004-10-01T16:20:00+03:30")
    assert pipeline.process_item(item) is item


def test_validate_min_words_setting(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_MIN_BODY_WORDS=3)
    pipeline = ContractPipeline.from_crawler(crawler)
    assert pipeline.process_item(make_article(body="سه واژه کوتاه")).body == "سه واژه کوتاه"
    with pytest.raises(DropItem, match="body_too_short"):
        pipeline.process_item(make_article(body="دو واژه"))


# --------------------------------------------------------------------------------- dedupe


class Run:
    """One crawl's dedupe and store pipelines over a shared output and state directory."""

    def __init__(self, tmp_path: Path, spider: type[NewsSpider] = IrnaSpider) -> None:
        self.crawler = new_crawler(tmp_path, spider=spider)
        self.dedupe = DedupePipeline.from_crawler(self.crawler)
        self.store = JsonlStorePipeline.from_crawler(self.crawler)
        open_ledger(self.crawler)

    def kept(self, item: Article) -> bool:
        """Through dedupe; a kept item is written (staged) by the store, as in a crawl."""
        try:
            self.store.process_item(self.dedupe.process_item(item))
        except DropItem:
            return False
        return True

    def commit(self) -> None:
        """Finish the open output file: this is what makes its articles part of the state."""
        self.store.commit()

    def close(self, commit: bool = True) -> None:
        """End the run; ``commit=False`` is a kill: the open ``.part`` file is left behind."""
        if commit:
            self.store.close_spider()
        elif self.store.file is not None:
            self.store.file.close()
            self.store.file = None
        close_ledger(self.crawler)


def start(runs: list[Run], tmp_path: Path, spider: type[NewsSpider] = IrnaSpider) -> Run:
    run = Run(tmp_path, spider)
    runs.append(run)
    return run


@pytest.mark.parametrize(
    ("second", "kind"),
    [
        # same site and news id, on another URL with an edited body
        (
            other_article(
                1, id="irna:85257749", news_id="85257749", canonical_url="https://irna.ir/x"
            ),
            "id",
        ),
        # no news id, same canonical URL
        (other_article(2, news_id=None, canonical_url="https://irna.ir/news/85257749"), "url"),
        # same text on another site (the body hash ignores spacing, ZWNJ and digit style)
        (
            make_article(
                id="cafekhabarqazvin:13607",
                site="cafekhabarqazvin",
                url="https://cafekhabarqazvin.ir/?p=13607",
                canonical_url="https://cafekhabarqazvin.ir/13607",
                news_id="13607",
            ),
            "body",
        ),
    ],
)
def test_dedupe_drops_duplicates(
    runs: list[Run], tmp_path: Path, second: Article, kind: str
) -> None:
    run = start(runs, tmp_path)
    first = make_article()
    assert run.dedupe.process_item(first) is first
    with pytest.raises(DropItem, match=rf"^duplicate_{kind}: {re.escape(str(second.url))}") as info:
        run.dedupe.process_item(second)
    assert "(same as irna:85257749)" in str(info.value)
    assert stat(run.crawler, "newscrawler/duplicates") == 1


def test_dedupe_keeps_distinct_articles(runs: list[Run], tmp_path: Path) -> None:
    run = start(runs, tmp_path)
    items = [
        make_article(),
        other_article(1),
        other_article(2),
        # the same news number on another site is another article
        other_article(
            3,
            id="isna:85257749",
            site="isna",
            news_id="85257749",
            url="https://www.isna.ir/news/85257749/",
            canonical_url="https://isna.ir/news/85257749",
        ),
    ]
    assert all(run.kept(item) for item in items)
    assert stat(run.crawler, "newscrawler/duplicates") is None


def test_delivered_articles_are_known_to_the_next_run(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    first.close()

    second = start(runs, tmp_path)
    assert not second.kept(make_article())  # same id, same body: unchanged
    assert stat(second.crawler, "newscrawler/unchanged") == 1
    assert not second.kept(
        other_article(1, news_id=None, canonical_url="https://irna.ir/news/85257749")
    )
    assert second.kept(other_article(1))


def test_a_changed_article_comes_back_as_a_new_version(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    first.close()

    second = start(runs, tmp_path)
    edited = make_article(body=BODY + " این خبر به‌روز شد و جزئیات تازه‌ای به آن افزوده شد.")
    edited.content_hash = hashlib.sha256(match_key(edited.body or "").encode()).hexdigest()
    assert second.kept(edited)
    assert edited.version == 2
    assert edited.changed_at is not None
    assert stat(second.crawler, "newscrawler/versions") == 1
    second.close()

    third = start(runs, tmp_path)
    again = dataclasses.replace(edited, version=1, changed_at=None)
    assert not third.kept(again)  # version 2 is what the state now holds
    modified = dataclasses.replace(again, modified_at="2024-05-19T09:00:00+03:30")
    assert third.kept(modified)
    assert modified.version == 3


def test_a_run_that_never_committed_delivered_nothing(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    assert not first.kept(make_article())  # within the run, already a duplicate
    first.close(commit=False)  # killed: the .part file never became a .jsonl

    second = start(runs, tmp_path)
    assert stat(second.crawler, "newscrawler/recovered/partial_removed") == 1
    assert second.kept(make_article())


def test_only_committed_records_become_state(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    first.commit()
    assert first.kept(other_article(1))  # in the open file when the run dies
    first.close(commit=False)

    second = start(runs, tmp_path)
    assert not second.kept(make_article())
    assert second.kept(other_article(1))


def test_state_dir_setting(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_STATE_DIR=str(tmp_path / "state"))
    try:
        DedupePipeline.from_crawler(crawler)
        open_ledger(crawler)
        assert (tmp_path / "state" / "irna.sqlite").exists()
        assert (tmp_path / "state" / "seen.sqlite").exists()
    finally:
        close_ledger(crawler)
    default = new_crawler(tmp_path)
    try:
        DedupePipeline.from_crawler(default)
        open_ledger(default)
        assert (tmp_path / "output" / ".state" / "irna.sqlite").exists()
    finally:
        close_ledger(default)


# ---------------------------------------------------------------------------------- store


@pytest.fixture
def crawler(tmp_path: Path) -> Iterator[Crawler]:
    crawler = new_crawler(tmp_path)
    yield crawler
    close_ledger(crawler)


def files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and ".state" not in p.parts and "_manifests" not in p.parts
    )


def test_store_writes_part_then_renames(crawler: Crawler, tmp_path: Path) -> None:
    before = f"date={datetime.now(UTC):%Y-%m-%d}"
    store = JsonlStorePipeline.from_crawler(crawler)
    after = f"date={datetime.now(UTC):%Y-%m-%d}"
    open_ledger(crawler)
    store.process_item(make_article())
    store.process_item(other_article(1))
    root = tmp_path / "output"
    assert [p.name for p in files(root)] == [f"{store.run_id}-0001.jsonl.part"]
    assert not list(root.rglob("*.jsonl"))

    store.close_spider()
    assert store.partition in (before, after)
    final = root / "irna" / store.partition / f"{store.run_id}-0001.jsonl"
    assert files(root) == [final]
    assert re.fullmatch(r"\d{8}T\d{6}Z-[a-z0-9-]+-\d+(-\d+)?", store.run_id)
    assert f"-{HOST}-" in store.run_id  # two machines of a fleet never share one
    assert stat(crawler, "newscrawler/run_id") == store.run_id
    assert stat(crawler, "newscrawler/items/written") == 2
    (entry,) = stat(crawler, "newscrawler/output/files")
    assert entry["path"] == final.relative_to(root).as_posix()
    assert entry["lines"] == 2
    assert entry["sha256"] == hashlib.sha256(final.read_bytes()).hexdigest()


def test_store_rotates_files_every_max_items(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_FILE_MAX_ITEMS=2)
    try:
        store = JsonlStorePipeline.from_crawler(crawler)
        open_ledger(crawler)
        for n in range(5):
            store.process_item(other_article(n))
        # two complete files are already visible while the run goes on
        assert len(list((tmp_path / "output").rglob("*.jsonl"))) == 2
        store.close_spider()
        names = [p.name for p in files(tmp_path / "output")]
        assert names == [f"{store.run_id}-000{n}.jsonl" for n in (1, 2, 3)]
        assert [f["lines"] for f in stat(crawler, "newscrawler/output/files")] == [2, 2, 1]
    finally:
        close_ledger(crawler)


def test_store_lines_are_utf8_json_in_field_order(crawler: Crawler, tmp_path: Path) -> None:
    store = JsonlStorePipeline.from_crawler(crawler)
    open_ledger(crawler)
    article = make_article(
        tags=["قزوین", "صنعت"], images=[{"url": "https://irna.ir/1.jpg", "caption": "شهرک"}]
    )
    store.process_item(ContractPipeline.from_crawler(crawler).process_item(article))
    store.close_spider()

    (path,) = files(tmp_path / "output")
    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    assert raw.count(b"\n") == 1
    text = raw.decode("utf-8")
    assert "افتتاح ۴۰ طرح صنعتی در قزوین" in text
    assert "\\u" not in text  # Persian as is, ZWNJ included
    record = json.loads(text)
    assert list(record) == [f.name for f in dataclasses.fields(Article)]
    assert record == dataclasses.asdict(article)
    assert record["body"] == BODY
    assert record["tags"] == ["قزوین", "صنعت"]
    assert datetime.fromisoformat(record["crawled_at"]).utcoffset() is not None


def test_store_leaves_no_file_when_nothing_was_written(crawler: Crawler, tmp_path: Path) -> None:
    store = JsonlStorePipeline.from_crawler(crawler)
    open_ledger(crawler)
    store.close_spider()
    assert files(tmp_path / "output") == []
    assert stat(crawler, "newscrawler/output/files") == []


def test_two_runs_in_one_process_do_not_share_a_file(tmp_path: Path) -> None:
    stores = []
    crawlers = []
    for n, spider in enumerate((IrnaSpider, IsnaSpider)):
        crawler = new_crawler(tmp_path, spider=spider)
        crawlers.append(crawler)
        store = JsonlStorePipeline.from_crawler(crawler)
        open_ledger(crawler)
        store.process_item(other_article(n))
        stores.append(store)
    for store in stores:
        store.close_spider()
    for crawler in crawlers:
        close_ledger(crawler)
    assert stores[0].run_id != stores[1].run_id
    assert len(files(tmp_path / "output")) == 2


def test_store_can_be_disabled(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        JsonlStorePipeline.from_crawler(new_crawler(tmp_path, NEWSCRAWLER_STORE_ENABLED=False))


def test_store_keeps_a_hostile_spider_name_inside_the_output(
    crawler: Crawler, tmp_path: Path
) -> None:
    assert crawler.spider is not None
    crawler.spider.name = "../../../etc/cron.d"
    store = JsonlStorePipeline.from_crawler(crawler)
    open_ledger(crawler)
    store.process_item(make_article())
    store.close_spider()
    (final,) = files(tmp_path / "output")
    root = (tmp_path / "output").resolve()
    assert final.resolve().is_relative_to(root)
    assert final.parent.parent == tmp_path / "output" / "etc_cron.d"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("irna", "irna"),
        ("cafekhabarqazvin", "cafekhabarqazvin"),
        ("date=2024-05-18", "date=2024-05-18"),
        ("20240518T102500Z-123", "20240518T102500Z-123"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "unnamed"),
        (".", "unnamed"),
        ("", "unnamed"),
        ("/", "unnamed"),
        ("a/b", "a_b"),
        ("a\\b", "a_b"),
        ("a/../b", "a_.._b"),
        (".hidden", "hidden"),
        ("a\x00b", "a_b"),
        ("ایرنا", "unnamed"),
        ("irna ایرنا", "irna"),
        ("x" * 100, "x" * 80),
    ],
)
def test_safe_token(value: str, expected: str) -> None:
    token = safe_token(value)
    assert token == expected
    assert "/" not in token
    assert "\\" not in token
    assert token not in (".", "..")


def test_stamp_sets_crawl_time_in_utc(tmp_path: Path) -> None:
    item = ContractPipeline.from_crawler(new_crawler(tmp_path)).process_item(make_article())
    assert item.crawled_at is not None
    stamped = datetime.fromisoformat(item.crawled_at)
    assert stamped.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60


# record_of: the pipelines' fast ItemAdapter(item).asdict() ---------------------------------


def _golden_articles() -> list[Article]:
    from newscrawler.extraction.article import extract_article
    from tests.support.golden import all_fixtures, spider_class

    return [
        extract_article(f.response(), spider_class(f.site).profile, now=f.date)
        for f in all_fixtures()
        if f.kind == "article" and f.site != "_unknown"
    ]


def test_record_of_is_itemadapters_asdict_for_every_golden_article() -> None:
    from itemadapter import ItemAdapter

    from newscrawler.items import record_of

    articles = _golden_articles()
    assert len(articles) >= 10
    assert sum(len(a.images) for a in articles) > 0  # the nested dicts are exercised
    for article in articles:
        article.crawled_at = "2026-11-26T10:00:00+00:00"
        record = record_of(article)
        assert record == ItemAdapter(article).asdict()
        assert list(record) == list(ItemAdapter(article).asdict())  # JSONL field order
        # a copy: changing the record leaves the item alone
        record["tags"].append("x")
        if record["images"]:
            record["images"][0]["url"] = "changed"
        assert record != ItemAdapter(article).asdict()


@pytest.mark.parametrize(
    "change",
    [
        {"tags": ("الف", "ب")},  # a tuple stays a tuple, as itemadapter keeps it
        {"word_count": True},
        {"images": [{"url": "https://x.ir/a.jpg", "caption": ["nested"]}]},
        {"title": Article(title="درون")},
    ],
)
def test_record_of_leaves_unusual_values_to_itemadapter(change: dict[str, Any]) -> None:
    from itemadapter import ItemAdapter

    from newscrawler.items import record_of

    article = dataclasses.replace(_golden_articles()[0], **change)
    assert record_of(article) == ItemAdapter(article).asdict()
    assert type(record_of(article)[next(iter(change))]) is type(
        ItemAdapter(article).asdict()[next(iter(change))]
    )


class FullDisk:
    """An open output file on a disk that has just filled up."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        self.real.close()


def test_a_full_disk_stops_the_store_and_leaves_the_part(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_FILE_MAX_ITEMS=2)
    try:
        store = JsonlStorePipeline.from_crawler(crawler)
        open_ledger(crawler)
        for n in range(3):  # a file committed, a second one open
            store.process_item(other_article(n))
        store.file = FullDisk(store.file)
        with caplog.at_level(logging.ERROR):
            store.process_item(other_article(3))
            with pytest.raises(DropItem):
                store.process_item(other_article(4))
            store.close_spider()
        assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1
        failure = stat(crawler, "newscrawler/output_error")
        assert "No space left on device" in failure
        assert f"{store.run_id}-0002.jsonl" in failure
        assert stat(crawler, "newscrawler/failed/output_error") == 1
        assert stat(crawler, "newscrawler/dropped/output_error") == 1
        root = tmp_path / "output"
        assert [p.name for p in files(root)] == [
            f"{store.run_id}-0001.jsonl",
            f"{store.run_id}-0002.jsonl.part",
        ]
        assert [f["lines"] for f in stat(crawler, "newscrawler/output/files")] == [2]
    finally:
        close_ledger(crawler)
