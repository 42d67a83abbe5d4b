"""Write articles as JSON Lines, exactly once: files appear only when complete, and the crawl
state records their articles in the same step (:meth:`newscrawler.state.ledger.Ledger.commit`).
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Self

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newscrawler.crawl.outcomes import drop
from newscrawler.crawl.stats import Stats, stats_of
from newscrawler.items import record_of
from newscrawler.state.layout import output_dir, safe_token, state_dir
from newscrawler.state.ledger import ledger_of, ledger_owner
from newscrawler.state.store import file_digest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawler.state.ledger import CrawlLedger, Ledger


#: What ``json.dumps(record, ensure_ascii=False)`` uses, made once: ``dumps`` with any option
#: builds a new encoder for every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_line(record: dict[str, Any]) -> str:
    """One JSONL line: UTF-8 text as is, U+2028 and U+2029 escaped, ``\\n`` at the end.

    >>> json_line({"title": "یک\\u2028دو"})
    '{"title": "یک\\\\u2028دو"}\\n'
    """
    text = _ENCODER.encode(record)
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text + "\n"


#: The errors of a disk that fails (full, read-only, over a file size limit) or of a crawl
#: state that cannot be written.
WRITE_ERRORS = (OSError, sqlite3.Error)


def output_error(crawler: Crawler, stats: Stats | None = None) -> str | None:
    """Why this run stopped writing, once it has (see :func:`stop_output`); ``stats``: the
    crawl's, from :func:`~newscrawler.crawl.stats.stats_of` (asked for every item)."""
    value = (stats or stats_of(crawler)).get_value("newscrawler/output_error")
    return str(value) if value else None


def stop_output(crawler: Crawler, exc: BaseException, path: object, *, close: bool = True) -> None:
    """The output or the state could not be written: one ERROR line naming the file and the
    cause, the stat ``newscrawler/output_error`` (``scrapy crawl`` exits 7), and the spider
    closed with reason ``output_error``. Only the first failure of a run is reported."""
    if output_error(crawler):
        return
    if isinstance(exc, sqlite3.Error):
        where: object = f"the crawl state in {state_dir(crawler.settings)}"
    else:
        where = getattr(exc, "filename", None) or path
    cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    failure = f"cannot write {where}: {cause}"
    assert crawler.stats is not None
    crawler.stats.set_value("newscrawler/output_error", failure)
    crawler.stats.inc_value("newscrawler/failed/output_error")
    assert crawler.spider is not None
    crawler.spider.logger.error(
        "output stopped, %s; what was committed before is complete, the next run fetches "
        "the rest again",
        failure,
    )
    if close:
        try:
            engine = crawler.engine
        except RuntimeError:  # not crawling (a pipeline tried on its own)
            return
        deferred_from_coro(engine.close_spider_async(reason="output_error"))


def dropped_by_failure(crawler: Crawler, item: Any) -> DropItem:
    """An item that comes after :func:`stop_output`: counted, logged at DEBUG only."""
    exc = drop(crawler, "output_error", item)
    exc.log_level = "DEBUG"
    return exc


