"""The GcFreeze extension: what start-up built leaves the collector's work, without a full
collection first (docs/performance.md, sixth round)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler.crawl.gc_freeze import GcFreeze
from newscrawler.persian.normalize import normalizer


def test_the_engine_start_freezes_without_a_full_collection() -> None:
    normalizer()  # built beforehand: its allocations may set off collections of their own
    extension = GcFreeze.from_crawler(get_crawler(settings_dict={"NEWSCRAWLER_GC_FREEZE": True}))
    collections: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(record)
    try:
        extension.engine_started()
        frozen = gc.get_freeze_count()
    finally:
        gc.callbacks.remove(record)
        extension.engine_stopped()
    assert frozen > 10_000  # Scrapy, the profiles and the normalizer's tables
    assert 2 not in collections  # a full collection costs 65 ms and finds ~10 objects
    assert gc.get_freeze_count() == 0


def test_the_threshold_is_set_with_the_freeze_and_restored() -> None:
    before = gc.get_threshold()
    extension = GcFreeze.from_crawler(
        get_crawler(settings_dict={"NEWSCRAWLER_GC_FREEZE": True, "NEWSCRAWLER_GC_THRESHOLD": 5000})
    )
    try:
        extension.engine_started()
        assert gc.get_threshold() == (5000, *before[1:])
    finally:
        extension.engine_stopped()
    assert gc.get_threshold() == before


def test_off_when_the_setting_says_so() -> None:
    with pytest.raises(NotConfigured):
        GcFreeze.from_crawler(get_crawler(settings_dict={"NEWSCRAWLER_GC_FREEZE": False}))
