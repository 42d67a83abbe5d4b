"""A site nobody wrote a profile for: what can be known from its host and its URLs alone.

:class:`UnknownSiteProfile` is the profile the ``generic`` spider crawls with. Its name is the
site's host (``kermaneno.ir``; ``127.0.0.1_8081`` for a host with a port), so ids, state and
output folders are stable across runs. Its CMS family is ``auto`` unless the registry knows it:
each page is then extracted with the family its markup shows
(:func:`newscrawler.extraction.detect.detect_cms`), else with the generic extractor.

Article URLs are told from other links by the shapes news sites use for them, not by a list of
sites (:func:`article_id`): a numeric news id as a path segment (``/news/85412345/…``,
``/fa/news/1403/02/29/3089765/…`` once the date is set aside), at the start of one
(``/12345-slug``) or in the query (``newstext.php?nn=13960302000065``), or a dated path with a
slug (``/2024/05/18/slug/``). Links under paths that are never articles (tags, categories,
services, archives, authors, pages of a listing, feeds, photo galleries) are not; nor are links
in a page's menus, header and footer (the generic spider reads a listing's content only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from newscrawler.sites.families import FAMILIES
from newscrawler.sites.profile import PROVINCES, SiteProfile

#: ``cms`` of a profile whose family is detected page by page.
AUTO = "auto"
#: A date in a path (year, month and maybe day: Jalali or Gregorian): not a news id.
_DATE_TRIPLE = re.compile(r"/(?:1[34]\d{2}|19\d{2}|20\d{2})/\d{1,2}(?:/\d{1,2})?(?=/|$)")
_ID_SEGMENT = re.compile(r"/(\d{4,})(?=[-_/.]|$)")
_QUERY_ID_KEYS = frozenset({"nn", "id", "newsid", "news_id", "nid", "p", "code", "newsid2"})
_DATED_SLUG = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/(?:\d{1,2}/)?[^/]*[^\d/][^/]{3,}/?$")
#: Path words of pages that list or label articles, never articles themselves.
NOT_ARTICLE_PATHS = re.compile(
    r"/(?:tag|tags|category|categories|service|services|section|archive|archives|author|"
    r"authors|page|search|feed|rss|sitemap|login|register|contact|about|ads|redirect|"
    r"newsletter|wp-admin|wp-login|cdn-cgi|"
    # photo reports and media players: galleries, not text (Fars's imgrep.php?nn=…)
    r"imgrep|mediadisplay|gallery|multimedia)(?:/|$|\.)",
    re.IGNORECASE,
)
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
#: A listing's next page on any site: every family's way, then the common ones.
NEXT_PAGE = ", ".join(
    dict.fromkeys(
        part.strip()
        for selectors in FAMILIES.values()
        for part in (selectors.next_page or "").split(",")
        if part.strip()
    )
    | dict.fromkeys(("link[rel=next]", "a.next", ".pager a.next", ".pagination .next a"))
)


def article_id(url: str) -> str | None:
    """The news id in an article URL of an unknown site; ``""`` for an article URL without a
    numeric id (a dated slug); ``None`` for a URL that is not an article's.

    >>> article_id("https://www.tasnimnews.com/fa/news/1403/02/29/3089765/slug")
    '3089765'
    >>> article_id("http://www.farsnews.com/newstext.php?nn=13960302000065")
    '13960302000065'
    >>> article_id("https://example.ir/2024/05/18/a-long-slug/")
    ''
    >>> article_id("https://example.ir/tag/12345") is None
    True
    >>> article_id("https://example.ir/fa/service/1391") is None
    True
    """
    parts = urlsplit(url)
    path = parts.path
    if NOT_ARTICLE_PATHS.search(path):
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in _QUERY_ID_KEYS and value.isdigit() and len(value) >= 3:
            return value
    ids = _ID_SEGMENT.findall(_DATE_TRIPLE.sub("", path))
    if ids:
        return str(ids[-1])
    if _DATED_SLUG.search(path):
        return ""
    return None


def site_name(url: str) -> str:
    """The stable name of the site at ``url``: its host without ``www.``, and the port when it
    is not the scheme's (``127.0.0.1_8081``).

    >>> site_name("https://www.Kermaneno.ir/news/1")
    'kermaneno.ir'
    >>> site_name("http://127.0.0.1:8081/")
    '127.0.0.1_8081'
    """
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}_{parts.port}" if parts.port not in (None, 80, 443) else host


@dataclass(frozen=True, kw_only=True)
class UnknownSiteProfile(SiteProfile):
    """The profile of a site crawled without one (module docstring)."""

    cms: str = AUTO
    article_url: str = r"(?P<id>\d{4,})"  # documentation only: :meth:`news_id` decides

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"site name {self.name!r} is not a host name")
        if self.province and self.province not in PROVINCES:
            raise ValueError(f"{self.name}: unknown province slug {self.province!r}")
        if self.cms != AUTO and self.cms not in FAMILIES:
            raise ValueError(f"{self.name}: unknown CMS family {self.cms!r}")

    def news_id(self, url: str) -> str | None:
        """Article URLs by shape (:func:`article_id`): the id, ``""`` for an article URL
        without a numeric id, ``None`` for other links."""
        return article_id(url)

    def for_family(self, family: str) -> UnknownSiteProfile:
        """This site read with ``family``'s selectors (the generic extractor behind them)."""
        return replace(self, cms=family, selectors=FAMILIES[family], generic_fallback=True)


def unknown_site(
    url: str,
    *,
    family: str | None = None,
    province: str | None = None,
    feeds: tuple[str, ...] = (),
    sitemaps: tuple[str, ...] = (),
    title: str | None = None,
) -> UnknownSiteProfile:
    """The profile of the site at ``url`` (its scheme and host; a family when known)."""
    parts = urlsplit(url)
    base = f"{parts.scheme or 'https'}://{parts.netloc}"
    return UnknownSiteProfile(
        name=site_name(url),
        title=title or (parts.hostname or ""),
        cms=family or AUTO,
        base_url=base,
        # listings: every link, told apart by its URL's shape; articles: the family's
        selectors=replace(
            FAMILIES[family or "generic"], article_links="a[href]", next_page=NEXT_PAGE
        ),
        generic_fallback=True,
        province=province,
        feeds=feeds,
        sitemaps=sitemaps,
        home=("/",),
    )
