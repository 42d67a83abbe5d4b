"""``scrapy parse``, which looks at pages and keeps no crawl state (:mod:`.inspection`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.parse import Command as ScrapyParse

from newscrawler.commands.inspection import inspect_only

if TYPE_CHECKING:
    import argparse


class Command(ScrapyParse):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        inspect_only(self.settings)
