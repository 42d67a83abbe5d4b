"""Issue 14, items 1 (the date half), 2, 3 and 9: real crawls of the fault site's hostile pages.

Three ``scrapy crawl`` processes at once against :mod:`tests.support.faults.server`, each
started (``-a start_url=``) at one page of :mod:`tests.support.faults.hostile_pages`: its
listing (bad dates, line separators, a 5 MB title, HTML 100,000 levels deep), its RSS feed and
its sitemap (dates of year 9999 and year 1).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import newscrawler.settings as project_settings
from newscrawler.state.errors import StateError
from newscrawler.state.ledger import read_records
from tests.support.faults import hostile_pages as hostile
from tests.support.faults import pages
from tests.support.faults.crawling import crawl_env, fault_site_flags, stats_of
from tests.support.faults.server import FaultSite
from tests.support.processes import ROOT, crawl_command

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"
STARTS = {"listing": "/hostile/", "feed": "/hostile/feed/", "sitemap": "/hostile/sitemap.xml"}


@dataclass
class Crawl:
    returncode: int
    log: str
    files: list[Path]
    records: dict[str, dict[str, Any]]
    damaged: list[str]
    stats: dict[str, Any]
    manifest: dict[str, Any]

    def stat(self, key: str) -> Any:
        return self.stats.get(f"newscrawler/{key}", 0)


def _start(site: FaultSite, out: Path, start: str) -> subprocess.Popen[str]:
    command = crawl_command(
        SITE,
        site.url(),
        out / "output",
        "-a",
        f"start_url={site.url()}{start}",
        *fault_site_flags(out),
        "-s",
        "NEWSCRAWLER_EXTRACT_WORKERS=0",
    )
    env = crawl_env()
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(process: subprocess.Popen[str], out: Path) -> Crawl:
    _, log = process.communicate(timeout=180)
    output = out / "output"
    files = sorted(output.glob(f"{SITE}/date=*/*.jsonl"))
    records: dict[str, dict[str, Any]] = {}
    damaged: list[str] = []
    for path in files:
        try:
            records.update((r["news_id"], r) for r in read_records(path))
        except StateError as error:  # what the next run would say: the file is damaged
            damaged.append(str(error))
            lines = path.read_text(encoding="utf-8").split("\n")
            records.update((r["news_id"], r) for r in map(json.loads, filter(None, lines)))
    manifests = sorted((output / SITE / "_manifests").glob("*.json"))
    return Crawl(
        returncode=process.returncode,
        log=log,
        files=files,
        records=records,
        damaged=damaged,
        stats=stats_of(out),
        manifest=json.loads(manifests[-1].read_text(encoding="utf-8")) if manifests else {},
    )


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    site = FaultSite().start()
    try:
        started = {
            name: (_start(site, out := tmp_path_factory.mktemp(name), path), out)
            for name, path in STARTS.items()
        }
        return {name: _finish(process, out) for name, (process, out) in started.items()}
    finally:
        site.stop()


def test_every_crawl_finishes_without_a_traceback(crawls: dict[str, Crawl]) -> None:
    for name, crawl in crawls.items():
        assert crawl.returncode in (0, 4), (name, crawl.log[-3000:])
        assert crawl.stats.get("finish_reason") == "finished", name
        assert "Traceback" not in crawl.log, (name, crawl.log[-3000:])
        assert crawl.stats.get("log_count/ERROR", 0) == 0, (name, crawl.log[-3000:])


def test_09_a_page_nested_100000_deep_is_counted_not_lost(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["listing"]
    assert "14901" not in crawl.records
    assert crawl.stat("failed/extraction_error") == 1
    assert crawl.manifest["failed"].get("extraction_error") == 1
    lines = [line for line in crawl.log.splitlines() if "extraction_error (" in line]
    assert len(lines) == 1, lines
    assert "/14901/" in lines[0]
    assert "RecursionError" in lines[0]


def test_09_a_5mb_title_is_capped_and_counted(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["listing"]
    title = crawl.records["14902"]["title"]
    assert 0 < len(title) <= project_settings.NEWSCRAWLER_MAX_TITLE_CHARS
    assert title.startswith("عنوان بسیار بلند")
    assert crawl.stat("truncated/title") == 1


def test_03_line_separators_are_written_escaped_and_read_back(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["listing"]
    assert crawl.damaged == []  # the project's own reader (the next run's) reads the files
    record = crawl.records["14903"]
    assert record["title"] == pages.title("14903")
    assert record["lead"] == pages.paragraphs("14999")[0]
    for path in crawl.files:
        raw = path.read_text(encoding="utf-8")
        assert "\u2028" not in raw
        assert "\u2029" not in raw


def test_03_a_cr_in_a_title_is_a_space(crawls: dict[str, Crawl]) -> None:
    title = crawls["listing"].records["14904"]["title"]
    assert "\n" not in title
    assert "\r" not in title
    assert title == pages.title("14904")


def test_02_old_and_far_future_dates_leave_the_article_without_that_date(
    crawls: dict[str, Crawl],
) -> None:
    crawl = crawls["listing"]
    assert crawl.stat("dropped/schema_invalid") == 0
    assert crawl.records["14905"]["published_at"] is None
    assert crawl.records["14906"]["published_at"] is None
    assert crawl.records["14906"]["published_at_raw"] is None


def test_01_a_year_9999_date_on_an_article_falls_back_to_the_next(
    crawls: dict[str, Crawl],
) -> None:
    record = crawls["listing"].records["14907"]
    assert record["published_at"] == "2024-05-13T10:00:00+03:30"


@pytest.mark.parametrize(("source", "ids"), [("feed", hostile.FEED), ("sitemap", hostile.SITEMAP)])
def test_01_dates_of_year_9999_and_1_do_not_stop_a_feed_or_sitemap(
    crawls: dict[str, Crawl], source: str, ids: dict[str, str]
) -> None:
    crawl = crawls[source]
    assert sorted(crawl.records) == sorted(ids), crawl.log[-3000:]


def test_the_written_files_are_what_the_manifests_name(crawls: dict[str, Crawl]) -> None:
    for crawl in crawls.values():
        named = {entry["path"] for entry in crawl.manifest["files"]}
        assert len(named) == len(crawl.files)
