"""The fault server: a WordPress news site on 127.0.0.1 whose chosen URLs misbehave.

:data:`CASES` is the catalogue: one article per case, what the server does at its URL, and what
the crawl must make of it (``written`` exactly once, or counted under ``<outcome>/<reason>`` in
the stats and the run manifest). Besides the articles the site has listing pages (page 2 in a
new theme the selectors do not know, pages 4, 5, … repeating page 3 forever), an RSS feed, a
sitemap index whose "archive" branch is an endless calendar of ever longer query strings, a
robots.txt that disallows ``/news/``, and host names routed by the ``Host`` header (the crawl
resolves every ``*.test`` name to 127.0.0.1):

``cafekhabarqazvin.test``        the site (``www.`` too)
``m.cafekhabarqazvin.test``      a subdomain whose robots.txt answers 500
``blocked.cafekhabarqazvin.test`` every page is an ArvanCloud challenge
``elsewhere.test``               another site (a redirect target; must never be fetched)

Standard library only (``ThreadingHTTPServer``); started and stopped by the tests.
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

from tests.support.faults import discovery_pages, hostile_pages, pages, private_targets

HOST = "cafekhabarqazvin.test"
WRITTEN = "written"
#: Size of the oversized pages (the crawl's DOWNLOAD_MAXSIZE is 8 MiB).
BIG = 9 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One article of the fault site."""

    fault: int
    """Item of issue 4 it covers (0: a control article)."""
    news_id: str
    expect: str
    """``written``, or the stats key it must be counted under, e.g. ``failed/http_404``."""
    what: str
    links: tuple[tuple[str, str], ...] = ()
    """(place, href): place is listing, page3, feed or sitemap; href may use {base}, {www},
    {m} and {https}. Default: one link on listing page 1."""

    @property
    def slug(self) -> str:
        return pages.slug(self.news_id)

    def hrefs(self) -> tuple[tuple[str, str], ...]:
        return self.links or (("listing", f"/{self.news_id}/{self.slug}/"),)


