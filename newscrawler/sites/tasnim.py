"""Tasnim (تسنیم), national agency on Asam; service 6 is the provinces desk.

Tasnim's article template differs from the Asam base (research notes §2.2, Tasnim): the body is
``div.story``, the date the Jalali text of ``li.time``, the service (a province on provincial
news) ``li.service``, the above-title ``.kicker`` and the tags ``.tags li``.
"""

from dataclasses import replace

from newscrawler.sites.families import ASAM
from newscrawler.sites.profile import SiteProfile

# Provincial services: /fa/service/<id> (research notes §2.2 Tasnim: service 6 is the provinces
# desk, each province has its own service). The ids are Tasnim's own numbers, with no pattern,
# so only the ids seen in a public source (or kept from the first profile) have a path; the
# others are None: Tasnim has the service, its id is not known (docs/provinces.md).
#   kerman 67           the Kerman monitor (research notes §2.2 Tasnim)
#   bushehr 53          the Bushehr RSS list: /fa/service/53/بوشهر/rss (found with find_string
#                       "tasnimnews.ir/fa/service/")
#   azarbaijan-west 48  a public Yii site layout of hmyr.ir: /fa/service/48/آذربایجان-غربی
#   qazvin 1391         kept from the first profile of this site; no public source found
PROVINCIAL_SERVICES: dict[str, str | None] = {
    "alborz": None,
    "ardabil": None,
    "azarbaijan-east": None,
    "azarbaijan-west": "/fa/service/48",
    "bushehr": "/fa/service/53",
    "chaharmahal": None,
    "fars": None,
    "gilan": None,
    "golestan": None,
    "hamedan": None,
    "hormozgan": None,
    "ilam": None,
    "isfahan": None,
    "kerman": "/fa/service/67",
    "kermanshah": None,
    "khorasan-north": None,
    "khorasan-razavi": None,
    "khorasan-south": None,
    "khuzestan": None,
    "kohgiluyeh": None,
    "kurdistan": None,
    "lorestan": None,
    "markazi": None,
    "mazandaran": None,
    "qazvin": "/fa/service/1391",
    "qom": None,
    "semnan": None,
    "sistan": None,
    "tehran": None,
    "yazd": None,
    "zanjan": None,
}

PROFILE = SiteProfile(
    name="tasnim",
    title="خبرگزاری تسنیم",
    cms="asam",
    base_url="https://www.tasnimnews.com",
    selectors=replace(
        ASAM,
        kicker=".kicker, .uptitle",
        body="div.story, #echo_detail",
        date="li.time, time",
        tags=".tags li a, div.keywords a",
        section="li.service a",
    ),
    article_url=r"^/fa/news/\d{4}/\d{2}/\d{2}/(?P<id>\d{5,9})(/|$)",
    canonical="/{id}",
    home=("/fa/service/6",),
    provinces=PROVINCIAL_SERVICES,
    sections={
        "economy": "/fa/service/7",
        "politics": "/fa/service/1",
        "provinces": "/fa/service/6",
    },
    feeds=("/fa/rss/feed/0/0/0/0/AllStories",),
    drop_text=(
        "این خبر بروز رسانی می شود",
        "تهیه شده در اداره کل رسانه های نوین خبرگزاری تسنیم",
    ),
)
