"""The registry of regional portals: news sites nobody wrote a profile for, as data.

A profile (``newscrawler/sites/<site>.py``) is a site we know selector by selector. Most of the
provinces' own portals and newspapers will never get one, yet the ``generic`` spider can crawl
them (``scrapy crawl generic -a site=<host>``) when it knows a few facts: the host, the
province its articles are about, the CMS family when a source names it, and the feeds and
sitemaps when a source lists them. A :class:`Portal` holds exactly those facts plus where they
came from, one row per site, in the data modules ``portals.py`` and ``portals_<region>.py``
(how to add a row, and the sources: ``docs/sites.md``).

The rows are checked once, on first use (:func:`portals`), so a typo in a host, a province
slug or a family name stops everything that reads the registry with one line naming the row,
instead of surfacing as a crawl of the wrong host. :func:`sources` puts the three kinds of
source side by side (profiled sites, the agencies' provincial desks, registry rows) for
``python -m newscrawler sites`` and for whoever asks "what covers this province?".
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, cast

from newscrawler.sites import profiles
from newscrawler.sites.families import FAMILIES
from newscrawler.sites.profile import PROVINCES

if TYPE_CHECKING:
    from newscrawler.sites.profile import SiteProfile

#: What a row is: a regional portal, a provincial newspaper's site, or a national agency's (or
#: outlet's) provincial site on a host of its own.
KINDS = ("portal", "newspaper", "agency-desk")

#: Provinces for which no portal or newspaper could be named from a public source; each is
#: explained in docs/sites.md. A province leaves this set when its first row is added.
KNOWN_GAPS: frozenset[str] = frozenset()

#: A host as the web spells it: lowercase DNS labels, a dot, an alphabetic top-level domain.
#: No scheme, port, path or trailing dot: the generic spider builds URLs from it.
HOST = re.compile(r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True, kw_only=True)
class Portal:
    """One regional news site, with the facts a crawl needs and where each came from."""

    host: str
    """Host as its pages are served, lowercase, no scheme (``www.pgnews.ir``, ``anaj.ir``)."""
    name: str
    """The site's Persian name (as its pages print it, else read off the host: docs/sites.md)."""
    province: str
    """Province slug (:data:`~newscrawler.sites.profile.PROVINCES`) its news is about."""
    kind: str
    """One of :data:`KINDS`."""
    cms: str | None
    """CMS family (:data:`~newscrawler.sites.families.FAMILIES`) when a source names it; ``None``
    lets the crawl detect it page by page."""
    feeds: tuple[str, ...] = ()
    """RSS/Atom feeds a source lists: paths (``/feed/``) or absolute URLs."""
    sitemaps: tuple[str, ...] = ()
    """Sitemaps a source lists: paths or absolute URLs."""
    source: str
    """Where the facts came from: URLs of the site's stored pages, a repository path, or the
    research note's section; several separated by ``; ``."""

    @property
    def domain(self) -> str:
        """Host without ``www.``: the key lookups use, as a profile's ``domain`` is."""
        return self.host.removeprefix("www.")


def _problem(row: Portal) -> str | None:
    """What is wrong with one row, or ``None``: the checks of :func:`index`, one per field."""
    if not HOST.fullmatch(row.host):
        return f"host {row.host!r} is not a lowercase host name without scheme, port or path"
    if not row.name.strip():
        return "name is empty"
    if row.province not in PROVINCES:
        return f"unknown province {row.province!r}; known: {', '.join(PROVINCES)}"
    if row.kind not in KINDS:
        return f"kind {row.kind!r} is not one of {', '.join(KINDS)}"
    if row.cms is not None and row.cms not in FAMILIES:
        return f"unknown cms {row.cms!r}; families: {', '.join(FAMILIES)} (or None)"
    for location in (*row.feeds, *row.sitemaps):
        if not re.match(r"/|https?://", location):
            return f"feed or sitemap {location!r} is neither a path nor an http(s) URL"
    if not row.source.strip():
        return "source is empty: say where the facts came from"
    return None


