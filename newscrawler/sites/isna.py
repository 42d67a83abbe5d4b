"""ISNA (ایسنا), national agency on Nastooh; news ids (11 digits in 2017, 13 now) start with the
Jalali date."""

from dataclasses import replace

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import SiteProfile

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
    provinces={"isfahan": "/service/Province/Isfahan", "fars": "/service/Province/Fars"},
    sections={"economy": "/service/Economy", "culture": "/service/Culture-Art"},
    feeds=("/rss",),
)
