"""A DNS resolver for the fault crawls: ``*.test`` is 127.0.0.1, ``*.invalid`` does not exist.

Set with ``-s TWISTED_DNS_RESOLVER=tests.support.faults.resolver.LoopbackResolver``. With it
one local server can stand for a site, its ``www.`` host, a subdomain and another site, each
reached by a real HTTP request; ``.invalid`` names fail at once, as on a machine without network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Any:
        if name == "test" or name.endswith(".test"):
            return defer.succeed("127.0.0.1")
        if name.endswith(".invalid"):
            return defer.fail(DNSLookupError(f"{name}: no such host (test resolver)"))
        return super().getHostByName(name, timeout)
