"""The crawl's stats collector, called without the cost of Scrapy's deprecation machinery.

Why: Scrapy 2.19's ``StatsCollector`` defines ``__getattribute__`` to hand out ``inc_value``,
``get_value`` and ``set_value`` wrapped in a check that no ``spider`` argument was passed
(deprecated). That ``__getattribute__`` runs for every attribute read of the collector,
including ``self._stats`` inside each method, where it first looks for a cached wrapper
``_cached__stats`` and catches the ``AttributeError``: 2-5 µs a call for what is a dict update.
The pipelines make about 17 calls an article (field coverage, output checks, counters).

:func:`stats_of` gives the same three operations without it: for Scrapy's own collectors (the
class does not override the methods), the same dict operations on the collector's ``_stats``
(read at every call: ``set_stats`` may replace it); for any other collector, its own methods
looked up on its class and bound, which is what the wrapper calls. This code never passes a
``spider``, so the wrapper had nothing to warn about: every stat ends with the same value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import FunctionType, MethodType
from typing import TYPE_CHECKING, Any

from scrapy.statscollectors import StatsCollector

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


@dataclass(frozen=True, slots=True)
class Stats:
    """The three stats methods the pipelines call, bound once."""

    inc_value: Callable[..., None]
    get_value: Callable[..., Any]
    set_value: Callable[..., None]


def stats_of(crawler: Crawler) -> Stats:
    """``crawler.stats``'s ``inc_value``, ``get_value`` and ``set_value`` without the wrapper
    (module docstring).

    A collector whose class does not define a method as a plain function (a mock, a proxy), or
    whose instance overrides it, is called as it is, wrapper or not.
    """
    stats = crawler.stats
    assert stats is not None
    if isinstance(stats, StatsCollector) and _scrapys_own(stats):
        return _on_dict(stats)
    own = getattr(stats, "__dict__", {})
    methods = []
    for name in ("inc_value", "get_value", "set_value"):
        function = getattr(type(stats), name, None)
        if isinstance(function, FunctionType) and name not in own:
            methods.append(MethodType(function, stats))
        else:
            methods.append(getattr(stats, name))
    return Stats(*methods)


_NAMES = ("inc_value", "get_value", "set_value")


def _scrapys_own(stats: StatsCollector) -> bool:
    """Whether the three methods are ``StatsCollector``'s (no subclass or instance changed
    them) and the values are in a dict ``_stats``, as in Scrapy 2.19."""
    own = object.__getattribute__(stats, "__dict__")
    return (
        all(getattr(type(stats), name) is getattr(StatsCollector, name) for name in _NAMES)
        and not any(name in own for name in _NAMES)
        and type(own.get("_stats")) is dict
    )


def _on_dict(stats: StatsCollector) -> Stats:
    """``StatsCollector``'s three methods, the same statements, reading ``_stats`` without the
    collector's ``__getattribute__``."""
    read = object.__getattribute__

    def inc_value(key: str, count: int = 1, start: int = 0) -> None:
        d = read(stats, "_stats")
        d[key] = d.setdefault(key, start) + count

    def get_value(key: str, default: Any = None) -> Any:
        return read(stats, "_stats").get(key, default)

    def set_value(key: str, value: Any) -> None:
        read(stats, "_stats")[key] = value

    return Stats(inc_value, get_value, set_value)
