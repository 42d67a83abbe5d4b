"""A 200 response that is not the page it claims to be: binary, anti-bot challenge, login wall,
truncated, or in windows-1256 while declaring another charset (repaired here).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Request, Response, TextResponse, XmlResponse

from newscrawler.crawl.outcomes import PAGE_KIND, PageRejected, mark_health
from newscrawler.extraction.select import split_css
from newscrawler.persian import charset
from newscrawler.spiders.news import site_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Page checks -----------------------------------------------------------------------------

#: Markup only anti-bot challenge pages carry (ArvanCloud, Cloudflare, Sucuri, Incapsula,
#: DDoS-Guard): conclusive at any page size. Matched in the lowercased body (ASCII case is
#: ignored, as by the re.IGNORECASE alternation these replace), by substring search: a regex
#: alternation tries every branch at every byte of a 40 KB page.
_CHALLENGE_MARKERS = (
    b"__arcsrc",
    b"cf-browser-verification",
    b"cf_chl_opt",
    b"/cdn-cgi/challenge-platform/",
    b"sucuri_cloudproxy_js",
    b"_incapsula_resource",
    b"ddos-guard.net/",
)
_AR_KEY = re.compile(rb"\bar_key\b")  # ArvanCloud's AR_Key, a whole word (lowercased body)
#: Words a challenge page shows; conclusive only on a small page without the article.
_CHALLENGE_TEXT = re.compile(
    "در حال بررسی مرورگر|درحال بررسی مرورگر|arvancloud|checking your browser|just a moment"
    "|ddos protection|verify you are human",
    re.IGNORECASE,
)
#: What a text :data:`_CHALLENGE_TEXT` matches must contain (the regex then decides): the
#: Persian words' common part (Persian has no case), and, in the text's ASCII characters
#: lowercased, a piece of each English phrase without i, k or s, the only ASCII letters that
#: re.IGNORECASE also matches with a non-ASCII letter (İ ı K ſ).
_CHALLENGE_TEXT_HINT = "بررسی مرورگر"
_CHALLENGE_ASCII_HINTS = (
    b"arvancloud",
    b"ng your brow",
    b"t a moment",
    b" protect",
    b"fy you are human",
)
#: Challenge and login pages are small; a page over this size is a real page.
SMALL_PAGE = 64 * 1024
#: A password field, in the lowercased body (only searched when it says "password").
_PASSWORD_FIELD = re.compile(rb"<input[^>]+type\s*=\s*[\"']?password")
_LOGIN_URL = re.compile(r"(^|/)(wp-login\.php|login|signin|sign-in|auth|account)(/|$|\?)", re.I)
#: Signatures of binary files served at article URLs (whatever the Content-Type says).
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"RIFF")


def _has_challenge_markup(low: bytes) -> bool:
    """Markup of an anti-bot challenge anywhere in a page; ``low``: its body, lowercased.

    >>> _has_challenge_markup(b"<script>window.CF_CHL_OPT={cvId:'3'}</script>".lower())
    True
    >>> _has_challenge_markup(b"var Ar_Key='x'".lower()), _has_challenge_markup(b"bar_keys")
    (True, False)
    """
    return any(marker in low for marker in _CHALLENGE_MARKERS) or (
        b"ar_key" in low and _AR_KEY.search(low) is not None
    )


def _shows_challenge_text(text: str, low: bytes | None = None) -> bool:
    """The words of a challenge page in a page's text («در حال بررسی مرورگر», "Just a moment").

    The answer of ``_CHALLENGE_TEXT.search(text)``, which only runs on a text with a hint.
    ``low``: the page's body lowercased, when its encoding writes ASCII characters as their
    own bytes (:func:`_keeps_ascii`). The English hints are then looked for in it, not in the
    text's ASCII characters (encoding those took 0.2 ms a 40 KB page): a text the regex matches
    has a hint among its ASCII characters in a row, so that body has it too.

    >>> _shows_challenge_text("<title>Just A Moment...</title>")
    True
    >>> _shows_challenge_text("<p>مرورگر خود را به‌روز کنید</p>")
    False
    """
    if _CHALLENGE_TEXT_HINT not in text:
        ascii_low = low if low is not None else text.encode("ascii", "ignore").lower()
        if not any(hint in ascii_low for hint in _CHALLENGE_ASCII_HINTS):
            return False
    return _CHALLENGE_TEXT.search(text) is not None


#: Encodings that write each ASCII character as its own byte and use no ASCII byte for
#: anything else (Python's codec names).
_ASCII_KEEPING = frozenset(
    ["utf-8", "utf-8-sig", "ascii", "cp1256", "cp1252", "iso8859-1", "iso8859-6", "cp720"]
)


@lru_cache(maxsize=64)
def _keeps_ascii(encoding: str) -> bool:
    """
    >>> _keeps_ascii("UTF8"), _keeps_ascii("windows-1256"), _keeps_ascii("utf-16")
    (True, True, False)
    """
    return charset.codec_name(encoding) in _ASCII_KEEPING


def _has_password_field(low: bytes) -> bool:
    """An ``<input type="password">`` in a page; ``low``: its body, lowercased.

    >>> _has_password_field(b'<form><INPUT name="pwd" TYPE="Password"></form>'.lower())
    True
    >>> _has_password_field(b"<p>forgot your password?</p><input type=text>")
    False
    """
    return b"password" in low and _PASSWORD_FIELD.search(low) is not None


_CLOSING_TAG = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)
#: The end of a page searched first for its closing tag (the whole page if not there).
_TAIL = 4096


def is_truncated(body: bytes) -> bool:
    """An HTML document that stops before ``</body>`` and ``</html>``: CMS templates always
    close them, and what cuts a page short (a proxy, a PHP fatal error half-way through the
    template) leaves neither. Scripts or comments after ``</html>`` are fine.

    >>> is_truncated(b"<html><body><p>full</p></body></html>\\n<!-- cache -->")
    False
    >>> is_truncated(b"<html><body><p>half a sent")
    True
    >>> is_truncated(b"<html><body><p>half</p><b>Fatal error</b>: in x.php on line 3<br />")
    True
    """
    tail = body[-_TAIL:]  # a complete page closes its tags in its last few hundred bytes
    if _CLOSING_TAG.search(tail):
        return False
    return len(body) <= _TAIL or _CLOSING_TAG.search(body) is None


class PageCheckMiddleware:
    """Reject 200 responses that are not the page they claim to be; repair their encoding.

    Runs on the pages the spider asked for (requests marked with ``newscrawler_page``), after
    decompression and before meta-refresh handling (a challenge page often refreshes itself).
    In order (feeds and sitemaps get step 3's challenge check only):

    1. not HTML: a PDF, an image, an archive (by Content-Type or by magic bytes) → ``not_html``;
    2. encoding: a page whose bytes are not in its declared charset is re-decoded
       (``newscrawler/encoding/repaired/<how>``);
    3. anti-bot challenge → ``challenge_page``; login wall (a password field and no article
       body, or a redirect to a login URL) → ``login_wall``; both also mark the site's health;
    4. an article cut short (no ``</body>``/``</html>``) is retried like a 5xx, then
       ``truncated``.

    A rejected page raises :class:`PageRejected`; the spider's errback counts it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        kind = request.meta.get(PAGE_KIND)
        if kind not in ("article", "listing", "feed", "sitemap") or response.status != 200:
            return response
        html_page = kind in ("article", "listing")
        if html_page and (
            not isinstance(response, TextResponse) or response.body.startswith(_BINARY_MAGIC)
        ):
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            raise PageRejected("not_html", content_type or "binary body")
        if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
            return response  # a real feed or sitemap (XML, or gzip bytes)
        if html_page:
            response = self.repair_encoding(response)
        blocked = self.blocked(request, response, kind)
        if blocked:
            mark_health(self.crawler, blocked)
            if kind == "listing":
                # still a listing page that gave no links: the run manifest's health check
                # ("no article links found on N listing pages") must see a blocked site
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("newscrawler/pages/listing")
            raise PageRejected(blocked, f"{len(response.body)} bytes")
        if kind == "article" and is_truncated(response.body):
            assert self.crawler.spider is not None
            retry = get_retry_request(
                request, spider=self.crawler.spider, reason="truncated", give_up_log_level="INFO"
            )
            if retry is not None:
                return retry
            mark_health(self.crawler, "truncated")
            raise PageRejected("truncated", f"HTML ends after {len(response.body)} bytes")
        return response

    def repair_encoding(self, response: TextResponse) -> TextResponse:
        fixed = charset.repair(response.body, response.encoding, response.text)
        if fixed is None:
            return response
        text, how = fixed
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawler/encoding/repaired/{how}")
        logger.info(
            "%s was decoded as %s but is %s: re-decoded",
            response.url,
            response.encoding,
            {"utf8": "UTF-8", "cp1256": "windows-1256", "mixed": "UTF-8 mixed with windows-1256"}[
                how
            ],
            extra={"spider": self.crawler.spider},
        )
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")

    def blocked(self, request: Request, response: TextResponse, kind: str) -> str | None:
        """``challenge_page``, ``login_wall`` or ``None``."""
        body = response.body
        small = len(body) <= SMALL_PAGE
        redirected_to_login = bool(
            request.meta.get("redirect_urls") and _LOGIN_URL.search(urlsplit(response.url).path)
        )
        if kind == "article" and redirected_to_login:
            return "login_wall"
        low = body.lower()  # what the markers are matched in, whatever their ASCII case
        challenge = _has_challenge_markup(low) or (
            small
            and _shows_challenge_text(
                response.text, low if _keeps_ascii(response.encoding) else None
            )
        )
        login = kind == "article" and small and _has_password_field(low)
        if not (challenge or login):
            return None
        if kind == "article" and self._has_article_body(response):
            return None  # the real article is there: a login widget or a word in the text
        if kind == "listing" and self._has_article_links(response):
            return None  # a real listing that names its CDN
        return "challenge_page" if challenge else "login_wall"

    def _has_article_links(self, response: TextResponse) -> bool:
        site = site_of(self.crawler.spider)
        css = site.selectors.article_links if site else None
        return bool(css and response.css(css))

    def _has_article_body(self, response: TextResponse) -> bool:
        site = site_of(self.crawler.spider)
        css = site.selectors.body if site else None
        if not css:
            return False
        min_words = self.crawler.settings.getint("NEWSCRAWLER_MIN_BODY_WORDS")
        for alternative in split_css(css):
            found = response.css(alternative)
            if found:
                return len(" ".join(found[0].xpath("string()").getall()).split()) >= min_words
        return False
