"""URL normalization: one spelling per page, for dedupe keys and canonical URLs."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

#: Query parameters that identify a visit, not a page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|yclid|mc_\w+|ref|ref_src|source|from|share|amp|_ga|s)$", re.I
)


#: An absolute http(s) URL that ``urljoin`` (whatever the base) and w3lib's ``safe_url_string``
#: give back as it is: a lower-case host name, a port from 1 to 65535 without a leading zero
#: (w3lib refuses one past 65535; the bench's local servers have five-digit ports), a path of
#: unreserved characters and upper-case percent-escapes (no query, fragment, parameters,
#: non-ASCII letter). Most image URLs and article URLs are, and their joining and quoting
#: (40 µs each) is skipped (``tests/test_urls_agency.py`` checks the claim on 100,000
#: generated URLs).
_PLAIN_PATH_PATTERN = r"/(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})*"
_PORT = (
    r"(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]"
    r"|6553[0-5]))?"
)
PLAIN_HTTP_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?" + _PORT + _PLAIN_PATH_PATTERN
)


#: The same URLs as :data:`PLAIN_HTTP_URL`, checked in two cheaper scans: its pattern with
#: ``%`` among the path's characters (one character class repeated, which the regex engine
#: runs as a tight loop: its alternation cost 17 µs on a 250-character article URL), then no
#: ``%`` without two upper-case hex digits after it (:data:`_BAD_ESCAPE`, found by its literal).
_LOOSE_HTTP_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?" + _PORT + r"/[A-Za-z0-9._~/%-]*"
)
_LOOSE_PATH = re.compile(r"/[A-Za-z0-9._~/%-]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-F]{2})")


def is_plain_http_url(url: str) -> bool:
    """``PLAIN_HTTP_URL.fullmatch(url)``, answered faster (:data:`_LOOSE_HTTP_URL`).

    >>> is_plain_http_url("https://irna.ir/news/1/%D8%B3"), is_plain_http_url("https://irna.ir/%d8")
    (True, False)
    """
    return _LOOSE_HTTP_URL.fullmatch(url) is not None and _escapes_ok(url)


def _is_plain_path(path: str) -> bool:
    """``_PLAIN_PATH_PATTERN`` matches all of ``path``."""
    return _LOOSE_PATH.fullmatch(path) is not None and _escapes_ok(path)


def _escapes_ok(text: str) -> bool:
    return "%" not in text or _BAD_ESCAPE.search(text) is None


def join_plain(base: str, src: str) -> str | None:
    """``safe_url_string(urljoin(base, src))`` when it is sure to be ``src`` itself or
    ``base``'s scheme and host with ``src``'s path: a plain URL (:data:`PLAIN_HTTP_URL`), or a
    root-relative path of its characters with no empty, ``.`` or ``..`` segment (which
    ``urljoin`` would remove) on a plain base. ``None``: ask them.

    >>> join_plain("https://irna.ir/news/1/x", "/d/r2/1.jpg")
    'https://irna.ir/d/r2/1.jpg'
    >>> join_plain("http://127.0.0.1:45479/news/1", "/d/1.jpg")
    'http://127.0.0.1:45479/d/1.jpg'
    >>> join_plain("https://irna.ir/news/1", "/a/../b") is None
    True
    """
    if is_plain_http_url(src):
        return src
    if not _is_plain_path(src) or "//" in src:
        return None
    if "." in (segments := src.split("/")) or ".." in segments:
        return None
    start = base.find("//") + 2
    end = base.find("/", start)
    url = (base if end < 0 else base[:end]) + src
    return url if start > 1 and is_plain_http_url(url) else None


@lru_cache(maxsize=1024)
def canonicalize(url: str) -> str:
    """Absolute URL in one spelling: lowercase host without ``www.``, https, decoded-then-quoted
    path without a trailing slash, tracking parameters and fragment removed, query sorted.

    >>> canonicalize("http://WWW.Irna.ir/news/85257749/%D8%B3%D9%84%D8%A7%D9%85/?utm_source=t#x")
    'https://irna.ir/news/85257749/%D8%B3%D9%84%D8%A7%D9%85'
    >>> canonicalize("https://irna.ir/news/85257749/سلام")
    'https://irna.ir/news/85257749/%D8%B3%D9%84%D8%A7%D9%85'
    >>> canonicalize("http://127.0.0.1:8080/a/?b=2&a=1")
    'http://127.0.0.1:8080/a?a=1&b=2'
    >>> canonicalize("http://[::1]:8080/a/")
    'http://[::1]:8080/a'

    Remembered for the last 1,024 URLs: a crawl asks for an article URL's form at the listing
    (is it known?) and again for the article's dedupe keys, 47 µs each time.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    scheme = parts.scheme.lower() or "https"
    if _is_local(host):
        bracketed = f"[{host}]" if ":" in host else host  # IPv6 literal
        netloc = f"{bracketed}:{parts.port}" if parts.port else bracketed
    else:
        scheme = "https" if scheme in ("http", "https") else scheme
        netloc = host
    path = quote(unquote(parts.path), safe="/-._~!$&'()*+,;=:@%") or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _is_local(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def same_site(url: str, domain: str) -> bool:
    """True when ``url``'s host is ``domain`` or one of its subdomains (``www.`` on ``domain``
    and letter case do not matter: callers pass a base URL's host).

    >>> same_site("https://www.irna.ir/news/1", "irna.ir")
    True
    >>> same_site("https://irna.ir.evil.com/", "irna.ir")
    False
    >>> same_site("https://irna.ir/news/1", "www.irna.ir")
    True
    """
    host = (urlsplit(url).hostname or "").lower()
    domain = domain.lower().removeprefix("www.")
    return host == domain or host.endswith("." + domain)
