"""IRNA (ایرنا), national agency on Nastooh, with provincial desks under /service/province/."""

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import SiteProfile

# Provincial desks: /service/province/<slug>, one per province (research notes §2.2 IRNA). The
# slug is IRNA's own Latin spelling of the province, which no source lists in full, so only the
# desks seen in a public source (or kept from the first profile) have a path; the others are
# None: IRNA has the desk, its entry point is not known (docs/provinces.md).
#   kerman     the Kerman monitor (research notes §2.2 IRNA, «province / section pages»)
#   bushehr    the Bushehr RSS list: https://www.irna.ir/service/province/bushehr/rss (found
#              with find_string "irna.ir/service/province/")
#   isfahan, khuzestan, mazandaran, qazvin
#              kept from the first profile of this site; no public source found for them
# Not used: http://www.irna.ir/wazarbaijan, IRNA's West Azarbaijan page before the 2019
# redesign (a public Yii site layout of hmyr.ir lists it), a URL scheme IRNA no longer serves.
PROVINCIAL_DESKS: dict[str, str | None] = {
    "alborz": None,
    "ardabil": None,
    "azarbaijan-east": None,
    "azarbaijan-west": None,
    "bushehr": "/service/province/bushehr",
    "chaharmahal": None,
    "fars": None,
    "gilan": None,
    "golestan": None,
    "hamedan": None,
    "hormozgan": None,
    "ilam": None,
    "isfahan": "/service/province/isfahan",
    "kerman": "/service/province/kerman",
    "kermanshah": None,
    "khorasan-north": None,
    "khorasan-razavi": None,
    "khorasan-south": None,
    "khuzestan": "/service/province/khuzestan",
    "kohgiluyeh": None,
    "kurdistan": None,
    "lorestan": None,
    "markazi": None,
    "mazandaran": "/service/province/mazandaran",
    "qazvin": "/service/province/qazvin",
    "qom": None,
    "semnan": None,
    "sistan": None,
    "tehran": None,
    "yazd": None,
    "zanjan": None,
}

PROFILE = SiteProfile(
    name="irna",
    title="خبرگزاری جمهوری اسلامی (ایرنا)",
    cms="nastooh",
    base_url="https://www.irna.ir",
    selectors=NASTOOH,
    article_url=r"^/news/(?P<id>\d{5,10})(/|$)",
    canonical="/news/{id}",
    home=("/archive",),
    provinces=PROVINCIAL_DESKS,
    sections={"economy": "/service/economy", "politics": "/service/politics"},
    feeds=("/rss",),
    drop_text=("بیشتر:",),
)
