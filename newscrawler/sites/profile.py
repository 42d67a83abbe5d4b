"""Site profiles: what a site looks like, as data.

A :class:`Selectors` holds the CSS of one CMS template; each CMS family module under
:mod:`newscrawler.sites.families` declares one. A :class:`SiteProfile` names a real site: its base
URL, entry points (home, province and section listings), feeds, sitemaps, how its article URLs and
news ids look, and any selector it overrides. Crawl logic (``spiders/news.py``) and extraction
(``extraction/``) read profiles; they never name a site.

Profiles are frozen and keyword-only, so a typo or a missing required selector fails at import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

#: Province slugs used in spider arguments, with their Persian names.
PROVINCES: Mapping[str, str] = MappingProxyType(
    {
        "alborz": "البرز",
        "ardabil": "اردبیل",
        "azarbaijan-east": "آذربایجان شرقی",
        "azarbaijan-west": "آذربایجان غربی",
        "bushehr": "بوشهر",
        "chaharmahal": "چهارمحال و بختیاری",
        "fars": "فارس",
        "gilan": "گیلان",
        "golestan": "گلستان",
        "hamedan": "همدان",
        "hormozgan": "هرمزگان",
        "ilam": "ایلام",
        "isfahan": "اصفهان",
        "kerman": "کرمان",
        "kermanshah": "کرمانشاه",
        "khorasan-north": "خراسان شمالی",
        "khorasan-razavi": "خراسان رضوی",
        "khorasan-south": "خراسان جنوبی",
        "khuzestan": "خوزستان",
        "kohgiluyeh": "کهگیلویه و بویراحمد",
        "kurdistan": "کردستان",
        "lorestan": "لرستان",
        "markazi": "مرکزی",
        "mazandaran": "مازندران",
        "qazvin": "قزوین",
        "qom": "قم",
        "semnan": "سمنان",
        "sistan": "سیستان و بلوچستان",
        "tehran": "تهران",
        "yazd": "یزد",
        "zanjan": "زنجان",
    }
)

#: The four widgets real sites print inside the article body (docs/quality.md#in-body-widgets):
#: by the class names of their plugins and CMS blocks, and by their shape with the
#: pseudo-classes ``:link-list``, ``:related-heading`` and ``:social-links`` (not CSS: found by
#: ``newscrawler/extraction/widgets.py``). Photo credits go with the figures (``CAPTIONS``).
IN_BODY_WIDGETS: tuple[str, ...] = (
    # related news: WordPress plugins (Jetpack, Contextual Related Posts, Related Posts for
    # WordPress), CMS boxes; a list of links to the site, under a heading or not
    ":link-list",
    ":related-heading",
    ".related_news",
    ".news-related",
    ".news_related",
    ".related-posts",
    ".related-post",
    ".relatedposts",
    "#jp-relatedposts",
    ".jp-relatedposts",
    ".crp_related",
    ".rp4wp-related-posts",
    ".inline-related",
    ".related-inline",
    ".also-read",
    ".read-also",
    # social calls to action: a block of messenger links, messenger channel boxes
    ":social-links",
    ".social-links",
    ".social-follow",
    ".follow-us",
    ".join-us",
    ".join-channel",
    ".channel-join",
    ".telegram-channel",
    ".telegram-box",
    ".telegram-join",
    ".eitaa-box",
    ".eitaa-channel",
    ".messenger-channels",
    ".social-channels",
    # star ratings: WP-PostRatings, KK Star Ratings, Yasr, Rate My Post, GD Rating System,
    # Rating-Widget, jQuery RateIt, the CMS families' own
    ".post-ratings",
    ".post-ratings-loading",
    ".kk-star-ratings",
    "[class*=kksr-]",
    "[class*=yasr-]",
    ".rmp-widgets-container",
    ".rmp-rating-widget",
    ".gdrts-rating-block",
    ".rw-ui-container",
    ".rateit",
    "#rateit",
    ".ratings",
    ".star-rating",
    ".star-ratings",
    ".rating-stars",
    ".rating-box",
    ".rating_box",
    ".rate-box",
    ".rate_box",
    ".post-rating",
    ".news-rate",
    ".news_rate",
    ".news-rating",
    ".news_rating",
    "div.rate",
    "ul.rate",
)

#: Widgets dropped from every page before any text is taken (CMS-independent). Figures go
#: last, after their images and captions have been read (see ``FIGURES``).
COMMON_DROP: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "svg",
    "video",
    "audio",
    "#comments",
    ".comments",
    ".comment-list",
    ".comments-list",
    ".share",
    ".sharing",
    ".social-share",
    ".sharedaddy",
    ".related",
    ".related-news",
    ".yarpp",
    ".bs-irp",
    ".short-link",
    ".short_link_cnt",
    ".shortlink",
    ".like-box",
    ".post-like",
    ".rating",
    ".ads",
    ".advertisement",
    ".td-a-rec",
    "[class*=adspot]",
    "[class*=ads-]",
    ".banner",
    ".tags",
    ".post-tags",
    ".hot-topics",
    ".breadcrumb",
    *IN_BODY_WIDGETS,
)

#: Caption and photo-credit blocks of themes that print them outside a figure.
CAPTIONS: tuple[str, ...] = (
    ".caption",
    ".image-caption",
    ".image_caption",
    ".img-caption",
    ".photo-caption",
    ".photo-credit",
    ".image-credit",
    ".img-credit",
    ".credit",
)

#: Image containers: read into ``images`` first, then removed so captions stay out of the body.
FIGURES: tuple[str, ...] = ("figure", "figcaption", ".wp-caption", ".wp-caption-text", *CAPTIONS)


@dataclass(frozen=True, kw_only=True)
class Selectors:
    """CSS selectors of one page template. ``None`` means the template has no such field.

    Text selectors name elements (not ``::text``); the extractor takes their text. ``article``
    scopes every article-page selector; ``drop`` lists widget elements removed before text is
    taken (added to :data:`COMMON_DROP`).
    """

    # article page
    article: str = "article"
    title: str | None = "h1"  # None: the generic headline rule (extraction/generic.py)
    body: str | None
    kicker: str | None = None
    subtitle: str | None = None
    lead: str | None = None
    date: str | None = None
    modified: str | None = None
    tags: str | None = None
    section: str | None = None
    author: str | None = None
    news_id: str | None = None
    images: str = "figure, .wp-caption, img"
    lead_image: str | None = None
    """The main photo when the template prints it outside the body (read into ``images``)."""
    drop: tuple[str, ...] = ()
    # listing page
    article_links: str = "a"
    next_page: str | None = None


@dataclass(frozen=True, kw_only=True)
class SiteProfile:
    """One news source."""

    name: str
    """Spider name and output folder, lowercase ASCII (``scrapy crawl <name>``)."""
    title: str
    """The site's Persian name."""
    cms: str
    """CMS family: nastooh, iransamaneh, asam, studiokhabar, wordpress, generic."""
    base_url: str
    """Scheme and host, e.g. ``https://www.irna.ir``; ``-a base_url=`` rebases a crawl."""
    selectors: Selectors
    article_url: str
    """Regex over a URL path; matching links are articles. Group ``id`` is the news id."""
    canonical: str | None = None
    """Path template of the canonical short URL, e.g. ``/news/{id}``."""
    home: tuple[str, ...] = ("/",)
    """Listing pages crawled when no province or section is asked for."""
    provinces: Mapping[str, str | None] = field(default_factory=dict)
    """Province slug → path of that province's listing page; ``None`` when the site has a
    service for the province but its entry point is not known (``-a province=?`` says so:
    never a guessed URL). Slugs the mapping leaves out have no listing. See docs/provinces.md."""
    sections: Mapping[str, str] = field(default_factory=dict)
    """Section slug → path of that section's listing page."""
    feeds: tuple[str, ...] = ()
    """RSS/Atom feed paths."""
    sitemaps: tuple[str, ...] = ()
    """Sitemap (or news sitemap, or sitemap index) paths."""
    province: str | None = None
    """Province slug of a provincial portal: every article of the site is about it."""
    drop_text: tuple[str, ...] = ()
    """Extra boilerplate phrases: a body line starting with one of them is dropped."""
    deny: tuple[str, ...] = (
        r"/print/",
        r"/printmail/",
        r"/wp-login",
        r"/search",
        r"/(en|ar|tr)/",
        r"\.(pdf|jpe?g|png|gif|webp|mp3|mp4|zip|rar|docx?|xlsx?)$",
    )
    """Regexes over URL paths never followed."""
    custom_settings: Mapping[str, Any] = field(default_factory=dict)
    """Per-site Scrapy settings (politeness)."""
    generic_fallback: bool = False
    """When the body selector matches nothing, look for the main text block instead (used for
    pages of unknown sites; a real profile reports the miss so a redesign is noticed)."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"profile name {self.name!r} must be lowercase ASCII")
        if "(?P<id>" not in self.article_url:
            raise ValueError(f"{self.name}: article_url needs a (?P<id>...) group")
        re.compile(self.article_url)
        slugs = set(self.provinces) | ({self.province} if self.province else set())
        unknown = slugs - set(PROVINCES)
        if unknown:
            raise ValueError(f"{self.name}: unknown province slugs {sorted(unknown)}")

    @property
    def domain(self) -> str:
        """Host without ``www.``: links to it or its subdomains are on-site."""
        host = urlsplit(self.base_url).hostname or ""
        return host.removeprefix("www.")

    def news_id(self, url: str) -> str | None:
        """The news id in an article URL, or ``None`` when the URL is not an article."""
        match = re.search(self.article_url, urlsplit(url).path)
        return match.group("id") if match else None

    def rebased(self, base_url: str) -> SiteProfile:
        """The same site served elsewhere (a mirror, the offline demo, a test server)."""
        return replace(self, base_url=base_url.rstrip("/"))
