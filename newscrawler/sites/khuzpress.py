"""Khuzpress (خوزپرس), regional WordPress portal of Khuzestan province."""

from dataclasses import replace

from newscrawler.sites.families import WORDPRESS
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="khuzpress",
    title="خوزپرس",
    cms="wordpress",
    base_url="https://khuzpress.ir",
    selectors=replace(WORDPRESS, body=".Post-Content, .entry-content", lead=".leadBox, .excerpt"),
    article_url=r"^/(?P<id>\d{3,7})/",
    home=("/",),
    sections={"ahvaz": "/category/اهواز/", "economy": "/category/اقتصادی/"},
    feeds=("/feed/",),
    sitemaps=("/sitemap.xml",),
    province="khuzestan",
)
