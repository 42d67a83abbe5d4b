"""Kerman-e No (کرمان نو), regional WordPress portal of Kerman province."""

from dataclasses import replace

from newscrawler.sites.families import WORDPRESS
from newscrawler.sites.profile import SiteProfile

PROFILE = SiteProfile(
    name="kermaneno",
    title="کرمان نو",
    cms="wordpress",
    base_url="https://kermaneno.ir",
    # BetterStudio «Publisher» theme: the subtitle is printed under the headline, the category
    # in the breadcrumb and a term badge; ``.bs-irp`` is the related-posts box inside the body.
    selectors=replace(
        WORDPRESS,
        kicker=".rotitr",
        subtitle="h2.post-subtitle",
        section=(
            "ul.bf-breadcrumb-items li:not(.bf-breadcrumb-begin) a span, .term-badge a, "
            f"{WORDPRESS.section}"
        ),
        drop=(*WORDPRESS.drop, ".bs-irp", ".bs-shortcode"),
    ),
    article_url=r"^/(?:\d{4}/\d{2}/\d{2}/)?(?P<id>\d{3,7})(?:/|$)",
    home=("/",),
    sections={"economy": "/category/economy/", "society": "/category/society/"},
    feeds=("/feed/",),
    sitemaps=("/sitemap.xml",),
    province="kerman",
)
