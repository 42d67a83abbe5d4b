"""Tabnak (تابناک), national news site on IranSamaneh.

The article root is ``.gutter_news`` (research notes §2.2, Tabnak). The archive
(``/fa/archive?service_id=…&from_date=Y/M/D&to_date=…&p=<n>``) lists its items as
``div.archive_content a.title5``, as on Entekhab's IranSamaneh archive, not in the
``.linear_news`` blocks of service pages.
"""

from dataclasses import replace

from newscrawler.sites.families import IRANSAMANEH
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="tabnak",
    title="تابناک",
    cms="iransamaneh",
    base_url="https://www.tabnak.ir",
    selectors=replace(
        IRANSAMANEH,
        article=".gutter_news, article",
        article_links=f".archive_content a.title5, {IRANSAMANEH.article_links}",
    ),
    article_url=r"^/fa/news/(?P<id>\d{3,9})(/|$)",
    canonical="/fa/news/{id}",
    home=("/fa/archive",),
    provinces={"fars": "/fa/service/province/fars"},
    sections={"economy": "/fa/service/economy", "politics": "/fa/service/politics"},
    feeds=("/fa/rss/allnews",),
)
