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
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from newscrawler.crawl.network_guard import AddressPolicy
from newscrawler.crawl.outcomes import unreachable
from newscrawler.spiders.arguments import SpiderArgumentError
from newscrawler.spiders.news import NewsSpider
from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.layout import output_root, safe_token, state_dir
from newscrawler.state.ledger import Ledger

if TYPE_CHECKING:
    import argparse

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
        loader = self.crawler_process.spider_loader
        if args[0] not in loader.list():
            self._fail(f"unknown site {args[0]!r}; known sites: {', '.join(sorted(loader.list()))}")
            return
        spidercls = loader.load(args[0])
        if issubclass(spidercls, NewsSpider):
            try:
                spidercls.check_arguments(**opts.spargs)
            except SpiderArgumentError as exc:
                self._fail(str(exc))
                return
        assert self.settings is not None
        output = output_root(self.settings)
        problem = writable_dir(output) or settings_problem(self.settings)
        if problem:
            self._fail(problem)
            return
        site = safe_token(args[0])
        try:
            check_state(state_dir(self.settings), site, output / site)
        except RunLocked as exc:
            self._fail(f"{args[0]}: {exc}", EXIT_LOCKED)
            return
        except (StateError, OSError) as exc:
            self._fail(str(exc))
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats and (state := crawler.stats.get_value("newscrawler/state_error")):
            locked = state.startswith("locked")
            self._fail(
                f"{args[0]}: {state.split(': ', 1)[-1]}", EXIT_LOCKED if locked else EXIT_USAGE
            )
        elif crawler.stats and (failure := crawler.stats.get_value("newscrawler/output_error")):
            self._fail(
                f"{args[0]}: {failure} (disk full or read-only?); what was committed before is "
                "complete, the next run recovers",
                EXIT_OUTPUT_ERROR,
            )
        elif crawler.stats and crawler.stats.get_value("finish_reason") == "shutdown":
            self._fail(
                f"{args[0]}: stopped by a signal before the crawl finished; what was committed "
                "is kept and the next run continues",
                EXIT_INTERRUPTED,
            )
        elif crawler.stats and (problem := unreachable(crawler.stats.get_stats())):
            self._fail(f"{args[0]}: {problem}", EXIT_UNREACHABLE)
        elif crawler.stats and crawler.stats.get_value("newscrawler/health") == "degraded":
            self.exitcode = EXIT_DEGRADED
