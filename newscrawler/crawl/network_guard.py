"""No request into private networks (SSRF): the crawl connects to public addresses only.

A news site is public; what its pages link to or redirect to need not be. A link to another
port of the site's own host, a protocol-relative ``//127.0.0.1:6379/``, a redirect to
``169.254.169.254`` (a cloud's metadata service) or a subdomain whose DNS answer is ``10.0.0.5``
would make an unattended crawler fetch an internal service and write what it said.

Two layers, both driven by one :class:`AddressPolicy` (``NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS``):

* :class:`GuardedNameResolver` wraps the reactor's name resolver, so the check is made on the
  addresses a connection is actually about to use, at connect time, for every request
  (redirects, robots.txt and retries included). A refused address is never handed to the
  connection, so a DNS answer that changes between a check and a connect (DNS rebinding) gains
  nothing: there is no earlier check to fool. IPv4, IPv6 and IPv4-mapped IPv6 are checked.
* :class:`NetworkGuardMiddleware` installs that resolver (whatever resolver the process set up:
  ``TWISTED_DNS_RESOLVER``, a test's, a ``CrawlerRunner``'s), refuses literal private addresses
  before anything is sent (robots.txt included), and turns a name that resolved only to refused
  addresses into a counted skip, ``newscrawler/skipped/private_address``.

A crawl through an HTTP proxy connects to the proxy only; what the proxy reaches is its policy.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import CannotResolveHostError
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer, provider

from newscrawler.crawl.outcomes import PageRejected

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from scrapy.crawler import Crawler
    from scrapy.http import Request
    from twisted.internet.interfaces import IAddress, IHostResolution

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Names remembered as "resolved only to refused addresses" (for the counted reason).
_REMEMBERED = 4096


def is_public(address: Address) -> bool:
    """Whether ``address`` is a public unicast address a news site can live at.

    Loopback, private (RFC 1918, ULA), shared (CGNAT), link-local (cloud metadata services),
    multicast, reserved and unspecified addresses are not; IPv6 addresses that carry an IPv4
    address (IPv4-mapped, 6to4) are judged by that address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return is_public(inner)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a crawl may connect to: public ones, and the private networks (optionally
    one port of them) an operator allowed for a local mirror, the demo or tests."""

    allowed: tuple[tuple[Network, int | None], ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Self:
        """Entries such as ``127.0.0.1``, ``10.0.0.0/8``, ``127.0.0.1:8080``, ``[::1]:8080``,
        ``::1``; a bad entry raises :class:`ValueError` naming it."""
        allowed = []
        for raw in entries:
            entry = raw.strip()
            if entry:
                allowed.append(_parse_entry(entry))
        return cls(tuple(allowed))

    def permits(self, host: str, port: int | None) -> bool:
        """Whether a connection to ``host`` (an IP address) on ``port`` is allowed."""
        return _permits(self, host, port)


@lru_cache(maxsize=256)
def _permits(policy: AddressPolicy, host: str, port: int | None) -> bool:
    """:meth:`AddressPolicy.permits`, remembered: asked for every request, of a crawl's few
    hosts (parsing an address and testing its ranges: 50 µs)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return True  # a name, not an address: judged on what it resolves to
    if is_public(address):
        return True
    return any(
        address in network and (only is None or only == port) for network, only in policy.allowed
    )


