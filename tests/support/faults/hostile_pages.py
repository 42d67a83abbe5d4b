"""Hostile pages of the fault site (issue 14, items 1, 2, 3 and 9): bad dates, line separators,
pathological HTML.

Served by :mod:`tests.support.faults.server` under ``/hostile/`` (a listing, an RSS feed and a
sitemap of their own, which the main fault crawl never links to) and at ``/<news id>/`` for the
articles below; ``tests/e2e/test_hostile_pages.py`` crawls each with ``-a start_url=``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tests.support.faults import pages

#: Nesting depth of the deep page, and the size of the huge title (5 MB of UTF-8).
DEPTH = 100_000
HUGE_TITLE = "عنوان بسیار بلند " * 160_000
#: The bad dates: year 9999 (overflows on conversion to Tehran time) and year 1.
Y9999_ISO = "9999-12-31T23:59:59Z"
Y1_ISO = "0001-01-01T00:00:00+05:00"
Y9999_RFC = "Fri, 31 Dec 9999 23:59:59 GMT"

#: news id → what the page does, and what the crawl must make of it.
ARTICLES: dict[str, str] = {
    "14901": "HTML nested 100,000 levels deep: counted failed/extraction_error",
    "14902": "a 5 MB single-line title: written, title capped, truncated/title counted",
    "14903": "U+2028 and U+2029 in og:title and the description: written escaped, read back",
    "14904": "CR and CRLF inside og:title: a one-line title",
    "14905": "published in 1900 (LMT offset +03:25:44): written, without that date",
    "14906": "Jalali date «۱ فروردین ۱۴۵۰» (2071): written, without that date",
    "14907": "article:published_time of year 9999: written, the <time> date instead",
    "14908": f"only in the feed, pubDate {Y9999_RFC}",
    "14909": f"only in the feed, pubDate {Y1_ISO}",
    "14910": "only in the feed, a good pubDate",
    "14911": f"only in the sitemap, lastmod {Y9999_ISO}",
    "14912": f"only in the sitemap, lastmod {Y1_ISO}",
    "14913": "only in the sitemap, a good lastmod",
}
LISTED = ("14901", "14902", "14903", "14904", "14905", "14906", "14907")
FEED = {"14908": Y9999_RFC, "14909": Y1_ISO, "14910": "Mon, 13 May 2024 08:00:00 +0000"}
SITEMAP = {"14911": Y9999_ISO, "14912": Y1_ISO, "14913": "2024-05-13T08:00:00+00:00"}

_PUBLISHED = re.compile(r'(article:published_time" content=")[^"]*(")')
_TIME = re.compile(r'(<time class="entry-date published") datetime="[^"]*">\n[^<]*(</time>)')


def serves(path: str) -> bool:
    """Whether ``path`` is one of these pages."""
    first = path.strip("/").split("/")[0]
    return first == "hostile" or first in ARTICLES


def reply(handler: Any, path: str) -> None:
    """Answer ``path`` on the fault server's request ``handler``."""
    base = handler.site.url()
    if path == "/hostile/":
        links = [(f"{base}/{i}/", pages.title(i)) for i in LISTED]
        handler.reply(200, pages.listing(links, None).encode())
    elif path == "/hostile/feed/":
        handler.reply(200, _feed(base).encode(), "application/rss+xml; charset=UTF-8")
    elif path == "/hostile/sitemap.xml":
        handler.reply(200, _sitemap(base).encode(), "application/xml; charset=UTF-8")
    elif (news_id := path.strip("/").split("/")[0]) in ARTICLES:
        handler.reply(200, article(news_id).encode())
    else:
        handler.reply(404, b"<h1>404</h1>")


def _with_dates(page: str, published: str | None, visible: str | None = None) -> str:
    """``page`` with another ``article:published_time`` and ``<time>`` (``None``: without
    the machine-readable value, so that the visible text is read)."""
    page = _PUBLISHED.sub(rf"\g<1>{published or ''}\g<2>", page)
    if published is None:
        page = page.replace('<meta property="article:published_time" content="">\n', "")
    if visible is not None:
        page = _TIME.sub(rf"\g<1>>{visible}\g<2>", page)
    elif published is not None:
        page = _TIME.sub(rf'\g<1> datetime="{published}">x\g<2>', page)
    return page


def _paragraphs(news_id: str) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in pages.paragraphs(news_id))


def article(news_id: str) -> str:
    """The page of article ``news_id`` (see :data:`ARTICLES`)."""
    if news_id == "14901":
        deep = "<div>" * DEPTH + "<p>ژرف</p>" + "</div>" * DEPTH
        return pages.article(news_id, body_html=_paragraphs(news_id) + deep)
    if news_id == "14902":
        return pages.article(news_id, title_html=HUGE_TITLE)
    if news_id == "14903":  # no <h1>: og:title and the description (the lead) hold them
        title = pages.title(news_id).replace(" ", "&#x2028;", 1)
        lead = pages.paragraphs("14999")[0].replace(" ", "&#x2029;", 1)
        metas = f'<meta property="og:title" content="{title}">\n'
        metas += f'<meta name="description" content="{lead}">\n'
        return pages.article(news_id, title_html="").replace("</head>", metas + "</head>")
    if news_id == "14904":  # no <h1>: the title comes from og:title, with CR and CRLF
        title = pages.title(news_id).replace(" ", "&#13;", 1).replace(" ", "&#13;&#10;", 1)
        page = pages.article(news_id, title_html="")
        return page.replace("</head>", f'<meta property="og:title" content="{title}">\n</head>')
    if news_id == "14905":
        return _with_dates(pages.article(news_id), "1900-01-01T10:00:00")
    if news_id == "14906":
        return _with_dates(pages.article(news_id), None, "۱ فروردین ۱۴۵۰")
    if news_id == "14907":
        page = pages.article(news_id)
        return _PUBLISHED.sub(rf"\g<1>{Y9999_ISO}\g<2>", page)
    return pages.article(news_id)


def _feed(base: str) -> str:
    items = "\n".join(
        f"<item><title>{html.escape(pages.title(i))}</title><link>{base}/{i}/</link>"
        f"<pubDate>{date}</pubDate></item>"
        for i, date in FEED.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>کافه خبر قزوین</title>{items}</channel></rss>\n"
    )


def _sitemap(base: str) -> str:
    entries = "".join(
        f"<url><loc>{base}/{i}/</loc><lastmod>{date}</lastmod></url>" for i, date in SITEMAP.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
    )
