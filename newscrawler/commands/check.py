"""``scrapy check [site ...]``: each site's golden fixtures, instead of Scrapy's contracts.

Scrapy's contracts fetch a URL named in a callback's docstring: a network round trip per check,
against a page that changes. A site here is checked against its saved pages instead, the golden
fixtures (``tests/fixtures/<site>/``: an article and a listing, with the expected record and
requests), by the same tests ``make test`` runs (``tests/test_golden.py``), narrowed to the
sites named. The exit status is pytest's: 0 all passed, 1 some failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawler.sites import profiles

if TYPE_CHECKING:
    import argparse

#: The golden tests, from the project's root (where ``scrapy.cfg`` is).
GOLDEN_TESTS = Path("tests") / "test_golden.py"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] [site ...]"

    def short_desc(self) -> str:
        return "Check sites against their golden fixtures (saved pages and expected records)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-l", "--list", action="store_true", help="only list the sites")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        known = list(profiles())
        if opts.list:
            print("\n".join(known))
            return
        unknown = [site for site in args if site not in known]
        if unknown:
            raise UsageError(f"unknown site {unknown[0]!r}; known sites: {', '.join(known)}")
        if not GOLDEN_TESTS.exists():
            print(f"newscrawler: error: no {GOLDEN_TESTS} here: run from the project's root")
            self.exitcode = 2
            return
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(GOLDEN_TESTS),
        ]
        if args:
            # test ids hold the site: test_..._fixture[irna] and [irna/2024-05-18-article.html]
            command += ["-k", " or ".join(f"{site}" for site in args)]
        self.exitcode = subprocess.run(command, check=False).returncode
