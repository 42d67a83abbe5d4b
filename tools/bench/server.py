"""A static HTTP/1.1 server for the pre-rendered bench site: asyncio, keep-alive, all in memory.

Run by ``python -m tools.bench`` as a child process (so its CPU time is measured apart from the
crawler's) with the listening sockets it created::

    python -m tools.bench.server output/bench/site/manifest.json --fd irna=3 --fd yjc=4 ...

Every response (status line, headers and body) is built once at start-up; a request costs a
dictionary lookup and one ``transport.write``. It prints ``ready`` on stdout once serving.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import unquote

REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}
NOT_FOUND = b"<!DOCTYPE html><html><body><h1>404</h1></body></html>"


def response_bytes(
    status: int, content_type: str, body: bytes, headers: list[list[str]]
) -> tuple[bytes, bytes]:
    """Header block and body of one response."""
    lines = [
        f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}",
        "Server: bench",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), body


def load(manifest: Path) -> dict[str, dict[str, tuple[bytes, bytes]]]:
    """``{source: {unquoted target: (head, body)}}`` from the manifest and its files."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    sites = {}
    for name, entry in data.items():
        pages = {}
        for page in entry["pages"]:
            body = (manifest.parent / page["file"]).read_bytes()
            pages[page["target"]] = response_bytes(
                page["status"], page["content_type"], body, page["headers"]
            )
        sites[name] = pages
    return sites


class StaticProtocol(asyncio.Protocol):
    """One connection: parse request heads, answer from the page table, keep the connection."""

    def __init__(self, pages: dict[str, tuple[bytes, bytes]]) -> None:
        self.pages = pages
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = request_line.split(" ")
            method, target = (parts[0], parts[1]) if len(parts) >= 2 else ("GET", "/")
            found = self.pages.get(unquote(target))
            if found is None:
                found = response_bytes(404, "text/html; charset=utf-8", NOT_FOUND, [])
            self.transport.write(found[0] if method == "HEAD" else found[0] + found[1])
            if b"connection: close" in head.lower():
                self.transport.close()
                return


async def serve(manifest: Path, fds: dict[str, int]) -> None:
    sites = load(manifest)
    loop = asyncio.get_running_loop()
    servers = []
    for name, fd in fds.items():
        sock = socket.socket(fileno=fd)
        pages = sites[name]
        servers.append(
            await loop.create_server(functools.partial(StaticProtocol, pages), sock=sock)
        )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print("ready", flush=True)
    await stop.wait()
    for server in servers:
        server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--fd", action="append", default=[], help="SOURCE=FD of a listening socket")
    args = parser.parse_args(argv)
    fds = {name: int(fd) for name, fd in (item.split("=", 1) for item in args.fd)}
    asyncio.run(serve(args.manifest, fds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
