"""Issue 14, items 5, 8 and 11: real crawls of the fault site's discovery faults.

Five ``scrapy crawl`` processes at once against :mod:`tests.support.faults.server`, each started
(``-a start_url=``) at one page of :mod:`tests.support.faults.discovery_pages`: 25 listing pages
with ``max_pages=200`` (more than ``DEPTH_LIMIT``), a gzipped sitemap, a listing with a URL over
2,083 characters and a next page on another host, a sitemap index that names 10 new indexes at
every level, a listing of 100,000 links; and one ``scrapy crawl`` refused at the start (a
``start_url`` on another host). Every crawl is bounded in time (``CLOSESPIDER_TIMEOUT``).
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import newscrawler.settings as project_settings
from tests.support.faults import discovery_pages as discovery
from tests.support.faults.crawling import crawl_env, fault_site_flags, stats_of
from tests.support.faults.server import FaultSite, Hit
from tests.support.processes import ROOT, crawl_command

pytestmark = pytest.mark.e2e

SITE = "cafekhabarqazvin"
#: Longest a crawl may run (each is closed by CLOSESPIDER_TIMEOUT before this).
SECONDS = 60
WIDE_CAP = 50
STARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "paged": ("/discovery/paged/1/", ("-a", "max_pages=200")),
    "gz": ("/discovery/gz/sitemap.xml", ()),
    "long": ("/discovery/long/", ()),
    "trap": ("/discovery/trap/0.xml", ()),  # the default budgets
    "wide": ("/discovery/wide/", ("-s", f"NEWSCRAWLER_MAX_LINKS_PER_PAGE={WIDE_CAP}")),
}


@dataclass
class Crawl:
    returncode: int
    log: str
    stats: dict[str, Any]
    manifest: dict[str, Any]
    seconds: float
    hits: list[Hit] = field(default_factory=list)

    def stat(self, key: str) -> Any:
        return self.stats.get(f"newscrawler/{key}", 0)

    def article_ids(self) -> set[str]:
        """Article ids the crawl asked the server for."""
        return {
            path.strip("/").split("/")[0]
            for hit in self.hits
            if (path := urlsplit(hit.path).path).strip("/").split("/")[0].isdigit()
        }


def _start(site: FaultSite, out: Path, start: str, *extra: str) -> subprocess.Popen[str]:
    command = crawl_command(
        SITE,
        site.url(),
        out / "output",
        "-a",
        f"start_url={start}",
        *extra,
        *fault_site_flags(out),
        "-s",
        "NEWSCRAWLER_EXTRACT_WORKERS=0",
        "-s",
        f"CLOSESPIDER_TIMEOUT={SECONDS - 20}",
    )
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=crawl_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str], out: Path, started: float) -> Crawl:
    try:
        _, log = process.communicate(timeout=SECONDS + 30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, log = process.communicate()
    manifests = sorted((out / "output" / SITE / "_manifests").glob("*.json"))
    return Crawl(
        returncode=process.returncode,
        log=log,
        stats=stats_of(out),
        manifest=json.loads(manifests[-1].read_text(encoding="utf-8")) if manifests else {},
        seconds=time.monotonic() - started,
    )


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    site = FaultSite().start()
    try:
        started = time.monotonic()
        running = {}
        for name, (path, extra) in STARTS.items():
            out = tmp_path_factory.mktemp(name)
            running[name] = (_start(site, out, site.url() + path, *extra), out)
        done = {name: _finish(process, out, started) for name, (process, out) in running.items()}
    finally:
        site.stop()
    # each crawl's own requests: the pages under its start path and the articles they name
    for name, crawl in done.items():
        crawl.hits = [hit for hit in site.hits if _belongs(name, hit)]
    return done


def _belongs(name: str, hit: Hit) -> bool:
    path = urlsplit(hit.path).path
    first = path.strip("/").split("/")[0]
    if first == "discovery":
        return path.split("/")[2] == name
    if not first.isdigit():
        return False
    news_id = int(first)
    owners = {
        "paged": discovery.PAGED_ID < news_id <= discovery.PAGED_ID + discovery.PAGES,
        "gz": first in discovery.GZ_ARTICLES,
        "long": first in (discovery.LONG_OK, discovery.LONG_TOO_LONG),
        "wide": discovery.WIDE_ID <= news_id < discovery.WIDE_ID + discovery.WIDE,
    }
    return owners.get(name, False)


def test_every_crawl_finishes_by_itself(crawls: dict[str, Crawl]) -> None:
    for name, crawl in crawls.items():
        assert crawl.stats.get("finish_reason") == "finished", (name, crawl.log[-3000:])
        assert crawl.returncode in (0, 4), (name, crawl.log[-3000:])
        assert "Traceback" not in crawl.log, (name, crawl.log[-3000:])


# item 5 ---------------------------------------------------------------------------------


def test_05_pagination_past_depth_limit_follows_max_pages(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["paged"]
    wanted = {str(discovery.PAGED_ID + n) for n in range(1, discovery.PAGES + 1)}
    assert len(wanted) > project_settings.DEPTH_LIMIT
    assert crawl.article_ids() == wanted
    assert crawl.manifest["articles_written"] == discovery.PAGES
    assert crawl.stat("skipped/depth_limit") == 0


def test_05_a_gzipped_sitemap_is_read(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["gz"]
    assert crawl.article_ids() == set(discovery.GZ_ARTICLES)
    assert crawl.manifest["articles_written"] == len(discovery.GZ_ARTICLES)


def test_05_a_url_too_long_and_an_offsite_next_page_are_counted(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["long"]
    assert crawl.article_ids() == {discovery.LONG_OK}
    assert crawl.manifest["skipped"].get("url_too_long") == 1
    assert crawl.manifest["skipped"].get("offsite") == 1
    assert "counted as newscrawler/skipped/url_too_long" in crawl.log


# item 8 ---------------------------------------------------------------------------------


def test_08_a_sitemap_index_trap_stops_at_the_budget(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["trap"]
    budget = project_settings.NEWSCRAWLER_SITEMAP_MAX_DOCUMENTS
    fetched = len({hit.path for hit in crawl.hits})
    print(f"\nsitemap trap: {fetched} sitemaps fetched in {crawl.seconds:.1f} s (budget {budget})")
    assert fetched <= budget + 1  # the start URL is not one of the site's own sitemaps
    skipped = crawl.manifest["skipped"]
    assert skipped.get("sitemap_budget", 0) > 0
    assert skipped.get("sitemap_budget", 0) + skipped.get("sitemap_depth", 0) > 0
    assert crawl.log.count("counted as newscrawler/skipped/sitemap_budget") == 1  # warned once


def test_08_a_listing_of_100000_links_is_capped(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["wide"]
    articles = sorted(
        (hit for hit in crawl.hits if not hit.path.startswith("/discovery/")),
        key=lambda hit: hit.time,
    )
    listing = next(hit for hit in crawl.hits if hit.path == "/discovery/wide/")
    print(
        f"\nwide listing: {len(articles)} articles requested, first "
        f"{articles[0].time - listing.time:.1f} s after the listing; peak memory "
        f"{crawl.stats.get('memusage/max', 0) / 2**20:.0f} MB"
    )
    assert len(articles) == WIDE_CAP
    assert crawl.manifest["skipped"].get("links_per_page") == discovery.WIDE - WIDE_CAP
    assert articles[0].time - listing.time < 15


# item 11 --------------------------------------------------------------------------------


def test_11_a_start_url_on_another_host_is_refused_at_start(tmp_path: Path) -> None:
    site = FaultSite().start()
    try:
        command = crawl_command(
            SITE,
            site.url(),
            tmp_path / "output",
            "-a",
            f"start_url={site.url('elsewhere.test')}/1001/",
            "-s",
            "TWISTED_DNS_RESOLVER=tests.support.faults.resolver.LoopbackResolver",
        )
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=crawl_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        site.stop()
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("newscrawler: error")]
    assert len(errors) == 1, result.stderr[-2000:]
    assert "start_url=" in errors[0]
    assert site.hits == []
    assert not (tmp_path / "output" / SITE / "_manifests").exists()
