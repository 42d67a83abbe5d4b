"""The crawl's stats collector, called without Scrapy's per-call deprecation wrapper.

Why: Scrapy 2.19's ``StatsCollector.__getattribute__`` hands out ``inc_value``, ``get_value``
and ``set_value`` wrapped in a check that no ``spider`` argument was passed (deprecated): an
attribute lookup in Python, the wrapper's argument check, then the method, 2-5 µs a call
where the method itself is a dict update. The pipelines make about 17 such calls an article
(field coverage, output checks, counters). The same methods looked up on the collector's class
and bound to it are the very functions the wrapper calls, so every stat ends with the same
value; this code never passes a ``spider``, so the wrapper had nothing to warn about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import FunctionType, MethodType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


@dataclass(frozen=True, slots=True)
class Stats:
    """The three stats methods the pipelines call, bound once."""

    inc_value: Callable[..., None]
    get_value: Callable[..., Any]
    set_value: Callable[..., None]


def stats_of(crawler: Crawler) -> Stats:
    """``crawler.stats``'s ``inc_value``, ``get_value`` and ``set_value`` without the wrapper.

    A collector whose class does not define a method as a plain function (a mock, a proxy), or
    whose instance overrides it, is called as it is, wrapper or not.
    """
    stats = crawler.stats
    assert stats is not None
    own = getattr(stats, "__dict__", {})
    methods = []
    for name in ("inc_value", "get_value", "set_value"):
        function = getattr(type(stats), name, None)
        if isinstance(function, FunctionType) and name not in own:
            methods.append(MethodType(function, stats))
        else:
            methods.append(getattr(stats, name))
    return Stats(*methods)