_SLUG = quote("بازار-گندم")
CASES: tuple[Case, ...] = (
    Case(0, "1001", WRITTEN, "a plain article"),
    Case(0, "1002", WRITTEN, "a plain article"),
    Case(0, "1003", WRITTEN, "listed only in the RSS feed", (("feed", "{base}/1003/"),)),
    Case(0, "1004", WRITTEN, "listed only in the sitemap", (("sitemap", "{base}/1004/"),)),
    Case(14, "1005", WRITTEN, "on page 3, after the page in the new theme", (("page3", "/1005/"),)),
    Case(11, "1006", WRITTEN, "on page 3, which pages 4, 5, … repeat", (("page3", "/1006/"),)),
    Case(1, "1010", WRITTEN, "503 once, then 200"),
    Case(1, "1011", WRITTEN, "500 twice, then 200"),
    Case(1, "1012", "failed/http_500", "500 every time"),
    Case(2, "1020", "failed/http_404", "404 Not Found"),
    Case(2, "1021", "failed/http_410", "410 Gone"),
    Case(3, "1030", WRITTEN, "429 with Retry-After: 2, then 200"),
    Case(3, "1031", "failed/rate_limited", "429 with Retry-After: 3600 every time"),
    Case(4, "1040", "failed/timeout", "headers and half the body, then silence"),
    Case(4, "1041", "failed/connection_lost", "connection reset half-way through, every time"),
    Case(4, "1042", WRITTEN, "connection reset half-way through once, then 200"),
    Case(5, "1045", "failed/truncated", "HTML cut in the second paragraph, every time"),
    Case(5, "1046", WRITTEN, "HTML cut once, then complete"),
    Case(6, "1050", WRITTEN, "windows-1256, charset in the Content-Type header"),
    Case(6, "1051", WRITTEN, "windows-1256, charset only in <meta>"),
    Case(6, "1052", WRITTEN, "windows-1256, no charset anywhere"),
    Case(6, "1053", WRITTEN, "windows-1256 bytes, header says UTF-8"),
    Case(6, "1054", WRITTEN, "windows-1256 bytes, <meta> says UTF-8"),
    Case(6, "1055", WRITTEN, "UTF-8 with a BOM, no charset"),
    Case(6, "1056", WRITTEN, "UTF-8 bytes, header says windows-1256"),
    Case(6, "1057", WRITTEN, "UTF-8 page with a windows-1256 article body pasted in"),
    Case(7, "1060", WRITTEN, "Arabic ي/ك, presentation forms, bidi controls, NUL bytes"),
    Case(7, "1065", WRITTEN, "escaped tags in the title, scripts, javascript: image"),
    Case(8, "1070", "failed/challenge_page", "ArvanCloud browser check, status 200"),
    Case(8, "1071", "failed/login_wall", "login form instead of the article, status 200"),
    Case(9, "1080", "failed/too_large", "9 MiB with Content-Length"),
    Case(9, "1081", "failed/too_large", "9 MiB streamed without Content-Length"),
    Case(9, "1082", "failed/not_html", "a PDF at the article URL"),
    Case(9, "1083", "failed/not_html", "a JPEG at the article URL"),
    Case(10, "1090", "failed/redirect_loop", "/1090/ → /1090/amp/ → /1090/"),
    Case(10, "1091", "failed/too_many_redirects", "endless redirect chain ?r=1, ?r=2, …"),
    Case(10, "1092", "failed/offsite_redirect", "301 to elsewhere.test"),
    Case(10, "1093", WRITTEN, "302 to ?utm_source=telegram&utm_medium=share, then 200"),
    Case(
        12,
        "1100",
        "failed/robots_unavailable",
        "on m.cafekhabarqazvin.test, whose robots.txt answers 500",
        (("listing", "{m}/1100/"),),
    ),
    Case(
        12,
        "1101",
        "skipped/robots_disallowed",
        "under /news/, which robots.txt disallows",
        (("listing", "/news/1101/"),),
    ),
    Case(
        13,
        "1110",
        WRITTEN,
        "linked 9 ways: slugs, %-encoding, tracking, https, www, fragment",
        (
            ("listing", "/1110/بازار-گندم/"),
            ("listing", f"/1110/{_SLUG}/"),
            ("listing", f"/1110/{_SLUG.lower()}/"),
            ("listing", "/1110/another-slug/"),
            ("listing", "/1110/?utm_source=telegram&utm_medium=share"),
            ("listing", "{https}/1110/"),
            ("listing", "{www}/1110/"),
            ("feed", f"{{base}}/1110/{_SLUG.lower()}/?utm_source=rss"),
            ("sitemap", "{www}/1110/بازار-گندم/#comments"),
        ),
    ),
    Case(15, "1120", "dropped/missing_body", "the body is in a <div> the selectors do not know"),
)
BY_ID = {case.news_id: case for case in CASES}

ROBOTS = "User-agent: *\nDisallow: /news/\nDisallow: /wp-admin/\n"
_ARTICLE = re.compile(r"^/(?:news/)?(\d{2,7})(?:/|$)")
_PAGE = re.compile(r"^/page/(\d+)/$")
_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def to_cp1256(text: str) -> bytes:
    """A page as a legacy Persian site stores it: Arabic yeh, ASCII digits, windows-1256."""
    return text.replace("ی", "ي").translate(_PERSIAN_DIGITS).encode("cp1256")


@dataclass
class Hit:
    time: float
    host: str
    path: str
    status: int


