"""Every province: each agency's provincial entry points as data, ``province=?``, ``province=all``.

An agency profile maps all 31 province slugs to a listing path or to ``None`` (the agency has a
service there, its entry point is not known); ``-a province=?`` prints them, ``-a province=all``
crawls every known one and gives each article the province of the listing it was found on.
"""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from scrapy.http import HtmlResponse, Request
from w3lib.url import safe_url_string

from newscrawler.fleet.seeds import seeds
from newscrawler.sites import profiles
from newscrawler.sites.profile import PROVINCES, SiteProfile
from newscrawler.spiders.arguments import (
    CrawlArguments,
    ProvincesListed,
    SpiderArgumentError,
    province_lines,
)
from newscrawler.spiders.news import NewsSpider
from newscrawler.spiders.profiled import SPIDERS
from tests.support.crawl import project_crawler
from tests.support.golden import FIXTURES
from tests.support.processes import ROOT, crawl, delivered, manifests
from tools.demo.server import DemoServer
from tools.demo.site import DemoSite, build_site

#: Each agency's provincial URL scheme (research notes §2.2): a known entry point follows it.
SCHEMES = {
    "irna": r"/service/province/[a-z]+(-[a-z]+)*",
    "isna": r"/service/Province/[A-Za-z]+(-[A-Za-z]+)*",
    "mehrnews": r"/tag/[\u0600-\u06ff\u200c]+(\+[\u0600-\u06ff\u200c]+)*",
    "tasnim": r"/fa/service/\d+",
    "yjc": r"/fa/[a-z]+(-[a-z]+)*",
    "farsnews": r"/[A-Za-z]+(-[A-Za-z]+)*/?",
}
AGENCIES = tuple(SCHEMES)
#: The first line of the comments of an agency module that name the sources of its paths.
PROVENANCE = re.compile(r"^#   (\S.*?)(?:\s{2,}|$)", re.MULTILINE)


def profile(name: str) -> SiteProfile:
    return profiles()[name]


def agency_source(name: str) -> str:
    return (ROOT / "newscrawler" / "sites" / f"{name}.py").read_text(encoding="utf-8")


def known(name: str) -> dict[str, str]:
    return {slug: path for slug, path in profile(name).provinces.items() if path}


def spider(name: str, **arguments: Any) -> NewsSpider:
    cls = SPIDERS[name]
    built: NewsSpider = cls.from_crawler(project_crawler(cls), **arguments)
    return built


def start_requests(built: NewsSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in built.start()]

    return asyncio.run(collect())


# the data ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", AGENCIES)
def test_every_agency_maps_all_31_provinces_to_a_path_or_an_explicit_unknown(name: str) -> None:
    provinces = profile(name).provinces
    assert len(PROVINCES) == 31
    assert set(provinces) == set(PROVINCES)
    for slug, path in provinces.items():
        assert path is None or re.fullmatch(SCHEMES[name], path), (slug, path)
    assert len(set(known(name).values())) == len(known(name)), "two provinces share a listing"


@pytest.mark.parametrize("name", ["irna", "isna", "tasnim", "yjc"])
def test_every_known_entry_point_names_its_source_in_the_module(name: str) -> None:
    """A path without a written source is a guess: each province with a path is named in the
    module's list of sources (``#   <provinces>  <where the fact comes from>``)."""
    named = {
        slug
        for line in PROVENANCE.findall(agency_source(name))
        for slug in re.split(r"[,\s]+", line)
        if slug in PROVINCES
    }
    assert set(known(name)) <= named, sorted(set(known(name)) - named)


def test_fars_has_a_desk_in_every_province() -> None:
    """One source lists all 31 (the «استانها» menu of farsnews.ir; the same names are the 2017
    provincial subdomains): none is unknown."""
    assert set(known("farsnews")) == set(PROVINCES)
    assert "farsnews.ir/<desk>" in agency_source("farsnews")


def test_mehr_tag_pages_are_the_provinces_persian_names() -> None:
    for slug, path in profile("mehrnews").provinces.items():
        assert path == "/tag/" + PROVINCES[slug].replace(" ", "+")


# province=? ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", AGENCIES)
def test_question_mark_lists_every_province_with_its_entry_point_or_unknown(name: str) -> None:
    site = profile(name)
    lines = province_lines(site)
    assert [line.split()[0] for line in lines] == list(PROVINCES)
    for line in lines:
        slug, where = line.split()
        path = site.provinces[slug]
        assert where == (site.base_url + path if path else "unknown")


def test_question_mark_prints_and_stops_before_any_crawl(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ProvincesListed) as stopped:
        CrawlArguments.parse(profile("tasnim"), province="?", base_url="http://127.0.0.1:9")
    assert stopped.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 31
    assert "kerman          http://127.0.0.1:9/fa/service/67" in lines
    assert "tehran          unknown" in lines


