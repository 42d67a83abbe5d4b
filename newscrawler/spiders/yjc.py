"""YJC (باشگاه خبرنگاران جوان), IranSamaneh, with a large provincial desk under /fa/<province>."""

from newscrawler.families import IRANSAMANEH
from newscrawler.profiles import SiteProfile
from newscrawler.spiders.base import NewsSpider

PROFILE = SiteProfile(
    name="yjc",
    title="باشگاه خبرنگاران جوان",
    cms="iransamaneh",
    base_url="https://www.yjc.ir",
    selectors=IRANSAMANEH,
    article_url=r"^/fa/news/(?P<id>\d{3,9})(/|$)",
    canonical="/fa/news/{id}",
    home=("/fa/allnews",),
    provinces={
        "qazvin": "/fa/qazvin",
        "kerman": "/fa/kerman",
        "zanjan": "/fa/zanjan",
        "gilan": "/fa/gilan",
    },
    sections={"economy": "/fa/economy", "society": "/fa/society"},
    feeds=("/fa/rss/allnews",),
    drop_text=("انتهای پیام/",),
)


class YjcSpider(NewsSpider):
    profile = PROFILE
