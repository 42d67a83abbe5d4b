"""Donya-e-Eqtesad (دنیای اقتصاد), economic daily on Asam; «بخش استان ها» is section 30."""

from dataclasses import replace

from newscrawler.sites.families import ASAM
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="donya",
    title="دنیای اقتصاد",
    cms="asam",
    base_url="https://donya-e-eqtesad.com",
    selectors=replace(
        ASAM,
        title="h1.article-title, h1.title, h1",
        lead=".article-summary, .lead",
        body="#echo-detail, #echo_detail, .article-body",
        tags=".article-tag a, .article-tags a",
    ),
    article_url=r"^/[^/]+/(?P<id>\d{6,8})-",
    canonical="/fa/tiny/news-{id}",
    home=("/بخش-استان-ها-30",),
    sections={"provinces": "/بخش-استان-ها-30", "economy": "/بخش-اقتصاد-کلان-7"},
    drop_text=("منبع:",),
)
