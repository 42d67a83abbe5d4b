"""One line per dropped item in the log, not the item.

Scrapy logs a dropped item as ``Dropped: <reason>`` followed by the whole item: about 1.4 KB
of Persian text for every duplicate, every page without a body, every article older than
``since``, which buries what an operator reads the log for. The reason and the URL (which
:func:`newscrawler.crawl.outcomes.drop` puts in the exception) and the article's id say which
article and why; the counts are in the run manifest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.logformatter import LogFormatterResult
    from twisted.python.failure import Failure


class OneLineLogFormatter(LogFormatter):
    """Scrapy's log formatter with dropped items in one line (module docstring)."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        level = getattr(exception, "log_level", None)
        if level is None:
            level = spider.crawler.settings["DEFAULT_DROPITEM_LOG_LEVEL"]
        if isinstance(level, str):
            level = getattr(logging, level)
        try:
            article_id = ItemAdapter(item).get("id")
        except TypeError:  # not an item
            article_id = None
        return {
            "level": level,
            "msg": "Dropped %(id)s: %(reason)s",
            "args": {
                "id": article_id or "an item",
                "reason": " ".join(str(exception).split())[:500],
            },
        }
