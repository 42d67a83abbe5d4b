"""End to end: ``python -m tools.demo`` serves five demo sources on 127.0.0.1 and real
``scrapy crawl`` processes turn them into clean JSONL; a second run writes nothing new."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawler.items import Article
from newscrawler.persian.boilerplate import EXACT_LINES
from newscrawler.persian.normalize import match_key
from tools.demo.runner import article_files, load_summary, summary_paths
from tools.demo.site import SOURCES, DemoCases, build_site

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
FIELDS = [field.name for field in dataclasses.fields(Article)]
TEXT_FIELDS = (
    "title",
    "kicker",
    "subtitle",
    "lead",
    "body",
    "section",
    "province",
    "author",
    "publisher",
)
#: Widget text that must never reach a record (besides the EXACT_LINES of the boilerplate rules).
WIDGET_PHRASES = (
    "پسندیده اند",
    "بیشتر بخوانید",
    "لینک کوتاه",
    "این مطلب برایم مفید است",
    "انتهای پیام",
    "موضوعات داغ",
    "نظرات و دیدگاه ها",
    "مسئولیت نوشته ها بر عهده نویسندگان",
    "انتشار دهنده",
    "اشتراک گذاری",
)
TEHRAN_OFFSETS = {timedelta(hours=3, minutes=30), timedelta(hours=4, minutes=30)}


@dataclasses.dataclass
class DemoRun:
    output: Path
    process: subprocess.CompletedProcess[str]
    files: list[Path]
    """JSONL files this run added."""
    summaries: dict[str, dict[str, Any]]
    """Run summary of each site, from this run."""

    def explain(self) -> str:
        return f"stdout:\n{self.process.stdout}\nstderr:\n{self.process.stderr}"


def run_demo(output: Path) -> DemoRun:
    files_before = set(article_files(output))
    manifests_before = set(summary_paths(output))
    process = subprocess.run(
        [sys.executable, "-m", "tools.demo", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    summaries = {}
    for path in sorted(set(summary_paths(output)) - manifests_before):
        summary = load_summary(path)
        summaries[summary["site"]] = summary
    files = sorted(set(article_files(output)) - files_before)
    return DemoRun(output, process, files, summaries)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    run = run_demo(tmp_path_factory.mktemp("demo-output"))
    assert run.process.returncode == 0, run.explain()
    return run


@pytest.fixture(scope="module")
def records(first_run: DemoRun) -> list[dict[str, Any]]:
    parsed = []
    for path in first_run.files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                parsed.append(json.loads(line))
            except ValueError as exc:
                pytest.fail(f"{path}:{number} is not JSON ({exc})")
    return parsed


@pytest.fixture(scope="module")
def cases() -> DemoCases:
    return build_site().cases  # the CLI's defaults: same seed, same articles


def by_id(records: list[dict[str, Any]], site: str, news_id: str) -> list[dict[str, Any]]:
    return [r for r in records if r["id"] == f"{site}:{news_id}"]


def texts(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Every human-readable text of a record, as (field, text)."""
    found = [(name, record[name]) for name in TEXT_FIELDS if record.get(name)]
    found += [("tags", tag) for tag in record["tags"]]
    found += [("images", image["caption"]) for image in record["images"] if image["caption"]]
    return found


def test_every_crawl_ran_clean(first_run: DemoRun) -> None:
    assert set(first_run.summaries) == set(SOURCES), first_run.explain()
    for site in SOURCES:
        log = (first_run.output / "_demo" / f"{site}.log").read_text(encoding="utf-8")
        assert "scrapy crawl" in log
        assert "base_url=http://127.0.0.1:" in log
        assert not re.search(r"\] (ERROR|CRITICAL):", log), f"{site}.log has errors"
        assert first_run.summaries[site]["finish_reason"] == "finished"
    assert "total" in first_run.process.stdout


def test_every_line_is_a_complete_record_in_field_order(first_run: DemoRun) -> None:
    assert first_run.files
    for path in first_run.files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert list(json.loads(line)) == FIELDS, f"{path}:{number}"


