"""The offline demo site: five news sources, one per CMS template, each the twin of a real profile.

``build_site()`` makes, from a seed, the articles and listings of

=====================  ============  ==================================================
source (profile)       template      what is served
=====================  ============  ==================================================
``irna``               Nastooh       ``/archive``, province pages, sections, ``/rss``
``yjc``                IranSamaneh   ``/fa/allnews``, province pages, sections, RSS
``tasnim``             Asam          ``/fa/service/6`` (provinces desk), province pages, RSS
``bloghnews``          News Studio   ``/fa/`` listing, sections, ``/rss.xml``
``cafekhabarqazvin``   WordPress     ``/`` (``/page/N/``), categories, ``/feed/``, sitemap
=====================  ============  ==================================================

Paths come from the profiles (``home``, ``provinces``, ``sections``, ``feeds``, ``sitemaps``)
and every article URL is checked against the profile's ``article_url``, so a crawl of the demo
runs exactly the code a crawl of the real site runs. Pages are rendered per request by
:mod:`tools.demo.templates` with the base URL the server listens on.

The site holds the cases a crawler must get right (see :class:`DemoCases`): a link repeated
with a tracking parameter, a story republished by another source with a new first sentence,
an article on two province pages, and an article page with an empty body.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from newscrawler.sites.bloghnews import PROFILE as BLOGHNEWS
from newscrawler.sites.cafekhabarqazvin import PROFILE as CAFEKHABARQAZVIN
from newscrawler.sites.irna import PROFILE as IRNA
from newscrawler.sites.profile import PROVINCES, SiteProfile
from newscrawler.sites.tasnim import PROFILE as TASNIM
from newscrawler.sites.yjc import PROFILE as YJC
from tools.demo import stories
from tools.demo.stories import Story, jalali

TEHRAN = ZoneInfo("Asia/Tehran")
DEFAULT_ARTICLES = 16
MIN_ARTICLES = 8
DEFAULT_SEED = 1403
#: Articles are dated between these (Tehran time).
FIRST_DAY = datetime(2024, 1, 6, tzinfo=TEHRAN)
LAST_DAY = datetime(2026, 11, 19, tzinfo=TEHRAN)
TRACKING_QUERY = "utm_source=telegram"

#: Cities of the provinces the demo writes about (first: the capital).
CITIES: dict[str, tuple[str, ...]] = {
    "qazvin": ("قزوین", "تاکستان", "بوئین‌زهرا", "آبیک", "الوند"),
    "kerman": ("کرمان", "رفسنجان", "سیرجان", "بم", "جیرفت"),
    "mazandaran": ("ساری", "بابل", "آمل", "قائم‌شهر", "نوشهر", "بهشهر"),
    "zanjan": ("زنجان", "ابهر", "خرمدره", "قیدار"),
    "gilan": ("رشت", "لاهیجان", "بندر انزلی", "لنگرود", "آستارا"),
    "bushehr": ("بوشهر", "برازجان", "کنگان", "گناوه"),
    "khuzestan": ("اهواز", "دزفول", "آبادان", "شوشتر", "بهبهان"),
    "isfahan": ("اصفهان", "کاشان", "نجف‌آباد", "شهرضا"),
    "fars": ("شیراز", "مرودشت", "کازرون", "فسا"),
    "yazd": ("یزد", "میبد", "اردکان", "تفت"),
    "golestan": ("گرگان", "گنبد کاووس", "علی‌آباد کتول"),
}
#: Which profile section a topic is filed under, when the site has that section.
TOPIC_SECTION = {
    "industry": "economy",
    "agriculture": "economy",
    "water": "economy",
    "roads": "society",
    "health": "society",
    "environment": "society",
}
#: Category a regional site files a topic under when it has no matching section.
TOPIC_LABEL = {
    "industry": "اقتصادی",
    "agriculture": "کشاورزی",
    "water": "اجتماعی",
    "roads": "عمرانی",
    "health": "سلامت",
    "environment": "محیط زیست",
}
SECTION_LABEL = {
    "economy": "اقتصادی",
    "politics": "سیاسی",
    "society": "اجتماعی",
    "provinces": "استان‌ها",
    "sari": "ساری",
}


@dataclass(frozen=True)
class SourceSpec:
    """How one demo source differs from the others, besides its profile and template."""

    profile: SiteProfile
    template: str
    page_size: int
    ids: tuple[int, int]
    """News ids of the oldest and newest article (ids grow with time, as on the real site)."""
    credit: str
    """Opening of the first paragraph; may use ``{city}`` and ``{province}``."""
    noise: tuple[float, float]
    """Chance per paragraph of missing half-spaces and of Arabic ي/ك."""
    provinces: tuple[str, ...] = ()
    """Provinces an agency's articles are about (a regional site's: its own); each one the
    profile has a listing for gets its listing page. A listing of the profile for a province
    the demo writes nothing about is not served (404), as the demo has no page for it."""
    lead_credit: str = ""
    """Opening of the lead (IRNA's dateline «قزوین- ایرنا- »)."""


SPECS: MappingProxyType[str, SourceSpec] = MappingProxyType(
    {
        "irna": SourceSpec(
            IRNA,
            "nastooh",
            6,
            (85_310_000, 86_690_000),
            "به گزارش ایرنا، ",
            (0.1, 0.03),
            ("qazvin", "kerman", "bushehr", "mazandaran", "khuzestan", "isfahan"),
            lead_credit="{city}- ایرنا- ",
        ),
        "yjc": SourceSpec(
            YJC,
            "iransamaneh",
            5,
            (8_640_000, 9_190_000),
            "به گزارش گروه استان‌های باشگاه خبرنگاران جوان از {province}، ",
            (0.25, 0.08),
            ("qazvin", "kerman", "zanjan", "gilan"),
        ),
        "tasnim": SourceSpec(
            TASNIM,
            "asam",
            6,
            (3_012_000, 3_420_000),
            "به گزارش خبرگزاری تسنیم از {province}، ",
            (0.15, 0.05),
            # the last three have no listing (their services' ids are not known): they are
            # found on the provinces desk only
            ("kerman", "qazvin", "fars", "yazd", "golestan"),
        ),
        "bloghnews": SourceSpec(
            BLOGHNEWS, "studiokhabar", 5, (352_000, 398_000), "به گزارش بلاغ، ", (0.35, 0.2)
        ),
        "cafekhabarqazvin": SourceSpec(
            CAFEKHABARQAZVIN,
            "wordpress",
            6,
            (40_100, 52_900),
            "به گزارش کافه خبر قزوین، ",
            (0.5, 0.2),
        ),
    }
)
SOURCES = tuple(SPECS)


@dataclass(eq=False)
class DemoArticle:
    """One article of a demo source."""

    site: str
    story: Story
    published: datetime
    province: str
    """Province slug of the article."""
    topic: str
    section: str | None = None
    """Slug of the profile section it is filed under, if any."""
    section_name: str = ""
    """Last breadcrumb item (the province for agencies, a category for regional sites)."""
    kind: str = "news"
    """Document type in StudioKhabar URLs (news, report, interview)."""
    news_id: str = ""
    path: str = ""
    """Path of the article page, not percent-encoded."""
    modified: datetime | None = None
    listed_in_provinces: tuple[str, ...] = ()
    empty_body: bool = False
    """A page whose body container is empty (a video page): the crawl must drop it."""
    source_credit: str | None = None
    """Agency named at the end of a republished copy («منبع: ایرنا»)."""
    read_more: DemoArticle | None = None
    related: list[DemoArticle] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return stories.slugify(self.story.title)

    @property
    def province_name(self) -> str:
        return PROVINCES[self.province]


@dataclass
class Listing:
    """A listing page (home, province or section) and its pagination."""

    path: str
    title: str
    articles: list[DemoArticle]
    page_size: int
    injected: dict[int, list[tuple[DemoArticle, str]]] = field(default_factory=dict)
    """Extra links put at the top of a page: ``page → [(article, query string)]``."""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.articles) / self.page_size))

    def page(self, number: int) -> list[tuple[DemoArticle, str]]:
        start = (number - 1) * self.page_size
        items = [(a, "") for a in self.articles[start : start + self.page_size]]
        return self.injected.get(number, []) + items


