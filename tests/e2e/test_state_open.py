"""A crawl state that passes ``scrapy crawl``'s check but fails when the spider opens (another
run took the lock in between, a file broke): the run closes with ``state_error`` and exits as
the check would have, 3 for the lock and 2 for the rest, with one line naming the problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("ledger", "status", "words"),
    [
        ("LockedLedger", 3, "another run of this site is in progress"),
        ("BrokenLedger", 2, "is corrupt"),
    ],
)
def test_a_state_that_fails_when_the_spider_opens_exits_as_at_the_check(
    tmp_path: Path, ledger: str, status: int, words: str
) -> None:
    output = tmp_path / "output"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "scrapy", "crawl", "irna"),
            *("-a", "base_url=http://127.0.0.1:9"),  # nothing is requested: it stops before
            *("-s", f"NEWSCRAWLER_OUTPUT_DIR={output}"),
            *("-s", f"NEWSCRAWLER_LEDGER_CLASS=tests.support.ledgers.{ledger}"),
            *("-s", "AUTOTHROTTLE_ENABLED=0"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == status, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawler: error:")]
    assert len(errors) == 1
    assert words in errors[0]
    (manifest,) = (output / "irna" / "_manifests").glob("*.json")
    summary = json.loads(manifest.read_text(encoding="utf-8"))
    assert summary["finish_reason"] == "state_error"
    assert summary["articles_written"] == 0
    assert not list(output.glob("irna/date=*/*.jsonl"))
