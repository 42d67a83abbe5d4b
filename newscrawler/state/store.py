"""The SQLite stores of the crawl state: a site's delivered articles and files, and the keys
shared by every site (``seen.sqlite``).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawler.state.errors import StateError

if TYPE_CHECKING:
    pass

STATE_SCHEMA = 1


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


_FIRST_KEY: dict[int, str] = {}


def _first_key_sql(count: int) -> str:
    """``(position, article id)`` of the first of ``count`` keys in the ``keys`` table: each
    key's row tagged with its position, the lowest kept."""
    if count not in _FIRST_KEY:
        _FIRST_KEY[count] = (
            " UNION ALL ".join(
                f"SELECT {n}, article_id FROM keys WHERE key = ?" for n in range(count)
            )
            + " ORDER BY 1 LIMIT 1"
        )
    return _FIRST_KEY[count]


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
            CREATE TABLE IF NOT EXISTS opened (
                name TEXT PRIMARY KEY, run_id TEXT NOT NULL, opened_at TEXT NOT NULL)
                WITHOUT ROWID;
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
        """The article of the first of ``keys`` the state knows (``None`` when it knows none).

        One statement for all the keys (:func:`_first_key_sql`): asked for every article link
        of every listing, most of them unknown, where a query a key cost a round through
        SQLite each (15 → 10 µs for two keys)."""
        keys = list(keys)
        if not keys:
            return None
        row = self.db.execute(_first_key_sql(len(keys)), keys).fetchone()
        return self.article(row[1]) if row else None

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

    def note_opened(self, name: str, run_id: str) -> None:
        """The ledger is about to write the file ``name``: only such files are ever ingested."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO opened VALUES (?, ?, ?)", (name, run_id, now_iso())
            )

    def opened(self) -> dict[str, str]:
        """Files the ledger opened and has not committed yet: name → run id."""
        return dict(self.db.execute("SELECT name, run_id FROM opened"))

    def forget_opened(self, names: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM opened WHERE name = ?", [(n,) for n in names])

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
        articles = [
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
            )
            for rec in records
        ]
        keys = [(key, rec["id"]) for rec in records for key in article_keys(rec)]
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            # two statements for the whole file, not two an article: the same rows in the same
            # order in each table (the tables do not refer to each other)
            self.db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET content_hash = excluded.content_hash, "
                "version = MAX(version, excluded.version), last_seen = excluded.last_seen, "
                "published_at = excluded.published_at, modified_at = excluded.modified_at",
                articles,
            )
            self.db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", keys)
            self.db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (file_name, run_id, lines, size, sha, now),
            )
            self.db.execute("DELETE FROM opened WHERE name = ?", (file_name,))

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
    """Keys shared by every site (``seen.sqlite``): canonical URL and body hash → article
    (``seen``), and the keys runs have claimed but not committed yet (``claims``, see
    :mod:`newscrawler.state.claims`)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = _connect(path)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, article_id TEXT NOT NULL,
                site TEXT NOT NULL, first_seen TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, article_id TEXT NOT NULL,
                site TEXT NOT NULL, holder TEXT NOT NULL, run_id TEXT NOT NULL,
                site_dir TEXT NOT NULL, claimed_at TEXT NOT NULL) WITHOUT ROWID;
            """
        )

    def lookup(self, keys: Iterable[str]) -> tuple[str, str] | None:
        for key in keys:
            row = self.db.execute("SELECT article_id FROM seen WHERE key = ?", (key,)).fetchone()
            if row:
                return key, str(row[0])
        return None

    def record(self, rows: list[tuple[str, str, str]]) -> None:
        """Committed keys enter ``seen`` and leave ``claims``, in one transaction."""
        now = now_iso()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)",
                [(key, aid, site, now) for key, aid, site in rows],
            )
            self.db.executemany(
                "DELETE FROM claims WHERE key = ? AND article_id = ?",
                [(key, aid) for key, aid, _ in rows],
            )

    def forget_site(self, site: str) -> int:
        with self.db:
            self.db.execute("DELETE FROM claims WHERE site = ?", (site,))
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
