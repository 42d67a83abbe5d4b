"""How the fault-site tests run a real crawl: the flags that point Scrapy at the fault site's
hosts and dump the run's stats, the environment without proxies, and the stats read back."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import newscrawler.settings as project_settings

#: The project's extensions plus the one that writes the run's stats to FAULTS_STATS_FILE.
EXTENSIONS = {**project_settings.EXTENSIONS, "tests.support.faults.statsdump.StatsDump": 990}


def fault_site_flags(out: Path, allow: str = "127.0.0.1") -> list[str]:
    """``-s`` flags of a crawl of the fault site: its host names resolve to 127.0.0.1, which
    the crawl may connect to (``allow``: ``NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS``), and the final
    stats go to ``out/stats.json`` (:func:`stats_of`)."""
    return [
        *("-s", f"NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS={allow}"),
        *("-s", "TWISTED_DNS_RESOLVER=tests.support.faults.resolver.LoopbackResolver"),
        *("-s", f"EXTENSIONS={json.dumps(EXTENSIONS)}"),
        *("-s", f"FAULTS_STATS_FILE={out / 'stats.json'}"),
    ]


def crawl_env() -> dict[str, str]:
    """The crawl's environment, without proxies (they would capture 127.0.0.1 and *.test)."""
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def stats_of(out: Path) -> dict[str, Any]:
    """The stats a crawl started with :func:`fault_site_flags` wrote (empty if it wrote none)."""
    stats_file = out / "stats.json"
    return json.loads(stats_file.read_text()) if stats_file.exists() else {}
