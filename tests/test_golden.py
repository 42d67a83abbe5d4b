"""Every site profile against its saved pages: the heart of the suite."""

from __future__ import annotations

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from newscrawler.persian.boilerplate import EXACT_LINES
from tests.support.golden import FIXTURES, Fixture, all_fixtures, article_record, listing_requests

FIXTURE_LIST = all_fixtures()
#: Every profiled site (``generic`` is tested on sites of its own: tests/test_generic*.py).
SITES = sorted(set(SpiderLoader.from_settings(get_project_settings()).list()) - {"generic"})


@pytest.mark.parametrize("site", SITES)
def test_every_site_has_an_article_and_a_listing_fixture(site: str) -> None:
    kinds = {f.kind for f in FIXTURE_LIST if f.site == site}
    assert kinds == {"article", "listing"}, f"{site}: missing fixtures in {FIXTURES / site}"


@pytest.mark.parametrize("fixture", [f for f in FIXTURE_LIST if f.kind == "article"], ids=str)
def test_article_matches_golden(fixture: Fixture) -> None:
    expected = fixture.spec()["expected"]
    assert expected["title"], "golden articles must be complete"
    assert expected["body"], "golden articles must be complete"
    assert article_record(fixture) == expected


@pytest.mark.parametrize("fixture", [f for f in FIXTURE_LIST if f.kind == "article"], ids=str)
def test_golden_body_has_no_widget_text(fixture: Fixture) -> None:
    body = fixture.spec()["expected"]["body"]
    for phrase in (*EXACT_LINES, "پسندیده اند", "<", "ي", "ك"):
        assert phrase not in body.split("\n"), phrase
    for char in ("ي", "ك", "<"):
        assert char not in body


@pytest.mark.parametrize("fixture", [f for f in FIXTURE_LIST if f.kind == "listing"], ids=str)
def test_listing_matches_golden(fixture: Fixture) -> None:
    spec = fixture.spec()
    assert spec["articles"], "a golden listing must link to articles"
    assert listing_requests(fixture) == {
        "articles": spec["articles"],
        "next_page": spec["next_page"],
    }
