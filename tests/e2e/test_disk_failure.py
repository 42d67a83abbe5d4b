"""A disk that fails mid-run is not a success: with the crawl's file size limited (``RLIMIT_FSIZE``;
CPython ignores ``SIGXFSZ``, so a write past it raises ``OSError(EFBIG)``, as a full disk raises
``ENOSPC``), ``scrapy crawl`` exits 7 with one line and a handful of ERROR lines, nothing
half-written is visible, and the next run delivers every article exactly once.

The limit must let ``scrapy crawl``'s 64 KiB probe through; above it, the crawl state's SQLite
write-ahead logs (which grow until a checkpoint) pass it before an output file does, so this is
the full disk with the state on it. A failing output file is tried in
``tests/test_pipelines.py`` (``test_a_full_disk_stops_the_store_and_leaves_the_part``).
"""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest

from tests.support.processes import ROOT, Demo, crawl, crawl_command, delivered, manifests

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"
#: Above the 64 KiB probe ``scrapy crawl`` writes first; a demo record is about 4 KB.
LIMIT = 70_000


def limited(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize(
    ("case", "max_items"),
    [
        ("before_any_commit", 1000),  # the state fills while the first file is still a .part
        ("after_commits", 5),  # files of 5 records commit until the state fills
    ],
)
def test_a_failing_disk_exits_7_and_the_next_run_delivers_everything_once(
    demo: Demo, tmp_path: Path, case: str, max_items: int
) -> None:
    _, urls = demo
    clean = tmp_path / "clean"
    assert crawl(SITE, urls[SITE], clean).returncode in (0, 4)
    expected = len(delivered(clean, SITE))
    assert expected > 30

    output = tmp_path / "output"
    result = subprocess.run(
        crawl_command(SITE, urls[SITE], output, "-s", f"NEWSCRAWLER_FILE_MAX_ITEMS={max_items}"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        preexec_fn=lambda: limited(LIMIT),
    )
    assert result.returncode == 7, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawler: error:")]
    assert len(errors) == 1, errors
    assert "disk full or read-only" in errors[0]
    logged = [line for line in result.stderr.splitlines() if "] ERROR:" in line]
    assert len(logged) <= 3, "\n".join(logged[:20])
    assert "Traceback" not in result.stderr
    for path in output.glob(f"{SITE}/date=*/*.jsonl"):  # every visible file is complete
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        for line in text.split("\n")[:-1]:
            json.loads(line)
    (first,) = manifests(output, SITE)
    assert first["finish_reason"] == "output_error"
    if case == "after_commits":
        assert first["files"], "a file should have been committed before the state filled up"
    partial = delivered(output, SITE)
    assert len(partial) < expected

    again = crawl(SITE, urls[SITE], output)
    assert again.returncode in (0, 4), again.stderr[-2000:]
    ids = [record["id"] for record in delivered(output, SITE)]
    assert len(ids) == len(set(ids))
    assert len(ids) == expected
