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
import os
import resource
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import (
    ROOT,
    Demo,
    crawl,
    crawl_command,
    delivered,
    manifests,
    wait_for,
)

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"
#: Above the 64 KiB probe ``scrapy crawl`` writes first; a demo record is about 4 KB.
LIMIT = 70_000


@pytest.fixture(scope="module")
def clean_count(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> int:
    """How many articles a crawl of the site on a healthy disk delivers."""
    clean = tmp_path_factory.mktemp("clean")
    assert crawl(SITE, demo[1][SITE], clean).returncode in (0, 4)
    count = len(delivered(clean, SITE))
    assert count > 30
    return count


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
    demo: Demo, clean_count: int, tmp_path: Path, case: str, max_items: int
) -> None:
    _, urls = demo
    expected = clean_count

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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of its own (a 64 MiB tmpfs, which takes ``chattr +i``). Root ignores file
    permissions, and Linux refuses to remount read-only a file system with files open for
    writing, so the output is made unwritable with the immutable attribute, which binds root:
    no file can be created, renamed or removed in it."""
    if os.geteuid() != 0 or not (shutil.which("mount") and shutil.which("chattr")):
        pytest.skip("needs root, mount(8) and chattr(1) to make the output unwritable mid-run")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("this machine does not let tests mount a tmpfs")
    try:
        yield disk
    finally:
        subprocess.run(["chattr", "-R", "-i", str(disk)], check=False, capture_output=True)
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _immutable(tree: Path, on: bool) -> None:
    subprocess.run(["chattr", "-R", "+i" if on else "-i", str(tree)], check=True)


def test_output_made_read_only_mid_run_exits_7_and_the_next_run_delivers_everything_once(
    demo: Demo, clean_count: int, small_disk: Path
) -> None:
    _, urls = demo
    expected = clean_count

    output = small_disk / "output"
    command = crawl_command(SITE, urls[SITE], output, "-s", "NEWSCRAWLER_FILE_MAX_ITEMS=5")
    # slow enough that the run is still going when its disk turns read-only
    command += ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert wait_for(lambda: any(output.glob(f"{SITE}/date=*/*.jsonl")), timeout=60)
        _immutable(output, on=True)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 7, stderr[-3000:]
    errors = [line for line in stderr.splitlines() if line.startswith("newscrawler: error:")]
    assert len(errors) == 1, errors
    assert "disk full or read-only" in errors[0]
    assert "Traceback" not in stderr
    for path in output.glob(f"{SITE}/date=*/*.jsonl"):  # every visible file is complete
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        for line in text.split("\n")[:-1]:
            json.loads(line)
    assert len(list(output.glob(f"{SITE}/date=*/*.jsonl"))) >= 1

    _immutable(output, on=False)
    again = crawl(SITE, urls[SITE], output)
    assert again.returncode in (0, 4), again.stderr[-2000:]
    ids = [record["id"] for record in delivered(output, SITE)]
    assert len(ids) == len(set(ids))
    assert len(ids) == expected
