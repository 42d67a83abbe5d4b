"""Fars (خبرگزاری فارس), national agency on its own CMS, with a desk per province at /<province>.

Article URLs are ``/news/<14-digit id>/<slug>`` (the id is the Jalali date and a sequence:
``14020720000031`` = 1402/07/20 + 000031), ``/<province>/news/<id>/<slug>`` for provincial news
(``farsnews.ir/mazandaran/news/14010819000417/…``, a public page address). Selectors follow
research notes §2.2 Fars (TG ``farsnews``): title ``.title``, lead ``.lead``, body ``.nt-body``,
date ``.publish-time``, category ``.category-name a``; listing items ``li.media`` (a later public
crawler) or ``ul.last-news li`` (AZ). Fars redesigned its site in 2024: the
desks and selectors below are those of the site before it, to re-verify on the live site.
"""

from dataclasses import replace

from newscrawler.sites.families import GENERIC
from newscrawler.sites.profile import SiteProfile

# Provincial desks: https://www.farsnews.ir/<desk>, all 31, each spelt as Fars spells it. Every
# one is in the «استانها» menu of a public copy of farsnews.ir's navigation (a Laravel blade
# layout, found with find_string "farsnews.ir/mazandaran"), and the same 31 names are the
# provincial subdomains (<desk>.farsnews.com) linked from Fars's real home page of 2017
# (../shared/real-pages/listing-custom-fars-2017.html). The provinces desk is /province.
PROVINCIAL_DESKS: dict[str, str | None] = {
    "alborz": "/alborz",
    "ardabil": "/ardabil",
    "azarbaijan-east": "/azarbaijan-sharghi",
    "azarbaijan-west": "/azarbaijan-gharbi",
    "bushehr": "/bushehr",
    "chaharmahal": "/Chaharmahal-Bakhtiari",
    "fars": "/fars",
    "gilan": "/gilan",
    "golestan": "/golestan",
    "hamedan": "/hamedan",
    "hormozgan": "/hormozgan/",
    "ilam": "/ilam",
    "isfahan": "/isfahan",
    "kerman": "/kerman",
    "kermanshah": "/kermanshah",
    "khorasan-north": "/khorasan-shomali",
    "khorasan-razavi": "/razavi",
    "khorasan-south": "/khorasan-jonubi",
    "khuzestan": "/khuzestan",
    "kohgiluyeh": "/Kohgiluyeh-Boyerahmad",
    "kurdistan": "/kordestan",
    "lorestan": "/lorestan",
    "markazi": "/markazi",
    "mazandaran": "/mazandaran",
    "qazvin": "/qazvin",
    "qom": "/qom",
    "semnan": "/semnan",
    "sistan": "/sistan-baluchestan",
    "tehran": "/tehran",
    "yazd": "/yazd",
    "zanjan": "/zanjan",
}

PROFILE = SiteProfile(
    name="farsnews",
    title="خبرگزاری فارس",
    cms="generic",
    base_url="https://www.farsnews.ir",
    selectors=replace(
        GENERIC,
        article="article, main",
        title="h1.title, .title",
        lead=".lead",
        body=".nt-body",
        date=".publish-time",
        tags=".tags a",
        section=".category-name a, .subject-category",
        # teasers of a listing (research notes §2.2 Fars, archive items), not its sidebars
        article_links="li.media a, ul.last-news li a",
    ),
    article_url=r"^/(?:[A-Za-z-]+/)?news/(?P<id>\d{14})(?:/|$)",
    canonical="/news/{id}",
    home=("/",),
    provinces=PROVINCIAL_DESKS,
    sections={"provinces": "/province"},
    feeds=("/rss",),
)
