"""The crawl time, set on every record (kept out of extraction so golden files stay stable)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from newscrawler.state.layout import output_dir as output_dir
from newscrawler.state.layout import safe_token as safe_token

if TYPE_CHECKING:
    pass


class StampPipeline:
    """Set the crawl time (kept out of extraction so golden files stay stable)."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter["crawled_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return item