#: This machine's name as it appears in run ids: letters, digits and ``-`` (24 at most).
HOST = re.sub(r"[^a-z0-9-]+", "-", socket.gethostname().lower()).strip("-")[:24] or "host"


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

    A disk that fails (full, read-only, a file size limit: any ``OSError``) or a crawl state
    that cannot record a commit (``sqlite3.OperationalError``) stops the store: one ERROR line
    naming the file and the cause, the stat ``newscrawler/output_error``, later items dropped
    as ``output_error``, and the spider closed with that reason (``scrapy crawl`` exits 7). The
    open ``.part`` file stays a ``.part`` (the next run removes it and fetches its articles
    again); a file already renamed into place is complete and named by the manifest.
    """

    #: Run ids are ``<start time>-<host>-<pid>``: unique on one machine (pid), across the
    #: machines of a fleet whose files end up in one place (host; containers share pids).
    #: Run ids given out in this process: two runs started in the same second (several crawlers
    #: in one process) must not write, and rename over, the same file.
    _run_ids: ClassVar[set[str]] = set()

    def __init__(self, crawler: Crawler, root: Path, max_items: int) -> None:
        self.crawler = crawler
        self.root = root
        self.max_items = max_items
        started = datetime.now(UTC)
        base = self.run_id = f"{started:%Y%m%dT%H%M%SZ}-{HOST}-{os.getpid()}"
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
        #: Why the store stopped (a disk or state failure), once it has.
        self.failure: str | None = None
        #: The file being written or committed (its final name).
        self.current: Path | None = None
        self._ledger_owner: CrawlLedger | None = None

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

    @cached_property
    def stats(self) -> Stats:
        return stats_of(self.crawler)

    @property
    def ledger(self) -> Ledger:
        """The crawl's open ledger (:func:`~newscrawler.state.ledger.ledger_of`), its owner
        found once: ``crawler.get_extension`` walks the extensions for every call."""
        if self._ledger_owner is None:
            self._ledger_owner = ledger_owner(self.crawler)
        return self._ledger_owner.ledger

    @property
    def site_dir(self) -> Path:
        assert self.crawler.spider is not None
        return self.root / safe_token(self.crawler.spider.name)

    def _open(self) -> IO[str]:
        self.sequence += 1
        directory = self.site_dir / self.partition
        directory.mkdir(parents=True, exist_ok=True)
        final = self.current = directory / f"{self.run_id}-{self.sequence:04d}.jsonl"
        ledger_of(self.crawler).opening(final, self.run_id)  # only such files are read back
        self.part_path = final.with_name(final.name + ".part")
        return self.part_path.open("w", encoding="utf-8", newline="\n")

    def process_item(self, item: Any) -> Any:
        if self.failure is not None or output_error(self.crawler, self.stats):
            raise dropped_by_failure(self.crawler, item)
        try:
            self._write(item)
        except WRITE_ERRORS as exc:
            self._fail(exc)
        return item

    def _write(self, item: Any) -> None:
        if self.file is None:
            self.file = self._open()
        record = record_of(item)
        self.file.write(json_line(record))
        self.ledger.stage(record)
        self.lines += 1
        self.stats.inc_value("newscrawler/items/written")
        if self.lines >= self.max_items:
            self.commit()

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
        self.part_path = None
        dir_fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        try:
            lines, sha, size = ledger_of(self.crawler).commit(final, self.run_id)
        except BaseException:
            # complete and in place: the manifest names it, the next run records it in the
            # state (the ledger noted it when it was opened)
            self._delivered(final, *file_digest(final))
            raise
        self._delivered(final, lines, sha, size)

    def _delivered(self, final: Path, lines: int, sha: str, size: int) -> None:
        self.files.append(
            {
                "path": final.relative_to(self.root).as_posix(),
                "lines": lines,
                "bytes": size,
                "sha256": sha,
            }
        )
        self.lines = 0

    def _fail(self, exc: BaseException, *, close: bool = True) -> None:
        """Stop taking items; the open file is left a ``.part``."""
        self.failure = str(exc)
        if self.file is not None:
            with suppress(OSError):
                self.file.close()  # its buffered lines may not fit either
            self.file = None
        with suppress(RuntimeError):
            ledger_of(self.crawler).discard()
        stop_output(self.crawler, exc, self.current or self.site_dir, close=close)

    def close_spider(self) -> None:
        if output_error(self.crawler):  # the open file stays a .part (the next run removes it)
            if self.file is not None:
                with suppress(OSError):
                    self.file.close()
                self.file = None
            with suppress(RuntimeError):
                ledger_of(self.crawler).discard()
        else:
            try:
                self.commit()
            except WRITE_ERRORS as exc:
                self._fail(exc, close=False)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawler/output/files", self.files)
