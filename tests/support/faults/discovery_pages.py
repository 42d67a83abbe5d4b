"""Discovery faults of the fault site (issue 14, items 5 and 8): silent caps and unbounded work.

Served by :mod:`tests.support.faults.server` under ``/discovery/`` (the main fault crawl never
links there) and at ``/<news id>/`` for the article ids below;
``tests/e2e/test_hostile_discovery.py`` crawls each with ``-a start_url=``:

``/discovery/paged/<n>/``     listing page n of :data:`PAGES`, one article each, next page n + 1
``/discovery/gz/sitemap.xml`` a sitemap index naming ``posts.xml.gz``, served as
                              ``application/x-gzip`` (a gzipped urlset of :data:`GZ_ARTICLES`)
``/discovery/long/``          a listing with a normal article, one whose URL is over 2,083
                              characters, and a next page on another host
``/discovery/trap/<p>.xml``   a sitemap index naming 10 new indexes at every level, forever
``/discovery/wide/``          a listing of :data:`WIDE` article links (3.4 MB of HTML)
"""

from __future__ import annotations

import gzip
import re
from typing import Any

from tests.support.faults import pages

#: Listing pages of the paged listing (more than DEPTH_LIMIT = 20).
PAGES = 25
PAGED_ID = 150_000  # + page number
GZ_ARTICLES = tuple(str(151_001 + i) for i in range(5))
LONG_OK, LONG_TOO_LONG = "152001", "152002"
LONG_URL_PATH = f"/{LONG_TOO_LONG}/" + "a" * 2100 + "/"
#: Links on the wide listing; their ids are WIDE_ID + 0 … WIDE - 1.
WIDE = 100_000
WIDE_ID = 1_600_000
TRAP_FANOUT = 10

_PAGED = re.compile(r"^/discovery/paged/(\d+)/$")
_TRAP = re.compile(r"^/discovery/trap/([\d-]*)\.xml$")
_ID = re.compile(r"^/(\d{6,7})(?:/|$)")


def _article_id(path: str) -> str | None:
    match = _ID.match(path)
    if not match:
        return None
    news_id = int(match.group(1))
    mine = (
        PAGED_ID < news_id <= PAGED_ID + PAGES
        or match.group(1) in GZ_ARTICLES
        or match.group(1) in (LONG_OK, LONG_TOO_LONG)
        or WIDE_ID <= news_id < WIDE_ID + WIDE
    )
    return match.group(1) if mine else None


def serves(path: str) -> bool:
    """Whether ``path`` is one of these pages."""
    return path.startswith("/discovery/") or _article_id(path) is not None


def reply(handler: Any, path: str) -> None:
    """Answer ``path`` on the fault server's request ``handler``."""
    base = handler.site.url()
    if news_id := _article_id(path):
        handler.reply(200, pages.article(news_id).encode())
    elif match := _PAGED.match(path):
        page = int(match.group(1))
        news_id = str(PAGED_ID + page)
        following = f"/discovery/paged/{page + 1}/" if page < PAGES else None
        body = pages.listing([(f"{base}/{news_id}/", pages.title(news_id))], following)
        handler.reply(200, body.encode())
    elif path == "/discovery/gz/sitemap.xml":
        index = pages.sitemap_index([f"{base}/discovery/gz/posts.xml.gz"])
        handler.reply(200, index.encode(), "application/xml; charset=UTF-8")
    elif path == "/discovery/gz/posts.xml.gz":
        urlset = pages.urlset([f"{base}/{news_id}/" for news_id in GZ_ARTICLES])
        handler.reply(200, gzip.compress(urlset.encode()), "application/x-gzip")
    elif path == "/discovery/long/":
        links = [(f"{base}/{LONG_OK}/", "الف"), (f"{base}{LONG_URL_PATH}", "ب")]
        elsewhere = handler.site.url("elsewhere.test") + "/discovery/long/2/"
        handler.reply(200, pages.listing(links, elsewhere).encode())
    elif match := _TRAP.match(path):
        here = match.group(1)
        children = [f"{base}/discovery/trap/{here}-{i}.xml" for i in range(TRAP_FANOUT)]
        handler.reply(200, pages.sitemap_index(children).encode(), "application/xml")
    elif path == "/discovery/wide/":
        handler.reply(200, wide_listing().encode())
    else:
        handler.reply(404, b"<h1>404</h1>")


def wide_listing() -> str:
    """A listing of :data:`WIDE` article links, in the profile's ``.post-list h2 a`` markup."""
    links = "".join(f'<h2><a href="/{WIDE_ID + i}/">x</a></h2>' for i in range(WIDE))
    return (
        '<!DOCTYPE html><html dir="rtl"><head><meta charset="UTF-8"><title>همه</title></head>'
        f'<body><main><div class="post-list">{links}</div></main></body></html>'
    )
