"""A crawl's components driven by hand: what Scrapy's engine does around them in a real run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.utils.test import get_crawler

from newscrawler.state.ledger import ledger_owner

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newscrawler.state.ledger import Ledger


def open_ledger(crawler: Crawler) -> Ledger:
    """What ``spider_opened`` does: the crawl ledger opens (lock, recovery, recovery manifests)."""
    return ledger_owner(crawler).open()


def close_ledger(crawler: Crawler) -> None:
    """What ``spider_closed`` does: the crawl ledger closes and lets go of the lock."""
    ledger_owner(crawler).close()


def project_settings(**overrides: Any) -> dict[str, Any]:
    """The project's settings (``newscrawler/settings.py``), with ``overrides`` on top: what
    ``scrapy crawl`` runs with, so components are built as in a real crawl."""
    from newscrawler import settings as module

    found = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    return {**found, **overrides}


def project_crawler(spider: type[Spider], **settings: Any) -> Crawler:
    """A crawler of ``spider`` with the project's settings (and ``settings`` on top)."""
    return get_crawler(spider, project_settings(**settings))


def state_record(n: int, site: str = "irna", **extra: Any) -> dict[str, Any]:
    """A record as the crawl state stores it: article ``n`` of ``site`` (irna's URL shapes)."""
    return {
        "id": f"{site}:{n}",
        "site": site,
        "news_id": str(n),
        "url": f"https://www.irna.ir/news/{n}/slug",
        "canonical_url": f"https://irna.ir/news/{n}",
        "content_hash": f"{n:064x}",
        "published_at": "2024-05-18T10:25:00+03:30",
        **extra,
    }