def test_every_source_wrote_articles(first_run: DemoRun, records: list[dict[str, Any]]) -> None:
    for site in SOURCES:
        written = [r for r in records if r["site"] == site]
        assert written, f"{site} wrote no article"
        assert first_run.summaries[site]["articles_written"] == len(written)


def test_no_widget_text_html_or_arabic_letters(records: list[dict[str, Any]]) -> None:
    exact = {match_key(phrase) for phrase in EXACT_LINES}
    phrases = [match_key(phrase) for phrase in WIDGET_PHRASES]
    for record in records:
        for field, text in texts(record):
            where = f"{record['id']} {field}: {text[:80]!r}"
            assert not re.search("[<>]", text), where
            assert not re.search("[\u064a\u0643]", text), where  # Arabic yeh and kaf
            for line in text.split("\n"):
                key = match_key(line)
                assert key not in exact, where
                assert not any(phrase in key for phrase in phrases), where
                assert not re.fullmatch(r"[\d۰-۹\W_]+", line), f"counter line in {where}"


def test_ids_are_unique(records: list[dict[str, Any]]) -> None:
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids))


def test_published_at_is_iso_with_tehran_offset(records: list[dict[str, Any]]) -> None:
    for record in records:
        published = datetime.fromisoformat(record["published_at"])
        assert published.tzinfo is not None, record["id"]
        assert published.utcoffset() in TEHRAN_OFFSETS, (record["id"], record["published_at"])


def test_empty_body_page_is_dropped_as_missing_body(
    first_run: DemoRun, records: list[dict[str, Any]], cases: DemoCases
) -> None:
    site, news_id = cases.empty_body
    assert first_run.summaries[site]["dropped"].get("missing_body", 0) >= 1
    assert not by_id(records, site, news_id)


def test_tracking_parameter_link_gives_no_second_record(
    first_run: DemoRun, records: list[dict[str, Any]], cases: DemoCases
) -> None:
    site, news_id = cases.tracking_duplicate
    (record,) = by_id(records, site, news_id)
    assert "utm_" not in record["canonical_url"]
    assert first_run.summaries[site]["duplicates"] >= 1


def test_republished_story_is_credited_to_the_agency(
    records: list[dict[str, Any]], cases: DemoCases
) -> None:
    (original_site, original_id), (copy_site, copy_id) = cases.republished
    (original,) = by_id(records, original_site, original_id)
    (copy,) = by_id(records, copy_site, copy_id)
    assert copy["title"] != original["title"]
    assert copy["body"].startswith("به گزارش ایرنا،")
    assert copy["source_agency"] == original["source_agency"] == "IRNA"


@pytest.fixture(scope="module")
def second_run(first_run: DemoRun) -> DemoRun:
    return run_demo(first_run.output)


def test_second_run_writes_nothing_new(second_run: DemoRun) -> None:
    assert set(second_run.summaries) == set(SOURCES), second_run.explain()
    assert not second_run.files
    for site, summary in second_run.summaries.items():
        assert summary["articles_written"] == 0, site
        assert summary["finish_reason"] == "finished", site


def test_second_run_is_healthy(second_run: DemoRun) -> None:
    assert second_run.process.returncode == 0, second_run.explain()


def test_the_summary_names_the_planted_faults_a_record_and_the_syndicated_story(
    first_run: DemoRun, cases: DemoCases
) -> None:
    out = first_run.process.stdout
    assert "Planted on purpose (each handled, not a failure):" in out
    site, news_id = cases.tracking_duplicate
    assert f"{site}:{news_id} linked twice" in out
    empty_site, empty_id = cases.empty_body
    assert f"{empty_site}:{empty_id} has an empty body: dropped as missing_body" in out
    assert "A record (one JSON line" in out
    (agency, story), (copier, copy) = cases.republished
    assert f"{copier}:{copy}: " in out
    assert f"(duplicate_of {agency}:{story}" in out
