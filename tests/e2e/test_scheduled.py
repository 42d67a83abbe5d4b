"""Scheduled crawls end to end: real ``scrapy crawl`` processes against the local demo site.

Incremental reruns, new versions, a real SIGKILL mid-run and the resume, the per-site lock,
the degraded exit status, and loading the output into DuckDB with the schema's types.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newscrawler.contract.schema import article_schema
from tests.support.processes import ROOT, crawl, crawl_command, delivered, manifests, wait_for
from tools.demo.site import DemoSite

pytestmark = pytest.mark.e2e


def test_a_rerun_over_an_unchanged_site_fetches_almost_nothing(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = demo
    args = ("-a", "max_pages=30")
    first = crawl("cafekhabarqazvin", urls["cafekhabarqazvin"], tmp_path, *args)
    assert first.returncode == 0, first.stderr[-2000:]
    second = crawl("cafekhabarqazvin", urls["cafekhabarqazvin"], tmp_path, *args)
    assert second.returncode == 0, second.stderr[-2000:]
    full, rerun = manifests(tmp_path, "cafekhabarqazvin")
    assert full["articles_written"] >= 90
    assert rerun["articles_written"] == 0
    assert rerun["files"] == []
    assert rerun["health"]["status"] == "ok"
    assert rerun["skipped"]["known"] > 0
    assert rerun["pages"].get("article", 0) == 0  # no article page downloaded again
    share = rerun["responses"] / full["responses"]
    print(f"rerun requests: {rerun['responses']} of {full['responses']} ({share:.1%})")
    assert share <= 0.05


def test_a_changed_article_is_delivered_again_as_a_new_version(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    site, urls = demo
    assert crawl("bloghnews", urls["bloghnews"], tmp_path).returncode == 0
    source = site.sources["bloghnews"]
    article = source.articles[3]
    original = list(article.story.paragraphs)
    article.story.paragraphs.append(
        "این خبر پس از انتشار به‌روز شد و مدیرکل در تماس بعدی جزئیات تازه‌ای از طرح ارائه کرد."
    )
    try:
        revisit = (
            "-s",
            "NEWSCRAWLER_REVISIT_DAYS=100000",
            "-s",
            "NEWSCRAWLER_REVISIT_INTERVAL_HOURS=0",
        )
        result = crawl("bloghnews", urls["bloghnews"], tmp_path, *revisit)
    finally:
        article.story.paragraphs[:] = original
    assert result.returncode == 0, result.stderr[-2000:]
    first, second = manifests(tmp_path, "bloghnews")
    assert second["articles_written"] == 1
    assert second["versions"] == 1
    assert second["unchanged"] == first["articles_written"] - 1
    records = delivered(tmp_path, "bloghnews")
    versions = [r for r in records if r["id"] == f"bloghnews:{article.news_id}"]
    assert [r["version"] for r in versions] == [1, 2]
    assert versions[1]["changed_at"] is not None
    assert "جزئیات تازه‌ای" in versions[1]["body"]


def test_killed_mid_run_and_started_again_delivers_exactly_once(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = demo
    args = ("-a", "max_pages=30", "-s", "NEWSCRAWLER_FILE_MAX_ITEMS=5")
    reference = crawl("irna", urls["irna"], tmp_path / "reference", *args)
    assert reference.returncode == 0
    expected = {r["id"] for r in delivered(tmp_path / "reference", "irna")}
    assert len(expected) >= 50

    output = tmp_path / "killed"
    slow = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    victim = subprocess.Popen(
        crawl_command("irna", urls["irna"], output, *args, *slow),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        committed = lambda: len(list(output.glob("irna/date=*/*.jsonl"))) >= 2  # noqa: E731
        assert wait_for(committed, 120), "the crawl never committed a file"
        assert victim.poll() is None, "the crawl finished before it could be killed"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()
    partial = list(output.glob("irna/date=*/*.jsonl.part"))
    written_before = {
        r["id"]
        for p in output.glob("irna/date=*/*.jsonl")
        for r in map(json.loads, p.read_text(encoding="utf-8").splitlines())
    }
    assert 0 < len(written_before) < len(expected)

    resumed = crawl("irna", urls["irna"], output, *args)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert not list(output.glob("irna/date=*/*.jsonl.part"))
    records = delivered(output, "irna")
    ids = Counter(r["id"] for r in records)
    duplicated = [i for i, n in ids.items() if n > 1]
    lost = expected - set(ids)
    print(
        f"kill/resume: expected {len(expected)}, written {len(ids)} (before the kill "
        f"{len(written_before)}, partial files left {len(partial)}), lost {len(lost)}, "
        f"duplicated {len(duplicated)}"
    )
    assert duplicated == []
    assert lost == set()
    assert set(ids) == expected
    # every file on disk is named by a manifest (the killed run got a recovery manifest)
    named = {f["path"] for m in manifests(output, "irna") for f in m["files"]}
    on_disk = {p.relative_to(output).as_posix() for p in output.glob("irna/date=*/*.jsonl")}
    assert on_disk == named
    assert any(m.get("finish_reason") == "interrupted" for m in manifests(output, "irna"))


def test_a_second_run_of_a_site_waits_for_the_first(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = demo
    slow = ("-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    first = subprocess.Popen(
        crawl_command("yjc", urls["yjc"], tmp_path, *slow),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        lock = tmp_path / ".state" / "yjc.lock"
        assert wait_for(lambda: lock.exists() and "pid" in lock.read_text(), 60)
        second = crawl("yjc", urls["yjc"], tmp_path)
        assert second.returncode == 3
        assert "another run of this site is in progress" in second.stderr
        assert f"pid {first.pid}" in second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    third = crawl("yjc", urls["yjc"], tmp_path, "-a", "max_articles=3")
    assert third.returncode == 0, third.stderr[-2000:]


def test_a_site_whose_layout_changed_exits_degraded(
    demo: tuple[DemoSite, dict[str, str]], tmp_path: Path
) -> None:
    _, urls = demo
    # IRNA's profile against a page in another template: no article link matches
    result = crawl("irna", urls["irna"], tmp_path, "-a", f"start_url={urls['yjc']}/fa/allnews")
    assert result.returncode == 4, result.stderr[-2000:]
    (manifest,) = manifests(tmp_path, "irna")
    assert manifest["health"]["status"] == "degraded"
    assert "no article links" in manifest["health"]["reasons"][0]


def duckdb_type(spec: dict[str, Any]) -> str:
    """The DuckDB column type of one JSON Schema property of the article record."""
    if "$ref" in spec or "anyOf" in spec or spec.get("type") == "string" or "enum" in spec:
        return "VARCHAR"
    if spec.get("type") == "integer" or isinstance(spec.get("const"), int):
        return "BIGINT"
    if spec.get("const") is not None:
        return "VARCHAR"
    if spec.get("type") == "array":
        items = spec["items"]
        if items.get("type") == "object":
            fields = ", ".join(
                f"{name} {duckdb_type(s)}" for name, s in items["properties"].items()
            )
            return f"STRUCT({fields})[]"
        return f"{duckdb_type(items)}[]"
    raise AssertionError(f"no DuckDB type for {spec}")


def test_demo_output_loads_into_duckdb_with_the_schema_types(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    result = subprocess.run(
        [sys.executable, "-m", "tools.demo", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    schema = article_schema()
    columns = {
        name: duckdb_type(spec)
        for name, spec in schema["properties"].items()
        if name in schema["required"]
    }
    lines = sum(
        len(p.read_text(encoding="utf-8").splitlines()) for p in tmp_path.glob("*/date=*/*.jsonl")
    )
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE articles AS SELECT * FROM read_json(?, format='newline_delimited', "
        "columns=?)",
        [str(tmp_path / "*" / "date=*" / "*.jsonl"), columns],
    )
    rows, ids = db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone()
    assert rows == lines > 0
    assert ids == rows  # one row per article id
    sites = {row[0] for row in db.execute("SELECT DISTINCT site FROM articles").fetchall()}
    assert sites == {"irna", "yjc", "tasnim", "bloghnews", "cafekhabarqazvin"}
    kinds = dict(
        db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'articles'"
        ).fetchall()
    )
    assert kinds["word_count"] == "BIGINT"
    assert kinds["tags"] == "VARCHAR[]"
    assert kinds["images"].startswith("STRUCT")
    newest = db.execute("SELECT max(CAST(published_at AS TIMESTAMPTZ)) FROM articles").fetchone()[0]
    assert newest.astimezone(UTC) <= datetime.now(UTC)
