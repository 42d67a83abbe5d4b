"""Item pipelines: validate → dedupe → stamp → store, built through a real (unstarted) crawler.

Scrapy 2.19 calls ``open_spider()`` / ``close_spider()`` / ``process_item(item)`` without a
spider argument; the pipelines reach the spider through ``crawler.spider``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler import signals as nc_signals
from newscrawler.items import Article
from newscrawler.pipelines import (
    DedupePipeline,
    JsonlStorePipeline,
    StampPipeline,
    ValidatePipeline,
    safe_token,
)
from newscrawler.spiders.irna import IrnaSpider
from newscrawler.text import match_key, word_count

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
    tmp_path: Path, spider_args: dict[str, Any] | None = None, **settings: Any
) -> Crawler:
    """A crawler for IRNA writing under ``tmp_path/output``, with its spider created."""
    crawler = get_crawler(
        IrnaSpider, {"NEWSCRAWLER_OUTPUT_DIR": str(tmp_path / "output"), **settings}
    )
    crawler.spider = crawler._create_spider(**(spider_args or {}))
    return crawler


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(key)


def drop_counters(crawler: Crawler) -> set[str]:
    assert crawler.stats is not None
    return {key for key in crawler.stats.get_stats() if key.startswith("newscrawler/dropped/")}


# ------------------------------------------------------------------------------- validate


@pytest.fixture
def validate(tmp_path: Path) -> ValidatePipeline:
    return ValidatePipeline.from_crawler(new_crawler(tmp_path, {"since": "2024-01-01"}))


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
    validate: ValidatePipeline, overrides: dict[str, Any], reason: str
) -> None:
    item = make_article(**overrides)
    with pytest.raises(DropItem, match=rf"^{reason}: https://www\.irna\.ir/news/85257749/"):
        validate.process_item(item)
    assert stat(validate.crawler, f"newscrawler/dropped/{reason}") == 1
    assert drop_counters(validate.crawler) == {f"newscrawler/dropped/{reason}"}


def test_validate_counts_each_drop(validate: ValidatePipeline) -> None:
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
        {"published_at": "not a date"},
    ],
)
def test_validate_keeps_usable_articles(
    validate: ValidatePipeline, overrides: dict[str, Any]
) -> None:
    item = make_article(**overrides)
    assert validate.process_item(item) is item
    assert drop_counters(validate.crawler) == set()


def test_validate_without_since_keeps_old_articles(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path)
    pipeline = ValidatePipeline.from_crawler(crawler)
    item = make_article(published_at="2004-10-01T16:20:00+03:30")
    assert pipeline.process_item(item) is item


def test_validate_min_words_setting(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_MIN_BODY_WORDS=3)
    pipeline = ValidatePipeline.from_crawler(crawler)
    assert pipeline.process_item(make_article(body="سه واژه کوتاه")).body == "سه واژه کوتاه"
    with pytest.raises(DropItem, match="body_too_short"):
        pipeline.process_item(make_article(body="دو واژه"))


# --------------------------------------------------------------------------------- dedupe


class Run:
    """One crawl's dedupe pipeline over a shared state directory."""

    def __init__(self, tmp_path: Path) -> None:
        self.crawler = new_crawler(tmp_path)
        self.dedupe = DedupePipeline.from_crawler(self.crawler)
        self.dedupe.open_spider()

    def kept(self, item: Article) -> bool:
        try:
            self.dedupe.process_item(item)
        except DropItem:
            return False
        return True

    def commit(self) -> None:
        """What the store pipeline announces once its file is in place."""
        self.crawler.signals.send_catch_log(
            signal=nc_signals.output_committed, path=Path("x.jsonl"), lines=1
        )

    def close(self) -> None:
        self.dedupe.close_spider()


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[Run]]:
    started: list[Run] = []
    yield started
    for run in started:
        run.close()


def start(runs: list[Run], tmp_path: Path) -> Run:
    run = Run(tmp_path)
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
        # an article with no key at all cannot be a duplicate
        other_article(4, news_id=None, canonical_url=None, content_hash=None),
        other_article(5, news_id=None, canonical_url=None, content_hash=None),
    ]
    assert all(run.kept(item) for item in items)
    assert stat(run.crawler, "newscrawler/duplicates") is None


