"""The warehouse: ``newscrawler load`` (manifests → DuckDB, Parquet) and ``newscrawler schema``.

Real DuckDB and real files: a real crawl of the demo site for the normal path, synthetic files
and manifests for the edge cases (changed file, missing file, no manifests, a second loader,
a load killed mid-way) and for the 100k-record load time.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pytest

from newscrawler.cli import main
from newscrawler.contract.schema import article_schema, first_violation
from newscrawler.warehouse.loader import load
from newscrawler.warehouse.parquet import DUCKDB_READ, partitioning
from newscrawler.warehouse.types import DIALECTS, columns, definition
from tests.support.processes import ROOT, crawl, crawl_command, delivered
from tools.demo.site import DemoSite

DOCS = ROOT / "docs" / "warehouse.md"


# -- the schema ---------------------------------------------------------------------------


def test_every_timestamp_is_declared_date_time_and_every_id_a_string() -> None:
    kinds = {c.name: c.kind for c in columns()}
    stamps = {"published_at", "modified_at", "changed_at", "crawled_at"}
    assert {n for n, k in kinds.items() if k == "timestamp"} == stamps
    for name in ("id", "news_id", "cluster_id", "duplicate_of", "content_hash"):
        assert kinds[name] == "string"
    assert kinds["tags"] == "strings"
    assert kinds["images"] == "records"


def test_no_field_has_two_json_types() -> None:
    """Only null besides one type: columns() raises on a property with two non-null types."""
    schema = article_schema()
    assert len(columns()) == len(schema["properties"])
    bad = {**schema, "properties": {"x": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}
    with pytest.raises(ValueError, match="several non-null types"):
        columns(bad)


def test_the_duckdb_definition_runs_and_types_every_column() -> None:
    con = duckdb.connect()
    con.execute(definition("duckdb"))
    kinds = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'articles'"
        ).fetchall()
    )
    assert kinds["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert kinds["news_id"] == kinds["subtitle"] == "VARCHAR"
    assert kinds["tags"] == "VARCHAR[]"
    assert kinds["images"] == "STRUCT(url VARCHAR, caption VARCHAR)[]"
    assert kinds["crawl_date"] == "DATE"


@pytest.mark.parametrize("dialect", ["postgres", "clickhouse"])
def test_the_sql_definitions_parse_in_their_dialect(dialect: str) -> None:
    sqlglot = pytest.importorskip("sqlglot")
    tree = sqlglot.parse_one(definition(dialect), read=dialect)
    names = [c.name for c in tree.find_all(sqlglot.exp.ColumnDef)]
    assert names[: len(columns())] == [c.name for c in columns()]


def test_the_bigquery_schema_file_has_every_field() -> None:
    fields = json.loads(definition("bigquery"))
    by_name = {f["name"]: f for f in fields}
    assert list(by_name) == [c.name for c in columns()]
    assert by_name["published_at"] == {
        "name": "published_at",
        "type": "TIMESTAMP",
        "mode": "NULLABLE",
    }
    assert by_name["tags"]["mode"] == "REPEATED"
    assert [f["name"] for f in by_name["images"]["fields"]] == ["url", "caption"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_schema_command_prints_each_dialect(
    dialect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--dialect", dialect]) == 0
    assert capsys.readouterr().out == definition(dialect)


# -- synthetic output ----------------------------------------------------------------------


def record(n: int, site: str = "synth", version: int = 1) -> dict[str, Any]:
    """A schema-valid record; ``subtitle`` and ``changed_at`` null, as DuckDB's guess trips on."""
    return {
        "id": f"{site}:{n}", "schema_version": 1, "site": site, "cms": "nastooh",
        "url": f"https://{site}.example/news/{n}", "canonical_url": f"https://{site}.example/news/{n}",
        "news_id": f"{n:08d}", "title": f"خبر شماره {n}", "kicker": None, "subtitle": None,
        "lead": "لید خبر", "body": "متن خبر " * 60, "published_at": "2025-04-11T19:02:00+04:30",
        "published_at_raw": "۲۲ فروردین ۱۴۰۴ - ۱۹:۰۲", "modified_at": None, "section": "استانی",
        "tags": ["قزوین", "آب"], "province": "قزوین", "author": None, "publisher": None,
        "source_agency": None, "cluster_id": f"{site}:{n}", "duplicate_of": None,
        "images": [{"url": f"https://{site}.example/i/{n}.jpg", "caption": None}],
        "language": "fa", "word_count": 120, "content_hash": "0" * 64, "version": version,
        "changed_at": None, "crawled_at": "2026-12-01T08:00:00+00:00",
    }  # fmt: skip


