"""Item pipelines: validate → dedupe → stamp → store. Extraction never happens here.

Every dropped item is counted in the stats under ``newscrawler/dropped/<reason>`` and logged
with its URL and reason; the run summary lists them.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from newscrawler import signals as nc_signals
from newscrawler.dates import parse_iso
from newscrawler.seen import SeenIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_SAFE_TOKEN = re.compile(r"[^A-Za-z0-9_.=-]+")


def safe_token(value: str) -> str:
    """A file-name token that cannot leave its directory.

    >>> safe_token("../../etc/passwd")
    'etc_passwd'
    """
    token = _SAFE_TOKEN.sub("_", value).strip("._")
    return token[:80] or "unnamed"


def drop(crawler: Crawler, reason: str, item: Any, detail: str = "") -> DropItem:
    """Count a drop and build the exception that tells Scrapy to log it."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newscrawler/dropped/{reason}")
    url = ItemAdapter(item).get("url")
    return DropItem(f"{reason}: {url}" + (f" ({detail})" if detail else ""))


def output_dir(crawler: Crawler) -> Path:
    return Path(crawler.settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output")


class ValidatePipeline:
    """Drop what is not a usable article: no title, no or too short body, outside the window."""

    def __init__(self, crawler: Crawler, min_words: int) -> None:
        self.crawler = crawler
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWLER_MIN_BODY_WORDS", 20))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
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


class DedupePipeline:
    """Drop an article already written by any site in any run, or earlier in this run.

    Keys, in order: ``<site>:<news_id>``, the canonical URL, the body hash (so a copy of the
    same text on another site is dropped too). The index lives in
    ``NEWSCRAWLER_STATE_DIR/seen.sqlite`` (default: ``<output>/.state``).
    """

    def __init__(self, crawler: Crawler, index_path: Path) -> None:
        self.crawler = crawler
        self.index_path = index_path
        self.index: SeenIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        state_dir = crawler.settings.get("NEWSCRAWLER_STATE_DIR") or output_dir(crawler) / ".state"
        pipeline = cls(crawler, Path(state_dir) / "seen.sqlite")
        crawler.signals.connect(pipeline.commit, signal=nc_signals.output_committed)
        return pipeline

    def open_spider(self) -> None:
        self.index = SeenIndex(self.index_path)

    def close_spider(self) -> None:
        if self.index is not None:
            self.index.discard()  # anything not committed with a file is forgotten
            self.index.close()
            self.index = None

    def commit(self, path: Path, lines: int) -> None:
        if self.index is not None:
            self.index.commit()

    @staticmethod
    def keys(adapter: ItemAdapter) -> list[str]:
        keys = []
        if adapter.get("news_id"):
            keys.append(f"id:{adapter['site']}:{adapter['news_id']}")
        if adapter.get("canonical_url"):
            keys.append(f"url:{adapter['canonical_url']}")
        if adapter.get("content_hash"):
            keys.append(f"body:{adapter['content_hash']}")
        return keys

    def process_item(self, item: Any) -> Any:
        assert self.index is not None
        adapter = ItemAdapter(item)
        keys = self.keys(adapter)
        seen = self.index.lookup(keys)
        if seen:
            key, article_id = seen
            kind = key.split(":", 1)[0]
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newscrawler/duplicates")
            raise DropItem(
                f"duplicate_{kind}: {adapter.get('url')} (same as {article_id})", log_level="DEBUG"
            )
        self.index.add(keys, adapter["id"], adapter["site"])
        return item


class StampPipeline:
    """Set the crawl time (kept out of extraction so golden files stay stable)."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["crawled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return item


class JsonlStorePipeline:
    """Write articles as JSON Lines, one file per run, visible only once complete.

    Lines go to ``<run-id>.jsonl.part``; at the end of the run the file is flushed, fsynced and
    renamed to ``<output>/<site>/date=<YYYY-MM-DD>/<run-id>.jsonl``, so a reader (or a warehouse
    loader globbing ``*.jsonl``) never sees half a file. UTF-8, Persian as is (no ``\\u``
    escapes), fields in the order of :class:`~newscrawler.items.Article`.
    """

    #: Run ids given out in this process: two runs started in the same second (several crawlers
    #: in one process) must not write, and rename over, the same file.
    _run_ids: ClassVar[set[str]] = set()

    def __init__(self, crawler: Crawler, root: Path) -> None:
        self.crawler = crawler
        self.root = root
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
        self.final_path: Path | None = None
        self.lines = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWSCRAWLER_STORE_ENABLED", True):
            raise NotConfigured
        pipeline = cls(crawler, output_dir(crawler))
        assert crawler.stats is not None
        crawler.stats.set_value("newscrawler/run_id", pipeline.run_id)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        assert self.crawler.spider is not None
        site_dir = self.root / safe_token(self.crawler.spider.name) / self.partition
        site_dir.mkdir(parents=True, exist_ok=True)
        self.final_path = site_dir / f"{self.run_id}.jsonl"
        self.part_path = site_dir / f"{self.run_id}.jsonl.part"

    def process_item(self, item: Any) -> Any:
        assert self.part_path is not None
        if self.file is None:
            self.file = self.part_path.open("w", encoding="utf-8", newline="\n")
        line = json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False)
        self.file.write(line + "\n")
        self.lines += 1
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newscrawler/items/written")
        return item

    def close_spider(self) -> None:
        if self.file is None or self.part_path is None or self.final_path is None:
            return
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        self.file = None
        self.part_path.replace(self.final_path)
        dir_fd = os.open(self.final_path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawler/output/file", str(self.final_path))
        self.crawler.signals.send_catch_log(
            signal=nc_signals.output_committed, path=self.final_path, lines=self.lines
        )

    def spider_closed(self) -> None:
        """Nothing written: leave no empty file behind."""
        if self.lines == 0 and self.part_path is not None and self.part_path.exists():
            self.part_path.unlink()