def test_dedupe_keys_persist_after_commit(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    first.commit()
    first.close()

    second = start(runs, tmp_path)
    assert not second.kept(make_article())
    assert not second.kept(
        other_article(1, news_id=None, canonical_url="https://irna.ir/news/85257749")
    )
    assert second.kept(other_article(1))


def test_dedupe_forgets_keys_of_a_run_that_did_not_commit(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    assert not first.kept(make_article())  # within the run, already a duplicate
    first.close()  # the run ends without its file: nothing was delivered

    second = start(runs, tmp_path)
    assert second.kept(make_article())


def test_dedupe_commit_covers_only_what_came_before(runs: list[Run], tmp_path: Path) -> None:
    first = start(runs, tmp_path)
    assert first.kept(make_article())
    first.commit()
    assert first.kept(other_article(1))  # after the file was committed; never delivered
    first.close()

    second = start(runs, tmp_path)
    assert not second.kept(make_article())
    assert second.kept(other_article(1))


def test_dedupe_state_dir_setting(tmp_path: Path) -> None:
    crawler = new_crawler(tmp_path, NEWSCRAWLER_STATE_DIR=str(tmp_path / "state"))
    pipeline = DedupePipeline.from_crawler(crawler)
    assert pipeline.index_path == tmp_path / "state" / "seen.sqlite"
    default = DedupePipeline.from_crawler(new_crawler(tmp_path))
    assert default.index_path == tmp_path / "output" / ".state" / "seen.sqlite"


# ---------------------------------------------------------------------------------- store


@pytest.fixture
def crawler(tmp_path: Path) -> Crawler:
    return new_crawler(tmp_path)


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and ".state" not in p.parts)


def test_store_writes_part_then_renames(crawler: Crawler, tmp_path: Path) -> None:
    before = f"date={datetime.now(UTC):%Y-%m-%d}"
    store = JsonlStorePipeline.from_crawler(crawler)
    after = f"date={datetime.now(UTC):%Y-%m-%d}"
    store.open_spider()
    store.process_item(make_article())
    store.process_item(other_article(1))
    root = tmp_path / "output"
    assert [p.name for p in files(root)] == [f"{store.run_id}.jsonl.part"]
    assert not list(root.rglob("*.jsonl"))

    store.close_spider()
    assert store.partition in (before, after)
    final = root / "irna" / store.partition / f"{store.run_id}.jsonl"
    assert files(root) == [final]
    assert re.fullmatch(r"\d{8}T\d{6}Z-\d+(-\d+)?", store.run_id)
    assert stat(crawler, "newscrawler/run_id") == store.run_id
    assert stat(crawler, "newscrawler/items/written") == 2
    assert stat(crawler, "newscrawler/output/file") == str(final)


def test_store_lines_are_utf8_json_in_field_order(crawler: Crawler, tmp_path: Path) -> None:
    store = JsonlStorePipeline.from_crawler(crawler)
    store.open_spider()
    article = make_article(
        tags=["قزوین", "صنعت"], images=[{"url": "https://irna.ir/1.jpg", "caption": "شهرک"}]
    )
    store.process_item(StampPipeline().process_item(article))
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
    committed: list[Any] = []

    def on_commit(path: Path, lines: int) -> None:
        committed.append((path, lines))

    crawler.signals.connect(on_commit, signal=nc_signals.output_committed)
    store = JsonlStorePipeline.from_crawler(crawler)
    store.open_spider()
    store.close_spider()
    store.spider_closed()
    assert files(tmp_path / "output") == []
    assert committed == []
    assert stat(crawler, "newscrawler/output/file") is None


def test_store_announces_the_committed_file(crawler: Crawler) -> None:
    committed: list[Any] = []

    def on_commit(path: Path, lines: int) -> None:
        committed.append((path, lines))

    crawler.signals.connect(on_commit, signal=nc_signals.output_committed)
    store = JsonlStorePipeline.from_crawler(crawler)
    store.open_spider()
    for n in range(3):
        store.process_item(other_article(n))
    assert committed == []
    store.close_spider()
    assert committed == [(store.final_path, 3)]


def test_store_and_dedupe_together(tmp_path: Path) -> None:
    """The real order: the store closes first, commits, and the dedupe keys become durable."""
    crawler = new_crawler(tmp_path)
    dedupe = DedupePipeline.from_crawler(crawler)
    store = JsonlStorePipeline.from_crawler(crawler)
    dedupe.open_spider()
    store.open_spider()
    for item in (make_article(), make_article(), other_article(1)):
        with contextlib.suppress(DropItem):
            store.process_item(dedupe.process_item(item))
    store.close_spider()
    dedupe.close_spider()
    (path,) = files(tmp_path / "output")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2

    again = new_crawler(tmp_path)
    dedupe2 = DedupePipeline.from_crawler(again)
    dedupe2.open_spider()
    try:
        for item in (make_article(), other_article(1)):
            with pytest.raises(DropItem):
                dedupe2.process_item(item)
        assert dedupe2.process_item(other_article(2))
    finally:
        dedupe2.close_spider()


def test_two_runs_in_one_process_do_not_share_a_file(tmp_path: Path) -> None:
    stores = []
    for n in range(2):
        crawler = new_crawler(tmp_path)
        store = JsonlStorePipeline.from_crawler(crawler)
        store.open_spider()
        store.process_item(other_article(n))
        stores.append(store)
    for store in stores:
        store.close_spider()
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
    store.open_spider()
    store.process_item(make_article())
    store.close_spider()
    assert store.final_path is not None
    root = (tmp_path / "output").resolve()
    assert store.final_path.resolve().is_relative_to(root)
    assert store.final_path.parent.parent == tmp_path / "output" / "etc_cron.d"


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


def test_stamp_sets_crawl_time_in_utc() -> None:
    item = StampPipeline().process_item(make_article())
    assert item.crawled_at is not None
    stamped = datetime.fromisoformat(item.crawled_at)
    assert stamped.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60