class FaultSite:
    """The server. ``hits`` records every request (host, path, status, time)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        #: Ports of the private-network targets the /ssrf/ pages link to ({"v4": …, "v6": …}).
        self.targets: dict[str, int] = {"v4": 9, "v6": 9}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, host: str = HOST) -> str:
        return f"http://{host}:{self.port}"

    def expand(self, href: str) -> str:
        return href.format(
            base=self.url(),
            www=self.url("www." + HOST),
            m=self.url("m." + HOST),
            https=f"https://{HOST}",
        )

    def start(self) -> FaultSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def count(self, key: str) -> int:
        """How many times ``key`` was asked for, this request included."""
        with self._lock:
            self._counts[key] += 1
            return self._counts[key]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def article_hits(self, news_id: str) -> list[Hit]:
        """Requests for an article under any of its URLs and hosts."""
        return [
            hit
            for hit in self.hits
            if (match := _ARTICLE.match(urlsplit(hit.path).path)) and match.group(1) == news_id
        ]


def _handler_for(site: FaultSite) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.site = site
    return Handler


class _Handler(BaseHTTPRequestHandler):
    site: FaultSite
    protocol_version = "HTTP/1.1"

    # plumbing -------------------------------------------------------------------------

    def log_message(self, format: str, *args: object) -> None:
        pass  # the crawl's log is what the tests read

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.site.record(
            Hit(time.monotonic(), self.host, self.path, int(code) if str(code).isdigit() else 0)
        )

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the crawler hung up (timeout, size limit)
            super().handle()

    @property
    def host(self) -> str:
        return (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "text/html; charset=UTF-8",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def begin(self, status: int, length: int | None, content_type: str) -> None:
        """Send the status line and headers only (the body comes by hand)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0), as a crashing proxy does."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # routing --------------------------------------------------------------------------

    def do_GET(self) -> None:
        host, url = self.host, urlsplit(self.path)
        path = url.path
        if host.startswith("blocked."):
            if path == "/robots.txt":
                self.reply(404, b"not found", "text/plain")
            else:
                self.reply(200, pages.CHALLENGE.encode())
            return
        if host == "elsewhere.test":
            self.reply(200, b"<html><body>another site</body></html>")
            return
        if host == "m." + HOST and path == "/robots.txt":
            self.reply(500, b"<h1>500 Internal Server Error</h1>")
            return
        if path == "/robots.txt":
            self.reply(200, ROBOTS.encode(), "text/plain")
        elif path == "/":
            self.listing(1)
        elif match := _PAGE.match(path):
            self.listing(int(match.group(1)))
        elif path == "/feed/":
            self.reply(200, self.feed().encode(), "application/rss+xml; charset=UTF-8")
        elif path.startswith("/sitemap"):
            self.sitemap(path, url.query)
        elif hostile_pages.serves(path):  # issue 14's hostile pages, their own module
            hostile_pages.reply(self, path)
        elif discovery_pages.serves(path):  # issue 14's discovery faults, their own module
            discovery_pages.reply(self, path)
        elif private_targets.serves(path):  # issue 14's SSRF cases, their own module
            private_targets.reply(self, path)
        elif match := _ARTICLE.match(path):
            self.article(match.group(1), url.query)
        else:
            self.reply(404, b"<h1>404</h1>")

    def links(self, place: str) -> list[tuple[str, str]]:
        return [
            (self.site.expand(href), pages.title(case.news_id))
            for case in CASES
            for where, href in case.hrefs()
            if where == place
        ]

    def listing(self, page: int) -> None:
        if page == 1:
            body = pages.listing(self.links("listing"), "/page/2/")
        elif page == 2:  # a redesign: the profile's link selector finds nothing here
            body = pages.listing(self.links("listing")[:3], "/page/3/", changed=True)
        else:  # page 3, then the same page for every higher number: endless pagination
            body = pages.listing(self.links("page3"), f"/page/{page + 1}/")
        self.reply(200, body.encode())

    def feed(self) -> str:
        return pages.rss(self.links("feed"))

    def sitemap(self, path: str, query: str) -> None:
        if path == "/sitemap.xml":
            base = self.site.url()
            body = pages.sitemap_index(
                [f"{base}/sitemap-posts.xml", f"{base}/sitemap-archive.xml?year=2019"]
            )
        elif path == "/sitemap-posts.xml":
            body = pages.urlset([href for href, _ in self.links("sitemap")])
        elif path == "/sitemap-archive.xml":  # a calendar: every level links one level deeper
            depth = query.count("&") + 1
            body = pages.sitemap_index(
                [f"{self.site.url()}/sitemap-archive.xml?{query}&level{depth}=1"]
            )
        else:
            self.reply(404, b"<h1>404</h1>")
            return
        self.reply(200, body.encode(), "application/xml; charset=UTF-8")

    # articles -------------------------------------------------------------------------

    def article(self, news_id: str, query: str) -> None:
        case = BY_ID.get(news_id)
        if case is None:
            self.reply(404, b"<h1>404</h1>")
            return
        hit = self.site.count(news_id)
        behaviour = BEHAVIOURS.get(news_id, _ok)
        behaviour(self, hit, news_id, query)


