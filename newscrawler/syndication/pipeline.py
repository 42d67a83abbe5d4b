"""The syndication stage: every article is matched against the index of stories and leaves
with ``cluster_id`` (and ``duplicate_of`` when it republishes an earlier article).
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured

from newscrawler.crawl.outcomes import drop
from newscrawler.crawl.stats import Stats, stats_of
from newscrawler.items import fields_of
from newscrawler.pipelines.store import WRITE_ERRORS, stop_output
from newscrawler.state.layout import state_dir
from newscrawler.state.ledger import ledger_owner
from newscrawler.syndication.index import SyndicationIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newscrawler.state.ledger import CrawlLedger

logger = logging.getLogger(__name__)

"""The low 16 bits of each MinHash value: enough to estimate similarity (two different values
agree by chance once in 65,536) at half the storage of the full 32 bits."""


class SyndicationPipeline:
    """Give every article its story (``cluster_id``), mark republished copies
    (``duplicate_of``) and fill ``source_agency`` from the story's first publisher.

    Settings: ``NEWSCRAWLER_SYNDICATION_ENABLED`` (default on),
    ``NEWSCRAWLER_SYNDICATION_THRESHOLD`` (the calibrated similarity, ``0.27``),
    ``NEWSCRAWLER_SYNDICATION_DROP`` (drop copies instead of marking them, counted as
    ``newscrawler/dropped/syndicated``). It runs after the dedupe pipeline, so a copy with the
    very same body is still dropped there as a duplicate.

    Durability follows the crawl state: an article enters the index only once the crawl state
    records it, i.e. once the output file carrying it has been renamed into place and committed
    (:meth:`newscrawler.state.ledger.Ledger.commit`). Files are committed in item order, so the
    pending articles are checked oldest first after every commit (the ledger calls
    :meth:`flush`) and at the end of the run; what is still pending when the run ends was never
    delivered and is forgotten. Not after every item: the state of this run's articles changes
    only when the ledger commits, so a check between commits finds what the last one found
    (and cost a query an item).
    """

    def __init__(self, crawler: Crawler, path: Path, threshold: float, drop_copies: bool) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(
                f"NEWSCRAWLER_SYNDICATION_THRESHOLD must be in (0, 1], not {threshold}"
            )
        self.crawler = crawler
        self.path = path
        self.threshold = threshold
        self.drop_copies = drop_copies
        self.index: SyndicationIndex | None = None
        self._ledger_owner: CrawlLedger | None = None

    @cached_property
    def stats(self) -> Stats:
        return stats_of(self.crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWLER_SYNDICATION_ENABLED"):
            raise NotConfigured
        return cls(
            crawler,
            state_dir(settings) / "syndication.sqlite",
            settings.getfloat("NEWSCRAWLER_SYNDICATION_THRESHOLD"),
            settings.getbool("NEWSCRAWLER_SYNDICATION_DROP"),
        )

    def open_spider(self) -> None:
        from newscrawler.fleet.config import prefix, redis_url

        url = redis_url(self.crawler.settings)
        if url:  # a fleet's workers share one index in Redis
            from newscrawler.syndication.redis_index import RedisSyndicationIndex

            self.index = RedisSyndicationIndex(url, prefix(self.crawler.settings), self.threshold)
        else:
            self.index = SyndicationIndex(self.path, self.threshold)
        self._ledger_owner = ledger_owner(self.crawler)
        self._ledger_owner.on_commit(self.flush)  # index what each commit delivers

    def close_spider(self) -> None:
        # Scrapy closes pipelines in reverse order: the store pipeline has committed its last
        # file by now, and the crawl state is still open.
        if self.index is not None:
            try:
                self.flush()
            except WRITE_ERRORS as exc:  # a full or read-only disk: reported once, exit 7
                stop_output(self.crawler, exc, self.path, close=False)
            self.index.discard()
            self.index.close()
            self.index = None

    def flush(self) -> int:
        """Commit the pending articles the crawl state has recorded (a prefix: files are
        committed in the order their articles were written)."""
        if self.index is None or not self.index.pending_count:
            return 0
        owner = self._ledger_owner or ledger_owner(self.crawler)
        state = owner.ledger.state
        delivered = 0
        for member in self.index.pending_in_order():  # no copy of the pending list per item
            known = state.article(member.article_id)
            if known is None or known.version < member.version:
                break
            delivered += 1
        return self.index.commit(delivered) if delivered else 0

    def process_item(self, item: Any) -> Any:
        assert self.index is not None
        fields = fields_of(item)
        article_id = fields.id
        if not article_id:
            return item
        verdict = self.index.match(
            article_id,
            fields.site or "",
            fields.body or "",
            agency=fields.source_agency,
            published_at=fields.published_at,
            version=fields.version or 1,
        )
        if verdict.duplicate_of is not None and not verdict.known:
            if self.drop_copies:
                raise drop(
                    self.crawler,
                    "syndicated",
                    item,
                    f"copy of {verdict.duplicate_of}, similarity {verdict.similarity:.2f}",
                )
            self.stats.inc_value("newscrawler/syndication/copies")
            logger.debug(
                "syndicated copy: %s of %s (similarity %.2f)",
                article_id,
                verdict.duplicate_of,
                verdict.similarity or 0.0,
            )
        elif not verdict.known:
            self.stats.inc_value("newscrawler/syndication/stories")
        self.index.add(verdict)
        fields.cluster_id = verdict.cluster_id
        fields.duplicate_of = verdict.duplicate_of
        fields.source_agency = verdict.source_agency
        return item
