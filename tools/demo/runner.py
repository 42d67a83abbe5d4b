"""Run the offline demo: serve five demo news sources and crawl each with ``scrapy crawl``.

    python -m tools.demo                     # crawl all five into ./output
    python -m tools.demo --output /tmp/demo  # somewhere else
    python -m tools.demo --articles 40       # bigger sources
    python -m tools.demo --serve             # only serve; crawl by hand (`make demo-serve`)

Each crawl is a real ``scrapy crawl <site> -a base_url=<demo url>`` subprocess (two at a time)
with the delays turned off; its log goes to ``<output>/_demo/<site>.log``. At the end the run
manifests (``<output>/<site>/_manifests/<run-id>.json``) are read back into one table. The exit
status is 1 when a crawl exited non-zero or a source has no article in the output at all, else
0 (a second run into the same output writes nothing new: that is cross-run dedupe working).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

from tools.demo.server import DemoServer
from tools.demo.showcase import showcase
from tools.demo.site import DEFAULT_ARTICLES, DEFAULT_SEED, MIN_ARTICLES, build_site

PARALLEL = 2
CRAWL_TIMEOUT = 300.0
#: The spider's default ``max_pages``; bigger demo sources need more to be crawled whole.
DEFAULT_MAX_PAGES = 5
LOG_ERROR = re.compile(r"\] (ERROR|CRITICAL):")
#: Where runs describe themselves (one manifest per run).
SUMMARY_DIRS = ("_manifests",)


def repo_root() -> Path | None:
    """The checkout that holds this package and ``scrapy.cfg`` (``None`` when installed)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "scrapy.cfg").is_file() else None


def load_summary(path: Path) -> dict[str, Any]:
    """A run manifest, with ``site`` set whichever name the engine gave the spider field."""
    summary: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    summary.setdefault("site", summary.get("spider"))
    return summary


def summary_paths(output: Path, site: str = "*") -> list[Path]:
    """Every run manifest under ``output`` (of one site, or of all)."""
    return sorted(p for d in SUMMARY_DIRS for p in output.glob(f"{site}/{d}/*.json"))


def article_files(output: Path, site: str = "*") -> list[Path]:
    """Every committed JSONL file under ``output`` (of one site, or of all)."""
    return sorted(output.glob(f"{site}/date=*/*.jsonl"))


def crawl_command(site: str, base_url: str, output: Path, max_pages: int) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", site, "-a", f"base_url={base_url}"]
    if max_pages > DEFAULT_MAX_PAGES:
        command += ["-a", f"max_pages={max_pages}"]
    return [
        *command,
        *("-s", "AUTOTHROTTLE_ENABLED=0"),
        # the demo site is on 127.0.0.1: allowed explicitly (the SSRF guard refuses it otherwise)
        *("-s", "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"),
        *("-s", "DOWNLOAD_DELAY=0"),
        *("-s", f"NEWSCRAWLER_OUTPUT_DIR={output}"),
        *("-s", "LOG_LEVEL=INFO"),
    ]


