"""The Python API: ``from newscrawler import extract``, and a crawl from ``CrawlerProcess``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawler import extract
from newscrawler.extraction.article import NotAnArticle
from tests.support.golden import FIXTURES
from tests.support.processes import ROOT, Demo, delivered


def test_extract_gives_the_record_the_golden_file_holds() -> None:
    page = FIXTURES / "irna" / "2024-05-18-article.html"
    spec = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    expected = spec["expected"]
    record = extract(page.read_bytes(), spec["url"])
    for field in ("id", "title", "body", "published_at", "news_id", "site", "cms"):
        assert record[field] == expected[field], field


def test_extract_takes_text_and_a_site_name() -> None:
    page = FIXTURES / "irna" / "2024-05-18-article.html"
    spec = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    record = extract(page.read_text(encoding="utf-8"), "https://mirror.example/x", site="irna")
    assert record["site"] == "irna"
    assert record["title"] == spec["expected"]["title"]
    with pytest.raises(KeyError, match="unknown site 'atlantis'"):
        extract("<html></html>", "https://x.ir/1", site="atlantis")


def test_extract_refuses_a_home_page_of_an_unknown_site() -> None:
    home = "<html><body><nav><a href='/'>خانه</a></nav><p>خبرها</p></body></html>"
    with pytest.raises(NotAnArticle):
        extract(home, "https://unknown-news.example/")


RECIPE = """
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

settings = get_project_settings()
settings.set("NEWSCRAWLER_OUTPUT_DIR", {output!r})
settings.set("NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS", ["127.0.0.1"])
settings.set("DOWNLOAD_DELAY", 0)
settings.set("AUTOTHROTTLE_ENABLED", False)
process = CrawlerProcess(settings)
process.crawl("irna", base_url={base!r}, max_articles=10)
process.start()
"""


@pytest.mark.e2e
def test_the_crawlerprocess_recipe_crawls(demo: Demo, tmp_path: Path) -> None:
    _, urls = demo
    output = tmp_path / "output"
    script = RECIPE.format(output=str(output), base=urls["irna"])
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    records = delivered(output, "irna")
    assert 1 <= len(records) <= 10
    assert all(record["site"] == "irna" for record in records)
