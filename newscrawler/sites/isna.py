"""ISNA (ایسنا), national agency on Nastooh; news ids (11 digits in 2017, 13 now) start with the
Jalali date."""

from dataclasses import replace

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import SiteProfile

# Provincial desks: /service/Province/<Name>, Nastooh subtopics of the provinces desk
# /service/province (its link is on ISNA's real home page of 2017, ../shared/real-pages/
# listing-nastooh-isna-2017.html). The <Name> of each province is ISNA's own spelling, which no
# source lists, so a province without a path is None: ISNA has the desk, its entry point is not
# known (docs/provinces.md).
#   fars, isfahan  kept from the first profile of this site; no public source found for them
# Not used: http://orumiyeh.isna.ir/, ISNA's West Azarbaijan site of about 2019 (a public Yii
# site layout of hmyr.ir lists it): a subdomain per capital city, not a path of www.isna.ir,
# and no source says it is still served.
PROVINCIAL_DESKS: dict[str, str | None] = {
    "alborz": None,
    "ardabil": None,
    "azarbaijan-east": None,
    "azarbaijan-west": None,
    "bushehr": None,
    "chaharmahal": None,
    "fars": "/service/Province/Fars",
    "gilan": None,
    "golestan": None,
    "hamedan": None,
    "hormozgan": None,
    "ilam": None,
    "isfahan": "/service/Province/Isfahan",
    "kerman": None,
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
    "qazvin": None,
    "qom": None,
    "semnan": None,
    "sistan": None,
    "tehran": None,
    "yazd": None,
    "zanjan": None,
}

PROFILE = SiteProfile(
    name="isna",
    title="خبرگزاری دانشجویان ایران (ایسنا)",
    cms="nastooh",
    base_url="https://www.isna.ir",
    selectors=replace(
        NASTOOH,
        title="h1.first-title, h1.title",
        date=".meta-news li:first-child .text-meta, .item-date span",
        section=".meta-news li:nth-child(2) .text-meta, span[itemprop=articleSection]",
        article_links=".items li h3 a, div.desc h3 a",
    ),
    # 13 digits today; 11 in 2017 (they grow with the Jalali date prefix): accept both
    article_url=r"^/news/(?P<id>\d{11,13})(/|$)",
    canonical="/news/{id}",
    home=("/page/archive.xhtml",),
    provinces=PROVINCIAL_DESKS,
    sections={"economy": "/service/Economy", "culture": "/service/Culture-Art"},
    feeds=("/rss",),
)
