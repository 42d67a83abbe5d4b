"""A DNS resolver for the fault crawls: ``*.test`` names are local, ``*.invalid`` do not exist.

Set with ``-s TWISTED_DNS_RESOLVER=tests.support.faults.resolver.LoopbackResolver``. With it
one local server can stand for a site, its ``www.`` host, a subdomain and another site, each
reached by a real HTTP request; ``.invalid`` names fail at once, as on a machine without network.
A few names stand for a site's hosts whose DNS answer is a private address (the SSRF cases of
:mod:`tests.support.faults.private_targets`): ``ten.<…>.test`` is 10.11.12.13,
``metadata.<…>.test`` 169.254.169.254 and ``v6.<…>.test`` ``::1``; every other ``*.test`` name
is 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingHostnameResolver, HostResolution
from twisted.internet.address import IPv4Address, IPv6Address

#: First label of a ``*.test`` name → the address it resolves to (default 127.0.0.1).
PRIVATE_NAMES = {"ten": "10.11.12.13", "metadata": "169.254.169.254", "v6": "::1"}


def address_of(name: str) -> str | None:
    """What the test DNS answers for ``name``; ``None`` for a name it leaves to the system."""
    if name == "test" or name.endswith(".test"):
        return PRIVATE_NAMES.get(name.split(".", 1)[0], "127.0.0.1")
    return None


class LoopbackResolver(CachingHostnameResolver):
    def resolveHostName(
        self,
        resolutionReceiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[Any]] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        if hostName.endswith(".invalid"):  # no such host: an answer without addresses
            resolutionReceiver.resolutionBegan(HostResolution(hostName))
            resolutionReceiver.resolutionComplete()
            return resolutionReceiver
        address = address_of(hostName)
        if address is None:
            return super().resolveHostName(
                resolutionReceiver, hostName, portNumber, addressTypes, transportSemantics
            )
        kind = IPv6Address if ":" in address else IPv4Address
        resolutionReceiver.resolutionBegan(HostResolution(hostName))
        resolutionReceiver.addressResolved(kind("TCP", address, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolutionReceiver
