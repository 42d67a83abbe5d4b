"""newscrawler: Scrapy spiders for Persian regional news, cleaned with hazm, written as JSONL.

``from newscrawler import extract``: one page → the article record (:mod:`newscrawler.api`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract"]

if TYPE_CHECKING:
    from newscrawler.api import extract


def __getattr__(name: str) -> Any:
    # loaded on first use: `import newscrawler` (settings, spiders) stays light
    if name == "extract":
        from newscrawler.api import extract

        return extract
    raise AttributeError(f"module 'newscrawler' has no attribute {name!r}")
