"""Bloghnews (بلاغ), regional portal of Mazandaran on StudioKhabar (News Studio)."""

from newscrawler.sites.families import STUDIOKHABAR
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="bloghnews",
    title="بلاغ نیوز",
    cms="studiokhabar",
    base_url="https://www.bloghnews.com",
    selectors=STUDIOKHABAR,
    article_url=r"^/fa/doc/(?:news|report|interview)/(?P<id>\d{3,9})(/|$)",
    canonical="/fa/doc/news/{id}",
    home=("/fa/",),
    sections={"sari": "/fa/services/5", "economy": "/fa/services/8"},
    feeds=("/rss.xml",),
    province="mazandaran",
)
