"""The run summary: what a run did, in the log and as JSON next to the output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

from newscrawler.pipelines import output_dir, safe_token

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider


class RunSummary:
    """At the end of a run, log and save articles written, drops by reason, duplicates, pages.

    The JSON goes to ``<output>/<site>/_runs/<run-id>.json``; ``make demo`` and schedulers read it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def summary(self, spider: Spider, reason: str) -> dict[str, Any]:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        dropped = {
            key.removeprefix("newscrawler/dropped/"): value
            for key, value in sorted(stats.items())
            if key.startswith("newscrawler/dropped/")
        }
        pages = {
            key.removeprefix("newscrawler/pages/"): value
            for key, value in sorted(stats.items())
            if key.startswith("newscrawler/pages/")
        }
        return {
            "run_id": stats.get("newscrawler/run_id"),
            "site": spider.name,
            "arguments": {
                k: str(getattr(spider, k))
                for k in ("province", "section", "since", "max_articles", "max_pages", "start_url")
                if getattr(spider, k, None) is not None
            },
            "finish_reason": reason,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "articles_written": stats.get("newscrawler/items/written", 0),
            "duplicates": stats.get("newscrawler/duplicates", 0),
            "dropped": dropped,
            "pages": pages,
            "responses": stats.get("response_received_count", 0),
            "http_errors": {
                key.rsplit("/", 1)[-1]: value
                for key, value in stats.items()
                if key.startswith("downloader/response_status_count/")
                and not key.endswith(("/200", "/301", "/302"))
            },
            "output_file": stats.get("newscrawler/output/file"),
        }

    def spider_closed(self, spider: Spider, reason: str) -> None:
        summary = self.summary(spider, reason)
        dropped = ", ".join(f"{k}={v}" for k, v in summary["dropped"].items()) or "none"
        spider.logger.info(
            "run summary: %d articles written, %d duplicates, dropped: %s; output: %s",
            summary["articles_written"],
            summary["duplicates"],
            dropped,
            summary["output_file"] or "(nothing new)",
        )
        runs = output_dir(self.crawler) / safe_token(spider.name) / "_runs"
        runs.mkdir(parents=True, exist_ok=True)
        name = safe_token(str(summary["run_id"] or "run"))
        path = runs / f"{name}.json"
        tmp = path.with_suffix(".json.part")
        tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
