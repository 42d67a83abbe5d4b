"""The registry of regional portals: its checks refuse bad rows by name, its data covers every
province (or says which it cannot), its lookups ignore ``www.``, and ``python -m newscrawler
sites`` lists every source by province, as text and as JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newscrawler.cli import main
from newscrawler.sites import profiles
from newscrawler.sites.profile import PROVINCES
from newscrawler.sites.registry import (
    KINDS,
    KNOWN_GAPS,
    Portal,
    by_province,
    counts,
    index,
    portal,
    portals,
    sources,
)

GOOD = Portal(
    host="www.example-portal.ir",
    name="نمونه",
    province="qazvin",
    kind="portal",
    cms="wordpress",
    feeds=("/feed/",),
    source="a test",
)


def test_a_good_row_is_indexed_by_its_host() -> None:
    assert dict(index([GOOD])) == {"www.example-portal.ir": GOOD}


@pytest.mark.parametrize(
    "host",
    [
        "https://example.ir",
        "Example.ir",
        "example.ir/news",
        "example.ir:8080",
        "example",
        "exa mple.ir",
        "example.ir.",
        "-example.ir",
        "",
    ],
)
def test_a_malformed_host_is_refused_naming_the_row(host: str) -> None:
    with pytest.raises(ValueError, match=r"portal row .* \(نمونه\): host .* is not a lowercase"):
        index([GOOD, replace(GOOD, host=host)])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("province", "atlantis", "unknown province 'atlantis'"),
        ("cms", "joomla", "unknown cms 'joomla'"),
        ("kind", "blog", "kind 'blog' is not one of"),
        ("name", " ", "name is empty"),
        ("source", "", "source is empty"),
        ("feeds", ("feed.xml",), "'feed.xml' is neither a path nor an http"),
        ("sitemaps", ("ftp://x/sitemap.xml",), "neither a path nor an http"),
    ],
)
def test_a_bad_field_is_refused_naming_the_row(field: str, value: object, message: str) -> None:
    bad = replace(GOOD, host="bad.example.ir", **{field: value})
    with pytest.raises(ValueError, match=r"portal row 'bad\.example\.ir'") as raised:
        index([GOOD, bad])
    assert message in str(raised.value)


def test_no_cms_is_allowed() -> None:
    assert index([replace(GOOD, cms=None)])["www.example-portal.ir"].cms is None


@pytest.mark.parametrize("host", ["www.example-portal.ir", "example-portal.ir"])
def test_a_host_listed_twice_is_refused_with_or_without_www(host: str) -> None:
    with pytest.raises(ValueError, match=r"duplicate of 'www.example-portal.ir'"):
        index([GOOD, replace(GOOD, host=host, name="دوباره")])


def test_the_registry_loads_and_every_row_is_sourced() -> None:
    rows = portals()
    assert len(rows) >= 60
    assert all(row.source.strip() and row.kind in KINDS for row in rows.values())
    assert list(rows) == sorted(rows)


def test_every_province_has_a_row_or_is_a_known_gap() -> None:
    covered = {row.province for row in portals().values()}
    assert set(PROVINCES) >= KNOWN_GAPS
    assert covered.isdisjoint(KNOWN_GAPS), "a province with a row is no gap any more"
    assert covered | KNOWN_GAPS == set(PROVINCES)


def test_no_row_duplicates_a_profiled_site() -> None:
    profiled = {profile.domain for profile in profiles().values()}
    assert profiled.isdisjoint(row.domain for row in portals().values())


def test_registry_and_portal_modules_are_no_site_profiles() -> None:
    names = set(profiles())
    assert not names & {"registry", "portals", "portals_west", "portals_north"}


@pytest.mark.parametrize(
    "asked", ["www.pgnews.ir", "pgnews.ir", "WWW.PGNEWS.IR", " pgnews.ir. ", "www.anaj.ir"]
)
def test_portal_lookup_ignores_www_and_case(asked: str) -> None:
    row = portal(asked)
    assert row is not None
    assert row.domain == asked.strip().lower().rstrip(".").removeprefix("www.")


def test_portal_lookup_of_an_unknown_host_is_none() -> None:
    assert portal("nosuchportal.example") is None
    assert portal("irna.ir") is None  # profiled, not a registry row


def test_by_province_lists_that_province_only() -> None:
    rows = by_province("bushehr")
    assert {row.host for row in rows} >= {"www.pgnews.ir", "bushehrnews.ir"}
    assert all(row.province == "bushehr" for row in rows)
    assert [row.host for row in rows] == sorted(row.host for row in rows)
    with pytest.raises(ValueError, match="unknown province 'boshehr'"):
        by_province("boshehr")


def test_sources_put_profiles_desks_and_rows_side_by_side() -> None:
    found = sources()
    kinds = {line.type for line in found}
    assert {"profile", "portal", "newspaper"} <= kinds
    national = [line for line in found if line.province == "national"]
    assert national == found[len(found) - len(national) :]  # national last
    provinces = [line.province for line in found if line.province != "national"]
    assert provinces == sorted(provinces)
    kerman = {(line.type, line.site) for line in sources("kerman")}
    assert ("profile", "kermaneno") in kerman
    assert ("portal", "fardayekerman.ir") in kerman
    desks = {(line.site, line.province) for line in found if line.type == "desk"}
    expected = {
        (profile.name, slug)
        for profile in profiles().values()
        for slug, path in profile.provinces.items()
        if path
    }
    assert desks == expected
    assert counts(sources("kerman"))["kerman"] == len(sources("kerman"))


def run_sites(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["sites", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sites_lists_every_source_then_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_sites(capsys)
    assert code == 0
    listing, summary = out.split("\n\n")
    lines = listing.splitlines()
    assert len(lines) == len(sources())
    row = next(line for line in lines if " www.pgnews.ir " in line)
    assert row.split()[:5] == ["bushehr", "portal", "www.pgnews.ir", "wordpress", "generic"]
    assert row.endswith("خلیج فارس")
    assert any(line.split()[:3] == ["kerman", "profile", "kermaneno.ir"] for line in lines)
    assert any(line.startswith("national") and " irna " in f"{line} " for line in lines)
    assert any(line.split()[3] == "unknown" for line in lines)  # a row without a family
    totals = summary.splitlines()
    assert len(totals) == len(PROVINCES) + 1
    assert totals[0].split() == ["sources", "alborz", str(counts(sources("alborz"))["alborz"])]
    assert totals[-1].startswith("provinces with fewer than 2 sources: ")


def test_sites_province_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_sites(capsys, "--province", "qazvin")
    assert code == 0
    listing, summary = out.split("\n\n")
    assert listing.splitlines()
    assert all(line.startswith("qazvin ") for line in listing.splitlines())
    assert "cafekhabarqazvin" in listing
    assert "sobheqazvin.ir" in listing
    assert summary.splitlines()[0].split()[:2] == ["sources", "qazvin"]
    assert summary.splitlines()[-1] == "provinces with fewer than 2 sources: none"


def test_sites_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_sites(capsys, "--json", "--province", "bushehr")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"sources", "counts", "fewer_than_two"}
    assert {line["province"] for line in report["sources"]} == {"bushehr"}
    row = next(line for line in report["sources"] if line["host"] == "www.pgnews.ir")
    assert row["type"] == "portal"
    assert row["cms"] == "wordpress"
    assert row["crawl"] == "generic -a site=www.pgnews.ir"
    assert report["counts"] == {"bushehr": len(report["sources"])}
    assert report["fewer_than_two"] == []


def test_sites_unknown_province_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_sites(capsys, "--province", "atlantis")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "newscrawler: error: unknown province 'atlantis'" in err
