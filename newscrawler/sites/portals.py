"""The registry's rows: every regional portal and provincial newspaper, one :class:`Portal`
each, gathered from the region modules (``portals_west.py``, ``portals_north.py``,
``portals_south.py``, ``portals_east.py``) so that no data module outgrows the 400-line rule.

:func:`newscrawler.sites.registry.portals` reads :data:`ROWS` and checks them; nothing else
should import this module. To add a site, add a row to its region's module (docs/sites.md).
"""

from __future__ import annotations

from newscrawler.sites.portals_east import EAST
from newscrawler.sites.portals_north import NORTH
from newscrawler.sites.portals_south import SOUTH
from newscrawler.sites.portals_west import WEST
from newscrawler.sites.registry import Portal

ROWS: tuple[Portal, ...] = (*WEST, *NORTH, *SOUTH, *EAST)
