"""Serve the demo sources on 127.0.0.1, each on its own port, from background threads.

    with DemoServer(build_site()) as urls:
        print(urls["irna"])  # http://127.0.0.1:40123

Port 0 (the default) takes a free port. Each source gets a
:class:`http.server.ThreadingHTTPServer`; pages are rendered per request with the base URL the
server listens on, so canonical links, feeds and sitemaps point at the live server.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, TextIO

from tools.demo.site import DemoSite, DemoSource, Reply, build_site

HOST = "127.0.0.1"


class DemoRequestHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from one :class:`DemoSource`."""

    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 30
    source: ClassVar[DemoSource]
    base_url: ClassVar[str]
    log: ClassVar[TextIO | None] = None

    def do_GET(self) -> None:
        self._send(self._reply(), body=True)

    def do_HEAD(self) -> None:
        self._send(self._reply(), body=False)

    def _reply(self) -> Reply:
        try:
            return self.source.respond(self.path, self.base_url)
        except Exception as exc:  # a bug in the demo must not look like a site outage
            message = f"demo site error: {type(exc).__name__}: {exc}"
            print(message, file=sys.stderr)
            return Reply(500, "text/plain; charset=utf-8", message.encode())

    def _send(self, reply: Reply, body: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.log is not None:
            print(f"{self.source.name}: {format % args}", file=self.log, flush=True)


class DemoServer:
    """Serve every source of a :class:`DemoSite`; ``start()`` returns ``{site: base_url}``.

    Use as a context manager, or call :meth:`start` and :meth:`stop` (which is safe to call
    twice). ``ports`` fixes a source's port (default 0: any free port); ``log`` receives one
    access-log line per request.
    """

    def __init__(
        self,
        site: DemoSite | None = None,
        *,
        ports: Mapping[str, int] | None = None,
        log: TextIO | None = None,
    ) -> None:
        self.site = site or build_site()
        self.ports = dict(ports or {})
        self.log = log
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self.urls: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        if self._servers:
            return dict(self.urls)
        try:
            for name, source in self.site.sources.items():
                handler: type[DemoRequestHandler] = type(
                    f"{name.title()}Handler",
                    (DemoRequestHandler,),
                    {"source": source, "log": self.log, "base_url": ""},
                )
                server = ThreadingHTTPServer((HOST, self.ports.get(name, 0)), handler)
                server.daemon_threads = True
                handler.base_url = f"http://{HOST}:{server.server_address[1]}"
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.2},
                    name=f"demo-{name}",
                    daemon=True,
                )
                thread.start()
                self._servers[name] = server  # only a running server can be shut down
                self._threads.append(thread)
                self.urls[name] = handler.base_url
        except BaseException:
            self.stop()
            raise
        return dict(self.urls)

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()
        self.urls.clear()

    def __enter__(self) -> dict[str, str]:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
