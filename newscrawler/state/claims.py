"""Cross-site claims: runs of two sites sharing one state directory never write a story twice.

The cross-site keys of an article (canonical URL, body hash:
:func:`~newscrawler.state.store.shared_keys`) are committed in ``seen.sqlite`` only when
the file carrying it is committed. Between the dedupe check and that commit a run *claims*
the keys in the ``claims`` table of the same file: all of an article's keys or none, in one
``BEGIN IMMEDIATE`` transaction, so of two runs that meet the same story at the same time
exactly one wins and the other drops its copy as a duplicate.

A claim names its holder: the process (pid and start time from ``/proc``, so a reused pid is not
mistaken for it) plus a random token for the run, the run id and the site's output folder. Claims
leave the table when the file carrying the article is committed (in the transaction that writes
the ``seen`` rows, :meth:`~newscrawler.state.store.SharedIndex.record`) and when the run closes.

A run killed while holding claims leaves them behind. Such a claim is *stale* (its process is gone)
and is taken over by the next run that meets the story, except when the dead run had already
renamed a file carrying the article (killed between the rename and the commit): that file will be
read back when its site starts again, so the story counts as delivered and the claim stays a
conflict. The start of a site removes the stale claims of its own dead runs after reading their
files back.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawler.state.store import now_iso

if TYPE_CHECKING:
    from newscrawler.state.store import SharedIndex


def process_start(pid: int) -> str | None:
    """The start time of a live process (clock ticks since boot), ``None`` when it is gone or a
    zombie, ``""`` when the system has no ``/proc`` (then the pid alone is checked)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else ""
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    if len(fields) < 20 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


def holder_alive(holder: str) -> bool:
    """Whether the process a claim names still runs (the same process, not a reused pid)."""
    pid_text, start, _ = [*holder.split(":", 2), "", ""][:3]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = process_start(pid)
    return now is not None and (not now or not start or now == start)


def new_holder() -> str:
    """``<pid>:<start time>:<token>``: this process and a token of its own for one run."""
    pid = os.getpid()
    return f"{pid}:{process_start(pid) or ''}:{secrets.token_hex(6)}"


