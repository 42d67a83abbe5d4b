"""Tasnim (تسنیم), national agency on Asam; service 6 is the provinces desk."""

from newscrawler.families import ASAM
from newscrawler.profiles import SiteProfile
from newscrawler.spiders.base import NewsSpider

PROFILE = SiteProfile(
    name="tasnim",
    title="خبرگزاری تسنیم",
    cms="asam",
    base_url="https://www.tasnimnews.com",
    selectors=ASAM,
    article_url=r"^/fa/news/\d{4}/\d{2}/\d{2}/(?P<id>\d{5,9})(/|$)",
    canonical="/{id}",
    home=("/fa/service/6",),
    provinces={"kerman": "/fa/service/67", "qazvin": "/fa/service/1391"},
    sections={
        "economy": "/fa/service/7",
        "politics": "/fa/service/1",
        "provinces": "/fa/service/6",
    },
    feeds=("/fa/rss/feed/0/0/0/0/AllStories",),
    drop_text=(
        "این خبر بروز رسانی می شود",
        "تهیه شده در اداره کل رسانه های نوین خبرگزاری تسنیم",
    ),
)


class TasnimSpider(NewsSpider):
    profile = PROFILE
