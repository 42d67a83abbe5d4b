"""The run manifest: what a run did and delivered, in the log and as JSON next to the output.

``<output>/<site>/_manifests/<run-id>.json`` holds the run id, spider, arguments, start and
finish times, finish reason, counts (pages, articles written, versions, unchanged, duplicates,
drops by reason, errors), field coverage, health, every output file with its line count and
SHA-256, and the schema version. A warehouse loads exactly the files its manifests name.

Health: a run is ``degraded`` when a site that should yield articles yields none, or when the
share of articles with a body or a date falls sharply compared with the site's recent runs
(kept locally in these manifests). ``scrapy crawl`` then exits with status 4 so a scheduler can
alert. Spidermon's history monitors need Zyte's hosted platform, so this is done here.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals

from newscrawler.crawl.outcomes import COVERAGE_FIELDS, SKIP_REASONS
from newscrawler.items import SCHEMA_VERSION
from newscrawler.spiders.news import arguments_of
from newscrawler.state.layout import (
    manifests_dir,
    output_dir,
    recent_manifests,
    safe_token,
    write_json_atomically,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

#: A coverage this far (absolute share) below the recent median marks the run degraded.
COVERAGE_DROP = 0.3
#: Recent runs compared with, and the fewest extracted articles that make a run comparable.
HISTORY_RUNS = 5
MIN_ARTICLES_FOR_COVERAGE = 5


def coverage_of(stats: dict[str, Any]) -> dict[str, float]:
    """The share of extracted articles that have each of :data:`COVERAGE_FIELDS`."""
    extracted = stats.get("newscrawler/extracted", 0)
    if not extracted:
        return {}
    return {
        field: round(stats.get(f"newscrawler/coverage/{field}", 0) / extracted, 3)
        for field in COVERAGE_FIELDS
    }


def assess_health(current: dict[str, Any], history: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """``ok`` or ``degraded``, with the reasons.

    >>> assess_health({"extracted": 0, "articles_written": 0, "links_found": 0,
    ...                "pages": {"listing": 3}, "coverage": {}}, [])
    ('degraded', ['no article links found on 3 listing page(s)'])
    """
    reasons = []
    pages = current.get("pages", {})
    listing_pages = pages.get("listing", 0)
    if listing_pages and not current.get("links_found") and not current.get("extracted"):
        reasons.append(f"no article links found on {listing_pages} listing page(s)")
    extracted = current.get("extracted", 0)
    delivered = current.get("articles_written", 0) + current.get("unchanged", 0)
    delivered += current.get("duplicates", 0)
    known = current.get("skipped", {}).get("known", 0)
    signals = current.get("health_signals", {})
    blocked = signals.get("challenge_page", 0) + signals.get("login_wall", 0)
    if blocked:
        reasons.append(f"{blocked} anti-bot challenge or login page(s) instead of articles")
    # links refused by policy (robots.txt, traps, private addresses) were never requested
    refused = sum(current.get("skipped", {}).get(reason, 0) for reason in SKIP_REASONS)
    requested = current.get("links_found", 0) - known - refused
    if requested > 0 and not extracted and not current.get("articles_written"):
        reasons.append(f"{requested} article link(s) followed, no article could be extracted")
    if extracted and not delivered and not known:
        reasons.append(f"all {extracted} extracted article(s) were dropped")
    if extracted >= MIN_ARTICLES_FOR_COVERAGE:
        for field in ("body", "published_at"):
            past = [
                run["coverage"][field]
                for run in history
                if run.get("extracted", 0) >= MIN_ARTICLES_FOR_COVERAGE
                and field in run.get("coverage", {})
            ]
            now = current["coverage"].get(field, 0.0)
            if past and now < statistics.median(past) - COVERAGE_DROP:
                reasons.append(
                    f"{field} coverage fell to {now:.0%} (recent median "
                    f"{statistics.median(past):.0%})"
                )
    return ("degraded" if reasons else "ok"), reasons


class RunManifest:
    """Writes the manifest and logs the run summary when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def manifest(self, spider: Spider, reason: str) -> dict[str, Any]:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()

        def grouped(prefix: str) -> dict[str, Any]:
            return {
                key.removeprefix(prefix): value
                for key, value in sorted(stats.items())
                if key.startswith(prefix)
            }

        extracted = stats.get("newscrawler/extracted", 0)
        started = stats.get("start_time")
        return {
            "schema_version": SCHEMA_VERSION,
            "run_id": stats.get("newscrawler/run_id"),
            "spider": spider.name,
            "arguments": arguments_of(spider).for_manifest(),
            "started_at": started.astimezone(UTC).isoformat(timespec="seconds")
            if isinstance(started, datetime)
            else None,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "finish_reason": reason,
            "pages": grouped("newscrawler/pages/"),
            "responses": stats.get("response_received_count", 0),
            "links_found": stats.get("newscrawler/links/found", 0),
            "extracted": extracted,
            "articles_written": stats.get("newscrawler/items/written", 0),
            "versions": stats.get("newscrawler/versions", 0),
            "unchanged": stats.get("newscrawler/unchanged", 0),
            "duplicates": stats.get("newscrawler/duplicates", 0),
            "skipped": grouped("newscrawler/skipped/"),
            "dropped": grouped("newscrawler/dropped/"),
            "failed": grouped("newscrawler/failed/"),
            "http_errors": {
                key.rsplit("/", 1)[-1]: value
                for key, value in stats.items()
                if key.startswith("downloader/response_status_count/")
                and not key.endswith(("/200", "/301", "/302", "/304"))
            },
            "errors": stats.get("log_count/ERROR", 0),
            "recovered": grouped("newscrawler/recovered/"),
            "health_signals": grouped("newscrawler/health/"),
            "coverage": coverage_of(stats),
            # the CMS family each extracted page was read with (generic: detected per page)
            "extracted_with": grouped("newscrawler/extracted_with/"),
            # where articles were extracted: in_process, offloaded (crawl/extraction_pool.py)
            "extraction": {
                key: value
                for key, value in grouped("newscrawler/extract/").items()
                if key in ("in_process", "offloaded")
            },
            "files": list(stats.get("newscrawler/output/files", [])),
        }

    def spider_closed(self, spider: Spider, reason: str) -> None:
        root = output_dir(self.crawler)
        manifest = self.manifest(spider, reason)
        health, reasons = assess_health(manifest, recent_manifests(root, spider.name, HISTORY_RUNS))
        manifest["health"] = {"status": health, "reasons": reasons}
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawler/health", health)
        dropped = ", ".join(f"{k}={v}" for k, v in manifest["dropped"].items()) or "none"
        files = ", ".join(f["path"] for f in manifest["files"]) or "(nothing new)"
        spider.logger.info(
            "run summary: %d written, %d new versions, %d unchanged, %d duplicates, "
            "dropped: %s; health: %s%s; files: %s",
            manifest["articles_written"],
            manifest["versions"],
            manifest["unchanged"],
            manifest["duplicates"],
            dropped,
            health,
            f" ({'; '.join(reasons)})" if reasons else "",
            files,
        )
        if manifest["run_id"]:
            name = safe_token(str(manifest["run_id"]))
            path = manifests_dir(root, spider.name) / f"{name}.json"
            try:
                write_json_atomically(path, manifest)
            except OSError as exc:  # a full or read-only disk: the next run writes a recovery one
                spider.logger.error("cannot write the run manifest %s: %s", path, exc)