Behaviour = Callable[[_Handler, int, str, str], None]


def _ok(h: _Handler, hit: int, news_id: str, query: str) -> None:
    h.reply(200, pages.article(news_id).encode())


def _status_then_ok(*statuses: int, retry_after: str | None = None) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        if hit <= len(statuses):
            headers = (("Retry-After", retry_after),) if retry_after else ()
            h.reply(statuses[hit - 1], f"<h1>{statuses[hit - 1]}</h1>".encode(), headers=headers)
        else:
            _ok(h, hit, news_id, query)

    return behaviour


def _always(status: int, retry_after: str | None = None) -> Behaviour:
    return _status_then_ok(*([status] * 100), retry_after=retry_after)


def _stall(h: _Handler, hit: int, news_id: str, query: str) -> None:
    body = pages.article(news_id).encode()
    h.begin(200, len(body), "text/html; charset=UTF-8")
    h.wfile.write(body[: len(body) // 2])
    h.wfile.flush()
    h.site.stopping.wait(30)
    h.close_connection = True


def _reset(times: int) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        if hit > times:
            _ok(h, hit, news_id, query)
            return
        body = pages.article(news_id).encode()
        h.begin(200, len(body), "text/html; charset=UTF-8")
        h.wfile.write(body[: len(body) // 2])
        h.reset()

    return behaviour


def _truncated(times: int) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        body = pages.article(news_id).encode()
        if hit <= times:  # a complete HTTP response whose HTML stops mid-sentence
            second = body.index(b"<p>", body.index(b"</p>"))
            body = body[: second + 120]
        h.reply(200, body)

    return behaviour


def _encoded(
    encode: Callable[[str], bytes], content_type: str, meta: str | None, bom: bool = False
) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        body = encode(pages.article(news_id, meta_charset=meta))
        h.reply(200, (b"\xef\xbb\xbf" if bom else b"") + body, content_type)

    return behaviour


def _mixed(h: _Handler, hit: int, news_id: str, query: str) -> None:
    token = "@@BODY@@"
    page = pages.article(news_id, body_html=token)
    before, after = page.split(token)
    text = "\n".join(f"<p>{p}</p>" for p in pages.paragraphs(news_id))
    h.reply(200, before.encode() + to_cp1256(text) + after.encode())


def _arabic(h: _Handler, hit: int, news_id: str, query: str) -> None:
    paragraphs = [p.replace("ی", "ي").replace("ک", "ك") for p in pages.paragraphs(news_id)]
    paragraphs[0] = "\u202bﺳﻼﻡ ﺑﺮ ﻗﺰﻭﯾﻦ\u202c \u200f" + paragraphs[0] + "\u2067 \u2069"
    paragraphs[2] = paragraphs[2].replace(" ", " \x00", 3) + "\x07\x1b\u200e"
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    title = pages.title(news_id).replace("ی", "ي").replace("ک", "ك")
    page = pages.article(news_id, body_html=body, title_html="\u200f" + title + "\x00")
    h.reply(200, page.encode())


HOSTILE_TITLE = "گزارش &lt;b&gt;برجسته&lt;/b&gt; 1065 <script>alert(1)</script>"


def _hostile(h: _Handler, hit: int, news_id: str, query: str) -> None:
    paragraphs = pages.paragraphs(news_id)
    body = (
        f'<p onclick="steal()">{paragraphs[0]}</p>\n'
        "<script>document.write('<p>تزریق</p>')</script><style>p{color:red}</style>\n"
        '<iframe src="http://elsewhere.test/"></iframe>\n'
        f"<p>{paragraphs[1]} &lt;iframe src=x&gt; و &lt;!-- یادداشت --&gt;</p>\n"
        '<p><img src="javascript:alert(4)" alt="بد"> <img src="/wp-content/uploads/a b.jpg" '
        f'alt="عکس &lt;i&gt;خوب&lt;/i&gt;"> {paragraphs[2]}</p>\n'
        f'<p><a href="javascript:void(0)">{paragraphs[3]}</a></p>'
    )
    h.reply(200, pages.article(news_id, title_html=HOSTILE_TITLE, body_html=body).encode())


def _big(announce: bool) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        chunk = ("<p>" + "متن " * 16000 + "</p>\n").encode()  # about 128 KiB
        h.begin(200, BIG if announce else None, "text/html; charset=UTF-8")
        h.wfile.write(b'<html><body class="single-post"><div class="entry-content">')
        sent = 0
        while sent < BIG and not h.site.stopping.is_set():
            h.wfile.write(chunk)
            sent += len(chunk)
        h.close_connection = True

    return behaviour


def _binary(content_type: str, magic: bytes) -> Behaviour:
    def behaviour(h: _Handler, hit: int, news_id: str, query: str) -> None:
        h.reply(200, magic + bytes(range(256)) * 8, content_type)

    return behaviour


def _redirect(h: _Handler, location: str) -> None:
    h.reply(302, b"", None, (("Location", location),))


def _loop(h: _Handler, hit: int, news_id: str, query: str) -> None:
    path = urlsplit(h.path).path
    _redirect(h, f"/{news_id}/" if path.endswith("/amp/") else f"/{news_id}/amp/")


def _chain(h: _Handler, hit: int, news_id: str, query: str) -> None:
    _redirect(h, f"/{news_id}/?r={hit}")


def _offsite(h: _Handler, hit: int, news_id: str, query: str) -> None:
    h.reply(301, b"", None, (("Location", f"{h.site.url('elsewhere.test')}/{news_id}/"),))


def _tracking(h: _Handler, hit: int, news_id: str, query: str) -> None:
    if "utm_source" in query:
        _ok(h, hit, news_id, query)
    else:
        _redirect(h, f"/{news_id}/?utm_source=telegram&utm_medium=share")


def _layout_changed(h: _Handler, hit: int, news_id: str, query: str) -> None:
    h.reply(200, pages.article(news_id, body_class="td-post-content").encode())


BEHAVIOURS: dict[str, Behaviour] = {
    "1010": _status_then_ok(503),
    "1011": _status_then_ok(500, 500),
    "1012": _always(500),
    "1020": _always(404),
    "1021": _always(410),
    "1030": _status_then_ok(429, retry_after="2"),
    "1031": _always(429, retry_after="3600"),
    "1040": _stall,
    "1041": _reset(times=100),
    "1042": _reset(times=1),
    "1045": _truncated(times=100),
    "1046": _truncated(times=1),
    "1050": _encoded(to_cp1256, "text/html; charset=windows-1256", None),
    "1051": _encoded(to_cp1256, "text/html", "windows-1256"),
    "1052": _encoded(to_cp1256, "text/html", None),
    "1053": _encoded(to_cp1256, "text/html; charset=UTF-8", None),
    "1054": _encoded(to_cp1256, "text/html", "UTF-8"),
    "1055": _encoded(str.encode, "text/html", None, bom=True),
    "1056": _encoded(str.encode, "text/html; charset=windows-1256", None),
    "1057": _mixed,
    "1060": _arabic,
    "1065": _hostile,
    "1070": lambda h, hit, news_id, query: h.reply(200, pages.CHALLENGE.encode()),
    "1071": lambda h, hit, news_id, query: h.reply(200, pages.LOGIN_WALL.encode()),
    "1080": _big(announce=True),
    "1081": _big(announce=False),
    "1082": _binary("application/pdf", b"%PDF-1.4\n"),
    "1083": _binary("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
    "1090": _loop,
    "1091": _chain,
    "1092": _offsite,
    "1093": _tracking,
    "1120": _layout_changed,
}
