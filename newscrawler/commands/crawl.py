"""``scrapy crawl`` that refuses bad input in one line before the engine starts.

Unknown site, unknown or malformed spider argument, unwritable output directory: one line on
stderr naming the problem, exit status 2, nothing written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from newscrawler.spiders.base import NewsSpider, SpiderArgumentError

if TYPE_CHECKING:
    import argparse

USAGE_EXIT = 2


def writable_dir(path: Path) -> str | None:
    """``None`` when ``path`` can be created and written, else why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"output directory {str(path)!r} is not writable ({exc.strerror or exc})"
    return None


class Command(ScrapyCrawl):
    def _fail(self, message: str) -> None:
        print(f"newscrawler: error: {message}", file=sys.stderr)
        self.exitcode = USAGE_EXIT

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            loader = self.crawler_process.spider_loader
            if args[0] not in loader.list():
                known = ", ".join(sorted(loader.list()))
                self._fail(f"unknown site {args[0]!r}; known sites: {known}")
                return
            spidercls = loader.load(args[0])
            if issubclass(spidercls, NewsSpider):
                try:
                    spidercls.check_arguments(**opts.spargs)
                except SpiderArgumentError as exc:
                    self._fail(str(exc))
                    return
            assert self.settings is not None
            problem = writable_dir(Path(self.settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output"))
            if problem:
                self._fail(problem)
                return
        super().run(args, opts)
