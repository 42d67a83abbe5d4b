"""The seen-article index: which dedupe keys were already written, by any site, in any run.

A small SQLite table (one B-tree lookup per key, nothing loaded into memory at start). Keys found
in the current run are held in memory and committed only after the output file that carries
those articles has been renamed into place, so a killed run leaves no key behind that points
at an article nobody received.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path


class SeenIndex:
    """Committed keys on disk plus this run's pending keys in memory."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS seen ("
            " key TEXT PRIMARY KEY, article_id TEXT NOT NULL, site TEXT NOT NULL,"
            " first_seen TEXT NOT NULL) WITHOUT ROWID"
        )
        self._pending: dict[str, tuple[str, str]] = {}

    def lookup(self, keys: list[str]) -> tuple[str, str] | None:
        """``(key, article_id)`` of the first key already seen, committed or pending."""
        for key in keys:
            if key in self._pending:
                return key, self._pending[key][0]
        for key in keys:
            row = self._db.execute("SELECT article_id FROM seen WHERE key = ?", (key,)).fetchone()
            if row:
                return key, str(row[0])
        return None

    def add(self, keys: list[str], article_id: str, site: str) -> None:
        """Remember ``keys`` for this run (not yet durable)."""
        for key in keys:
            self._pending.setdefault(key, (article_id, site))

    def commit(self) -> int:
        """Make this run's keys durable; returns how many were written."""
        if not self._pending:
            return 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [(key, aid, site, now) for key, (aid, site) in self._pending.items()]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", rows)
        count = len(rows)
        self._pending.clear()
        return count

    def discard(self) -> None:
        """Forget this run's keys (its output was not committed)."""
        self._pending.clear()

    def close(self) -> None:
        self._db.close()