def articles_in_run_files(site_dir: str, run_id: str) -> set[str] | None:
    """Ids in the complete (renamed) files of run ``run_id``; ``None`` when one is unreadable."""
    if not run_id or not site_dir:
        return set()
    found: set[str] = set()
    for path in Path(site_dir).glob(f"date=*/{run_id}-*.jsonl"):
        try:
            for line in path.read_bytes().split(b"\n"):
                if line.strip():
                    found.add(str(json.loads(line)["id"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
    return found


_LOOKUPS: dict[int, str] = {}


def _lookup_sql(count: int) -> str:
    """One statement for ``count`` keys (``?`` twice a key): each key's ``seen`` row (tagged 0)
    and ``claims`` row (tagged 1), the same rows as two point queries a key, 25 % faster."""
    if count not in _LOOKUPS:
        one = (
            "SELECT 0, key, article_id, NULL, NULL, NULL FROM seen WHERE key = ? UNION ALL "
            "SELECT 1, key, article_id, holder, run_id, site_dir FROM claims WHERE key = ?"
        )
        _LOOKUPS[count] = " UNION ALL ".join([one] * count)
    return _LOOKUPS[count]


_CLAIMS: dict[int, str] = {}


def _claim_sql(count: int) -> str:
    """One ``INSERT OR REPLACE`` of ``count`` claims rows (``executemany`` ran a statement a
    row, in the same order)."""
    if count not in _CLAIMS:
        rows = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * count)
        _CLAIMS[count] = f"INSERT OR REPLACE INTO claims VALUES {rows}"
    return _CLAIMS[count]


def _twice(keys: list[str]) -> list[str]:
    return [key for key in keys for _ in (0, 1)]


class Claims:
    """One run's claims in ``seen.sqlite`` (see the module docstring)."""

    def __init__(self, shared: SharedIndex, site: str, site_dir: Path) -> None:
        self.db = shared.db
        self.site = site
        self.site_dir = str(site_dir.resolve())
        self.holder = new_holder()
        #: Set when the run's id is known (``CrawlLedger.open``): names the files it renames.
        self.run_id = ""
        self._dead_runs: dict[tuple[str, str], set[str] | None] = {}

    def take(self, keys: list[str], article_id: str) -> tuple[str, str] | None:
        """Claim every key for ``article_id`` or none; ``(key, other id)`` on a conflict."""
        if not keys:
            return None
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            seen: dict[str, str] = {}
            claimed: dict[str, tuple[str, ...]] = {}
            for table, key, *row in self.db.execute(_lookup_sql(len(keys)), _twice(keys)):
                if table:
                    claimed[key] = tuple(row)
                else:
                    seen[key] = row[0]
            for key in keys:
                conflict = self._conflict(key, article_id, seen.get(key), claimed.get(key))
                if conflict is not None:
                    return conflict
            now = now_iso()
            holder = (article_id, self.site, self.holder, self.run_id, self.site_dir, now)
            self.db.execute(_claim_sql(len(keys)), [v for key in keys for v in (key, *holder)])
        return None

    def _conflict(
        self, key: str, article_id: str, seen: str | None, claim: tuple[str, ...] | None
    ) -> tuple[str, str] | None:
        """Whether ``key`` is held by another article: ``seen`` (its committed article) and
        ``claim`` (the claims row: article, holder, run id, site folder) as read in the
        transaction of :meth:`take`."""
        if seen is not None and seen != article_id:
            return key, str(seen)
        if claim is None or claim[1] == self.holder:
            return None
        other, holder, run_id, site_dir = claim
        if holder_alive(holder):
            return key, str(other)
        if other == article_id:
            return None
        if (site_dir, run_id) not in self._dead_runs:
            self._dead_runs[site_dir, run_id] = articles_in_run_files(site_dir, run_id)
        written = self._dead_runs[site_dir, run_id]
        if written is None or other in written:
            return key, str(other)  # in a renamed file its site will read back
        return None  # a stale claim: taken over

    def release(self) -> int:
        """Drop this run's claims (it closes: what it committed already left the table)."""
        with self.db:
            return self.db.execute("DELETE FROM claims WHERE holder = ?", (self.holder,)).rowcount

    def release_dead(self) -> int:
        """Drop the claims of this site's dead runs (after their files were read back)."""
        rows = self.db.execute(
            "SELECT DISTINCT holder FROM claims WHERE site = ? AND holder != ?",
            (self.site, self.holder),
        ).fetchall()
        dead = [(holder,) for (holder,) in rows if not holder_alive(holder)]
        with self.db:
            self.db.executemany("DELETE FROM claims WHERE holder = ?", dead)
        return len(dead)


class RunKeys:
    """The keys this run has claimed, and the article holding each: a dict of the latest
    :data:`SPILL_AT` keys and, beyond them, a private temporary SQLite file.

    Why: the ledger checks every record against every key claimed earlier in the run (same
    news id, same canonical URL, same body hash: :meth:`~newscrawler.state.ledger.Ledger.claim`),
    so it needs them all until the run ends. Held in a dict they cost ~550 bytes an article for
    the whole run (13 MiB at 25,000 articles, measured with ``tracemalloc``); spilled, memory
    stays at the dict's bound plus SQLite's page cache (:data:`CACHE_KIB`), whatever the run's
    length. Same answers as the dict: the file holds exactly the entries the dict gave up, and a
    key is looked up in the dict first. The file is written only once its pages overflow that
    cache, in SQLite's temporary directory (``SQLITE_TMPDIR``, ``TMPDIR``, ``/var/tmp``,
    ``/tmp``); one that cannot be written stops the output like a full state disk.
    """

    #: Keys kept in memory before they are written to the file (three an article at most).
    SPILL_AT = 2048
    #: SQLite's page cache of the file, KiB.
    CACHE_KIB = 1024

    def __init__(self) -> None:
        self._recent: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None  # created at the first spill

    def holders(self, keys: list[str]) -> dict[str, str]:
        """The article holding each of ``keys`` that was claimed (the others are absent)."""
        found = {key: self._recent[key] for key in keys if key in self._recent}
        rest = [key for key in keys if key not in found]
        if rest and self._db is not None:
            marks = ",".join("?" * len(rest))
            found.update(
                self._db.execute(f"SELECT key, holder FROM keys WHERE key IN ({marks})", rest)
            )
        return found

    def hold(self, keys: list[str], holder: str) -> None:
        for key in keys:
            self._recent[key] = holder
        if len(self._recent) >= self.SPILL_AT:
            self._spill()

    def _spill(self) -> None:
        if self._db is None:
            # "": a private on-disk file SQLite deletes when the connection closes
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.execute(f"PRAGMA cache_size=-{self.CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("CREATE TABLE keys (key TEXT PRIMARY KEY, holder TEXT) WITHOUT ROWID")
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO keys VALUES (?, ?)", self._recent.items())
        self._recent = {}

    def close(self) -> None:
        self._recent = {}
        if self._db is not None:
            self._db.close()
            self._db = None
