"""The Python API: one page → one article record, the same extraction a crawl runs.

    >>> from newscrawler import extract
    >>> record = extract(html, "https://www.irna.ir/news/85412345/")   # doctest: +SKIP
    >>> record["title"], record["published_at"], record["body"][:40]     # doctest: +SKIP

The profile is the site's when ``site`` names one or the URL's host is a known site, else the
CMS family the page's markup shows, else the generic extractor (as ``python -m newscrawler
extract``). The record is the dict a crawl validates and writes, before the crawl's own fields
(``crawled_at``, versions, syndication) are set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def extract(
    page: str | bytes,
    url: str,
    site: str | None = None,
    *,
    encoding: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The article on ``page`` (HTML as text, or bytes decoded as a crawl decodes them) at
    ``url``, as a record dict.

    ``site`` chooses a profile by name (``irna``); ``now`` anchors relative dates («۲ ساعت
    پیش», default: no relative dates). Raises
    :class:`~newscrawler.extraction.article.NotAnArticle` for a page of a site without a
    profile that is not an article (a home or section page), ``KeyError`` for an unknown
    ``site``.
    """
    from scrapy.http import HtmlResponse

    from newscrawler.cli import CliError, choose_profile
    from newscrawler.extraction.article import extract_article
    from newscrawler.items import record_of

    body = page.encode("utf-8") if isinstance(page, str) else page
    response = HtmlResponse(
        url=url, body=body, encoding=encoding or ("utf-8" if isinstance(page, str) else None)
    )
    try:
        profile = choose_profile(response, site)
    except CliError as exc:
        raise KeyError(str(exc)) from None
    return record_of(extract_article(response, profile, now=now))
