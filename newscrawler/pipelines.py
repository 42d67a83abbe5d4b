"""Item pipelines: validate → stamp → schema → dedupe/version → syndication → store.

No extraction here.

Every dropped item is counted in the stats under ``newscrawler/dropped/<reason>`` and logged
with its URL and reason; the run manifest lists them. What was delivered is recorded in the
crawl state (:mod:`newscrawler.state`) only when the file carrying it is committed.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Self

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawler.dates import parse_iso
from newscrawler.items import record_of
from newscrawler.manifests import output_dir as output_dir
from newscrawler.manifests import safe_token as safe_token
from newscrawler.state import ledger_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def drop(crawler: Crawler, reason: str, item: Any, detail: str = "") -> DropItem:
    """Count a drop and build the exception that tells Scrapy to log it."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newscrawler/dropped/{reason}")
    url = ItemAdapter(item).get("url")
    return DropItem(f"{reason}: {url}" + (f" ({detail})" if detail else ""))


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


class SchemaPipeline:
    """Validate every record against the packaged JSON Schema before it can be written.

    A record that does not fit (a bug, or a page that produced something unexpected) is dropped
    as ``schema_invalid`` with the first violation in the log, never written half-right. It runs
    before dedupe so that a dropped record claims nothing in the crawl state; the fields set
    after it (``version``, ``changed_at``, ``cluster_id``, ``duplicate_of``) keep the schema's
    types by construction.

    Records go through the schema compiled by fastjsonschema first (a few dozen µs); only one
    it rejects is checked by jsonschema, which decides and words the message.
    """

    def __init__(self, crawler: Crawler) -> None:
        from newscrawler.schema import fast_validator, validator

        self.crawler = crawler
        self.validator = validator()
        self.is_valid = fast_validator()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = record_of(item)
        if self.is_valid(record):
            return item
        error = next(iter(self.validator.iter_errors(record)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "record"
            raise drop(self.crawler, "schema_invalid", item, f"{where}: {error.message[:120]}")
        return item


class DedupePipeline:
    """Drop what was already delivered; re-emit what changed as a new version.

    * same article id already delivered with the same body and modification date: dropped as
      unchanged (counted under ``newscrawler/unchanged``, not an error);
    * same id, different body hash or modification date: kept with ``version`` + 1 and
      ``changed_at``;
    * same news id or canonical URL earlier in this run, or same canonical URL or body text
      delivered by any site in any run: dropped as a duplicate (``newscrawler/duplicates``).

    Lookups go to the crawl state (:func:`newscrawler.state.ledger_for`); nothing is recorded
    here: the store pipeline records what it actually wrote, when the file is committed.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        ledger_for(self.crawler)  # take the lock and recover from a crash before any item

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        ledger = ledger_for(self.crawler)
        assert self.crawler.stats is not None
        known = ledger.state.article(adapter["id"]) if adapter.get("id") else None
        if known is not None:
            same_body = known.content_hash == adapter.get("content_hash")
            same_modified = (known.modified_at or None) == (adapter.get("modified_at") or None)
            if same_body and same_modified:
                ledger.state.touch([adapter["id"]])
                self.crawler.stats.inc_value("newscrawler/unchanged")
                raise DropItem(f"unchanged: {adapter.get('url')}", log_level="DEBUG")
            adapter["version"] = known.version + 1
            adapter["changed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            self.crawler.stats.inc_value("newscrawler/versions")
        conflict = ledger.claim(record_of(item))
        if conflict:
            key, article_id = conflict
            self.crawler.stats.inc_value("newscrawler/duplicates")
            self.crawler.stats.inc_value(f"newscrawler/duplicates/{key.split(':', 1)[0]}")
            raise DropItem(
                f"duplicate_{key.split(':', 1)[0]}: {adapter.get('url')} (same as {article_id})",
                log_level="DEBUG",
            )
        return item


class StampPipeline:
    """Set the crawl time (kept out of extraction so golden files stay stable)."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["crawled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return item


class JsonlStorePipeline:
    """Write articles as JSON Lines in files that appear only when complete.

    Lines go to ``<run-id>-<seq>.jsonl.part`` under ``<output>/<site>/date=<YYYY-MM-DD>/``; every
    ``NEWSCRAWLER_FILE_MAX_ITEMS`` records and at the end of the run the file is flushed,
    fsynced and renamed to ``.jsonl`` (then the directory is fsynced), and only then are its
    articles recorded in the crawl state. A reader globbing ``*.jsonl`` never sees half a file,
    and a killed run loses at most the records of its open ``.part`` file, which the next run
    fetches again. UTF-8, Persian as is (no ``\\u`` escapes), fields in the order of
    :class:`~newscrawler.items.Article`.
    """

    #: Run ids given out in this process: two runs started in the same second (several crawlers
    #: in one process) must not write, and rename over, the same file.
    _run_ids: ClassVar[set[str]] = set()

    def __init__(self, crawler: Crawler, root: Path, max_items: int) -> None:
        self.crawler = crawler
        self.root = root
        self.max_items = max_items
        started = datetime.now(UTC)
        base = self.run_id = f"{started:%Y%m%dT%H%M%SZ}-{os.getpid()}"
        n = 1
        while self.run_id in self._run_ids:
            n += 1
            self.run_id = f"{base}-{n}"
        self._run_ids.add(self.run_id)
        self.partition = f"date={started:%Y-%m-%d}"
        self.file: IO[str] | None = None
        self.part_path: Path | None = None
        self.lines = 0
        self.sequence = 0
        self.files: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_STORE_ENABLED", True):
            raise NotConfigured
        max_items = crawler.settings.getint("NEWSCRAWLER_FILE_MAX_ITEMS", 1000)
        pipeline = cls(crawler, output_dir(crawler), max(1, max_items))
        assert crawler.stats is not None
        crawler.stats.set_value("newscrawler/run_id", pipeline.run_id)
        crawler.stats.set_value("newscrawler/output/files", pipeline.files)
        return pipeline

    def open_spider(self) -> None:
        ledger_for(self.crawler)  # the lock and crash recovery come before the first write

    @property
    def site_dir(self) -> Path:
        assert self.crawler.spider is not None
        return self.root / safe_token(self.crawler.spider.name)

    def _open(self) -> IO[str]:
        self.sequence += 1
        directory = self.site_dir / self.partition
        directory.mkdir(parents=True, exist_ok=True)
        self.part_path = directory / f"{self.run_id}-{self.sequence:04d}.jsonl.part"
        return self.part_path.open("w", encoding="utf-8", newline="\n")

    def process_item(self, item: Any) -> Any:
        if self.file is None:
            self.file = self._open()
        record = record_of(item)
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        ledger_for(self.crawler).stage(record)
        self.lines += 1
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newscrawler/items/written")
        if self.lines >= self.max_items:
            self.commit()
        return item

    def commit(self) -> None:
        """Finish the open file: flush, fsync, rename into place, fsync the folder, record."""
        if self.file is None or self.part_path is None:
            return
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        self.file = None
        final = self.part_path.with_suffix("")  # drop ".part"
        self.part_path.replace(final)
        dir_fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        lines, sha, size = ledger_for(self.crawler).commit(final, self.run_id)
        self.files.append(
            {
                "path": final.relative_to(self.root).as_posix(),
                "lines": lines,
                "bytes": size,
                "sha256": sha,
            }
        )
        self.part_path = None
        self.lines = 0

    def close_spider(self) -> None:
        self.commit()
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawler/output/files", self.files)
