"""Real recorded pages of Persian and Arabic news sites (``../shared/real-pages/``), judged
against their hand-written annotations: the extraction a crawl would run on them, through the
profile a crawl would choose (the site's, else the detected CMS family's, else the generic one).

The pages are third-party: they are read from beside the repository and skipped, with a
message, when that folder is absent; nothing of them is copied here.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from newscrawler.cli import choose_profile
from newscrawler.extraction.article import NotAnArticle, extract_article
from newscrawler.items import Article
from newscrawler.persian.dates import TEHRAN
from tools.real_pages import REAL_PAGES, RealPage, judge, real_pages

PAGES = real_pages()
ARTICLES = [page for page in PAGES if page.kind == "article"]
LISTINGS = [page for page in PAGES if page.kind == "listing"]
#: The crawl's clock for relative dates: after every page was published.
NOW = datetime(2026, 1, 1, tzinfo=TEHRAN)

pytestmark = pytest.mark.skipif(
    not PAGES, reason=f"no real pages at {REAL_PAGES} (the shared folder beside the repository)"
)


def _extract(page: RealPage) -> Article:
    response = HtmlResponse(url=page.url, body=page.body_bytes, encoding=page.encoding)
    return extract_article(response, choose_profile(response, None), now=NOW)


@pytest.fixture(scope="module")
def extracted() -> dict[str, Article]:
    return {page.name: _extract(page) for page in ARTICLES}


def _ids(pages: list[RealPage]) -> list[str]:
    return [page.name for page in pages]


@pytest.mark.parametrize("page", ARTICLES, ids=_ids(ARTICLES))
def test_title_is_the_pages_own_headline(page: RealPage, extracted: dict[str, Article]) -> None:
    article = extracted[page.name]
    verdict = judge(page, article.title, article.body, article.published_at)
    assert verdict.title_exact, (article.title, page.expected["title"])


@pytest.mark.parametrize("page", ARTICLES, ids=_ids(ARTICLES))
def test_body_starts_and_ends_where_the_article_does(
    page: RealPage, extracted: dict[str, Article]
) -> None:
    body = extracted[page.name].body or ""
    verdict = judge(page, None, body, None)
    assert verdict.body_start, (body[:200], page.expected["body_first"])
    assert verdict.body_end, (body[-200:], page.expected["body_last"])


@pytest.mark.parametrize("page", ARTICLES, ids=_ids(ARTICLES))
def test_nothing_around_the_article_reaches_the_body(
    page: RealPage, extracted: dict[str, Article]
) -> None:
    verdict = judge(page, None, extracted[page.name].body, None)
    assert verdict.leaked == ()


@pytest.mark.parametrize("page", ARTICLES, ids=_ids(ARTICLES))
def test_publication_date_is_exact(page: RealPage, extracted: dict[str, Article]) -> None:
    article = extracted[page.name]
    verdict = judge(page, None, None, article.published_at)
    assert verdict.date_exact, (article.published_at, page.expected["published"])


@pytest.mark.parametrize("page", ARTICLES, ids=_ids(ARTICLES))
def test_language_and_letters_are_the_pages(page: RealPage, extracted: dict[str, Article]) -> None:
    article = extracted[page.name]
    assert article.language == page.language
    assert judge(page, None, article.body, None).letters_kept  # Arabic stays Arabic


def test_the_arabic_page_keeps_arabic_letters_everywhere(extracted: dict[str, Article]) -> None:
    arabic = [page for page in ARTICLES if page.language == "ar"]
    if not arabic:
        pytest.skip("no Arabic page among the real pages")
    for page in arabic:
        article = extracted[page.name]
        assert article.title == page.expected["title"]  # letter for letter
        assert "ي" in (article.body or "")
        assert not set("یکۀ") & set((article.title or "") + (article.body or ""))


@pytest.mark.parametrize("page", LISTINGS, ids=_ids(LISTINGS))
def test_a_home_page_is_never_an_article(page: RealPage) -> None:
    """A listing gives no article: either it is recognised as not one (a site without a
    profile), or the site's own body selector finds no body there (which the contract stage
    drops, counted)."""
    try:
        article = _extract(page)
    except NotAnArticle:
        return
    assert not article.body, (article.body or "")[:300]


def _profiled(page: RealPage) -> str | None:
    from newscrawler.extraction.urls import same_site
    from newscrawler.sites import profiles

    for name, profile in profiles().items():
        if same_site(page.url, profile.domain):
            return name
    return None


PROFILED_LISTINGS = [page for page in LISTINGS if _profiled(page)]


@pytest.mark.parametrize("page", PROFILED_LISTINGS, ids=_ids(PROFILED_LISTINGS))
def test_a_sites_listing_gives_its_article_links_and_none_of_its_traps(page: RealPage) -> None:
    """The site's spider on its real home page: every sample article link the annotation names
    is followed (ISNA's 11-digit ids of 2017 too), no link it names as a trap is (menu pages
    under the article URL pattern, ad redirects, other sites)."""
    from tests.support.crawl import project_crawler
    from tests.support.golden import spider_class

    cls = spider_class(_profiled(page) or "")
    spider = cls.from_crawler(project_crawler(cls))
    response = HtmlResponse(url=page.url, body=page.body_bytes, encoding=page.encoding)
    followed = [
        request.url
        for request in spider.parse_listing(response, page=1)
        if request.callback == spider.parse_article
    ]
    paths = {urlsplit(url).path.rstrip("/") for url in followed}
    for sample in page.expected["sample_article_links"]:
        assert any(path.startswith(sample.rstrip("/")) for path in paths), sample
    for trap in page.expected["non_article_links_present"]:
        assert not any(trap.rstrip("/") in url for url in followed), trap


@pytest.mark.parametrize("page", LISTINGS, ids=_ids(LISTINGS))
def test_the_generic_spider_finds_a_listings_articles_and_skips_its_traps(page: RealPage) -> None:
    """``scrapy crawl generic`` on the real home page, told nothing about the site: the article
    links by their URL shape (ISNA's 11-digit ids, Fars's ``newstext.php?nn=``), not the menu
    pages under the same shape (ISNA's «درباره ایسنا», IRINN's TV schedule), photo reports,
    sections, ad redirects or other sites."""
    import re

    from newscrawler.spiders.generic import GenericSpider
    from tests.support.crawl import project_crawler

    spider = GenericSpider.from_crawler(project_crawler(GenericSpider), start_url=page.url)
    response = HtmlResponse(url=page.url, body=page.body_bytes, encoding=page.encoding)
    followed = [
        request.url
        for request in spider.parse_listing(response, page=1)
        if request.callback == spider.parse_article
    ]
    for sample in page.expected["sample_article_links"]:
        assert any(sample.rstrip("/") in url for url in followed), sample
    for trap in page.expected["non_article_links_present"]:
        assert not any(trap.rstrip("/") in url for url in followed), trap
    pattern = re.compile(page.expected["article_url_regex"])
    ids = {
        match.group(0)
        for url in followed
        if (match := pattern.search(urlsplit(url).path + "?" + urlsplit(url).query))
    }
    assert len(ids) >= 0.95 * page.expected["unique_article_ids_matching_regex"] - 3
