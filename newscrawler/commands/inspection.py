"""Scrapy's inspection commands (``parse``, ``fetch``, ``view``, ``shell``) look at pages; they
do not crawl.

Run with the project's settings as they are, they would open the site's crawl state (taking
its lock: a scheduled run starting meanwhile exits 3), skip articles already delivered, and
write an empty run manifest into the real output. :func:`inspect_only` keeps what shows a
page as a crawl would see it (the middlewares, the extraction, the output contract) and leaves
out what keeps a crawl's state: the crawl ledger, the run manifest, the incremental middleware,
the dedupe, syndication and store pipelines; and the extraction worker process.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

#: Components that keep a crawl's state (module docstring).
STATEFUL = frozenset(
    {
        "newscrawler.state.ledger.CrawlLedger",
        "newscrawler.state.manifest.RunManifest",
        "newscrawler.crawl.incremental.IncrementalMiddleware",
        "newscrawler.pipelines.dedupe.DedupePipeline",
        "newscrawler.syndication.pipeline.SyndicationPipeline",
        "newscrawler.pipelines.store.JsonlStorePipeline",
    }
)


def _without_state(components: dict[str, Any]) -> dict[str, Any]:
    return {path: (None if path in STATEFUL else order) for path, order in components.items()}


def inspect_only(settings: BaseSettings) -> None:
    """Settings for a command that looks at pages (module docstring), above the project's."""
    for name in ("EXTENSIONS", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES"):
        settings.set(name, _without_state(dict(settings.getdict(name))), priority="cmdline")
    settings.set("NEWSCRAWLER_EXTRACT_WORKERS", 0, priority="cmdline")