@dataclass
class Crawl:
    """One ``scrapy crawl`` subprocess and, once it ended, what it did."""

    site: str
    command: list[str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    log: IO[str] | None = None
    started: float = 0.0
    seconds: float = 0.0
    returncode: int | None = None
    summary: dict[str, Any] | None = None
    log_errors: int = 0

    def start(self, cwd: Path, env: dict[str, str]) -> None:
        self.log = self.log_path.open("w", encoding="utf-8")
        self.log.write(f"$ {shlex.join(self.command)}\n\n")
        self.log.flush()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            self.command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def poll(self, timeout: float) -> bool:
        """True once the process has ended (killed when it ran longer than ``timeout``)."""
        assert self.process is not None
        if self.process.poll() is None:
            if time.monotonic() - self.started < timeout:
                return False
            self.stop(f"demo: crawl killed after {timeout:.0f} s")
        self.returncode = self.process.returncode
        self.seconds = time.monotonic() - self.started
        self._close_log()
        return True

    def stop(self, note: str) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.log is not None:
                self.log.write(f"\n{note}\n")
        self._close_log()

    def _close_log(self) -> None:
        if self.log is not None:
            self.log.close()
            self.log = None

    def read_results(self, output: Path) -> None:
        """The manifest this process wrote (its run id is ``<time>-<pid>[-<n>]``)."""
        assert self.process is not None
        mine = re.compile(rf"-{self.process.pid}(-\d+)?\.json$")
        candidates = [p for p in summary_paths(output, self.site) if mine.search(p.name)]
        if candidates:
            self.summary = load_summary(max(candidates, key=lambda p: p.stat().st_mtime))
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        self.log_errors = len(LOG_ERROR.findall(text))

    @property
    def written(self) -> int:
        return int((self.summary or {}).get("articles_written", 0))

    @property
    def duplicates(self) -> int:
        return int((self.summary or {}).get("duplicates", 0))

    @property
    def dropped(self) -> dict[str, int]:
        return dict((self.summary or {}).get("dropped", {}))

    def output_files(self, output: Path) -> list[Path]:
        """The JSONL files this run wrote: as its manifest lists them, else by its run id."""
        summary = self.summary or {}
        listed = [output / f["path"] for f in summary.get("files") or [] if "path" in f]
        if listed or not summary.get("run_id"):
            return listed
        return sorted((output / self.site).glob(f"date=*/{summary['run_id']}*.jsonl"))

    def problem(self, output: Path) -> str | None:
        """Why this source counts as failed, or ``None``. Writing nothing new is fine when the
        output already holds the site's articles from an earlier run."""
        if self.returncode != 0:
            health = (self.summary or {}).get("health") or {}
            reasons = "; ".join(health.get("reasons") or [])
            because = f" (health {health.get('status')}: {reasons})" if reasons else ""
            return f"scrapy exited with status {self.returncode}{because}"
        if self.summary is None:
            return "the run wrote no manifest"
        if self.written == 0 and not article_files(output, self.site):
            return "no article was written"
        return None


def run_crawls(
    urls: dict[str, str], output: Path, max_pages: int, parallel: int = PARALLEL
) -> list[Crawl]:
    """Crawl every source, ``parallel`` at a time; a crawl still running on exit is stopped."""
    root = repo_root()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if root is None:  # an installed package: no scrapy.cfg, so name the settings module
        env["SCRAPY_SETTINGS_MODULE"] = "newscrawler.settings"
    (output / "_demo").mkdir(parents=True, exist_ok=True)
    crawls = [
        Crawl(site, crawl_command(site, url, output, max_pages), output / "_demo" / f"{site}.log")
        for site, url in urls.items()
    ]
    pending, running = list(crawls), list[Crawl]()
    try:
        while pending or running:
            while pending and len(running) < parallel:
                crawl = pending.pop(0)
                crawl.start(root or output, env)
                running.append(crawl)
            time.sleep(0.05)
            for crawl in list(running):
                if crawl.poll(CRAWL_TIMEOUT):
                    running.remove(crawl)
                    crawl.read_results(output)
                    status = crawl.problem(output) or f"{crawl.written} articles written"
                    print(f"  {crawl.site:<18} {status} ({crawl.seconds:.1f} s)", flush=True)
    finally:
        for crawl in running:
            crawl.stop("demo: crawl stopped (the demo was interrupted)")
    return crawls


def _files_cell(crawl: Crawl, output: Path) -> str:
    if crawl.summary is None:
        return "(no manifest)"
    files = [path.relative_to(output).as_posix() for path in crawl.output_files(output)]
    if not files:
        return "(nothing new)"
    return files[0] + (f" (+{len(files) - 1} more)" if len(files) > 1 else "")


def summary_table(crawls: list[Crawl], output: Path) -> str:
    """Articles written, duplicates and drops per site, with totals; paths relative to output."""

    def drops(counts: dict[str, int]) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "-"

    rows = [("site", "articles", "duplicates", "dropped", "output file")]
    total_dropped: dict[str, int] = {}
    for crawl in crawls:
        for reason, count in crawl.dropped.items():
            total_dropped[reason] = total_dropped.get(reason, 0) + count
        rows.append(
            (
                crawl.site,
                str(crawl.written),
                str(crawl.duplicates),
                drops(crawl.dropped),
                _files_cell(crawl, output),
            )
        )
    rows.append(
        (
            "total",
            str(sum(c.written for c in crawls)),
            str(sum(c.duplicates for c in crawls)),
            drops(total_dropped),
            "",
        )
    )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    table = [
        f"{site:<{widths[0]}}  {written:>{widths[1]}}  {dupes:>{widths[2]}}  "
        f"{dropped:<{widths[3]}}  {path}".rstrip()
        for site, written, dupes, dropped, path in rows
    ]
    rule = "-" * max(len(line) for line in table)
    return "\n".join([table[0], rule, *table[1:-1], rule, table[-1]])


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(server: DemoServer) -> int:
    """Serve until Ctrl-C, printing the base URLs, a command to try and the access log."""
    urls = server.start()
    width = max(map(len, urls))
    print("Demo news sources (Ctrl-C stops):")
    for site, url in urls.items():
        print(f"  {site:<{width}}  {url}")
    site, url = next(iter(urls.items()))
    print("\nCrawl one by hand, from the repository root:")
    print(
        f"  scrapy crawl {site} -a base_url={url} -a province=qazvin "
        "-s AUTOTHROTTLE_ENABLED=0 -s DOWNLOAD_DELAY=0 -s NEWSCRAWLER_OUTPUT_DIR=/tmp/demo-hand "
        "-s NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1"
    )
    print("  (province=all: every provincial listing; 'province=?': where each one is)")
    print("Access log:", flush=True)
    threading.Event().wait()
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.demo",
        description="Serve five offline demo news sources (one per CMS template) on 127.0.0.1 "
        "and crawl each with `scrapy crawl`.",
    )
    parser.add_argument(
        "--output", default="output", help="output directory of the crawls (default: output)"
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help=f"articles per source (default {DEFAULT_ARTICLES}, at least {MIN_ARTICLES})",
    )
    parser.add_argument("--serve", action="store_true", help="only serve the sources until Ctrl-C")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="with --serve: first port (the sources take consecutive ports; default: free ones)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < MIN_ARTICLES:
        parser.error(f"--articles must be at least {MIN_ARTICLES}")
    if not 0 <= args.port <= 65530:
        parser.error("--port must be between 0 and 65530")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    site = build_site(args.articles, args.seed)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    if args.serve:
        signal.signal(signal.SIGINT, _raise_interrupt)  # even when started with SIGINT ignored
        ports = {name: args.port + i for i, name in enumerate(site.sources)} if args.port else {}
        server = DemoServer(site, ports=ports, log=sys.stdout)
        try:
            return serve(server)
        except KeyboardInterrupt:
            print("\nstopped")
            return 0
        finally:
            server.stop()

    output = Path(args.output).resolve()
    output.mkdir(parents=True, exist_ok=True)
    max_pages = max(source.max_listing_pages() for source in site.sources.values())
    server = DemoServer(site)
    started = time.monotonic()
    try:
        urls = server.start()
        print(
            f"Serving {len(urls)} demo sources ({args.articles} articles each) on 127.0.0.1; "
            f"crawling {PARALLEL} at a time into {output}"
        )
        crawls = run_crawls(urls, output, max_pages)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        server.stop()
    elapsed = time.monotonic() - started

    print()
    print(summary_table(crawls, output))
    print()
    print(showcase(output, site.cases))
    print()
    print(f"Articles:      {output}/<site>/date=YYYY-MM-DD/<run-id>-NNNN.jsonl (JSON Lines)")
    print(f"Run manifests: {output}/<site>/_manifests/<run-id>.json")
    print(f"Crawl logs:    {output}/_demo/<site>.log")
    if not any(c.written for c in crawls) and article_files(output):
        print(
            "Nothing new: this output already holds every demo article from an earlier run "
            f"(crawl state: {output}/.state). Use another --output to see them written again."
        )
    print(f"Done in {elapsed:.1f} s.")
    failed = [(c.site, c.problem(output)) for c in crawls if c.problem(output)]
    for name, problem in failed:
        print(f"FAILED {name}: {problem}; see {output}/_demo/{name}.log", file=sys.stderr)
    for crawl in crawls:
        if crawl.log_errors:
            print(
                f"warning: {crawl.site}: {crawl.log_errors} ERROR lines in {crawl.log_path}",
                file=sys.stderr,
            )
    return 1 if failed else 0
