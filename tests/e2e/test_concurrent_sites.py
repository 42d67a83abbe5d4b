"""End to end: two ``scrapy crawl`` processes of two sites that republish the same stories, started
at the same time over one output and state directory, write each story once."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.processes import ROOT, crawl_command, delivered
from tools.demo.server import DemoServer
from tools.demo.site import build_site

pytestmark = pytest.mark.e2e

ARTICLES = 150
SHARED = 130
SITES = ("irna", "cafekhabarqazvin")
TIMEOUT = 90


def test_two_sites_crawled_at_once_write_each_shared_story_once(tmp_path: Path) -> None:
    site = build_site(articles=ARTICLES)
    irna, cafe = site.sources["irna"], site.sources["cafekhabarqazvin"]
    for original, copy in zip(irna.articles[:SHARED], cafe.articles[:SHARED], strict=True):
        # the regional site republishes the agency's story word for word, under its own URL
        copy.story = replace(original.story, author=copy.story.author)
    with DemoServer(site) as urls:
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                crawl_command(
                    name,
                    urls[name],
                    tmp_path,
                    "-a",
                    "max_pages=40",
                    "-s",
                    "NEWSCRAWLER_FILE_MAX_ITEMS=10",
                ),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in SITES
        ]
        logs = [process.communicate(timeout=TIMEOUT)[1] for process in processes]
    elapsed = time.monotonic() - started
    assert [process.returncode for process in processes] == [0, 0], logs[0][-3000:]
    records = {name: delivered(tmp_path, name) for name in SITES}
    bodies = Counter(r["content_hash"] for name in SITES for r in records[name])
    twice = [body for body, count in bodies.items() if count > 1]
    print(
        f"irna {len(records['irna'])}, cafekhabarqazvin {len(records['cafekhabarqazvin'])} "
        f"written, {len(twice)} bodies twice, {len(bodies)} distinct, {elapsed:.1f} s"
    )
    assert twice == []
    # and none lost: every story (150 + 150 - 130 shared) was written by one of the two
    assert len(bodies) == 2 * ARTICLES - SHARED
