"""The crawl ledger: one site's lock, state stores and staged records, opened with crash recovery.

See :mod:`newscrawler.state` for the rule that gives exactly-once output.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.utils.misc import load_object

from newscrawler.state.claims import Claims, RunKeys
from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.layout import output_dir, safe_token, state_dir
from newscrawler.state.lock import SiteLock
from newscrawler.state.recovery import write_recovery_manifests
from newscrawler.state.store import KnownArticle, SharedIndex, SiteState, file_digest, shared_keys
from newscrawler.state.verify import named_by_manifests

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
            self.claims = Claims(self.shared, site, output_site_dir)
        except BaseException:
            self.lock.release()
            raise
        self._staged: list[dict[str, Any]] = []
        self._claimed = RunKeys()  # every key claimed in this run: bounded memory
        #: What the last :meth:`verify` found wrong: files not created by the ledger (never
        #: ingested) and committed files missing from a partition folder that still exists.
        self.foreign: list[str] = []
        self.missing: list[str] = []
        self._read_back: dict[str, str] = {}  # file name → run id, of the files verify returns
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
        (committed, any site, or earlier in this run) already holds one of them, or a run of
        another site claimed one (atomically across processes: :mod:`newscrawler.state.claims`).

        ``record`` needs only the fields of the keys (``id``, ``site``, ``news_id``,
        ``canonical_url``, ``content_hash``): the dedupe pipeline gives an article's
        (``newscrawler.pipelines.dedupe.CLAIM_FIELDS``), not the whole record."""
        shared = shared_keys(record)
        keys = [f"id:{record.get('site')}:{record['news_id']}"] if record.get("news_id") else []
        keys += shared
        held = self._claimed.holders(keys)
        for key in keys:
            holder = held.get(key)
            if holder is not None and (holder != record["id"] or key.startswith("id:")):
                return key, holder
        found = self.claims.take(shared, record["id"])
        if found:
            return found
        self._claimed.hold(keys, record["id"])
        return None

    # staging and committing -------------------------------------------------------------

    def opening(self, path: Path, run_id: str) -> None:
        """The store is about to write the file ``path`` (its final name): recorded first, so
        that only files the ledger created are ever read back (:meth:`verify`)."""
        self.claims.run_id = self.claims.run_id or run_id
        self.state.note_opened(path.relative_to(self.output_site_dir).as_posix(), run_id)

    def stage(self, record: dict[str, Any]) -> None:
        """A record was written to the current (not yet committed) file."""
        self._staged.append(record)

    def commit(self, path: Path, run_id: str) -> tuple[int, str, int]:
        """The file at ``path`` is complete and renamed: record it with its articles.

        The shared keys first (their claims released in the same transaction), then the site's
        state: a kill between the two leaves a file the site's state lacks, read back at the next
        start, while its keys already keep other sites from writing the story."""
        digest = file_digest(path)
        name = path.relative_to(self.output_site_dir).as_posix()
        self.shared.record(
            [(key, rec["id"], self.site) for rec in self._staged for key in shared_keys(rec)]
        )
        self.state.record(self._staged, name, run_id, digest)
        self._staged = []
        for listener in self.listeners:
            listener()
        return digest

    def discard(self) -> None:
        self._staged = []

    # recovery ---------------------------------------------------------------------------

    def verify(self) -> list[Path]:
        """Check the output folder against the state; return the files to read back: complete
        files the ledger opened (:meth:`opening`) and never committed, and files a manifest of
        the site names with their SHA-256 (committed before a ``state reset``).

        Any other file the state does not know (a backup copied into a partition, a file written
        by hand) is never read back: it is listed in :attr:`foreign`. A committed file missing
        from a partition folder that still exists is listed in :attr:`missing` (a whole partition
        gone was archived). Raises :class:`StateError` when a committed file changed size or a
        file to read back is damaged. Same-size edits are found by ``state verify`` (SHA-256).
        """
        known, self._read_back = self.state.files(), self.state.opened()
        unknown, on_disk, named = [], set(), None
        self.foreign, self.missing = [], []
        for path in sorted(self.output_site_dir.glob("date=*/*.jsonl")):
            name = path.relative_to(self.output_site_dir).as_posix()
            on_disk.add(name)
            if name not in known and name not in self._read_back:
                named = named_by_manifests(self.output_site_dir) if named is None else named
                if name in named and file_digest(path)[1] == named[name][1]:
                    self._read_back[name] = named[name][2]
            if name in self._read_back and name not in known:
                for _ in read_records(path):  # damaged → StateError naming the file
                    pass
                unknown.append(path)
            elif name not in known:
                self.foreign.append(name)
            elif path.stat().st_size != known[name][1]:
                raise StateError(
                    f"output file {path} changed size since it was committed "
                    f"({known[name][1]} → {path.stat().st_size} bytes); restore it from a "
                    "backup or move it away and reset the state"
                )
        self.missing = sorted(
            name for name in set(known) - on_disk if (self.output_site_dir / name).parent.is_dir()
        )
        return unknown

    def reconcile(self) -> dict[str, Any]:
        """Make the state agree with the output folder after a crash (see module docstring).

        Returns what was done and found: files ingested, partial files removed, files not
        created by the ledger (left alone), committed files missing, stale claims released.
        """
        report: dict[str, Any] = {"ingested": [], "removed_partial": []}
        if self.output_site_dir.exists():
            for part in sorted(self.output_site_dir.glob("date=*/*.jsonl.part")):
                part.unlink()
                report["removed_partial"].append(part.name)
            for path in self.verify():
                self._staged = list(read_records(path))
                name = path.relative_to(self.output_site_dir).as_posix()
                self.commit(path, self._read_back[name])
                report["ingested"].append(name)
        self.state.forget_opened(self.state.opened())  # their .part files are gone
        report["foreign"], report["missing"] = list(self.foreign), list(self.missing)
        report["released_claims"] = self.claims.release_dead()
        return report

    def close(self) -> None:
        self._staged = []
        self._claimed.close()
        try:
            self.claims.release()
        finally:
            self.state.close()
            self.shared.close()
            self.lock.release()


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a committed JSONL file; a damaged file is an error that names it. Lines end
    at ``\\n`` only: U+2028, U+2029, NEL or CR inside a JSON string (``splitlines`` breaks on
    them all) are text."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines[-1] == "":
            lines.pop()  # the end of the last line
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
        run_id = crawler.stats.get_value("newscrawler/run_id")
        ledger.claims.run_id = run_id or ""
        report_mismatches(crawler, report)
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
        write_recovery_manifests(root, site, ledger.state.files_by_run(), run_id)
        return ledger

    def close(self) -> None:
        ledger, self._ledger = self._ledger, None
        if ledger is None:
            return
        try:
            ledger.close()
        except (sqlite3.Error, OSError) as exc:  # a full or read-only disk (store: output_error)
            if self.crawler.spider is not None:
                self.crawler.spider.logger.warning(
                    "cannot release this run's claims in the crawl state (%s); the next run "
                    "releases them",
                    exc,
                )


def report_mismatches(crawler: Crawler, report: dict[str, Any]) -> None:
    """A warning and a counter for the files the output folder and the state disagree on."""
    assert crawler.stats is not None
    assert crawler.spider is not None
    for kind, what in (
        ("foreign", "not created by the crawl ledger, left alone (never read back)"),
        ("missing", "committed but missing from their partition folder"),
    ):
        names = report.get(kind) or []
        crawler.stats.set_value(f"newscrawler/state/{kind}_files", len(names))
        if names:
            crawler.spider.logger.warning(
                "%d output file(s) %s: %s; run 'python -m newscrawler state verify %s'",
                len(names),
                what,
                ", ".join(names[:5]) + (" …" if len(names) > 5 else ""),
                crawler.spider.name,
            )


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
