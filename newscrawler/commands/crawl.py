"""``scrapy crawl`` that refuses bad input in one line and reports health in its exit status.

Before the engine starts: unknown site, unknown or malformed spider argument, unwritable output
directory, a run of the same site already in progress, a corrupt crawl state: one line on stderr
naming the problem, nothing written. Exit status (documented in docs/operations.md, "Exit
statuses"):

0 finished, healthy · 1 the crawl could not start or crashed · 2 bad input (nothing was done)
· 3 another run of the site holds its lock · 4 finished but degraded (see the manifest's
``health``): a scheduler should alert · 5 not a single response: no network, DNS or proxy, or the
site is down (nothing was written; see docs/faults.md) · 6 stopped by SIGTERM or SIGINT
(Ctrl-C) before it finished: what was committed is kept and named by the manifest
(``finish_reason`` ``shutdown``), the next run continues from there · 7 the output or the
state could not be written: disk full or read-only (finish reason ``output_error``); what was
committed before is complete, the next run recovers.

A state that passes the check here but cannot be opened when the spider opens (another run took
the lock in between, a file went bad) closes the spider with finish reason ``state_error``
(:meth:`newscrawler.state.ledger.CrawlLedger.open`): the same exit status as at the check, 3
for the lock and 2 for the rest, with the same one-line message.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawl

from newscrawler.crawl.network_guard import AddressPolicy
from newscrawler.crawl.outcomes import unreachable
from newscrawler.sites.unknown import site_name
from newscrawler.spiders.arguments import SpiderArgumentError
from newscrawler.spiders.generic import GenericSpider
from newscrawler.spiders.news import NewsSpider
from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.layout import output_root, safe_token, state_dir
from newscrawler.state.ledger import Ledger

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_DEGRADED = 4
EXIT_UNREACHABLE = 5
EXIT_INTERRUPTED = 6
EXIT_OUTPUT_ERROR = 7
#: Written and removed before a crawl starts: a directory that cannot take this is full.
PROBE_BYTES = 64 * 1024


def writable_dir(path: Path) -> str | None:
    """``None`` when ``path`` can be created and written, else why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        try:
            probe.write_bytes(b"\0" * PROBE_BYTES)
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return (
                f"output directory {str(path)!r} is full ({exc.strerror}): free some space, "
                "or set NEWSCRAWLER_OUTPUT_DIR to a directory on another disk"
            )
        return (
            f"output directory {str(path)!r} is not writable ({exc.strerror or exc}): fix its "
            "permissions, or set NEWSCRAWLER_OUTPUT_DIR to a writable directory"
        )
    return None


def settings_problem(settings: BaseSettings) -> str | None:
    """What is wrong with a setting the crawl reads only once it runs, in one line."""
    try:
        AddressPolicy.parse(settings.getlist("NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS"))
    except ValueError as exc:
        return str(exc)
    return None


def check_state(root: Path, site: str, output_site_dir: Path) -> None:
    """Raise :class:`StateError` if the lock is held, a state file is corrupt, or a previous
    output file is damaged (opening the ledger runs all three checks, then lets go)."""
    ledger = Ledger(root, site, output_site_dir)
    try:
        ledger.verify()
    finally:
        ledger.close()


class Command(ScrapyCrawl):
    def _fail(self, message: str, code: int = EXIT_USAGE) -> None:
        print(f"newscrawler: error: {message}", file=sys.stderr)
        self.exitcode = code

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        runs = self._checked_runs(args[0], dict(opts.spargs))
        if runs is None:
            return
        crawlers = []
        for label, spargs in runs:
            crawler = self._create_crawler(args[0])
            self.crawler_process.crawl(crawler, **spargs)
            crawlers.append((label, crawler))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        outcomes = [outcome(label, crawler) for label, crawler in crawlers]
        for _, message in outcomes:  # every site that did not finish its work gets its line
            if message:
                print(f"newscrawler: error: {message}", file=sys.stderr)
        self.exitcode = min((code for code, _ in outcomes), key=SEVERITY.index)

    def _checked_runs(
        self, name: str, spargs: dict[str, Any]
    ) -> list[tuple[str, dict[str, Any]]] | None:
        """The crawls to start (one per site: ``generic`` may be given several), each checked
        before the engine starts; ``None`` after printing the one line that says why not."""
        assert self.crawler_process is not None
        assert self.settings is not None
        loader = self.crawler_process.spider_loader
        if name not in loader.list():
            self._fail(f"unknown site {name!r}; known sites: {', '.join(sorted(loader.list()))}")
            return None
        spidercls = loader.load(name)
        runs: list[tuple[str, dict[str, Any]]] = [(name, spargs)]
        try:
            if issubclass(spidercls, GenericSpider):
                runs = [(site_name(url), run) for url, run in generic_runs(spargs)]
            if issubclass(spidercls, NewsSpider):
                for _, run in runs:
                    spidercls.check_arguments(**run)
        except SpiderArgumentError as exc:
            self._fail(str(exc))
            return None
        output = output_root(self.settings)
        problem = writable_dir(output) or settings_problem(self.settings)
        if problem:
            self._fail(problem)
            return None
        for label, _ in runs:
            site = safe_token(label)
            try:
                check_state(state_dir(self.settings), site, output / site)
            except RunLocked as exc:
                self._fail(f"{label}: {exc}", EXIT_LOCKED)
                return None
            except (StateError, OSError) as exc:
                self._fail(str(exc))
                return None
        return runs


#: Exit statuses from the most to the least severe (the one a multi-site run exits with).
SEVERITY: tuple[int, ...] = (EXIT_LOCKED, EXIT_USAGE, EXIT_OUTPUT_ERROR, EXIT_INTERRUPTED)
SEVERITY += (EXIT_UNREACHABLE, EXIT_DEGRADED, 0)


def generic_runs(spargs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """One ``generic`` crawl per site it was given (``site=a.ir,b.ir``, ``sites_file=``)."""
    urls = GenericSpider.site_urls(**spargs)
    if "start_url" in spargs:
        return [(urls[0], spargs)]
    rest = {k: v for k, v in spargs.items() if k not in ("site", "sites_file")}
    return [(url, {**rest, "site": url}) for url in urls]


def outcome(label: str, crawler: Crawler) -> tuple[int, str | None]:
    """The exit status of one finished crawl and the line that explains it (``None``: no
    line, a success or a degraded run, which its manifest explains)."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if state := stats.get("newscrawler/state_error"):
        code = EXIT_LOCKED if state.startswith("locked") else EXIT_USAGE
        return code, f"{label}: {state.split(': ', 1)[-1]}"
    if failure := stats.get("newscrawler/output_error"):
        return EXIT_OUTPUT_ERROR, (
            f"{label}: {failure} (disk full or read-only?); what was committed before is "
            "complete, the next run recovers"
        )
    if stats.get("finish_reason") == "shutdown":
        return EXIT_INTERRUPTED, (
            f"{label}: stopped by a signal before the crawl finished; what was committed "
            "is kept and the next run continues"
        )
    if problem := unreachable(stats):
        return EXIT_UNREACHABLE, f"{label}: {problem}"
    if stats.get("newscrawler/health") == "degraded":
        return EXIT_DEGRADED, None
    return 0, None
