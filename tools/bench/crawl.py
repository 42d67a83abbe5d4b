"""Run one crawl process and measure it: wall time, CPU time, peak RSS, Scrapy's own stats.

CPU time and peak RSS come from ``wait4`` (the kernel's account of the child), the crawl-phase
time and counts from the stats Scrapy dumps in its log, the server's CPU time over the same
interval from ``/proc/<pid>/stat``.

Extraction workers (``newscrawler/crawl/extraction_pool.py``, spawned children of the crawl
process): their CPU time is in ``wait4``'s figure (the kernel adds the CPU time of the children a
process has reaped, and the pool joins its workers when the spider closes), their memory is not (the
kernel's ``ru_maxrss`` is a maximum over a process and its children, not a sum). The crawl
reports its largest worker's peak (``VmHWM``) in its stats; the peak RSS of a crawl here is the
crawl process's plus that figure times the workers started (log line «extracting on N worker
processes»), an upper bound of what the crawl held at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tools.bench.site import BenchSource

ROOT = Path(__file__).resolve().parents[2]
#: Run by path: ``scrapy runspider`` takes a file, and a crawl runs from a folder (a temporary
#: one, a baseline checkout) where ``tools`` may not be importable.
BARE_SPIDER = Path(__file__).with_name("bare_spider.py")
PEER_SPIDER = Path(__file__).with_name("peer_spider.py")
MEASURE = Path(__file__).with_name("measure.py")

#: The same for both crawls: no politeness delays, high concurrency, one host.
COMMON_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1",  # the bench site is local
    "DOWNLOAD_DELAY": "0",
    "ROBOTSTXT_OBEY": "1",
    "CONCURRENT_REQUESTS": "64",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "64",
    # Listings are paginated 20 articles a page: 5,000 articles are 50 pages deep per source.
    "DEPTH_LIMIT": "0",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "0",
    "REMOTE_CONTROL_ENABLED": "0",
}
_STAT = re.compile(r"^[{ ]'([a-z0-9_/]+)': (\d+(?:\.\d+)?)[,}]?$", re.M)
_NEXT_RECORD = re.compile(r"^\d{4}-\d{2}-\d{2} ", re.M)
_WORKERS = re.compile(r"extracting on (\d+) worker process")
#: Stats of newscrawler/crawl/extraction_pool.py.
STAT_IN_PROCESS = "newscrawler/extract/in_process"
STAT_OFFLOADED = "newscrawler/extract/offloaded"
STAT_WORKER_RSS = "newscrawler/extract/worker_peak_rss_kib"
#: How often :func:`run` calls its ``watch`` while a crawl runs.
WATCH_INTERVAL_S = 0.05


@dataclasses.dataclass
class CrawlRun:
    variant: str
    site: str
    returncode: int
    wall_s: float
    cpu_s: float
    """wait4: the crawl process and the extraction workers it joined."""
    peak_rss_mib: float
    """The crawl process's peak plus its extraction workers' (:attr:`worker_rss_mib`)."""
    process_rss_mib: float
    """wait4's ``ru_maxrss``: the larger of the crawl process's peak and its workers', i.e. the
    crawl process's (a spawned worker holds less)."""
    worker_rss_mib: float
    """The largest extraction worker's peak times the workers started; 0 without a pool."""
    workers: int
    extracted_in_process: int
    extracted_offloaded: int
    """Articles extracted in the crawl process and on workers (0 and 0 for the bare spider)."""
    crawl_s: float
    responses: int
    articles: int
    items: int
    server_cpu_s: float
    errors: int
    """Spider exceptions and ERROR log lines: a crawl with errors measured something else."""
    log: str


def scrapy_stats(log_text: str) -> dict[str, float]:
    """Numeric stats of the last «Dumping Scrapy stats» block of a Scrapy log."""
    at = log_text.rfind("Dumping Scrapy stats:")
    if at < 0:
        return {}
    end = _NEXT_RECORD.search(log_text, at + 1)
    block = log_text[at : end.start() if end else len(log_text)]
    return {key: float(value) for key, value in _STAT.findall(block)}


def extraction(stats: dict[str, float], log_text: str) -> dict[str, int]:
    """Where the crawl extracted its articles and what its extraction workers held.

    ``workers``: the workers started (from the pool's log line; 1 when the stats report a
    worker but the line is missing); ``worker_rss_kib``: the largest worker's peak times that."""
    started = [int(n) for n in _WORKERS.findall(log_text)]
    worker_peak = int(stats.get(STAT_WORKER_RSS, 0))
    workers = max(started, default=1 if worker_peak else 0)
    return {
        "in_process": int(stats.get(STAT_IN_PROCESS, 0)),
        "offloaded": int(stats.get(STAT_OFFLOADED, 0)),
        "workers": workers,
        "worker_rss_kib": worker_peak * workers,
    }


