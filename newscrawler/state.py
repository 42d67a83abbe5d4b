"""Crawl state: what each site has already delivered, kept so that the state and the output agree.

Two SQLite stores (nothing is loaded into memory at start; each lookup is one B-tree probe):

* ``<state>/<site>.sqlite``: the site's articles (id, news id, canonical URL, content hash,
  version, first/last seen, published/modified), the URL keys that lead to them, and the output
  files already committed (path, run, lines, bytes, SHA-256).
* ``<state>/seen.sqlite``: keys shared by all sites (canonical URL, body hash), so the same text
  on two sites is written once.

The rule that gives exactly-once output: **an article enters the state only in the same step
that makes its output file visible.** The store pipeline stages each record it writes; after a
file is complete and renamed into place it calls :meth:`Ledger.commit`, which records the file
and its articles in one transaction. A run killed before that leaves a ``.part`` file (deleted at
the next start; its articles are crawled again) and no state. A run killed between the rename
and the commit leaves a complete file the state does not know: the next start ingests it
(:meth:`Ledger.reconcile`). A committed file whose size changed is reported, not trusted.

A per-site lock (``<state>/<site>.lock``, ``flock``) keeps two runs of one site apart; the
kernel releases it when a process dies, so a killed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from newscrawler.manifests import output_dir, safe_token, write_recovery_manifests

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

STATE_SCHEMA = 1


class StateError(Exception):
    """The state or a previous output file cannot be trusted; the message says what to do."""


class RunLocked(StateError):
    """Another run of the same site holds the lock."""


def state_dir(settings: Any) -> Path:
    """``NEWSCRAWLER_STATE_DIR``, else ``<NEWSCRAWLER_OUTPUT_DIR>/.state``."""
    configured = settings.get("NEWSCRAWLER_STATE_DIR")
    if configured:
        return Path(configured)
    return Path(settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output") / ".state"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_digest(path: Path) -> tuple[int, str, int]:
    """Lines, SHA-256 and size of a file."""
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return lines, digest.hexdigest(), path.stat().st_size


@dataclass(frozen=True)
class KnownArticle:
    """What the state remembers of one article."""

    id: str
    content_hash: str | None
    version: int
    published_at: str | None
    modified_at: str | None
    last_seen: str
    first_seen: str = ""


def article_keys(record: dict[str, Any]) -> list[str]:
    """URL-level keys of a record: how a later request for the same article is recognised."""
    from newscrawler.extraction.urls import canonicalize

    keys = []
    if record.get("news_id"):
        keys.append(f"id:{record['news_id']}")
    for field in ("canonical_url", "url"):
        if record.get(field):
            keys.append(f"url:{canonicalize(record[field])}")
    return list(dict.fromkeys(keys))


def open_wal(path: Path, wait: float = 30.0) -> sqlite3.Connection:
    """Open an SQLite file in WAL mode (autocommit; transactions are explicit).

    Switching a new file to WAL takes a lock SQLite's busy timeout does not cover, so two runs
    opening a fresh file at once retry here instead of failing. Other errors are raised as is.
    """
    deadline = time.monotonic() + wait
    while True:
        db = sqlite3.connect(path, timeout=wait, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except BaseException:
            db.close()
            raise


def _connect(path: Path) -> sqlite3.Connection:
    """A state store, with errors a user can act on."""
    try:
        db = open_wal(path)
    except sqlite3.OperationalError as exc:
        raise StateError(f"state file {path} is busy or unreadable ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise StateError(
            f"state file {path} is corrupt ({exc}); move it away or run "
            f"'python -m newscrawler state reset <site>' to start over"
        ) from None
    try:
        # Reading the schema validates the header and first pages in constant time; a full
        # integrity check would read the whole file (seconds at 10 M articles) at every start.
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StateError(f"state file {path} is corrupt ({exc}); move it away") from None
    return db


class SiteState:
    """The per-site SQLite store."""

    def __init__(self, path: Path, site: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.site = site
        self.db = _connect(path)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS articles (
                id TEXT PRIMARY KEY, news_id TEXT, canonical_url TEXT, content_hash TEXT,
                version INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
                published_at TEXT, modified_at TEXT) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS keys (
                key TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS files (
                name TEXT PRIMARY KEY, run_id TEXT NOT NULL, lines INTEGER NOT NULL,
                bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, committed_at TEXT NOT NULL)
                WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
            """
        )
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(STATE_SCHEMA),))

    def article(self, article_id: str) -> KnownArticle | None:
        row = self.db.execute(
            "SELECT id, content_hash, version, published_at, modified_at, last_seen, first_seen "
            "FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def by_keys(self, keys: Iterable[str]) -> KnownArticle | None:
        for key in keys:
            row = self.db.execute("SELECT article_id FROM keys WHERE key = ?", (key,)).fetchone()
            if row:
                return self.article(row[0])
        return None

    def files_by_run(self) -> dict[str, list[dict[str, Any]]]:
        """Committed files grouped by run, in the manifest's ``files`` format."""
        runs: dict[str, list[dict[str, Any]]] = {}
        for name, run_id, lines, size, sha in self.db.execute(
            "SELECT name, run_id, lines, bytes, sha256 FROM files ORDER BY name"
        ):
            runs.setdefault(run_id, []).append(
                {"path": f"{self.site}/{name}", "lines": lines, "bytes": size, "sha256": sha}
            )
        return runs

    def files(self) -> dict[str, tuple[int, int, str]]:
        """Committed file name (relative to the site's output folder) → (lines, bytes, sha)."""
        return {
            name: (lines, size, sha)
            for name, lines, size, sha in self.db.execute(
                "SELECT name, lines, bytes, sha256 FROM files"
            )
        }

    def record(
        self,
        records: list[dict[str, Any]],
        file_name: str,
        run_id: str,
        digest: tuple[int, str, int],
    ) -> None:
        """One transaction: the file and every article it carries."""
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

    def touch(self, article_ids: Iterable[str]) -> None:
        """Mark articles as seen again (an unchanged revisit)."""
        now = now_iso()
        with self.db:
            self.db.executemany(
                "UPDATE articles SET last_seen = ? WHERE id = ?", [(now, i) for i in article_ids]
            )

    def counts(self) -> dict[str, Any]:
        articles, versions, first, last = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(version > 1), 0), MIN(first_seen), MAX(last_seen) "
            "FROM articles"
        ).fetchone()
        files, lines = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(lines), 0) FROM files"
        ).fetchone()
        return {
            "articles": articles,
            "changed_articles": versions,
            "first_seen": first,
            "last_seen": last,
            "files": files,
            "lines": lines,
        }

    def close(self) -> None:
        self.db.close()


