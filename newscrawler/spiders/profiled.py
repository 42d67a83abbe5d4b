"""One spider class per site profile, made from the registry (:mod:`newscrawler.sites`).

A site is data, so its spider is not written by hand: for every profile this module defines
``<Name>Spider``, a :class:`~newscrawler.spiders.news.NewsSpider` that only points at it.
Scrapy's spider loader (``scrapy list``, ``scrapy crawl``, scrapyd) finds them here like
hand-written classes; requests kept in Redis or a ``JOBDIR`` name their callbacks as methods of
the same class, so they come back to the same spider.
"""

from __future__ import annotations

from newscrawler.sites import profiles
from newscrawler.sites.profile import SiteProfile
from newscrawler.spiders.news import NewsSpider


def spider_class(profile: SiteProfile) -> type[NewsSpider]:
    """The spider of one profile, named after it (``irna`` → ``IrnaSpider``)."""
    return type(
        f"{profile.name.capitalize()}Spider",
        (NewsSpider,),
        {
            "profile": profile,
            "__module__": __name__,
            "__doc__": f"Crawls {profile.name} ({profile.base_url}).",
        },
    )


SPIDERS: dict[str, type[NewsSpider]] = {
    name: spider_class(profile) for name, profile in profiles().items()
}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
