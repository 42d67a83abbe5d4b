"""Item pipelines: output contract → dedupe/version → syndication → store.

No extraction here.

Every dropped item is counted in the stats under ``newscrawler/dropped/<reason>`` and logged
with its URL and reason; the run manifest lists them. What was delivered is recorded in the
crawl state (:mod:`newscrawler.state`) only when the file carrying it is committed."""

from newscrawler.pipelines.contract import ContractPipeline
from newscrawler.pipelines.dedupe import DedupePipeline
from newscrawler.pipelines.store import JsonlStorePipeline

__all__ = ["ContractPipeline", "DedupePipeline", "JsonlStorePipeline"]