def write_run(
    root: Path, run: str, records: list[dict[str, Any]], per_file: int = 500, site: str = "synth"
) -> Path:
    """Files and the manifest of one run, as the crawl writes them; the manifest's path."""
    files = []
    for seq, start in enumerate(range(0, len(records), per_file), 1):
        rel = f"{site}/date=2026-12-01/{run}-{seq:04d}.jsonl"
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[start:][:per_file])
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        data = text.encode()
        digest = hashlib.sha256(data).hexdigest()
        files.append({"path": rel, "lines": text.count("\n"), "bytes": len(data), "sha256": digest})
    manifest = root / site / "_manifests" / f"{run}.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"run_id": run, "files": files}), encoding="utf-8")
    return manifest


def rows(db: Path, sql: str = "SELECT count(*) FROM articles") -> Any:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_synthetic_record_fits_the_schema() -> None:
    assert first_violation(record(1)) is None


def test_a_changed_file_refuses_its_manifest_and_loads_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(tmp_path, "20261201T080000Z-1", [record(n) for n in range(10)], per_file=4)
    bad = write_run(tmp_path, "20261201T090000Z-2", [record(n) for n in range(10, 20)], per_file=4)
    changed = tmp_path / json.loads(bad.read_text())["files"][1]["path"]
    changed.write_text(changed.read_text().replace("خبر", "خبـر", 1), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert main(["load", str(tmp_path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "SHA-256" in err[0]
    assert "differs from the manifest" in err[0]
    assert changed.name in err[0]
    assert rows(db) == 10  # the good run, nothing of the bad one (its first file was fine)
    assert rows(db, "SELECT count(*) FROM loaded_files") == 3


def test_a_missing_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_run(tmp_path, "20261201T080000Z-1", [record(n) for n in range(3)])
    (tmp_path / json.loads(manifest.read_text())["files"][0]["path"]).unlink()
    assert main(["load", str(tmp_path), "--db", str(tmp_path / "w.duckdb")]) == 1
    assert "missing; nothing of it loaded" in capsys.readouterr().err


def test_a_manifest_that_lies_or_cannot_be_read_is_refused(tmp_path: Path) -> None:
    """A path out of the output folder, a line count that is not the file's, a manifest that
    is not JSON: each refused with one line, and the good run beside them loaded."""
    write_run(tmp_path, "20261201T080000Z-1", [record(n) for n in range(4)])
    outside = write_run(tmp_path, "20261201T090000Z-2", [record(n) for n in range(10, 12)])
    data = json.loads(outside.read_text())
    data["files"][0]["path"] = "../elsewhere/date=2026-12-01/x.jsonl"
    outside.write_text(json.dumps(data))
    short = write_run(tmp_path, "20261201T100000Z-3", [record(n) for n in range(20, 23)])
    data = json.loads(short.read_text())
    data["files"][0]["lines"] = 2
    short.write_text(json.dumps(data))
    (tmp_path / "synth" / "_manifests" / "20261201T110000Z-4.json").write_text("{")
    report = load([tmp_path], tmp_path / "w.duckdb")
    assert (report.manifests, report.files, report.rows) == (4, 1, 4)
    outside_line, short_line, broken_line = report.refused
    assert f"outside {tmp_path}" in outside_line
    assert "3 lines, the manifest says 2" in short_line
    assert broken_line.startswith("refused unreadable manifest")


def test_a_folder_without_manifests_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "synth" / "date=2026-12-01").mkdir(parents=True)
    (tmp_path / "synth" / "date=2026-12-01" / "x.jsonl").write_text("{}\n")
    assert main(["load", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no run manifests" in err[0]
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_a_database_held_by_another_loader_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_run(tmp_path, "20261201T080000Z-1", [record(1)])
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); "
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert main(["load", str(tmp_path), "--db", str(db)]) == 2
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "in use by another process" in err[0]


def test_files_no_manifest_names_are_never_loaded(tmp_path: Path) -> None:
    write_run(tmp_path, "20261201T080000Z-1", [record(n) for n in range(5)])
    day = tmp_path / "synth" / "date=2026-12-01"
    (day / "20261201T090000Z-2-0001.jsonl.part").write_text(json.dumps(record(99)) + "\n{")
    (day / "20261201T090000Z-2-0001.jsonl").write_text(json.dumps(record(98)) + "\n")
    report = load([tmp_path], tmp_path / "w.duckdb")
    assert (report.files, report.rows, report.refused) == (1, 5, [])
    assert rows(tmp_path / "w.duckdb", "SELECT max(id) FROM articles") == "synth:4"


LOAD_100K = """
import sys, time
from pathlib import Path
from newscrawler.warehouse.loader import load
start = time.perf_counter()
report = load([Path(sys.argv[1])], Path(sys.argv[2]))
print(f"{report.rows} {time.perf_counter() - start:.2f}", flush=True)
"""


def test_the_load_draws_no_progress_bar(tmp_path: Path) -> None:
    """DuckDB draws a progress bar on stdout (a pipe included) for a statement over 2 s: a load
    on a busy machine printed bars into its output. The loader's connection draws none for a
    statement of a few seconds (setting ``progress_bar_time`` would turn the bar back on)."""
    script = (
        "import sys; from pathlib import Path; from newscrawler.warehouse.loader import connect\n"
        "con = connect(Path(sys.argv[1]))\n"
        "con.execute('SELECT count(*) FROM range(400000000) t(i) WHERE i % 7 = 3').fetchall()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "w.duckdb")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout == ""


def test_a_killed_load_leaves_whole_manifests_and_the_next_one_completes(tmp_path: Path) -> None:
    """100,000 synthetic records in 20 runs (200 files): a load killed mid-way has committed
    whole manifests only; the next loads the rest, once. The full load's time is printed."""
    for run in range(20):
        batch = [record(run * 5000 + n) for n in range(5000)]
        write_run(tmp_path / "out", f"20261201T{run:06d}Z-1", batch)
    db = tmp_path / "w.duckdb"
    killed = subprocess.Popen([sys.executable, "-c", LOAD_100K, str(tmp_path / "out"), str(db)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (db.with_name(db.name + ".wal").exists()):
        time.sleep(0.01)
    time.sleep(1.0)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    loaded = rows(db, "SELECT coalesce(sum(lines), 0) FROM loaded_files")
    assert rows(db) == loaded
    assert loaded % 5000 == 0
    done = subprocess.run(
        [sys.executable, "-c", LOAD_100K, str(tmp_path / "out"), str(db)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert int(done.stdout.split()[0]) == 100_000 - loaded
    assert rows(db) == rows(db, "SELECT count(DISTINCT id) FROM articles") == 100_000
    fresh = subprocess.run(
        [sys.executable, "-c", LOAD_100K, str(tmp_path / "out"), str(tmp_path / "fresh.duckdb")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    count, seconds = fresh.stdout.split()
    print(f"load of 100,000 synthetic records (200 files): {seconds} s; killed load had {loaded}")
    assert int(count) == 100_000


# -- a real crawl of the demo site --------------------------------------------------------


REVISIT = ("-s", "NEWSCRAWLER_REVISIT_DAYS=100000", "-s", "NEWSCRAWLER_REVISIT_INTERVAL_HOURS=0")


@pytest.fixture(scope="module")
def crawled(
    demo: tuple[DemoSite, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """A real crawl of one demo source; then one of its articles changed and the site crawled
    again, which delivers version 2 of it. The output folder and the changed article's id."""
    site, urls = demo
    out = tmp_path_factory.mktemp("demo-out")
    first = crawl("bloghnews", urls["bloghnews"], out)
    assert first.returncode == 0, first.stderr[-2000:]
    article = site.sources["bloghnews"].articles[3]
    original = list(article.story.paragraphs)
    article.story.paragraphs.append("این خبر پس از انتشار به‌روز شد و جزئیات تازه‌ای آمد.")
    try:
        second = crawl("bloghnews", urls["bloghnews"], out, *REVISIT)
    finally:
        article.story.paragraphs[:] = original
    assert second.returncode == 0, second.stderr[-2000:]
    return out, f"bloghnews:{article.news_id}"


@pytest.mark.e2e
def test_a_demo_crawl_loads_each_version_once(crawled: tuple[Path, str], tmp_path: Path) -> None:
    out, changed = crawled
    db = tmp_path / "w.duckdb"
    start = time.perf_counter()
    first = load([out], db)
    seconds = time.perf_counter() - start
    records = delivered(out, "bloghnews")
    print(f"load of the demo crawl ({first.rows} records, {first.files} files): {seconds:.2f} s")
    assert (first.rows, first.refused) == (len(records), [])
    assert first.rows > 10
    again = load([out], db)
    assert (again.files, again.rows, again.skipped) == (0, 0, first.files)
    assert (
        rows(db) == rows(db, "SELECT count(DISTINCT (id, version)) FROM articles") == len(records)
    )
    ids = {r["id"] for r in records}
    assert rows(db, "SELECT count(*) FROM articles_latest") == len(ids) == len(records) - 1
    assert rows(db, f"SELECT version FROM articles_latest WHERE id = '{changed}'") == 2
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT id, version, news_id, published_at, tags, images FROM articles")
    by_key = {(r["id"], r["version"]): r for r in records}
    for id_, version, news_id, published, tags, images in got.fetchall():
        expected = by_key[id_, version]
        assert (news_id, tags) == (expected["news_id"], expected["tags"])
        assert [i["url"] for i in images] == [i["url"] for i in expected["images"]]
        if expected["published_at"]:
            assert published.isoformat() == _utc(expected["published_at"])
    con.close()


def _utc(stamp: str) -> str:
    from datetime import UTC, datetime

    return datetime.fromisoformat(stamp).astimezone(UTC).isoformat()


@pytest.mark.e2e
def test_the_parquet_export_reads_back_as_one_table_in_pyarrow_and_duckdb(
    crawled: tuple[Path, str], tmp_path: Path
) -> None:
    out, _ = crawled
    db, export = tmp_path / "w.duckdb", tmp_path / "parquet"
    assert main(["load", str(out), "--db", str(db), "--parquet", str(export)]) == 0
    assert load([out], db, export).exported == 0  # written once
    names = sorted(p.relative_to(export).parts[:2] for p in export.rglob("*.parquet"))
    assert names
    assert all(s == "site=bloghnews" and d.startswith("crawl_date=") for s, d in names)
    table = ds.dataset(export, format="parquet", partitioning=partitioning()).to_table()
    con = duckdb.connect(str(db), read_only=True)
    read = con.sql("SELECT * FROM " + DUCKDB_READ.format(dir=export))
    loaded = con.sql("SELECT * FROM articles")
    assert table.num_rows == read.shape[0] == loaded.shape[0]
    assert dict(zip(read.columns, map(str, read.types), strict=True)) == dict(
        zip(loaded.columns, map(str, loaded.types), strict=True)
    )
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("crawl_date").type) == "date32[day]"
    assert str(table.schema.field("images").type).startswith("list<element: struct<url")
    key = ["id", "version", "published_at", "tags", "crawl_date", "site"]
    ours = sorted(
        tuple(map(str, r)) for r in zip(*(table.column(k).to_pylist() for k in key), strict=True)
    )
    theirs = con.execute(f"SELECT {', '.join(key)} FROM {DUCKDB_READ.format(dir=export)}")
    assert ours == sorted(tuple(map(str, r)) for r in theirs.fetchall())
    con.close()


@pytest.mark.e2e
def test_loads_beside_a_running_crawl_take_only_committed_runs(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = demo
    out, db = tmp_path / "out", tmp_path / "w.duckdb"
    write_run(out, "20261201T080000Z-1", [record(n) for n in range(3)])  # so a load can start
    running = subprocess.Popen(
        crawl_command("yjc", urls["yjc"], out), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    loads = Counter[int]()
    try:
        while running.poll() is None:
            report = load([out], db)
            assert report.refused == []
            loads[report.rows] += 1
            time.sleep(0.2)
    finally:
        running.wait(timeout=240)
    assert running.returncode == 0
    load([out], db)
    print(f"loads during the crawl: {sum(loads.values())}")
    assert sum(loads.values()) >= 3
    assert rows(db) == len(delivered(out, "yjc")) + 3
    assert rows(db, "SELECT count(*) FROM articles WHERE site = 'yjc'") > 0


def test_the_docs_snippet_runs_on_the_installed_duckdb(tmp_path: Path) -> None:
    """The SQL block of docs/warehouse.md marked ``-- tested`` runs as written, in the output
    folder, on the DuckDB this project installs."""
    write_run(tmp_path, "20261201T080000Z-1", [record(n) for n in range(7)], per_file=3)
    text = DOCS.read_text(encoding="utf-8")
    (sql,) = re.findall(r"```sql\n(-- tested[^`]*)```", text)
    manifest = next((tmp_path / "synth" / "_manifests").glob("*.json"))
    sql = sql.replace("output/irna/_manifests/20261126T094458Z-19596.json", str(manifest))
    sql = sql.replace("'output/'", f"'{tmp_path}/'")
    con = duckdb.connect()
    for statement in filter(str.strip, sql.split(";")):
        con.execute(statement)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (7, 7)
    kinds = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE articles)").fetchall())
    assert kinds["published_at"] == "TIMESTAMP WITH TIME ZONE"
