"""Mehr (مهر), national agency on Nastooh; province in the nastooh:subtopic meta."""

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="mehrnews",
    title="خبرگزاری مهر",
    cms="nastooh",
    base_url="https://www.mehrnews.com",
    selectors=NASTOOH,
    article_url=r"^/news/(?P<id>\d{4,9})(/|$)",
    canonical="/news/{id}",
    home=("/page/archive.xhtml",),
    provinces={"qazvin": "/tag/قزوین", "kerman": "/tag/کرمان", "zanjan": "/tag/زنجان"},
    sections={"economy": "/service/Economy", "society": "/service/Society"},
    feeds=("/rss",),
)
