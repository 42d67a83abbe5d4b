"""Item pipelines: validate → stamp → schema → dedupe/version → syndication → store.

No extraction here.

Every dropped item is counted in the stats under ``newscrawler/dropped/<reason>`` and logged
with its URL and reason; the run manifest lists them. What was delivered is recorded in the
crawl state (:mod:`newscrawler.state`) only when the file carrying it is committed."""

from newscrawler.pipelines.dedupe import DedupePipeline
from newscrawler.pipelines.schema import SchemaPipeline
from newscrawler.pipelines.stamp import StampPipeline
from newscrawler.pipelines.store import JsonlStorePipeline
from newscrawler.pipelines.validate import ValidatePipeline

__all__ = [
    "DedupePipeline",
    "JsonlStorePipeline",
    "SchemaPipeline",
    "StampPipeline",
    "ValidatePipeline",
]
