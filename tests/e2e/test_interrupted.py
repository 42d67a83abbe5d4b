"""A crawl stopped by SIGTERM (a scheduler, ``systemctl stop``) or SIGINT (Ctrl-C) is not a
success: ``scrapy crawl`` exits 6 with one line, the manifest says ``finish_reason: shutdown``,
nothing half-written is visible and the next run delivers the rest, each article once."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import ROOT, Demo, crawl, crawl_command, delivered, manifests, wait_for

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_crawl_stopped_by_a_signal_exits_6_and_the_next_run_finishes_it(
    demo: Demo, tmp_path: Path, signum: signal.Signals
) -> None:
    site, urls = demo
    output = tmp_path / "output"
    # one page at a time, 0.2 s apart: the run is still going when the signal comes
    slow = ("-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
    process = subprocess.Popen(
        crawl_command(SITE, urls[SITE], output, *slow, "-s", "NEWSCRAWLER_FILE_MAX_ITEMS=5"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # once a file is committed (5 articles), the run is well under way
        assert wait_for(lambda: any(output.glob(f"{SITE}/date=*/*.jsonl")), timeout=60)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 6, stderr[-2000:]
    errors = [line for line in stderr.splitlines() if line.startswith("newscrawler: error:")]
    assert len(errors) == 1
    assert "stopped by a signal" in errors[0]
    (first,) = manifests(output, SITE)
    assert first["finish_reason"] == "shutdown"
    assert not list(output.glob(f"{SITE}/date=*/*.part"))
    partial = delivered(output, SITE)
    expected = len(site.sources[SITE].articles)
    assert 0 < len(partial) < expected

    again = crawl(SITE, urls[SITE], output)
    assert again.returncode in (0, 4), again.stderr[-2000:]
    ids = [record["id"] for record in delivered(output, SITE)]
    assert len(ids) == len(set(ids))
    assert len(ids) > len(partial)
