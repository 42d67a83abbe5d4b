"""Write articles as JSON Lines, exactly once: files appear only when complete, and the crawl
state records their articles in the same step (:meth:`newscrawler.state.ledger.Ledger.commit`).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Self

from scrapy.exceptions import NotConfigured

from newscrawler.items import record_of
from newscrawler.state.layout import output_dir, safe_token
from newscrawler.state.ledger import ledger_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 text as is, U+2028 and U+2029 escaped, ``\\n`` at the end.

    >>> json_line({"title": "یک\\u2028دو"})
    '{"title": "یک\\\\u2028دو"}\\n'
    """
    text = json.dumps(record, ensure_ascii=False)
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text + "\n"


class JsonlStorePipeline:
    """Write articles as JSON Lines in files that appear only when complete.

    Lines go to ``<run-id>-<seq>.jsonl.part`` under ``<output>/<site>/date=<YYYY-MM-DD>/``; every
    ``NEWSCRAWLER_FILE_MAX_ITEMS`` records and at the end of the run the file is flushed,
    fsynced and renamed to ``.jsonl`` (then the directory is fsynced), and only then are its
    articles recorded in the crawl state. A reader globbing ``*.jsonl`` never sees half a file,
    and a killed run loses at most the records of its open ``.part`` file, which the next run
    fetches again. UTF-8, Persian as is (no ``\\u`` escapes but for U+2028 and U+2029, which
    JSON allows raw in a string and line-oriented readers take for line breaks), fields in the
    order of :class:`~newscrawler.items.Article`.
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
        if not crawler.settings.getbool("NEWSCRAWLER_STORE_ENABLED"):
            raise NotConfigured
        max_items = crawler.settings.getint("NEWSCRAWLER_FILE_MAX_ITEMS")
        pipeline = cls(crawler, output_dir(crawler), max(1, max_items))
        assert crawler.stats is not None
        crawler.stats.set_value("newscrawler/run_id", pipeline.run_id)
        crawler.stats.set_value("newscrawler/output/files", pipeline.files)
        return pipeline

    @property
    def site_dir(self) -> Path:
        assert self.crawler.spider is not None
        return self.root / safe_token(self.crawler.spider.name)

    def _open(self) -> IO[str]:
        self.sequence += 1
        directory = self.site_dir / self.partition
        directory.mkdir(parents=True, exist_ok=True)
        final = directory / f"{self.run_id}-{self.sequence:04d}.jsonl"
        ledger_of(self.crawler).opening(final, self.run_id)  # only such files are read back
        self.part_path = final.with_name(final.name + ".part")
        return self.part_path.open("w", encoding="utf-8", newline="\n")

    def process_item(self, item: Any) -> Any:
        if self.file is None:
            self.file = self._open()
        record = record_of(item)
        self.file.write(json_line(record))
        ledger_of(self.crawler).stage(record)
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
        lines, sha, size = ledger_of(self.crawler).commit(final, self.run_id)
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
