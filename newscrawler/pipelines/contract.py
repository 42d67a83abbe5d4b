"""The output contract, in one stage: every check a record passes before it can be written.

In this order, for every extracted article:

1. **sanitize** (:func:`newscrawler.contract.sanitize.make_safe`): no tags, controls or U+FFFD
   in text, no line breaks but the body's ``\n``, only http(s) URLs; a no-op when extraction
   did its job, and every change is counted (``newscrawler/sanitized/<field>``) so that an
   extraction bug shows; then fields over their cap (``NEWSCRAWLER_MAX_*_CHARS``) are cut
   (:func:`~newscrawler.contract.sanitize.cap_lengths`, ``newscrawler/truncated/<field>``);
2. **coverage**: which fields the article has (``newscrawler/extracted``,
   ``newscrawler/coverage/<field>``); the run manifest turns these into field coverage, and a
   sharp drop means a broken selector;
3. **a usable article**: a title, a body of at least ``NEWSCRAWLER_MIN_BODY_WORDS`` words,
   published no earlier than ``-a since``; otherwise dropped with a counted reason
   (``newscrawler/dropped/<reason>``). A page with a title and no body also marks the site's
   health (``newscrawler/health/body_selector_miss``) with a warning naming the selector;
4. **the crawl time** (``crawled_at``; kept out of extraction so golden files stay stable);
5. **the JSON Schema** (:func:`newscrawler.contract.schema.first_violation`): a record that
   does not fit is dropped as ``schema_invalid`` with the first violation in the log, never
   written half-right.

It runs before dedupe, so a dropped record claims nothing in the crawl state; the fields set
after it (``version``, ``changed_at``, ``cluster_id``, ``duplicate_of``) keep the schema's
types by construction.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from newscrawler.contract.sanitize import Fields, cap_lengths, fields_view, make_safe
from newscrawler.contract.schema import first_violation
from newscrawler.crawl.outcomes import COVERAGE_FIELDS, drop, mark_health
from newscrawler.crawl.stats import Stats, stats_of
from newscrawler.items import record_of
from newscrawler.persian.dates import parse_iso
from newscrawler.spiders.news import arguments_of, site_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


#: Which ``NEWSCRAWLER_MAX_<NAME>_CHARS`` caps which field (``tags``: each tag, ``caption``:
#: each image caption); see newscrawler/settings.py.
CAPPED = {
    "TITLE": ("title", "kicker", "subtitle"),
    "LEAD": ("lead", "caption"),
    "BODY": ("body",),
    "SHORT": ("section", "province", "author", "publisher", "published_at_raw", "tags"),
}


def caps_of(settings: BaseSettings) -> dict[str, int]:
    """Field → longest text kept, from the ``NEWSCRAWLER_MAX_*_CHARS`` settings."""
    return {
        field: settings.getint(f"NEWSCRAWLER_MAX_{name}_CHARS")
        for name, fields in CAPPED.items()
        for field in fields
    }


#: ``(field, its coverage stat)``, the keys written once.
_COVERAGE_KEYS = tuple((field, f"newscrawler/coverage/{field}") for field in COVERAGE_FIELDS)


class ContractPipeline:
    """Sanitize, count, validate, stamp and schema-check every record (module docstring)."""

    def __init__(self, crawler: Crawler, min_words: int, caps: Mapping[str, int]) -> None:
        self.crawler = crawler
        self.min_words = min_words
        self.caps = caps

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(crawler, settings.getint("NEWSCRAWLER_MIN_BODY_WORDS"), caps_of(settings))

    @cached_property
    def stats(self) -> Stats:
        return stats_of(self.crawler)

    def process_item(self, item: Any) -> Any:
        adapter = fields_view(item)
        inc = self.stats.inc_value
        for field in make_safe(adapter):
            inc(f"newscrawler/sanitized/{field}")
        for field in cap_lengths(adapter, self.caps):
            inc(f"newscrawler/truncated/{field}")
        self.count_coverage(adapter)
        self.check_usable(item, adapter)
        adapter["crawled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        violation = first_violation(record_of(item))
        if violation is not None:
            raise drop(self.crawler, "schema_invalid", item, violation)
        return item

    def count_coverage(self, adapter: Fields) -> None:
        inc = self.stats.inc_value
        inc("newscrawler/extracted")
        # which CMS family's selectors read it: for a site without a profile, what its pages
        # showed (an operator sees when a site deserves a profile of its own)
        inc(f"newscrawler/extracted_with/{adapter.get('cms')}")
        for field, key in _COVERAGE_KEYS:
            if adapter.get(field):
                inc(key)

    def check_usable(self, item: Any, adapter: Fields) -> None:
        """Drop what is not a usable article: no title, no or too short body, too old."""
        if not adapter.get("title"):
            raise drop(self.crawler, "missing_title", item)
        if not adapter.get("body"):
            self.body_selector_missed(adapter)
            raise drop(self.crawler, "missing_body", item, "body selector matched no text")
        if adapter.get("word_count", 0) < self.min_words:
            raise drop(self.crawler, "body_too_short", item, f"{adapter['word_count']} words")
        since = arguments_of(self.crawler.spider).since
        if not since:  # nothing to compare with: the date is not parsed
            return
        published = parse_iso(adapter.get("published_at") or "")
        if published and published < since:
            raise drop(self.crawler, "older_than_since", item, adapter["published_at"])

    def body_selector_missed(self, adapter: Fields) -> None:
        """A page with a headline and no body: the site's layout has probably changed."""
        mark_health(self.crawler, "body_selector_miss")
        spider = self.crawler.spider
        site = site_of(spider)
        logger.warning(
            "%s: the body selector %r matched no text on %s: has the layout changed?",
            getattr(spider, "name", "?"),
            site.selectors.body if site else None,
            adapter.get("url"),
            extra={"spider": spider},
        )
