"""The crawl ledger: one site's lock, state stores and staged records, opened with crash recovery.

See :mod:`newscrawler.state` for the rule that gives exactly-once output.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.misc import load_object

from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.layout import output_dir, safe_token, state_dir
from newscrawler.state.lock import SiteLock
from newscrawler.state.recovery import write_recovery_manifests
from newscrawler.state.store import KnownArticle, SharedIndex, SiteState, file_digest, shared_keys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


class Ledger:
    """Everything a run needs to know and record about delivered articles, for one site."""

    def __init__(self, root: Path, site: str, output_site_dir: Path) -> None:
        self.site = site
        self.output_site_dir = output_site_dir
        self.lock = SiteLock(root / f"{site}.lock")
        self.lock.acquire()
        try:
            self.state = SiteState(root / f"{site}.sqlite", site)
            self.shared = SharedIndex(root / "seen.sqlite")
        except BaseException:
            self.lock.release()
            raise
        self._staged: list[dict[str, Any]] = []
        self._claimed: dict[str, str] = {}
        #: Called right after each commit (the syndication index records what was delivered).
        self.listeners: list[Callable[[], object]] = []

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, root: Path, site: str, output_site_dir: Path
    ) -> Ledger:
        """The ledger of a run (a subclass reads its own settings here)."""
        return cls(root, site, output_site_dir)

    # lookups ----------------------------------------------------------------------------

    def known_request(self, keys: Iterable[str]) -> KnownArticle | None:
        """The committed article a request URL leads to, if any."""
        return self.state.by_keys(keys)

    def claim(self, record: dict[str, Any]) -> tuple[str, str] | None:
        """Reserve a record's keys for this run; ``(key, other id)`` when another article
        (committed, any site, or earlier in this run) already holds one of them."""
        keys = [f"id:{record.get('site')}:{record['news_id']}"] if record.get("news_id") else []
        keys += shared_keys(record)
        for key in keys:
            holder = self._claimed.get(key)
            if holder is not None and (holder != record["id"] or key.startswith("id:")):
                return key, holder
        found = self.shared.lookup(shared_keys(record))
        if found and found[1] != record["id"]:
            return found
        for key in keys:
            self._claimed[key] = record["id"]
        return None

    # staging and committing -------------------------------------------------------------

    def stage(self, record: dict[str, Any]) -> None:
        """A record was written to the current (not yet committed) file."""
        self._staged.append(record)

    def commit(self, path: Path, run_id: str) -> tuple[int, str, int]:
        """The file at ``path`` is complete and renamed: record it with its articles."""
        digest = file_digest(path)
        name = path.relative_to(self.output_site_dir).as_posix()
        self.state.record(self._staged, name, run_id, digest)
        self.shared.record(
            [(key, rec["id"], self.site) for rec in self._staged for key in shared_keys(rec)]
        )
        self._staged = []
        for listener in self.listeners:
            listener()
        return digest

    def discard(self) -> None:
        self._staged = []

    # recovery ---------------------------------------------------------------------------

    def verify(self) -> list[Path]:
        """Check the output folder against the state; return complete files the state lacks.

        Raises :class:`StateError` when a committed file changed size or an uncommitted complete
        file is damaged (a missing committed file is fine: it may have been archived).
        """
        known = self.state.files()
        unknown = []
        for path in sorted(self.output_site_dir.glob("date=*/*.jsonl")):
            name = path.relative_to(self.output_site_dir).as_posix()
            if name not in known:
                for _ in read_records(path):  # damaged → StateError naming the file
                    pass
                unknown.append(path)
            elif path.stat().st_size != known[name][1]:
                raise StateError(
                    f"output file {path} changed size since it was committed "
                    f"({known[name][1]} → {path.stat().st_size} bytes); restore it from a "
                    "backup or move it away and reset the state"
                )
        return unknown

    def reconcile(self) -> dict[str, Any]:
        """Make the state agree with the output folder after a crash (see module docstring).

        Returns what was done: files ingested, partial files removed.
        """
        report: dict[str, Any] = {"ingested": [], "removed_partial": []}
        if not self.output_site_dir.exists():
            return report
        for part in sorted(self.output_site_dir.glob("date=*/*.jsonl.part")):
            part.unlink()
            report["removed_partial"].append(part.name)
        for path in self.verify():
            self._staged = list(read_records(path))
            run_id = path.name.rsplit("-", 1)[0] if "-" in path.stem else path.stem
            self.commit(path, run_id)
            report["ingested"].append(path.relative_to(self.output_site_dir).as_posix())
        return report

    def close(self) -> None:
        self._staged = []
        self.state.close()
        self.shared.close()
        self.lock.release()


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a committed JSONL file; a damaged file is an error that names it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise StateError(f"output file {path} is not UTF-8 ({exc.reason}); move it away") from None
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StateError(
                f"output file {path} is damaged at line {number} ({exc.msg}); restore it "
                "from a backup or move it away"
            ) from None
        if not isinstance(record, dict) or "id" not in record:
            raise StateError(f"output file {path} line {number} is not an article record")
        yield record


class CrawlLedger:
    """Scrapy extension that owns the run's ledger: the only code that opens and closes it.

    It opens the ledger when the spider opens (taking the site's lock and recovering from an
    interrupted run before any request is made) and closes it when the spider closes. The
    ledger's class is the setting ``NEWSCRAWLER_LEDGER_CLASS``: the local SQLite
    :class:`Ledger`, or in fleet mode :class:`newscrawler.fleet.ledger.RedisLedger`. Other
    components find it through the crawler (:func:`ledger_of`), and subscribe to commits with
    :meth:`on_commit` before it opens.
    """

    def __init__(self, crawler: Crawler, ledger_class: type[Ledger]) -> None:
        self.crawler = crawler
        self.ledger_class = ledger_class
        self._ledger: Ledger | None = None
        self._listeners: list[Callable[[], object]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        owner = cls(crawler, load_object(crawler.settings["NEWSCRAWLER_LEDGER_CLASS"]))
        crawler.signals.connect(owner.open, signal=signals.spider_opened)
        crawler.signals.connect(owner.close, signal=signals.spider_closed)
        return owner

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            raise RuntimeError(
                "the crawl ledger is used before the spider opened or after it closed"
            )
        return self._ledger

    def on_commit(self, listener: Callable[[], object]) -> None:
        """Call ``listener`` after every commit of this run (e.g. to index what was delivered)."""
        self._listeners.append(listener)
        if self._ledger is not None:
            self._ledger.listeners.append(listener)

    def open(self) -> Ledger:
        """Take the lock, open the stores, recover from an interrupted run, and write the
        recovery manifests of runs that were killed before writing their own.

        A state that cannot be opened (another run took the lock after ``scrapy crawl``
        checked it, a corrupt file) closes the spider with reason ``state_error``.
        """
        crawler = self.crawler
        assert crawler.spider is not None
        assert crawler.stats is not None
        site = safe_token(crawler.spider.name)
        root = output_dir(crawler)
        try:
            ledger = self.ledger_class.from_settings(
                crawler.settings, state_dir(crawler.settings), site, root / site
            )
            self._ledger = ledger
            report = ledger.reconcile()
        except (StateError, OSError) as exc:
            self.close()
            crawler.spider.logger.error("%s: cannot open the crawl state: %s", site, exc)
            kind = "locked" if isinstance(exc, RunLocked) else "error"
            crawler.stats.set_value("newscrawler/state_error", f"{kind}: {exc}")
            raise CloseSpider("state_error") from exc
        ledger.listeners.extend(self._listeners)
        crawler.stats.set_value("newscrawler/recovered/files", len(report["ingested"]))
        crawler.stats.set_value(
            "newscrawler/recovered/partial_removed", len(report["removed_partial"])
        )
        if report["ingested"] or report["removed_partial"]:
            crawler.spider.logger.warning(
                "recovered from an interrupted run: %d committed file(s) ingested into the "
                "state, %d partial file(s) removed (their articles will be fetched again)",
                len(report["ingested"]),
                len(report["removed_partial"]),
            )
        run_id = crawler.stats.get_value("newscrawler/run_id")
        write_recovery_manifests(root, site, ledger.state.files_by_run(), run_id)
        return ledger

    def close(self) -> None:
        ledger, self._ledger = self._ledger, None
        if ledger is not None:
            ledger.close()


def ledger_of(crawler: Crawler) -> Ledger:
    """The open ledger of a crawl (see :class:`CrawlLedger`)."""
    return ledger_owner(crawler).ledger


def ledger_owner(crawler: Crawler) -> CrawlLedger:
    """The crawl's :class:`CrawlLedger` extension; an error naming the setting when it is off."""
    owner = crawler.get_extension(CrawlLedger)
    if owner is None:
        raise RuntimeError(
            "newscrawler.state.ledger.CrawlLedger is not in EXTENSIONS: the pipelines and the "
            "incremental middleware need the crawl ledger"
        )
    return owner