@dataclass(frozen=True)
class Reply:
    """What the server sends for one request."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class DemoSource:
    """One demo news source: a profile, a template, its articles and listings."""

    name: str
    spec: SourceSpec
    articles: list[DemoArticle]
    """Newest first."""
    listings: dict[str, Listing]
    """Listing path (not percent-encoded) → listing."""
    paths: dict[str, tuple[DemoArticle, str]] = field(default_factory=dict)
    """Article path or alias, without trailing slash → (article, path it is served at)."""

    @property
    def profile(self) -> SiteProfile:
        return self.spec.profile

    @property
    def template(self) -> Any:
        from tools.demo.templates import TEMPLATES

        return TEMPLATES[self.spec.template]

    def article(self, news_id: str) -> DemoArticle:
        return next(a for a in self.articles if a.news_id == news_id)

    def max_listing_pages(self) -> int:
        return max(listing.pages for listing in self.listings.values())

    def respond(self, target: str, base_url: str) -> Reply:
        """The reply to a GET of ``target`` (path and query) when served at ``base_url``."""
        parts = urlsplit(target)
        path = unquote(parts.path) or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        template = self.template
        renderers: dict[str, Callable[[], tuple[str, str]]] = {
            "/robots.txt": lambda: ("text/plain", template.robots(self, base_url)),
        }
        for feed in self.profile.feeds:
            renderers[feed] = lambda: ("application/rss+xml", template.feed(self, base_url))
        for sitemap in self.profile.sitemaps:
            renderers[sitemap] = lambda: ("application/xml", template.sitemap(self, base_url))
        if path in renderers:
            content_type, text = renderers[path]()
            return _reply(200, content_type, text)
        asset = template.asset(path)
        if asset is not None:
            return Reply(200, asset[0], asset[1])
        found = self._find_article(path, query)
        if found is not None:
            article, canonical_path = found
            if canonical_path != path:
                location = base_url + quote(canonical_path)
                return _reply(301, "text/html", "", (("Location", location),))
            return _reply(200, "text/html", template.article(self, article, base_url))
        route = template.listing_route(path, query)
        if path == "/" and (route is None or route[0] not in self.listings):
            # a home page: the latest news, as on real sites (what `generic` starts from)
            route = (self.profile.home[0], route[1] if route else 1)
        if route is not None and route[0] in self.listings:
            listing, page = self.listings[route[0]], route[1]
            if 1 <= page <= listing.pages:
                return _reply(200, "text/html", template.listing(self, listing, page, base_url))
        return _reply(404, "text/html", template.not_found(self, base_url))

    def _find_article(self, path: str, query: dict[str, str]) -> tuple[DemoArticle, str] | None:
        """The article a path shows and its canonical path (a short or old form redirects)."""
        key = path.rstrip("/") or "/"
        if key in self.paths:
            return self.paths[key]
        if path == "/" and self.spec.template == "wordpress" and query.get("p", "").isdigit():
            match = [a for a in self.articles if a.news_id == query["p"]]  # ?p= short link
            return (match[0], match[0].path) if match else None
        return None


def _reply(status: int, content_type: str, text: str, headers: Any = ()) -> Reply:
    return Reply(status, f"{content_type}; charset=utf-8", text.encode("utf-8"), tuple(headers))


@dataclass(frozen=True)
class DemoCases:
    """Where the special cases are (sites and news ids), for tests and the README."""

    tracking_duplicate: tuple[str, str]
    """An article linked a second time with ``?utm_source=telegram``."""
    republished: tuple[tuple[str, str], tuple[str, str]]
    """An IRNA story and the regional copy with a new first sentence and title."""
    two_provinces: tuple[str, str, tuple[str, ...]]
    """An article linked from two province pages: site, id, province slugs."""
    empty_body: tuple[str, str]
    """An article page with an empty body container (dropped as missing_body)."""


@dataclass
class DemoSite:
    sources: dict[str, DemoSource]
    cases: DemoCases
    articles_per_source: int
    seed: int


def build_site(articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED) -> DemoSite:
    """All five sources, the same for the same ``articles`` and ``seed``."""
    if articles < MIN_ARTICLES:
        raise ValueError(f"the demo needs at least {MIN_ARTICLES} articles per source")
    made: dict[str, list[DemoArticle]] = {}
    rngs = {name: random.Random(f"{seed}:{name}") for name in SOURCES}
    for name in SOURCES:
        made[name] = _draft_articles(name, SPECS[name], articles, rngs[name])

    # The cases. IRNA: a Qazvin industry story (republished below) and a story on two
    # province pages; YJC: a tracking link; Tasnim: a video page without text.
    irna = made["irna"]
    original = irna[2]
    two_provinces = irna[4]
    two_provinces.listed_in_provinces = ("qazvin", "kerman")
    empty = made["tasnim"][3]
    empty.empty_body = True
    empty.story = replace(empty.story, title="فیلم | " + empty.story.title)
    cafe = made["cafekhabarqazvin"]
    cafe[5] = _republish(original, cafe[5], rngs["cafekhabarqazvin"])

    sources = {}
    for name in SOURCES:
        sources[name] = _finish_source(name, SPECS[name], made[name], rngs[name])
    yjc = sources["yjc"]
    tracked = yjc.articles[1]
    home = yjc.listings[yjc.profile.home[0]]
    home.injected[min(2, home.pages)] = [(tracked, TRACKING_QUERY)]
    cases = DemoCases(
        tracking_duplicate=("yjc", tracked.news_id),
        republished=(("irna", original.news_id), ("cafekhabarqazvin", cafe[5].news_id)),
        two_provinces=("irna", two_provinces.news_id, two_provinces.listed_in_provinces),
        empty_body=("tasnim", empty.news_id),
    )
    return DemoSite(sources, cases, articles, seed)


def _dates(rng: random.Random, count: int) -> list[datetime]:
    """``count`` distinct publication times, newest first, in working hours."""
    span = (LAST_DAY - FIRST_DAY).days
    moments: set[datetime] = set()
    while len(moments) < count:
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        moments.add(day.replace(hour=rng.randint(7, 22), minute=rng.randrange(60)))
    return sorted(moments, reverse=True)


def _provinces(spec: SourceSpec) -> list[str]:
    profile = spec.profile
    if profile.province:
        return [profile.province]
    return list(spec.provinces)


def _draft_articles(
    name: str, spec: SourceSpec, count: int, rng: random.Random
) -> list[DemoArticle]:
    """Stories, dates and places; ids and paths come later (after the cases are placed)."""
    provinces = _provinces(spec)
    rng.shuffle(provinces)
    topics = list(stories.TOPICS)
    rng.shuffle(topics)
    drafted = []
    for index, published in enumerate(_dates(rng, count)):
        province = provinces[index % len(provinces)]
        topic = topics[index % len(topics)]
        skeleton = None
        if name == "irna" and index == 2:  # the story a regional site republishes
            province, topic, skeleton = "qazvin", "industry", 0
        elif name == "irna" and index == 4:  # the story on two province pages
            province, topic = "qazvin", "roads"
        story = stories.compose(
            rng,
            topic=topic,
            province=PROVINCES[province],
            cities=CITIES[province],
            published=published,
            credit=spec.credit,
            lead_credit=spec.lead_credit,
            noise=spec.noise,
            skeleton=skeleton,
        )
        article = DemoArticle(
            site=name, story=story, published=published, province=province, topic=topic
        )
        if rng.random() < 0.3:
            article.modified = published + timedelta(minutes=rng.randint(20, 600))
        drafted.append(article)
    return drafted


def _republish(original: DemoArticle, replaced: DemoArticle, rng: random.Random) -> DemoArticle:
    """The regional copy of an IRNA story: a new title, a new first sentence «به گزارش ایرنا، …»
    (IRNA's lead without its dateline), IRNA's paragraphs with one cut, a few hours later."""
    lead = original.story.lead.split("- ایرنا- ", 1)[-1]
    paragraphs = list(original.story.paragraphs)
    paragraphs[0] = paragraphs[0].removeprefix("به گزارش ایرنا، ")
    if len(paragraphs) > 5:
        del paragraphs[rng.randrange(2, len(paragraphs) - 1)]
    story = replace(
        original.story,
        title=f"بازگشت واحدهای صنعتی راکد {original.story.province} به چرخه تولید",
        kicker="خبر خوب برای صنعتگران",
        lead=lead,
        paragraphs=["به گزارش ایرنا، " + lead, *paragraphs],
        subhead=None,
        author=replaced.story.author,
    )
    return DemoArticle(
        site=replaced.site,
        story=story,
        published=original.published + timedelta(hours=2, minutes=40),
        province="qazvin",
        topic="industry",
        source_credit="ایرنا",
    )


def _section(spec: SourceSpec, article: DemoArticle) -> tuple[str | None, str]:
    sections = spec.profile.sections
    if spec.profile.province is None:  # an agency: files province news under the province
        slug = TOPIC_SECTION[article.topic]
        return (slug if slug in sections else None), article.province_name
    for slug in sections:
        if SECTION_LABEL.get(slug) == article.story.city:
            return slug, article.story.city
    slug = TOPIC_SECTION[article.topic]
    if slug in sections:
        path = sections[slug]
        label = unquote(path.rstrip("/").rsplit("/", 1)[-1]) if "/category/" in path else None
        return slug, label or SECTION_LABEL.get(slug, slug)
    return None, TOPIC_LABEL[article.topic]


def _finish_source(
    name: str, spec: SourceSpec, articles: list[DemoArticle], rng: random.Random
) -> DemoSource:
    """Ids (growing with time), paths, sections, related links and listings."""
    from tools.demo.templates import TEMPLATES

    template = TEMPLATES[spec.template]
    profile = spec.profile
    articles.sort(key=lambda a: a.published, reverse=True)
    low, high = spec.ids
    total = (LAST_DAY - FIRST_DAY).total_seconds()
    previous = high + 1
    for article in articles:
        share = (article.published - FIRST_DAY).total_seconds() / total
        news_id = min(previous - 1, int(low + share * (high - low)) + rng.randrange(97))
        previous = news_id
        article.news_id = str(news_id)
        if spec.template == "studiokhabar":
            article.kind = rng.choices(("news", "report", "interview"), (8, 1, 1))[0]
        article.section, article.section_name = _section(spec, article)
        article.path = template.article_path(article)
        if not re.search(profile.article_url, quote(article.path)):
            raise AssertionError(
                f"{name}: demo path {article.path} does not match {profile.article_url}"
            )
        if not article.listed_in_provinces:
            article.listed_in_provinces = (article.province,)
    for index, article in enumerate(articles):
        others = articles[max(0, index - 2) : index] + articles[index + 1 : index + 3]
        article.related = others[:3]
        if others and rng.random() < 0.6:
            article.read_more = rng.choice(others)

    listings: dict[str, Listing] = {}
    for path in profile.home:
        listings[path] = Listing(path, profile.title, list(articles), spec.page_size)
    written_about = set(spec.provinces)
    for slug, path in profile.provinces.items():
        if not path or slug not in written_about:  # not known, or nothing to list
            continue
        members = [a for a in articles if slug in a.listed_in_provinces]
        listings.setdefault(path, Listing(path, PROVINCES[slug], members, spec.page_size))
    for slug, path in profile.sections.items():
        members = [a for a in articles if a.section == slug] or list(articles)
        label = SECTION_LABEL.get(slug, slug)
        if "/category/" in path:
            label = unquote(path.rstrip("/").rsplit("/", 1)[-1])
        listings.setdefault(path, Listing(path, label, members, spec.page_size))
    source = DemoSource(name, spec, articles, listings)
    for article in articles:
        source.paths[article.path.rstrip("/")] = (article, article.path)
        for alias in template.aliases(article):
            source.paths.setdefault(alias.rstrip("/"), (article, article.path))
    return source


def jalali_path_date(moment: datetime) -> str:
    """``YYYY/MM/DD`` Jalali with Latin digits, as in Asam article URLs.

    >>> jalali_path_date(datetime(2024, 5, 18, 10, 25))
    '1403/02/29'
    """
    j = jalali(moment)
    return f"{j.year}/{j.month:02d}/{j.day:02d}"