def cpu_seconds(pid: int) -> float:
    """user + system CPU time of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]


#: The one-core row: the full pipeline without extraction worker processes.
ONE_CORE_SETTINGS = {"NEWSCRAWLER_EXTRACT_WORKERS": "0"}


def full_command(
    source: BenchSource, out: Path, log: Path, extra: dict[str, str] | None = None
) -> list[str]:
    """``scrapy crawl <site>`` with the project's settings minus politeness delays; ``extra``
    settings on top (``ONE_CORE_SETTINGS``, the long crawl's ``LOGSTATS_INTERVAL``)."""
    settings = {
        **COMMON_SETTINGS,
        "NEWSCRAWLER_OUTPUT_DIR": str(out),
        "NEWSCRAWLER_STATE_DIR": str(out / ".state"),
        "LOG_FILE": str(log),
        **(extra or {}),
    }
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        source.name,
        "-a",
        f"base_url={source.base_url}",
        "-a",
        "sources=listing",
        "-a",
        "max_pages=1000000",
        *_settings_args(settings),
    ]


def _runspider(
    spider: Path, source: BenchSource, log: Path, extra: dict[str, str] | None
) -> list[str]:
    selectors = source.profile.selectors
    assert selectors.body is not None
    return [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(spider),
        "-a",
        f"start_url={source.entry}",
        "-a",
        f"article_re={source.profile.article_url}",
        "-a",
        f"links_css={selectors.article_links}",
        "-a",
        f"next_css={selectors.next_page or 'a[rel=next]'}",
        "-a",
        f"body_css={selectors.body}",
        *_settings_args({**COMMON_SETTINGS, "LOG_FILE": str(log), **(extra or {})}),
    ]


def bare_command(source: BenchSource, log: Path, extra: dict[str, str] | None = None) -> list[str]:
    """``scrapy runspider bare_spider.py`` with Scrapy's defaults and the same overrides."""
    return _runspider(BARE_SPIDER, source, log, extra)


def peer_command(source: BenchSource, log: Path) -> list[str]:
    """``scrapy runspider peer_spider.py``: the bare spider's links and settings, trafilatura
    on each article page."""
    return _runspider(PEER_SPIDER, source, log, None)


@contextlib.contextmanager
def defaults_folder() -> Iterator[Path]:
    """An empty temporary folder to run ``scrapy runspider`` in, with Scrapy's defaults.

    Scrapy looks for ``scrapy.cfg`` in the folder and every folder above it: a spider run from
    under the checkout gets the project's settings, pipelines and all (a bare crawl that was
    not bare). Refuses a temporary folder that has one above it."""
    folder = Path(tempfile.mkdtemp(prefix="newscrawler-bench-"))
    try:
        found = [p / "scrapy.cfg" for p in folder.parents if (p / "scrapy.cfg").exists()]
        if found:
            raise RuntimeError(f"{found[0]} is above {folder}: set TMPDIR outside the project")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_env(code: Path | None = None) -> dict[str, str]:
    """The environment of a crawl: no Scrapy overrides; ``code`` first on the path (a baseline
    checkout measured against the working tree)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env.pop("PYTHONPATH", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def run(
    variant: str,
    source: BenchSource,
    command: list[str],
    cwd: Path,
    log: Path,
    server_pid: int,
    code: Path | None = None,
    watch: Callable[[int], None] | None = None,
) -> CrawlRun:
    """Run ``command`` to completion and measure it; ``watch``, if given, is called with the
    launcher's pid (``measure.py``, whose only child is the crawl) every ``WATCH_INTERVAL_S``
    while it runs, and once more after it ended (the long crawl's RSS sampler)."""
    env = clean_env(code)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    server_before = cpu_seconds(server_pid)
    # stderr into a file, not a pipe: nobody reads a pipe while ``watch`` polls
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(MEASURE), *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
        while watch is not None and process.poll() is None:
            watch(process.pid)
            time.sleep(WATCH_INTERVAL_S)
        returncode = process.wait()
        if watch is not None:
            watch(process.pid)
        stderr.seek(0)
        stderr_text = stderr.read()
    server_cpu = cpu_seconds(server_pid) - server_before
    measured = [line for line in stderr_text.splitlines() if line.startswith("MEASURE ")]
    usage = json.loads(measured[-1].split(" ", 1)[1]) if measured else {}
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    stats = scrapy_stats(text)
    if returncode != 0 or not stats or not usage:
        tail = "\n".join((stderr_text + text).splitlines()[-15:])
        raise RuntimeError(f"{variant} crawl of {source.name} failed ({returncode}):\n{tail}")
    articles = stats.get("newscrawler/pages/article", stats.get("item_scraped_count", 0))
    items = stats.get("newscrawler/items/written", stats.get("item_scraped_count", 0))
    pool = extraction(stats, text)
    return CrawlRun(
        variant=variant,
        site=source.name,
        returncode=returncode,
        wall_s=usage["wall_s"],
        cpu_s=usage["cpu_s"],
        peak_rss_mib=(usage["peak_rss_kib"] + pool["worker_rss_kib"]) / 1024,
        process_rss_mib=usage["peak_rss_kib"] / 1024,
        worker_rss_mib=pool["worker_rss_kib"] / 1024,
        workers=pool["workers"],
        extracted_in_process=pool["in_process"],
        extracted_offloaded=pool["offloaded"],
        crawl_s=stats.get("elapsed_time_seconds", usage["wall_s"]),
        responses=int(stats.get("response_received_count", 0)),
        articles=int(articles),
        items=int(items),
        server_cpu_s=server_cpu,
        errors=int(stats.get("spider_exceptions/count", 0) + stats.get("log_count/ERROR", 0)),
        log=str(log),
    )
