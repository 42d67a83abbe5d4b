"""The SSRF guard's parts (issue 14, item 7); real crawls: tests/e2e/test_network_guard.py."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from typing import Any

import pytest
from scrapy import Request, Spider
from twisted.internet.address import IPv4Address, IPv6Address

from newscrawler.crawl.network_guard import (
    AddressPolicy,
    GuardedNameResolver,
    NetworkGuardMiddleware,
    guard_reactor,
    is_public,
)
from newscrawler.crawl.outcomes import PageRejected, unreachable
from tests.support.crawl import project_crawler
from tests.support.processes import ROOT

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # shared address space (CGNAT)
    "0.0.0.0",
    "224.0.0.251",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.1.2.3",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
]
ALLOW_BAD = "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=intranet"
PUBLIC = ["8.8.8.8", "185.143.233.120", "2001:4860:4860::8888", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    assert not AddressPolicy().permits(address, 80)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_permitted(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))
    assert AddressPolicy().permits(address, 443)


def test_an_allowed_network_or_port_opens_only_that() -> None:
    policy = AddressPolicy.parse(["127.0.0.1:8080", "10.0.0.0/8", "[::1]:9000", " "])
    assert policy.permits("127.0.0.1", 8080)
    assert not policy.permits("127.0.0.1", 8081)  # another port of the same host
    assert not policy.permits("127.0.0.2", 8080)
    assert policy.permits("10.200.3.4", 1)
    assert policy.permits("::1", 9000)
    assert not policy.permits("::1", 9001)
    assert not policy.permits("169.254.169.254", 80)
    assert policy.permits("example.ir", 80)  # a name is judged on what it resolves to


@pytest.mark.parametrize("entry", ["localhost", "127.0.0.1:http", "[::1]x", "10.0.0.0/33", "1.2.3"])
def test_a_bad_allow_entry_is_named(entry: str) -> None:
    with pytest.raises(ValueError, match="NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS"):
        AddressPolicy.parse([entry])


class _Receiver:
    def __init__(self) -> None:
        self.addresses: list[Any] = []
        self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.complete = True


class _RebindingResolver:
    """A DNS that answers a public address first and a loopback one after (DNS rebinding)."""

    def __init__(self, answers: list[list[Any]]) -> None:
        self.answers = answers

    def resolveHostName(self, receiver: Any, name: str, port: int = 0, *rest: Any) -> Any:
        receiver.resolutionBegan(None)
        for address in self.answers.pop(0):
            receiver.addressResolved(address)
        receiver.resolutionComplete()
        return receiver


def test_each_resolution_is_checked_so_rebinding_gains_nothing() -> None:
    public = IPv4Address("TCP", "93.184.215.14", 80)
    inner = _RebindingResolver(
        [[public], [IPv4Address("TCP", "127.0.0.1", 80)], [IPv6Address("TCP", "::1", 80), public]]
    )
    guard = GuardedNameResolver(inner, AddressPolicy())
    answers = []
    for _ in range(3):
        receiver = _Receiver()
        guard.resolveHostName(receiver, "news.example.ir", 80)
        assert receiver.complete
        answers.append([a.host for a in receiver.addresses])
    # what a connection gets: the public address, nothing, then only the public one
    assert answers == [["93.184.215.14"], [], ["93.184.215.14"]]
    assert guard.refused("news.example.ir", 80) is None  # the last answer had a good address


def test_a_name_with_only_private_answers_is_remembered_per_port() -> None:
    inner = _RebindingResolver([[IPv4Address("TCP", "10.0.0.7", 8080)]])
    guard = GuardedNameResolver(inner, AddressPolicy())
    guard.resolveHostName(_Receiver(), "intranet.example.ir", 8080)
    assert guard.refused("intranet.example.ir", 8080) == "10.0.0.7"
    assert guard.refused("intranet.example.ir", 80) is None


class _Reactor:
    def __init__(self, resolver: Any) -> None:
        self.nameResolver = resolver

    def installNameResolver(self, resolver: Any) -> Any:
        previous, self.nameResolver = self.nameResolver, resolver
        return previous


def test_the_guard_wraps_the_installed_resolver_once() -> None:
    inner = object()
    reactor = _Reactor(inner)
    guard = guard_reactor(reactor, AddressPolicy())
    assert reactor.nameResolver is guard
    assert guard.inner is inner
    assert guard_reactor(reactor, AddressPolicy.parse(["10.0.0.0/8"])) is guard


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://[::1]:8080/news/1/",
        "http://10.1.2.3/1/",
        "http://169.254.169.254/latest/meta-data/",
        "https://[::ffff:7f00:1]/",
        "http://0.0.0.0:8000/",
    ],
)
def test_literal_private_addresses_are_refused_before_anything_is_sent(url: str) -> None:
    crawler = project_crawler(Spider)
    crawler.spider = Spider("t")
    middleware = NetworkGuardMiddleware.from_crawler(crawler)
    with pytest.raises(PageRejected) as caught:
        middleware.process_request(Request(url))
    assert caught.value.reason == "private_address"
    middleware.process_request(Request("http://8.8.8.8/news/1/"))  # a public one passes


def test_a_mirror_allowed_with_the_setting_is_let_through() -> None:
    crawler = project_crawler(Spider, NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS="127.0.0.1:8080")
    crawler.spider = Spider("t")
    middleware = NetworkGuardMiddleware.from_crawler(crawler)
    middleware.process_request(Request("http://127.0.0.1:8080/"))
    with pytest.raises(PageRejected):
        middleware.process_request(Request("http://127.0.0.1:8081/"))


def test_a_run_refused_everything_says_how_to_allow_a_mirror() -> None:
    why = unreachable({"response_received_count": 0, "newscrawler/skipped/private_address": 3})
    assert why is not None
    assert "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS" in why
    assert "3 requests" in why


def test_scrapy_crawl_refuses_a_bad_allow_entry_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "irna", "-s", ALLOW_BAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert errors == [
        "newscrawler: error: NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS: 'intranet' is not an IP address "
        "or network (e.g. 127.0.0.1, 10.0.0.0/8, 127.0.0.1:8080, [::1]:8080)"
    ]
    assert "Traceback" not in result.stderr
