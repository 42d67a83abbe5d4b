"""The Parquet export of ``newscrawler load --parquet DIR``, and how to read it back.

Partitioned hive-style by ``site=<site>/crawl_date=<YYYY-MM-DD>`` rather than by publication
month, because the crawl date is a property of the file: every record of a JSONL file has the
same one, it is never null (``published_at`` may be), and a later version of an old article
lands in today's partition instead of rewriting an old one. So each loaded JSONL file becomes
exactly one Parquet file, written once, and the export only grows; a query by publication date
still prunes well with ``published_at`` statistics inside each file.

Files are written by pyarrow from DuckDB's typed rows (timestamps as UTC instants), to a hidden
``.…parquet.part`` name first and then renamed, so a reader of ``DIR`` never sees half a file.
The partition columns live in the paths only: give readers their types (:func:`partitioning`,
:data:`DUCKDB_READ`), else they guess ``crawl_date`` as a string.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from newscrawler.warehouse.types import TABLE

PARTITIONS = (("site", "VARCHAR"), ("crawl_date", "DATE"))
#: DuckDB's read of the export as one table (format with the directory).
DUCKDB_READ = (
    "read_parquet('{dir}/**/*.parquet', hive_partitioning = true, "
    "hive_types = {{'site': 'VARCHAR', 'crawl_date': 'DATE'}})"
)


def partitioning() -> Any:
    """The pyarrow partitioning of the export: ``pyarrow.dataset.dataset(DIR,
    partitioning=partitioning())`` reads it as one table with ``site`` and ``crawl_date``."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    return ds.partitioning(
        pa.schema([("site", pa.string()), ("crawl_date", pa.date32())]), flavor="hive"
    )


def target(root: Path, site: str, crawl_date: str, source: str, sha256: str) -> Path:
    """Where a loaded JSONL file's Parquet goes; the checksum keeps two workers' files of the
    same name apart."""
    stem = PurePosixPath(source).name.removesuffix(".jsonl")
    return root / f"site={site}" / f"crawl_date={crawl_date}" / f"{stem}-{sha256[:8]}.parquet"


def _arrow(con: Any, sql: str, params: list[Any]) -> Any:
    """The rows as a pyarrow Table (DuckDB 2 names the call ``to_arrow_table``, 1.x ``arrow``)."""
    relation = con.sql(sql, params=params)
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def export(con: Any, root: Path) -> int:
    """Write every loaded file the export does not hold yet; the number written."""
    import pyarrow.parquet as pq

    written = 0
    loaded = con.execute(
        f"SELECT DISTINCT a.site, CAST(a.crawl_date AS VARCHAR), f.path, f.sha256 "
        f"FROM loaded_files f JOIN {TABLE} a ON a.source_file = f.path ORDER BY f.path"
    ).fetchall()
    for site, crawl_date, path, sha256 in loaded:
        out = target(root, site, crawl_date, path, sha256)
        if out.exists():
            continue
        table = _arrow(
            con,
            f"SELECT * EXCLUDE (site, crawl_date) FROM {TABLE} "
            "WHERE source_file = ? AND site = ? ORDER BY id, version",
            [path, site],
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(f".{out.name}.part")
        pq.write_table(table, part)
        part.replace(out)
        written += 1
    return written
