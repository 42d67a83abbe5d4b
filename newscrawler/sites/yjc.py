"""YJC (باشگاه خبرنگاران جوان), IranSamaneh, with a large provincial desk under /fa/<province>.

YJC's article theme differs from the IranSamaneh base (research notes §2.2, YJC): the date is the
last ``.date-color-news`` of ``.details-box-news .photo-newspage-date`` (the first one is the news
code), and the category path is ``.path_bottom_body`` at the foot of the body («صفحه نخست › استان
ها › زنجان»), whose last link is the province desk on provincial news.
"""

from dataclasses import replace

from newscrawler.sites.families import IRANSAMANEH
from newscrawler.sites.profile import SiteProfile

# Provincial desks: /fa/<slug> (research notes §2.2 YJC, «province pages»). The slug is YJC's
# own Latin spelling of the province (azarbaijan-gharbi for West Azarbaijan), which no source
# lists in full, so only the desks seen in a public source (or kept from the first profile)
# have a path; the others are None: YJC has the desk, its entry point is not known
# (docs/provinces.md).
#   kerman                the Kerman monitor (research notes §2.2 YJC)
#   azarbaijan-west       a public Yii site layout of hmyr.ir: https://www.yjc.ir/fa/azarbaijan-gharbi
#   gilan, qazvin, zanjan
#                         kept from the first profile of this site; no public source found
PROVINCIAL_DESKS: dict[str, str | None] = {
    "alborz": None,
    "ardabil": None,
    "azarbaijan-east": None,
    "azarbaijan-west": "/fa/azarbaijan-gharbi",
    "bushehr": None,
    "chaharmahal": None,
    "fars": None,
    "gilan": "/fa/gilan",
    "golestan": None,
    "hamedan": None,
    "hormozgan": None,
    "ilam": None,
    "isfahan": None,
    "kerman": "/fa/kerman",
    "kermanshah": None,
    "khorasan-north": None,
    "khorasan-razavi": None,
    "khorasan-south": None,
    "khuzestan": None,
    "kohgiluyeh": None,
    "kurdistan": None,
    "lorestan": None,
    "markazi": None,
    "mazandaran": None,
    "qazvin": "/fa/qazvin",
    "qom": None,
    "semnan": None,
    "sistan": None,
    "tehran": None,
    "yazd": None,
    "zanjan": "/fa/zanjan",
}

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
    provinces=PROVINCIAL_DESKS,
    sections={"economy": "/fa/economy", "society": "/fa/society"},
    feeds=("/fa/rss/allnews",),
    drop_text=("انتهای پیام/",),
)