class SharedIndex:
    """Keys shared by every site (``seen.sqlite``): canonical URL and body hash → article."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = _connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, article_id TEXT NOT NULL,"
            " site TEXT NOT NULL, first_seen TEXT NOT NULL) WITHOUT ROWID"
        )

    def lookup(self, keys: Iterable[str]) -> tuple[str, str] | None:
        for key in keys:
            row = self.db.execute("SELECT article_id FROM seen WHERE key = ?", (key,)).fetchone()
            if row:
                return key, str(row[0])
        return None

    def record(self, rows: list[tuple[str, str, str]]) -> None:
        now = now_iso()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)",
                [(key, aid, site, now) for key, aid, site in rows],
            )

    def forget_site(self, site: str) -> int:
        with self.db:
            return self.db.execute("DELETE FROM seen WHERE site = ?", (site,)).rowcount

    def close(self) -> None:
        self.db.close()


def shared_keys(record: dict[str, Any]) -> list[str]:
    """Cross-site keys: the same canonical URL or the same body text."""
    keys = []
    if record.get("canonical_url"):
        keys.append(f"url:{record['canonical_url']}")
    if record.get("content_hash"):
        keys.append(f"body:{record['content_hash']}")
    return keys


class SiteLock:
    """``flock`` on ``<state>/<site>.lock``; released by the kernel when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            handle.close()
            raise RunLocked(
                f"another run of this site is in progress ({holder}; lock {self.path}); "
                "wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {now_iso()}")
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    @classmethod
    def probe(cls, path: Path) -> None:
        """Raise :class:`RunLocked` if a run holds the lock now (used before starting)."""
        lock = cls(path)
        lock.acquire()
        lock.release()


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


_LEDGERS: weakref.WeakKeyDictionary[Crawler, Ledger] = weakref.WeakKeyDictionary()


def ledger_for(crawler: Crawler) -> Ledger:
    """The crawler's ledger, opened (lock taken, crash recovered) on first use."""
    ledger = _LEDGERS.get(crawler)
    if ledger is None:
        assert crawler.spider is not None
        site = safe_token(crawler.spider.name)
        # --- distributed mode hook (issue 6): with REDIS_URL set, claims and state live in
        # Redis (newscrawler/distributed.py, RedisLedger); otherwise this is Ledger(...).
        from newscrawler.distributed import open_ledger

        ledger = open_ledger(
            crawler.settings, state_dir(crawler.settings), site, output_dir(crawler) / site
        )
        # --- end of the distributed mode hook
        report = ledger.reconcile()
        if crawler.stats is not None:
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
        run_id = crawler.stats.get_value("newscrawler/run_id") if crawler.stats else None
        write_recovery_manifests(output_dir(crawler), site, ledger.state.files_by_run(), run_id)
        _LEDGERS[crawler] = ledger
    return ledger


def close_ledger(crawler: Crawler) -> None:
    ledger = _LEDGERS.pop(crawler, None)
    if ledger is not None:
        ledger.close()