def index(rows: Iterable[Portal]) -> Mapping[str, Portal]:
    """The rows by host, checked: a bad row or a host listed twice (``www.`` or not) raises
    ``ValueError`` naming the row, so the data can be fixed from the message alone."""
    found: dict[str, Portal] = {}
    domains: dict[str, Portal] = {}
    for row in rows:
        problem = _problem(row)
        if problem:
            raise ValueError(f"portal row {row.host!r} ({row.name}): {problem}")
        if row.domain in domains:
            raise ValueError(
                f"portal row {row.host!r} ({row.name}): duplicate of {domains[row.domain].host!r}"
            )
        found[row.host] = domains[row.domain] = row
    return MappingProxyType(dict(sorted(found.items())))


@cache
def portals() -> Mapping[str, Portal]:
    """Every registry row by host, checked once on first use.

    The rows are read from ``portals.py`` by name: the data modules import :class:`Portal` from
    here, and a plain import the other way would make the two modules depend on each other
    (``tests/test_layout.py`` forbids import cycles).
    """
    data = importlib.import_module(f"{__package__}.portals")
    return index(cast("tuple[Portal, ...]", data.ROWS))


@cache
def _by_domain() -> Mapping[str, Portal]:
    return MappingProxyType({row.domain: row for row in portals().values()})


def portal(host: str) -> Portal | None:
    """The row of a host, ``www.`` or not and in any case; ``None`` when the registry has none."""
    key = host.strip().lower().rstrip(".").removeprefix("www.")
    return _by_domain().get(key)


def by_province(slug: str) -> list[Portal]:
    """The rows of one province, by host; ``ValueError`` for a slug that is no province (a typo
    must not read as "no portal there")."""
    if slug not in PROVINCES:
        raise ValueError(f"unknown province {slug!r}; known: {', '.join(PROVINCES)}")
    return [row for row in portals().values() if row.province == slug]


class Source(NamedTuple):
    """One line of ``python -m newscrawler sites``: a profiled site, an agency's provincial
    desk, or a registry row. ``province`` is ``"national"`` for a profiled national site."""

    province: str
    type: str
    """``profile``, ``desk`` or the registry row's kind."""
    site: str
    """The spider name of a profile or desk (``scrapy crawl <site>``), the host of a row."""
    host: str
    name: str
    cms: str
    """Family name, or ``unknown``."""
    entry: str
    """The desk's listing path (``-a province=``), empty otherwise."""


def _profile_sources(profile: SiteProfile) -> list[Source]:
    """A profile's own line (its province, or national) and one line per provincial desk it
    has an entry point for (read at run time: the agencies' maps grow)."""
    where = profile.province or "national"
    own = Source(where, "profile", profile.name, profile.domain, profile.title, profile.cms, "")
    desks = [
        Source(slug, "desk", profile.name, profile.domain, profile.title, profile.cms, path)
        for slug, path in profile.provinces.items()
        if path
    ]
    return [own, *desks]


def sources(province: str | None = None) -> list[Source]:
    """Every source, sorted by province (national last), then type and site; only one
    province's when ``province`` is given (``ValueError`` for an unknown slug)."""
    if province is not None and province not in PROVINCES:
        raise ValueError(f"unknown province {province!r}; known: {', '.join(PROVINCES)}")
    found = [line for profile in profiles().values() for line in _profile_sources(profile)]
    found += [
        Source(row.province, row.kind, row.host, row.host, row.name, row.cms or "unknown", "")
        for row in portals().values()
    ]
    order = {"profile": 0, "desk": 1}
    found.sort(key=lambda s: (s.province == "national", s.province, order.get(s.type, 2), s.site))
    return [line for line in found if province is None or line.province == province]


def counts(found: Iterable[Source]) -> dict[str, int]:
    """Sources per province (every province, zero included), from :func:`sources`' lines."""
    total = dict.fromkeys(PROVINCES, 0)
    for line in found:
        if line.province in total:
            total[line.province] += 1
    return total
