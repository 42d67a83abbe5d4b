"""``newscrawler load``: the files run manifests name, into DuckDB, exactly once.

Why this shape:

* Only files a manifest names are read, after their SHA-256 and line count are checked against
  it. A crawl writes its manifest after its last file is committed, so a load beside a running
  crawl never sees a ``.part`` file or a file of an unfinished run; a file changed since its
  run is refused (with its manifest), not loaded.
* One DuckDB transaction per manifest holds its rows and its ``loaded_files`` rows: a load
  killed mid-way leaves whole manifests or nothing, and the next load skips what is in
  ``loaded_files`` (keyed by path and SHA-256), so loading twice loads once.
* DuckDB opens a database file for one writing process: a second loader gets a clear refusal
  instead of waiting or corrupting anything.
* ``--parquet DIR`` writes one Parquet file per loaded JSONL file under
  ``site=<site>/crawl_date=<date>/``: a file's rows never change, so the export only ever adds
  files (never rewrites one), and a reader of ``DIR`` sees the same rows as the table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawler.state.store import file_digest
from newscrawler.warehouse.types import TABLE, duckdb_columns, duckdb_ddl

DEFAULT_DB = "warehouse.duckdb"
_CRAWL_DATE = re.compile(r"(?:^|/)date=(\d{4}-\d{2}-\d{2})/")

LOADED_FILES = """CREATE TABLE IF NOT EXISTS loaded_files (
  path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  lines BIGINT NOT NULL,
  run_id VARCHAR NOT NULL,
  manifest VARCHAR NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (path, sha256)
);
"""
LATEST_VIEW = f"""CREATE OR REPLACE VIEW articles_latest AS
SELECT * FROM {TABLE}
QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC, crawled_at DESC) = 1;
"""


class LoadError(Exception):
    """The load cannot start (no manifests, database in use): one line for the user."""


@dataclass(frozen=True)
class Entry:
    """One file of a manifest: where it is and what the manifest says it holds."""

    root: Path
    manifest: Path
    run_id: str
    path: str
    lines: int
    sha256: str


@dataclass
class Report:
    manifests: int = 0
    files: int = 0
    rows: int = 0
    skipped: int = 0
    exported: int = 0
    refused: list[str] = field(default_factory=list)


def find_manifests(roots: list[Path]) -> list[tuple[Path, Path]]:
    """``(root, manifest)`` for every run manifest under the output roots, oldest run first
    within a site (run ids start with the UTC time)."""
    found: list[tuple[Path, Path]] = []
    for root in roots:
        if not root.is_dir():
            raise LoadError(f"no such output directory: {root}")
        found += [(root, path) for path in sorted(root.glob("*/_manifests/*.json"))]
    if not found:
        where = ", ".join(str(root) for root in roots)
        raise LoadError(
            f"no run manifests under {where} (<site>/_manifests/*.json): nothing to load"
        )
    return found


def read_manifest(root: Path, path: Path) -> list[Entry]:
    """The files a manifest names; ValueError when it cannot be read or has no file list."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        run_id = str(data.get("run_id") or path.stem)
        return [
            Entry(root, path, run_id, str(f["path"]), int(f["lines"]), str(f["sha256"]))
            for f in data["files"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"unreadable manifest {path}: {exc}") from None


def connect(db: Path) -> Any:
    """A connection to the database (created if missing), in UTC; LoadError when another
    process holds it."""
    import duckdb

    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise LoadError(f"{db} is in use by another process (another load?)") from None
        raise LoadError(f"cannot open {db}: {str(exc).splitlines()[0]}") from None
    con.execute("SET TimeZone = 'UTC'")
    # DuckDB draws a progress bar on stdout for a statement over 2 s (its default, in Python
    # too): an unattended load's output is its report, not a slow machine's bars.
    con.execute("SET enable_progress_bar = false")
    con.execute(duckdb_ddl())
    con.execute(LOADED_FILES)
    con.execute(LATEST_VIEW)
    return con


def check(entry: Entry) -> str | None:
    """Why a manifest's file must not be loaded, or None: outside its root, missing, not in a
    ``date=`` folder, or not the lines and SHA-256 its manifest recorded."""
    path = (entry.root / entry.path).resolve()
    if not path.is_relative_to(entry.root.resolve()):
        return f"{entry.path}: outside {entry.root}"
    if not _CRAWL_DATE.search(entry.path):
        return f"{entry.path}: not in a date=YYYY-MM-DD folder"
    if not path.is_file():
        return f"{entry.path}: missing"
    lines, digest, _ = file_digest(path)
    if digest != entry.sha256:
        return (
            f"{entry.path}: SHA-256 {digest[:12]}… differs from the manifest's {entry.sha256[:12]}…"
        )
    if lines != entry.lines:
        return f"{entry.path}: {lines} lines, the manifest says {entry.lines}"
    return None


def _insert(con: Any, entry: Entry) -> int:
    """Append one file's records with the schema's types; the number of rows."""
    crawl_date = _CRAWL_DATE.search(entry.path)
    assert crawl_date  # check() refused the others
    row = con.execute(
        f"INSERT INTO {TABLE} SELECT *, ?::DATE, ?, ? FROM read_json(?, "
        "format = 'newline_delimited', hive_partitioning = false, columns = ?)",
        [
            crawl_date.group(1),
            entry.run_id,
            entry.path,
            str(entry.root / entry.path),
            duckdb_columns(),
        ],
    ).fetchone()
    return int(row[0])


def _already_loaded(con: Any, entry: Entry) -> bool:
    row = con.execute(
        "SELECT count(*) FROM loaded_files WHERE path = ? AND sha256 = ?",
        [entry.path, entry.sha256],
    ).fetchone()
    return bool(row[0])


def load_manifest(con: Any, entries: list[Entry], report: Report) -> None:
    """Load a manifest's files not loaded yet, all or none (one transaction). A file that
    fails its check refuses the whole manifest: one line in ``report.refused``."""
    import duckdb

    con.execute("BEGIN TRANSACTION")
    files = rows = skipped = 0
    try:
        for entry in entries:
            if _already_loaded(con, entry):
                skipped += 1
                continue
            problem = check(entry)
            if problem is None:
                count = _insert(con, entry)
                if count != entry.lines:
                    problem = f"{entry.path}: {count} records read, the manifest says {entry.lines}"
            if problem is not None:
                con.execute("ROLLBACK")
                report.refused.append(f"refused {entry.manifest}: {problem}; nothing of it loaded")
                return
            con.execute(
                "INSERT INTO loaded_files (path, sha256, lines, run_id, manifest) "
                "VALUES (?, ?, ?, ?, ?)",
                [entry.path, entry.sha256, entry.lines, entry.run_id, str(entry.manifest)],
            )
            files, rows = files + 1, rows + count
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        first = str(exc).splitlines()[0]
        report.refused.append(f"refused {entries[0].manifest}: {first}; nothing of it loaded")
        return
    report.files, report.rows, report.skipped = (
        report.files + files,
        report.rows + rows,
        report.skipped + skipped,
    )


def load(roots: list[Path], db: Path, parquet: Path | None = None) -> Report:
    """Load every committed file of every manifest under ``roots`` not loaded yet; then, with
    ``parquet``, export the loaded files that directory does not hold yet."""
    manifests = find_manifests(roots)
    con = connect(db)
    report = Report(manifests=len(manifests))
    try:
        for root, path in manifests:
            try:
                entries = read_manifest(root, path)
            except ValueError as exc:
                report.refused.append(f"refused {exc}")
                continue
            if entries:
                load_manifest(con, entries, report)
        if parquet is not None:
            from newscrawler.warehouse.parquet import export

            report.exported = export(con, parquet)
    finally:
        con.close()
    return report


def summary(con: Any) -> tuple[int, int]:
    """Rows in the table and in the latest-version view."""
    rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    latest = con.execute("SELECT count(*) FROM articles_latest").fetchone()[0]
    return int(rows), int(latest)