def _parse_entry(entry: str) -> tuple[Network, int | None]:
    host, port = entry, None
    if entry.startswith("["):  # [::1]:8080
        host, _, rest = entry[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
        if rest and port is None:
            raise ValueError(f"NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS: bad entry {entry!r}")
    elif entry.count(":") == 1:  # 127.0.0.1:8080
        host, _, number = entry.partition(":")
        if not number.isdigit():
            raise ValueError(f"NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS: bad port in {entry!r}")
        port = int(number)
    try:
        return ipaddress.ip_network(host, strict=False), port
    except ValueError:
        raise ValueError(
            f"NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS: {entry!r} is not an IP address or network "
            "(e.g. 127.0.0.1, 10.0.0.0/8, 127.0.0.1:8080, [::1]:8080)"
        ) from None


@provider(IResolutionReceiver)
class _FilteringReceiver:
    """Passes on the addresses the policy permits; remembers a name that had none."""

    def __init__(self, guard: GuardedNameResolver, receiver: Any, name: str, port: int) -> None:
        self.guard, self.receiver, self.name, self.port = guard, receiver, name, port
        self.passed = 0
        self.refused: list[str] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        host = str(getattr(address, "host", ""))
        if self.guard.policy.permits(host, self.port):
            self.passed += 1
            self.receiver.addressResolved(address)
        else:
            self.refused.append(host)

    def resolutionComplete(self) -> None:
        if self.refused and not self.passed:
            self.guard.remember(self.name, self.port, self.refused[0])
        elif self.passed:
            self.guard.forget(self.name, self.port)
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class GuardedNameResolver:
    """The reactor's name resolver, minus the addresses :attr:`policy` refuses."""

    def __init__(self, inner: Any, policy: AddressPolicy) -> None:
        self.inner = inner
        self.policy = policy
        self._refused: OrderedDict[tuple[str, int], str] = OrderedDict()

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver = _FilteringReceiver(self, resolutionReceiver, hostName, portNumber)
        result: IHostResolution = self.inner.resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
        return result

    def remember(self, name: str, port: int, address: str) -> None:
        self._refused[name, port] = address
        self._refused.move_to_end((name, port))
        while len(self._refused) > _REMEMBERED:
            self._refused.popitem(last=False)

    def forget(self, name: str, port: int) -> None:
        self._refused.pop((name, port), None)

    def refused(self, name: str, port: int) -> str | None:
        """The refused address ``name`` last resolved to for a connection to ``port``, if it
        resolved to nothing the policy permits."""
        return self._refused.get((name, port))


def guard_reactor(reactor: Any, policy: AddressPolicy) -> GuardedNameResolver:
    """Install a :class:`GuardedNameResolver` around the reactor's resolver (once per process:
    a guard already there is kept, with its policy)."""
    current = reactor.nameResolver
    if isinstance(current, GuardedNameResolver):
        return current
    guard = GuardedNameResolver(current, policy)
    reactor.installNameResolver(guard)
    return guard


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port out of range: the download fails on its own
        port = None
    return parts.hostname or "", port or (443 if parts.scheme == "https" else 80)


class NetworkGuardMiddleware:
    """Downloader middleware: no connection to a private address unless allowed (module doc)."""

    def __init__(self, crawler: Crawler, policy: AddressPolicy) -> None:
        self.crawler = crawler
        self.policy = policy
        self.guard: GuardedNameResolver | None = None
        self._warned = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        entries = crawler.settings.getlist("NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS")
        return cls(crawler, AddressPolicy.parse(entries))

    def spider_opened(self) -> None:
        self._install()

    def _current(self) -> GuardedNameResolver:
        """The installed guard. The reactor's resolver may be replaced after the spider opens (a
        CrawlerProcess sets up its own when the reactor starts): checked on every request, it is
        one comparison."""
        from twisted.internet import reactor

        installed = getattr(reactor, "nameResolver", None)
        if isinstance(installed, GuardedNameResolver) and installed is self.guard:
            return installed
        return self._install()

    def _install(self) -> GuardedNameResolver:
        from twisted.internet import reactor

        guard = guard_reactor(reactor, self.policy)
        if guard.policy != self.policy and self.guard is None:
            logger.warning(
                "another crawl in this process set the private-network policy first; its "
                "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS applies to this one too"
            )
        self.guard = guard
        return guard

    def process_request(self, request: Request) -> None:
        guard = self._current()
        host, port = _host_port(request.url)
        if not self.policy.permits(host, port):
            self._refuse(request, host, port)
        elif (address := guard.refused(host, port)) is not None:
            self._refuse(request, host, port, address)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, (CannotResolveHostError, DNSLookupError)) and self.guard:
            host, port = _host_port(request.url)
            if (address := self.guard.refused(host, port)) is not None:
                self._refuse(request, host, port, address)

    def _refuse(self, request: Request, host: str, port: int, address: str = "") -> None:
        """Reject ``request``; the spider's errback counts it (``skipped/private_address``)."""
        if not self._warned:
            self._warned = True
            where = f"{host} ({address})" if address else host
            logger.warning(
                "not connecting to %s: a private, loopback or reserved address; counted as "
                "newscrawler/skipped/private_address (warned once per run). A local mirror is "
                "allowed with -s NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=<address>[:port]",
                f"{where}:{port}",
                extra={"spider": self.crawler.spider},
            )
        raise PageRejected("private_address", f"{request.url} → {address or host}")
