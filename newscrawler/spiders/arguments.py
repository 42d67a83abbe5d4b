"""Spider arguments (``-a name=value``), parsed once into a typed, frozen object.

The spider checks them when it is built (and ``scrapy crawl`` before it starts, for a one-line
error and exit status 2); pipelines, middlewares and the run manifest read the parsed
:class:`CrawlArguments` from the spider, never the raw strings.

``province``   a province slug the site has a listing for (``scrapy crawl irna -a province=qazvin``)
               or ``all``: every provincial listing of the site, each article with its
               listing's province; ``?`` prints every province with its entry point (or
               ``unknown``) and stops, exit 0 (docs/provinces.md)
``section``    a section slug of the site
``since``      ``YYYY-MM-DD`` (Gregorian or Jalali): skip articles published before it
``max_articles``  stop scheduling article pages after this many (default: no limit)
``max_pages``  listing pages followed per entry point, pagination included (default 5); pagination
               adds no depth, so ``DEPTH_LIMIT`` does not cut it short
``base_url``   crawl a mirror of the site (the offline demo, a test server)
``start_url``  crawl only this listing, feed, sitemap or article URL, on the site's host or its
               subdomains (on ``base_url``'s host when one is given): another host is refused,
               it would be filtered as off-site
``sources``    which discovery to use: comma list of listing, feed, sitemap (default: all)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newscrawler.extraction.urls import same_site
from newscrawler.persian.dates import TEHRAN, parse_since
from newscrawler.sites.profile import PROVINCES

if TYPE_CHECKING:
    from newscrawler.sites.profile import SiteProfile

#: Ways to find articles, in the order a spider starts them.
DISCOVERY = ("listing", "feed", "sitemap")
DEFAULT_MAX_PAGES = 5
#: ``-a province=all``: every provincial listing the profile knows.
ALL_PROVINCES = "all"
#: ``-a province=?``: list the site's provinces and their entry points, crawl nothing.
LIST_PROVINCES = "?"


class SpiderArgumentError(ValueError):
    """A spider argument is unknown or malformed; the message says which and why."""


class ProvincesListed(SystemExit):
    """``province=?`` printed the site's provinces: the run ends there, successfully (like
    argparse's ``--help``), before anything is crawled."""


def provincial_listings(profile: SiteProfile) -> dict[str, str]:
    """Province slug → listing path, for every province whose entry point the profile knows."""
    return {slug: path for slug, path in profile.provinces.items() if path}


def province_lines(profile: SiteProfile, base_url: str | None = None) -> list[str]:
    """What ``province=?`` prints: one line per province, its slug and its entry point (an
    absolute URL), ``unknown`` when the site has a service there whose entry point is not
    known, or ``none`` when the site has none; a provincial portal's one province is its
    whole site."""
    base = (base_url or profile.base_url).rstrip("/")
    if profile.province and not profile.provinces:
        return [f"{profile.province} {base}{profile.home[0]} (the whole site)"]
    if not profile.provinces:
        return [f"{profile.name} has no provincial listings"]
    width = max(len(slug) for slug in PROVINCES)
    lines = []
    for slug in PROVINCES:
        path = profile.provinces.get(slug)
        where = "none" if slug not in profile.provinces else base + path if path else "unknown"
        lines.append(f"{slug:<{width}} {where}")
    return lines


def _province(profile: SiteProfile, province: str) -> str:
    """A ``province=`` value the site can crawl: one of its provinces with a known listing, its
    own province (a provincial portal), or ``all`` when it has provincial listings."""
    known = provincial_listings(profile)
    if province == ALL_PROVINCES:
        if not known:
            raise SpiderArgumentError(
                f"{profile.name} has no provincial listings: province=all crawls an agency's "
                "provincial services"
            )
        return province
    if province in known or province == profile.province:
        return province
    listed = ", ".join(sorted(known)) or "none"
    why = ": its entry point is unknown" if province in profile.provinces else ""
    raise SpiderArgumentError(
        f"{profile.name} has no listing for province {province!r}{why}; known: {listed} "
        "(all: every one; ?: each province's entry point)"
    )


