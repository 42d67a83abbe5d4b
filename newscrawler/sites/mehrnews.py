"""Mehr (مهر), national agency on Nastooh; province in the nastooh:subtopic meta."""

from newscrawler.sites.families import NASTOOH
from newscrawler.sites.profile import PROVINCES, SiteProfile

# Provincial listings: Mehr's tag page of each province, /tag/<Persian name> (research notes
# §2.2 Mehr, «province tag pages /tag/<province>», from the Kerman monitor). The scheme is
# uniform: the tag is the province's Persian name (PROVINCES), spaces written "+" as Mehr writes
# them in its tag URLs. Seen in public code (found with find_string "mehrnews.com/tag/"):
# /tag/کرمان (the Kerman monitor), /tag/بوشهر (a Bushehr news monitor), and the "+" spelling in
# /tag/جزیره+کیش and /tag/شهرستان+مراغه. A tag page lists every article tagged with the name,
# so the province of an article comes first from its own nastooh:subtopic / article:section.
# Mehr also has provincial desks, /service/Provinces/<Name>: AzarbayjanGharbi (a public Yii
# site layout of hmyr.ir), Lorestan (a public Laravel news aggregator), khorasanRazavi (the
# nastooh:subtopic of a Mehr page, research notes §2.2 Mehr); the other names are not known,
# so the uniform tag pages are used for all 31 provinces.
PROVINCE_TAGS: dict[str, str | None] = {
    slug: "/tag/" + name.replace(" ", "+") for slug, name in PROVINCES.items()
}

PROFILE = SiteProfile(
    name="mehrnews",
    title="خبرگزاری مهر",
    cms="nastooh",
    base_url="https://www.mehrnews.com",
    selectors=NASTOOH,
    article_url=r"^/news/(?P<id>\d{4,9})(/|$)",
    canonical="/news/{id}",
    home=("/page/archive.xhtml",),
    provinces=PROVINCE_TAGS,
    sections={"economy": "/service/Economy", "society": "/service/Society"},
    feeds=("/rss",),
)
