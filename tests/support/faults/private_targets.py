"""Issue 14, item 7: a public site whose links and redirects lead into private networks.

Served by :mod:`tests.support.faults.server` under ``/ssrf/``: a listing whose article links
point at the site's own host on another port, a protocol-relative link to that port, subdomains
whose DNS answer (:mod:`tests.support.faults.resolver`) is 127.0.0.1, ``::1``, 10.11.12.13 or
169.254.169.254, and a redirect (``/<id>/go/``) from the site to such a subdomain;
``/ssrf/literal/`` has the same for a mirror crawled by IP (``-a base_url=http://127.0.0.1:…``).

Behind 127.0.0.1 and ``::1`` stand :class:`Target` servers that count every connection they
accept and answer every path with a good article: a crawl that connects writes what it got.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.faults import pages

#: news id → where its link points ({v4}, {v6}: the target servers' ports).
LINKS: dict[str, str] = {
    "14701": "http://cafekhabarqazvin.test:{v4}/14701/x/",  # the site's host, another port
    "14702": "//cafekhabarqazvin.test:{v4}/14702/x/",  # protocol-relative, another port
    "14703": "http://internal.cafekhabarqazvin.test:{v4}/14703/x/",  # subdomain → 127.0.0.1
    "14704": "http://v6.cafekhabarqazvin.test:{v6}/14704/x/",  # subdomain → ::1
    "14705": "http://ten.cafekhabarqazvin.test/14705/x/",  # subdomain → 10.11.12.13
    "14706": "http://metadata.cafekhabarqazvin.test/14706/x/",  # subdomain → 169.254.169.254
    "14707": "/14707/go/",  # the site redirects to internal.…:{v4}
}
#: The same for a mirror crawled by its IP address.
LITERAL_LINKS: dict[str, str] = {
    "14711": "http://127.0.0.1:{v4}/14711/x/",
    "14712": "//127.0.0.1:{v4}/14712/x/",
    "14713": "/14713/go/",  # the mirror redirects to 127.0.0.1:{v4}
}
REDIRECTS = {
    "14707": "http://internal.cafekhabarqazvin.test:{v4}/14707/x/",
    "14713": "http://127.0.0.1:{v4}/14713/x/",
}


class Target:
    """A server on a private address that counts the connections it accepts."""

    def __init__(self, host: str) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        target = self

        class Server(ThreadingHTTPServer):
            address_family = family

            def process_request(self, request: Any, client_address: Any) -> None:
                with target._lock:
                    target.connections += 1
                super().process_request(request, client_address)

        self.connections = 0
        self._lock = threading.Lock()
        self._httpd = Server((host, 0), _TargetHandler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class _TargetHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        news_id = self.path.strip("/").split("/")[0]
        body = (
            pages.article(news_id) if news_id.isdigit() else "User-agent: *\nAllow: /\n"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def ipv6_available() -> bool:
    """Whether this machine can listen on ``::1``."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def serves(path: str) -> bool:
    return path.startswith("/ssrf/") or path.strip("/").split("/")[0] in REDIRECTS


def reply(handler: Any, path: str) -> None:
    """Answer ``path`` on the fault server's request ``handler`` (``handler.site.targets``
    holds the target ports, ``{"v4": …, "v6": …}``)."""
    ports = handler.site.targets
    if path in ("/ssrf/", "/ssrf/literal/"):
        links = LINKS if path == "/ssrf/" else LITERAL_LINKS
        items = [(href.format(**ports), pages.title(i)) for i, href in links.items()]
        handler.reply(200, pages.listing(items, None).encode())
    elif (news_id := path.strip("/").split("/")[0]) in REDIRECTS:
        location = REDIRECTS[news_id].format(**ports)
        handler.reply(302, b"", None, (("Location", location),))
    else:
        handler.reply(404, b"<h1>404</h1>")