def _positive_int(name: str, raw: Any) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise SpiderArgumentError(f"{name}={raw!r} is not a whole number") from None
    if value < 1:
        raise SpiderArgumentError(f"{name}={raw!r} must be 1 or more")
    return value


def http_url(name: str, raw: Any) -> str:
    """``raw`` when it is an http(s) URL with a host, else the one-line error naming ``name``."""
    parts = urlsplit(str(raw))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SpiderArgumentError(f"{name}={raw!r} is not an http(s) URL")
    return str(raw)


def _on_site(profile: SiteProfile, start_url: str, base_url: str | None) -> None:
    """Refuse a ``start_url`` the crawl would filter as off-site (it crawls the site's domain,
    or ``base_url``'s host for a mirror, and their subdomains)."""
    host = urlsplit(base_url or profile.base_url).hostname or profile.domain
    if not same_site(start_url, host):
        where = f"base_url's host {host}" if base_url else f"{profile.name}'s host {host}"
        raise SpiderArgumentError(
            f"start_url={start_url!r} is not on {where} (or its subdomains): the crawl would "
            "filter it as off-site; give a URL of the site"
            + ("" if base_url else ", or base_url= for a mirror")
        )


def _since(raw: Any) -> datetime:
    try:
        since = parse_since(str(raw))
    except ValueError as exc:
        raise SpiderArgumentError(str(exc)) from None
    if since > datetime.now(TEHRAN):
        raise SpiderArgumentError(f"since={raw!r} is in the future")
    return since


def _sources(raw: Any) -> tuple[str, ...]:
    sources = tuple(s.strip() for s in str(raw).split(",") if s.strip())
    if not sources or any(s not in DISCOVERY for s in sources):
        raise SpiderArgumentError(f"sources={raw!r}: use a comma list of {', '.join(DISCOVERY)}")
    return sources


@dataclass(frozen=True, kw_only=True)
class CrawlArguments:
    """What a run was asked to crawl (see the module docstring for each argument)."""

    province: str | None = None
    section: str | None = None
    since: datetime | None = None
    max_articles: int | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    base_url: str | None = None
    start_url: str | None = None
    sources: tuple[str, ...] = DISCOVERY

    @property
    def one_province(self) -> str | None:
        """The one province asked for (``None`` for none, or for ``all``: each listing then
        gives its own)."""
        return None if self.province == ALL_PROVINCES else self.province

    @classmethod
    def names(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))

    @classmethod
    def parse(cls, profile: SiteProfile, **raw: Any) -> CrawlArguments:
        """Check raw ``-a`` values against the site's profile; :class:`SpiderArgumentError`
        with one clear line for the first problem."""
        unknown = set(raw) - cls.names() - {"_job"}
        if unknown:
            raise SpiderArgumentError(
                f"unknown argument {sorted(unknown)[0]!r} for {profile.name}; "
                f"known: {', '.join(sorted(cls.names()))}"
            )
        given = {k: v for k, v in raw.items() if v is not None and k != "_job"}
        province = given.get("province")
        if province == LIST_PROVINCES:
            base_url = http_url("base_url", given["base_url"]) if "base_url" in given else None
            print("\n".join(province_lines(profile, base_url)))
            raise ProvincesListed(0)
        if province is not None:
            province = _province(profile, str(province))
        section = given.get("section")
        if section is not None and section not in profile.sections:
            known = ", ".join(sorted(profile.sections)) or "none"
            raise SpiderArgumentError(f"{profile.name} has no section {section!r}; known: {known}")
        parsed: dict[str, Any] = {"province": province, "section": section}
        if "since" in given:
            parsed["since"] = _since(given["since"])
        for name in ("max_articles", "max_pages"):
            if name in given:
                parsed[name] = _positive_int(name, given[name])
        for name in ("base_url", "start_url"):
            if name in given:
                parsed[name] = http_url(name, given[name])
        if "start_url" in parsed:
            _on_site(profile, parsed["start_url"], parsed.get("base_url"))
        if "sources" in given:
            parsed["sources"] = _sources(given["sources"])
        return cls(**parsed)

    def for_manifest(self) -> dict[str, str]:
        """The arguments in force, as strings (``sources`` as a comma list)."""
        shown: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, tuple):
                shown[f.name] = ",".join(value)
            else:
                shown[f.name] = str(value)
        return shown
