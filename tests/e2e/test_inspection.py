"""Scrapy's habits (issue 15, item 4): ``scrapy parse``/``fetch`` show a demo page as a crawl
reads it and keep no crawl state (no output folder, no lock, no manifest); ``scrapy check``
runs a site's golden fixtures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import ROOT, Demo

pytestmark = pytest.mark.e2e


def _scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _article_url(demo: Demo) -> str:
    site, urls = demo
    article = site.sources["irna"].articles[0]
    return urls["irna"] + article.path


def test_parse_prints_the_article_and_keeps_no_state(demo: Demo, tmp_path: Path) -> None:
    _, urls = demo
    output = tmp_path / "output"
    result = _scrapy(
        *("parse", "--spider=irna", "-a", f"base_url={urls['irna']}"),
        *("-s", "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"),
        *("-s", f"NEWSCRAWLER_OUTPUT_DIR={output}"),
        _article_url(demo),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Scraped Items" in result.stdout
    assert "'site': 'irna'" in result.stdout
    assert "Traceback" not in result.stderr
    assert not output.exists()  # no manifest, no state, no lock


def test_fetch_keeps_no_state(demo: Demo, tmp_path: Path) -> None:
    output = tmp_path / "output"
    result = _scrapy(
        *("fetch", "--nolog", "--spider=irna"),
        *("-s", "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"),
        *("-s", f"NEWSCRAWLER_OUTPUT_DIR={output}"),
        _article_url(demo),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "<html" in result.stdout
    assert not output.exists()


def test_check_runs_a_sites_golden_fixtures() -> None:
    passed = _scrapy("check", "irna")
    assert passed.returncode == 0, passed.stdout[-3000:]
    assert "4 passed" in passed.stdout
    unknown = _scrapy("check", "atlantis")
    assert unknown.returncode == 2
    assert "unknown site 'atlantis'" in unknown.stderr