def test_a_regional_portal_lists_its_one_province(capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = province_lines(profile("khuzpress"))
    assert line == "khuzestan https://khuzpress.ir/ (the whole site)"


# bad province= values --------------------------------------------------------------------


def test_a_province_whose_entry_point_is_unknown_is_refused_in_one_line() -> None:
    with pytest.raises(SpiderArgumentError, match="'tehran': its entry point is unknown"):
        CrawlArguments.parse(profile("irna"), province="tehran")
    with pytest.raises(SpiderArgumentError, match="no listing for province 'atlantis'; known:"):
        CrawlArguments.parse(profile("irna"), province="atlantis")


def test_all_is_refused_on_a_site_without_provincial_listings() -> None:
    with pytest.raises(SpiderArgumentError, match="khuzpress has no provincial listings"):
        CrawlArguments.parse(profile("khuzpress"), province="all")
    assert CrawlArguments.parse(profile("khuzpress"), province="khuzestan").province


@pytest.mark.e2e
def test_scrapy_crawl_question_mark_exits_0_with_one_line_per_province(tmp_path: Path) -> None:
    result = run_scrapy("crawl", "yjc", "-a", "province=?", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 31
    unknown = [line for line in lines if line.endswith(" unknown")]
    assert len(unknown) == 31 - len(known("yjc"))
    assert "kerman          https://www.yjc.ir/fa/kerman" in lines
    assert not list((tmp_path / "out").rglob("*.jsonl"))


@pytest.mark.e2e
def test_scrapy_crawl_unknown_entry_point_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_scrapy("crawl", "tasnim", "-a", "province=tehran", tmp_path=tmp_path)
    assert result.returncode == 2
    (error,) = [line for line in result.stderr.splitlines() if "newscrawler: error:" in line]
    assert "tasnim has no listing for province 'tehran': its entry point is unknown" in error


def run_scrapy(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"NEWSCRAWLER_OUTPUT_DIR={tmp_path / 'out'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# province=all: requests ------------------------------------------------------------------


@pytest.mark.parametrize("name", AGENCIES)
def test_all_starts_one_listing_per_known_province_with_its_province(name: str) -> None:
    requests = start_requests(spider(name, province="all"))
    site = profile(name)
    assert {(r.url, r.meta["province_hint"]) for r in requests} == {
        (safe_url_string(site.base_url + path), slug) for slug, path in known(name).items()
    }
    assert len(requests) == len(known(name))
    assert all(r.callback.__name__ == "parse_listing" for r in requests)  # no feed, no sitemap


def test_one_province_starts_its_listing_only() -> None:
    (request,) = start_requests(spider("tasnim", province="kerman"))
    assert request.url == "https://www.tasnimnews.com/fa/service/67"
    assert request.meta["province_hint"] == "kerman"


def listing_response(site: str, url: str, province: str | None) -> HtmlResponse:
    (page,) = sorted((FIXTURES / site).glob("*-listing.html"))
    request = Request(url, meta={"province_hint": province} if province else {})
    return HtmlResponse(url, body=page.read_bytes(), encoding="utf-8", request=request)


@pytest.mark.parametrize(("site", "listed_in"), [("irna", "bushehr"), ("yjc", "azarbaijan-west")])
def test_each_article_and_next_page_get_the_province_of_their_listing(
    site: str, listed_in: str
) -> None:
    built = spider(site, province="all")
    url = built.site.base_url + built.site.provinces[listed_in]  # type: ignore[operator]
    found = list(built.parse_listing(listing_response(site, url, listed_in), page=1))
    articles = [r for r in found if r.callback == built.parse_article]
    assert articles
    assert {r.meta["province_hint"] for r in found} == {listed_in}


def test_a_listing_without_a_province_gives_its_articles_none_with_all() -> None:
    """``province=all`` is not a province: a listing that has none (a ``start_url``) lets the
    articles' own pages say."""
    built = spider("irna", province="all")
    found = list(built.parse_listing(listing_response("irna", built.site.base_url, None), page=1))
    assert found
    assert {r.meta["province_hint"] for r in found if r.callback == built.parse_article} == {None}


def test_fleet_seeds_carry_each_listing_province() -> None:
    pushed = seeds(SPIDERS["yjc"], province="all")
    assert {s["meta"]["province_hint"] for s in pushed} == set(known("yjc"))
    assert all(s["meta"]["callback"] == "parse_listing" for s in pushed)


# province=all on the demo ----------------------------------------------------------------


@pytest.fixture(scope="module")
def small_demo() -> Any:
    """The demo (30 articles a source) served with an access log: ``(site, urls, log)``."""
    site = build_site(articles=30)
    log = io.StringIO()
    with DemoServer(site, log=log) as urls:
        yield site, urls, log


@pytest.mark.e2e
def test_crawl_all_provinces_of_the_demo_writes_each_article_with_its_province(
    small_demo: tuple[DemoSite, dict[str, str], io.StringIO], tmp_path: Path
) -> None:
    site, urls, log = small_demo
    result = crawl("irna", urls["irna"], tmp_path, "-a", "province=all")
    assert result.returncode == 0, result.stderr[-3000:]
    requested = re.findall(r'^irna: "GET (\S+) ', log.getvalue(), re.MULTILINE)
    listings = {unquote(path) for path in requested if "/news/" not in path}
    assert listings >= set(known("irna").values())  # every provincial listing, and nothing
    assert not listings & {*profile("irna").home, *profile("irna").feeds}  # national
    source = site.sources["irna"]
    expected = {f"irna:{a.news_id}": a for a in source.articles}
    records = delivered(tmp_path, "irna")
    assert {r["id"] for r in records} == set(expected)  # every listing was crawled, once each
    assert len(records) == len(expected)
    for record in records:
        article = expected[record["id"]]
        assert record["province"] == PROVINCES[article.province], record["id"]
    assert len({r["province"] for r in records}) == len(known("irna"))
    (manifest,) = manifests(tmp_path, "irna")
    assert manifest["arguments"]["province"] == "all"
    assert manifest["pages"]["listing"] >= len(known("irna"))
    assert not manifest["failed"], manifest["failed"]
