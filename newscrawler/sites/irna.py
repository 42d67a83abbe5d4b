"""IRNA (ایرنا), national agency on Nastooh, with provincial desks under /service/province/."""

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="irna",
    title="خبرگزاری جمهوری اسلامی (ایرنا)",
    cms="nastooh",
    base_url="https://www.irna.ir",
    selectors=NASTOOH,
    article_url=r"^/news/(?P<id>\d{5,10})(/|$)",
    canonical="/news/{id}",
    home=("/archive",),
    provinces={
        "qazvin": "/service/province/qazvin",
        "kerman": "/service/province/kerman",
        "bushehr": "/service/province/bushehr",
        "mazandaran": "/service/province/mazandaran",
        "khuzestan": "/service/province/khuzestan",
        "isfahan": "/service/province/isfahan",
    },
    sections={"economy": "/service/economy", "politics": "/service/politics"},
    feeds=("/rss",),
    drop_text=("بیشتر:",),
)
