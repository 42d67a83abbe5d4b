"""Real ``scrapy crawl`` processes against the local demo site, and what they leave behind.

The command line of a fast crawl of one site, running it, the run manifests it wrote and every
record they name (what a warehouse loader would load).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tools.demo.site import DemoSite

ROOT = Path(__file__).resolve().parent.parent.parent
#: No politeness delays; the demo site is on 127.0.0.1, which the SSRF guard refuses unless allowed.
FAST = [
    *("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"),
    *("-s", "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"),
]


def crawl_command(site: str, base_url: str, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        site,
        "-a",
        f"base_url={base_url}",
        *FAST,
        "-s",
        f"NEWSCRAWLER_OUTPUT_DIR={output}",
        *extra,
    ]


def crawl(site: str, base_url: str, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        crawl_command(site, base_url, output, *extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def manifests(output: Path, site: str) -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((output / site / "_manifests").glob("*.json"))
    ]


def delivered(output: Path, site: str) -> list[dict[str, Any]]:
    """Every record of every file named in a manifest: what a warehouse loader would load."""
    records = []
    for manifest in manifests(output, site):
        for entry in manifest["files"]:
            path = output / entry["path"]
            lines = path.read_text(encoding="utf-8").splitlines()
            assert len(lines) == entry["lines"]
            records += [json.loads(line) for line in lines]
    return records


class Demo(tuple[DemoSite, dict[str, str]]):
    """The demo site and its URLs, with a short repr: a failing test's report must not try to
    print the whole generated site (it holds thousands of cross-linked objects)."""

    def __repr__(self) -> str:
        return f"Demo({self[1]})"


def wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
