"""Cafe Khabar Qazvin (کافه خبر قزوین), regional WordPress portal of Qazvin province."""

from newscrawler.sites.families import WORDPRESS
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="cafekhabarqazvin",
    title="کافه خبر قزوین",
    cms="wordpress",
    base_url="https://cafekhabarqazvin.ir",
    selectors=WORDPRESS,
    article_url=r"^/(?:news/)?(?P<id>\d{2,7})(/|$)",
    home=("/",),
    sections={"economy": "/category/اقتصاد/", "society": "/category/اجتماعی/"},
    feeds=("/feed/",),
    sitemaps=("/sitemap.xml",),
    province="qazvin",
)
