"""Tasnim (تسنیم), national agency on Asam; service 6 is the provinces desk.

Tasnim's article template differs from the Asam base (research notes §2.2, Tasnim): the body is
``div.story``, the date the Jalali text of ``li.time``, the service (a province on provincial
news) ``li.service``, the above-title ``.kicker`` and the tags ``.tags li``.
"""

from dataclasses import replace

from newscrawler.sites.families import ASAM
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="tasnim",
    title="خبرگزاری تسنیم",
    cms="asam",
    base_url="https://www.tasnimnews.com",
    selectors=replace(
        ASAM,
        kicker=".kicker, .uptitle",
        body="div.story, #echo_detail",
        date="li.time, time",
        tags=".tags li a, div.keywords a",
        section="li.service a",
    ),
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
