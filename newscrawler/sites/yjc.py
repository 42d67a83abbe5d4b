"""YJC (باشگاه خبرنگاران جوان), IranSamaneh, with a large provincial desk under /fa/<province>.

YJC's article theme differs from the IranSamaneh base (research notes §2.2, YJC): the date is the
last ``.date-color-news`` of ``.details-box-news .photo-newspage-date`` (the first one is the news
code), and the category path is ``.path_bottom_body`` at the foot of the body («صفحه نخست › استان
ها › زنجان»), whose last link is the province desk on provincial news.
"""

from dataclasses import replace

from newscrawler.sites.families import IRANSAMANEH
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="yjc",
    title="باشگاه خبرنگاران جوان",
    cms="iransamaneh",
    base_url="https://www.yjc.ir",
    selectors=replace(
        IRANSAMANEH,
        date=".details-box-news .photo-newspage-date .date-color-news:last-child, .news_pdate_c",
        section=".path_bottom_body a:last-child, .news_path a:last-child",
    ),
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
