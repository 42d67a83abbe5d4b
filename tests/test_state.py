"""The crawl state: recovery after a crash, locks, damaged files, schema, health, skipping."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request

from newscrawler.cli import main
from newscrawler.contract.schema import validator
from newscrawler.crawl.incremental import IncrementalMiddleware
from newscrawler.spiders.profiled import IrnaSpider
from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.layout import manifests_dir, write_json_atomically
from newscrawler.state.ledger import Ledger
from newscrawler.state.manifest import assess_health
from tests.support.crawl import close_ledger, project_crawler, state_record
from tests.support.crawl import open_ledger as open_crawl_ledger
from tests.support.golden import all_fixtures

SITE = "irna"
record = state_record


def write_file(ledger: Ledger, name: str, records: list[dict[str, Any]]) -> Path:
    path = ledger.output_site_dir / "date=2024-05-18" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "state", tmp_path / "output" / SITE


def open_ledger(roots: tuple[Path, Path]) -> Ledger:
    return Ledger(roots[0], SITE, roots[1])


def test_commit_records_file_and_articles(roots: tuple[Path, Path]) -> None:
    ledger = open_ledger(roots)
    try:
        for n in (1, 2):
            ledger.stage(record(n))
        path = write_file(ledger, "r1-0001.jsonl", [record(1), record(2)])
        lines, sha, size = ledger.commit(path, "r1")
        assert (lines, size) == (2, path.stat().st_size)
        assert ledger.known_request(["url:https://irna.ir/news/1"]) is not None
        assert ledger.known_request(["id:2"]) is not None
        assert ledger.known_request(["id:3"]) is None
        assert ledger.state.counts()["articles"] == 2
        assert ledger.state.files_by_run()["r1"][0]["sha256"] == sha
    finally:
        ledger.close()


def test_reconcile_ingests_a_file_committed_without_state(roots: tuple[Path, Path]) -> None:
    """Killed between the rename and the state commit: the next start reads the file back."""
    ledger = open_ledger(roots)
    for n in (1, 2):  # the store records each file's name before writing it
        ledger.opening(ledger.output_site_dir / "date=2024-05-18" / f"r1-000{n}.jsonl", "r1")
    write_file(ledger, "r1-0001.jsonl", [record(1), record(2)])
    partial = write_file(ledger, "r1-0002.jsonl.part", [record(3)])
    report = ledger.reconcile()
    nothing = {"foreign": [], "missing": [], "released_claims": 0}
    try:
        assert report == {
            "ingested": ["date=2024-05-18/r1-0001.jsonl"],
            "removed_partial": ["r1-0002.jsonl.part"],
            **nothing,
        }
        assert not partial.exists()
        assert ledger.known_request(["id:1"]) is not None
        assert ledger.known_request(["id:3"]) is None  # in the part file: will be fetched again
        assert ledger.state.opened() == {}
        assert ledger.reconcile() == {"ingested": [], "removed_partial": [], **nothing}
    finally:
        ledger.close()


def test_a_committed_file_that_changed_size_is_refused(roots: tuple[Path, Path]) -> None:
    ledger = open_ledger(roots)
    path = write_file(ledger, "r1-0001.jsonl", [record(1), record(2)])
    ledger.stage(record(1))
    ledger.commit(path, "r1")
    path.write_text(path.read_text()[:-40], encoding="utf-8")  # truncated by someone
    with pytest.raises(StateError, match="changed size since it was committed"):
        ledger.verify()
    ledger.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "irna:1"}\n{"id": "irna:2", "tit', "is damaged at line 2"),
        ("[1, 2]\n", "is not an article record"),
        (b"\xff\xfe garbage", "is not UTF-8"),
    ],
)
def test_a_damaged_unknown_file_is_refused(
    roots: tuple[Path, Path], content: str | bytes, message: str
) -> None:
    ledger = open_ledger(roots)
    path = ledger.output_site_dir / "date=2024-05-18" / "r9-0001.jsonl"
    path.parent.mkdir(parents=True)
    ledger.opening(path, "r9")
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StateError, match=message):
        ledger.reconcile()
    ledger.close()


def test_a_corrupt_state_file_is_refused(roots: tuple[Path, Path]) -> None:
    roots[0].mkdir(parents=True)
    (roots[0] / f"{SITE}.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="is corrupt"):
        open_ledger(roots)
    # the lock was released on the way out
    open_ledger_again = open_ledger
    (roots[0] / f"{SITE}.sqlite").unlink()
    open_ledger_again(roots).close()


def test_the_lock_keeps_two_runs_apart(roots: tuple[Path, Path]) -> None:
    first = open_ledger(roots)
    with pytest.raises(RunLocked, match="another run of this site is in progress"):
        open_ledger(roots)
    first.close()
    open_ledger(roots).close()


def test_a_lock_left_by_a_killed_process_does_not_block(roots: tuple[Path, Path]) -> None:
    """The holder is SIGKILLed; the kernel drops its flock and the file left behind is inert."""
    code = (
        "import sys, time; sys.path.insert(0, '.');"
        "from newscrawler.state.lock import SiteLock; from pathlib import Path;"
        f"lock = SiteLock(Path({str(roots[0] / (SITE + '.lock'))!r})); lock.acquire();"
        "print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLocked, match=f"pid {holder.pid}"):
            open_ledger(roots)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert (roots[0] / f"{SITE}.lock").exists()
    open_ledger(roots).close()


# ------------------------------------------------------------------------------- schema


def test_every_golden_record_fits_the_schema() -> None:
    check = validator()
    for fixture in all_fixtures():
        if fixture.kind != "article":
            continue
        rec = dict(fixture.spec()["expected"], crawled_at="2026-11-26T09:00:00+00:00")
        errors = [e.message for e in check.iter_errors(rec)]
        assert errors == [], str(fixture)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"title": "<b>عنوان</b>"}, "title"),
        ({"body": "متن\u200fبا علامت جهت"}, "body"),
        ({"published_at": "۱۴۰۳/۰۲/۲۹"}, "published_at"),
        ({"url": "/news/1"}, "url"),
        ({"word_count": 0}, "word_count"),
        ({"extra_field": 1}, ""),
        ({"tags": ["ok", ""]}, "tags"),
    ],
)
def test_the_schema_rejects_bad_records(change: dict[str, Any], path: str) -> None:
    fixture = next(f for f in all_fixtures() if f.kind == "article")
    rec = dict(fixture.spec()["expected"], crawled_at="2026-11-26T09:00:00+00:00", **change)
    errors = list(validator().iter_errors(rec))
    assert errors
    assert any(path in "/".join(map(str, e.absolute_path)) for e in errors)


# ------------------------------------------------------------------------------- health


def run(**fields: Any) -> dict[str, Any]:
    base = {
        "extracted": 20,
        "articles_written": 20,
        "links_found": 20,
        "pages": {"listing": 2},
        "coverage": {"body": 1.0, "published_at": 1.0},
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("current", "status", "reason"),
    [
        (run(), "ok", None),
        # an unchanged rerun: links found, all known, nothing extracted
        (run(extracted=0, articles_written=0, coverage={}, skipped={"known": 20}), "ok", None),
        # every article download failed
        (run(extracted=0, articles_written=0, coverage={}), "degraded", "no article could be"),
        (
            run(extracted=0, articles_written=0, links_found=0, coverage={}),
            "degraded",
            "no article links",
        ),
        (run(articles_written=0), "degraded", "were dropped"),
        (run(coverage={"body": 1.0, "published_at": 0.2}), "degraded", "published_at coverage"),
        (run(coverage={"body": 0.85, "published_at": 0.9}), "ok", None),
    ],
)
def test_health(current: dict[str, Any], status: str, reason: str | None) -> None:
    history = [run(), run(), run()]
    got, reasons = assess_health(current, history)
    assert got == status
    if reason:
        assert any(reason in r for r in reasons)


# -------------------------------------------------------------------------- incremental


@pytest.fixture
def crawler(tmp_path: Path) -> Iterator[Any]:
    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_OUTPUT_DIR=str(tmp_path / "output"))
    crawler.spider = crawler._create_spider()
    yield crawler
    close_ledger(crawler)


def through(middleware: IncrementalMiddleware, outputs: list[Any]) -> list[Any]:
    async def source() -> AsyncIterator[Any]:
        for obj in outputs:
            yield obj

    async def collect() -> list[Any]:
        response = HtmlResponse("https://www.irna.ir/archive", body=b"")
        return [o async for o in middleware.process_spider_output(response, source())]

    return asyncio.run(collect())


def test_known_articles_are_skipped_and_pagination_stops(crawler: Any, tmp_path: Path) -> None:
    spider = crawler.spider
    ledger = open_crawl_ledger(crawler)
    ledger.stage(record(85000001))
    path = write_file(ledger, "r1-0001.jsonl", [record(85000001)])
    ledger.commit(path, "r1")
    middleware = IncrementalMiddleware.from_crawler(crawler)
    assert not middleware.may_stop_early()  # no earlier run: walk every page
    middleware._may_stop_early = None
    write_json_atomically(
        manifests_dir(tmp_path / "output", SITE) / "r1.json", {"finish_reason": "finished"}
    )

    def article(n: int) -> Request:
        return Request(f"https://www.irna.ir/news/{n}/x", callback=spider.parse_article)

    next_page = Request("https://www.irna.ir/archive?pi=2", callback=spider.parse_listing)
    kept = through(middleware, [article(85000001), next_page])
    assert kept == []  # the one article is known, so page 2 holds older, known ones
    assert crawler.stats.get_value("newscrawler/skipped/known") == 1
    assert crawler.stats.get_value("newscrawler/listing/stopped_known") == 1

    kept = through(middleware, [article(85000001), article(85000002), next_page])
    assert [r.url for r in kept] == ["https://www.irna.ir/news/85000002/x", next_page.url]


def test_recent_articles_are_revisited(crawler: Any, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from newscrawler.state.store import KnownArticle

    middleware = IncrementalMiddleware.from_crawler(crawler)
    now = datetime.now(UTC)
    recent = KnownArticle(
        "irna:1",
        "h",
        1,
        (now - timedelta(hours=5)).isoformat(),
        None,
        (now - timedelta(hours=7)).isoformat(),
    )
    just_checked = KnownArticle(
        "irna:1", "h", 1, recent.published_at, None, (now - timedelta(minutes=5)).isoformat()
    )
    old = KnownArticle(
        "irna:1",
        "h",
        1,
        (now - timedelta(days=30)).isoformat(),
        None,
        (now - timedelta(days=29)).isoformat(),
    )
    assert middleware.due_for_revisit(recent, now)
    assert not middleware.due_for_revisit(just_checked, now)
    assert not middleware.due_for_revisit(old, now)


# ------------------------------------------------------------------------------ state CLI


def test_state_show_and_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "output"
    ledger = Ledger(output / ".state", SITE, output / SITE)
    ledger.stage(record(1))
    ledger.commit(write_file(ledger, "r1-0001.jsonl", [record(1)]), "r1")
    ledger.close()
    assert main(["state", "show", SITE, "--output", str(output)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["articles"] == 1
    assert shown["files"] == 1

    assert main(["state", "reset", SITE, "--output", str(output)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["state", "reset", SITE, "--output", str(output), "--yes"]) == 0
    said = capsys.readouterr().out
    assert "state removed" in said
    assert "1 committed output file(s) remain" in said
    assert not (output / ".state" / f"{SITE}.sqlite").exists()
    assert main(["state", "show", "nosuchsite"]) == 2
