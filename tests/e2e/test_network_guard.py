"""Issue 14, item 7: a crawl of a public site never connects into private networks (SSRF).

Three real ``scrapy crawl`` processes at once, each against its own fault site
(:mod:`tests.support.faults.private_targets`) whose ``/ssrf/`` listing links to the site's host
on another port, protocol-relative to that port, to subdomains resolving to 127.0.0.1, ``::1``,
10.11.12.13 and 169.254.169.254, and redirects to such a subdomain; behind 127.0.0.1 and
``::1`` stand servers that count every connection they accept:

``guarded``  the site allowed on its own port only: no connection reaches a target;
``literal``  a mirror crawled by IP (``-a base_url=http://127.0.0.1:<port>``), same rule;
``opted``    127.0.0.0/8 and ``::1`` allowed: the targets are reached and their pages written
             (the control that shows the counting would see a connection).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawler.state.ledger import read_records
from tests.support.faults.crawling import crawl_env, fault_site_flags, stats_of
from tests.support.faults.private_targets import LINKS, LITERAL_LINKS, Target, ipv6_available
from tests.support.faults.server import FaultSite
from tests.support.processes import ROOT, crawl_command

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"
IPV6 = ipv6_available()


@dataclass
class Crawl:
    returncode: int
    log: str
    stats: dict[str, Any]
    written: set[str]
    v4_connections: int
    v6_connections: int

    def stat(self, key: str) -> Any:
        return self.stats.get(f"newscrawler/{key}", 0)


class _Run:
    """One crawl: its fault site, its two targets, its process."""

    def __init__(self, out: Path, literal: bool, allow: str | None) -> None:
        self.out = out
        self.site = FaultSite().start()
        self.v4 = Target("127.0.0.1")
        self.v6 = Target("::1") if IPV6 else None
        self.site.targets = {"v4": self.v4.port, "v6": self.v6.port if self.v6 else 9}
        base = f"http://127.0.0.1:{self.site.port}" if literal else self.site.url()
        start = f"{base}/ssrf/literal/" if literal else f"{base}/ssrf/"
        command = crawl_command(
            SITE,
            base,
            out / "output",
            *("-a", f"start_url={start}"),
            *fault_site_flags(out, allow or f"127.0.0.1:{self.site.port}"),
            *("-s", "DOWNLOAD_TIMEOUT=3", "-s", "NEWSCRAWLER_EXTRACT_WORKERS=0"),
        )
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=crawl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self) -> Crawl:
        try:
            _, log = self.process.communicate(timeout=120)
        finally:
            self.site.stop()
            self.v4.stop()
            if self.v6:
                self.v6.stop()
        written = {
            record["news_id"]
            for path in (self.out / "output").glob(f"{SITE}/date=*/*.jsonl")
            for record in read_records(path)
        }
        return Crawl(
            returncode=self.process.returncode,
            log=log,
            stats=stats_of(self.out),
            written=written,
            v4_connections=self.v4.connections,
            v6_connections=self.v6.connections if self.v6 else 0,
        )


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    runs = {
        "guarded": _Run(tmp_path_factory.mktemp("guarded"), literal=False, allow=None),
        "literal": _Run(tmp_path_factory.mktemp("literal"), literal=True, allow=None),
        "opted": _Run(tmp_path_factory.mktemp("opted"), literal=False, allow="127.0.0.0/8,::1"),
    }
    return {name: run.finish() for name, run in runs.items()}


@pytest.mark.parametrize("name", ["guarded", "literal"])
def test_no_connection_reaches_a_private_address(crawls: dict[str, Crawl], name: str) -> None:
    crawl = crawls[name]
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert (crawl.v4_connections, crawl.v6_connections) == (0, 0), crawl.log[-3000:]
    links = LINKS if name == "guarded" else LITERAL_LINKS
    assert crawl.written.isdisjoint(links), crawl.written
    # every link into a private network is counted, none lost or blamed on something else
    assert crawl.stat("skipped/private_address") == len(links), crawl.log[-3000:]
    assert "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS" in crawl.log  # the one warning names the remedy


def test_opted_in_private_networks_are_reached(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["opted"]
    assert crawl.returncode == 0, crawl.log[-3000:]
    reached = {"14701", "14702", "14703", "14707"} | ({"14704"} if IPV6 else set())
    assert reached <= crawl.written, crawl.log[-3000:]
    assert crawl.v4_connections >= 4
    assert crawl.v6_connections >= (1 if IPV6 else 0)
    # 10/8 and 169.254.0.0/16 stay refused: they were not opted in
    assert crawl.stat("skipped/private_address") == 2, crawl.log[-3000:]
