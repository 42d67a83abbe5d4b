"""Tabnak (تابناک), national news site on IranSamaneh."""

from dataclasses import replace

from newscrawler.families import IRANSAMANEH
from newscrawler.profiles import SiteProfile
from newscrawler.spiders.base import NewsSpider

PROFILE = SiteProfile(
    name="tabnak",
    title="تابناک",
    cms="iransamaneh",
    base_url="https://www.tabnak.ir",
    selectors=replace(IRANSAMANEH, article=".gutter_news, article"),
    article_url=r"^/fa/news/(?P<id>\d{3,9})(/|$)",
    canonical="/fa/news/{id}",
    home=("/fa/archive",),
    provinces={"fars": "/fa/service/province/fars"},
    sections={"economy": "/fa/service/economy", "politics": "/fa/service/politics"},
    feeds=("/fa/rss/allnews",),
)


class TabnakSpider(NewsSpider):
    profile = PROFILE
