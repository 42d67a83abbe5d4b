"""Site knowledge, as data: every site newscrawler crawls is one module of this package.

A site module (``irna.py``, ``khuzpress.py`` …) holds one frozen ``PROFILE``
(:class:`~newscrawler.sites.profile.SiteProfile`): base URL, entry points, URL shapes and the
CMS family's selectors (:mod:`newscrawler.sites.families`) with the site's overrides. Nothing
else names a site: the spiders (:mod:`newscrawler.spiders.profiled`), the ``extract`` and
``state`` commands, the fleet and the golden tests all read :func:`profiles`, so adding a site
is adding a module here (and its golden fixtures), never touching the engine.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscrawler.sites.profile import SiteProfile

#: Modules of this package that hold no site (and ``portals*``: the registry's rows).
NOT_SITES = frozenset({"profile", "families", "unknown", "registry"})


@cache
def profiles() -> Mapping[str, SiteProfile]:
    """Every site's profile by name, sorted by name (read once, on first use).

    A module whose ``PROFILE`` is missing or named differently from the module is an error
    at start, not a site that silently never crawls.
    """
    found: dict[str, SiteProfile] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in NOT_SITES or info.name.startswith(("_", "portals")):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        profile = getattr(module, "PROFILE", None)
        if profile is None or profile.name != info.name:
            raise ImportError(
                f"{module.__name__} must define PROFILE = SiteProfile(name={info.name!r}, ...)"
            )
        found[info.name] = profile
    return MappingProxyType(dict(sorted(found.items())))


def profile(name: str) -> SiteProfile:
    """The profile of one site; ``KeyError`` naming the known sites when there is none."""
    known = profiles()
    if name not in known:
        raise KeyError(f"no site {name!r}; known: {', '.join(known)}")
    return known[name]
