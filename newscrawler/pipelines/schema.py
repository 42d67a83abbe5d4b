"""The JSON Schema check every record passes before it can be written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from newscrawler.crawl.outcomes import drop
from newscrawler.items import record_of
from newscrawler.state.layout import output_dir as output_dir
from newscrawler.state.layout import safe_token as safe_token

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class SchemaPipeline:
    """Validate every record against the packaged JSON Schema before it can be written.

    A record that does not fit (a bug, or a page that produced something unexpected) is dropped
    as ``schema_invalid`` with the first violation in the log, never written half-right. It runs
    before dedupe so that a dropped record claims nothing in the crawl state; the fields set
    after it (``version``, ``changed_at``, ``cluster_id``, ``duplicate_of``) keep the schema's
    types by construction.

    Records go through the schema compiled by fastjsonschema first (a few dozen µs); only one
    it rejects is checked by jsonschema, which decides and words the message.
    """

    def __init__(self, crawler: Crawler) -> None:
        from newscrawler.contract.schema import fast_validator, validator

        self.crawler = crawler
        self.validator = validator()
        self.is_valid = fast_validator()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = record_of(item)
        if self.is_valid(record):
            return item
        error = next(iter(self.validator.iter_errors(record)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "record"
            raise drop(self.crawler, "schema_invalid", item, f"{where}: {error.message[:120]}")
        return item
