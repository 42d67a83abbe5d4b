"""Exact dedupe and versions against the crawl state: unchanged, changed, duplicate."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import DropItem

from newscrawler.crawl.stats import Stats, stats_of
from newscrawler.items import fields_of, record_of
from newscrawler.pipelines.store import WRITE_ERRORS, dropped_by_failure, output_error, stop_output
from newscrawler.state.ledger import ledger_owner

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawler.state.ledger import CrawlLedger, Ledger


class DedupePipeline:
    """Drop what was already delivered; re-emit what changed as a new version.

    * same article id already delivered with the same body and modification date: dropped as
      unchanged (counted under ``newscrawler/unchanged``, not an error);
    * same id, different body hash or modification date: kept with ``version`` + 1 and
      ``changed_at``;
    * same news id or canonical URL earlier in this run, or same canonical URL or body text
      delivered by any site in any run: dropped as a duplicate (``newscrawler/duplicates``).

    Lookups go to the crawl state (:func:`newscrawler.state.ledger.ledger_of`); nothing is recorded
    here: the store pipeline records what it actually wrote, when the file is committed.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._ledger_owner: CrawlLedger | None = None

    @cached_property
    def stats(self) -> Stats:
        return stats_of(self.crawler)

    @property
    def ledger(self) -> Ledger:
        """The crawl's open ledger, its owner found once (``crawler.get_extension`` walks the
        extensions for every call)."""
        if self._ledger_owner is None:
            self._ledger_owner = ledger_owner(self.crawler)
        return self._ledger_owner.ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if output_error(self.crawler, self.stats):
            raise dropped_by_failure(self.crawler, item)
        try:
            return self._check(item)
        except WRITE_ERRORS as exc:  # the state's disk is full or read-only
            stop_output(self.crawler, exc, "the crawl state")
            raise dropped_by_failure(self.crawler, item) from None

    def _check(self, item: Any) -> Any:
        # an Article read and set without an adapter, nor the whole record (20 µs) for the
        # claim; anything else takes itemadapter's way
        adapter = fields_of(item)
        ledger = self.ledger
        known = ledger.state.article(adapter.id) if adapter.id else None
        if known is not None:
            same_body = known.content_hash == adapter.content_hash
            same_modified = (known.modified_at or None) == (adapter.modified_at or None)
            if same_body and same_modified:
                ledger.state.touch([known.id])
                self.stats.inc_value("newscrawler/unchanged")
                raise DropItem(f"unchanged: {adapter.url}", log_level="DEBUG")
            adapter.version = known.version + 1
            adapter.changed_at = datetime.now(UTC).isoformat(timespec="seconds")
            self.stats.inc_value("newscrawler/versions")
        conflict = ledger.claim(
            {name: getattr(adapter, name) for name in CLAIM_FIELDS}
            if adapter is item
            else record_of(item)
        )
        if conflict:
            key, article_id = conflict
            kind = key.split(":", 1)[0]
            self.stats.inc_value("newscrawler/duplicates")
            self.stats.inc_value(f"newscrawler/duplicates/{kind}")
            raise DropItem(
                f"duplicate_{kind}: {adapter.url} (same as {article_id})",
                log_level="DEBUG",
            )
        return item


#: The fields of a record :meth:`~newscrawler.state.ledger.Ledger.claim` reads (its keys: the id,
#: the site's news id, the canonical URL and the body hash; the URL for messages).
CLAIM_FIELDS = ("id", "site", "news_id", "url", "canonical_url", "content_hash")
