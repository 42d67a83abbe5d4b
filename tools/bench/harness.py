"""What a bench run holds: the served site (:class:`Server`), the machine's description, and
where results are written. Shared by ``python -m tools.bench`` and its long crawl
(:mod:`tools.bench.long`)."""

from __future__ import annotations

import compileall
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from tools.bench import site

ROOT = Path(__file__).resolve().parents[2]


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions: dict[str, str | None] = {}
    for package in ("scrapy", "hazm", "lxml", "parsel", "trafilatura"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": load,
        **versions,
    }


class Server:
    """The bench site served by ``tools/bench/server.py`` on one socket per source."""

    def __init__(
        self, out: Path, n: int, sources: tuple[str, ...] = site.SOURCES, folder: str = "site"
    ) -> None:
        self.sockets = {
            name: socket.create_server(("127.0.0.1", 0), backlog=1024) for name in sources
        }
        ports = {name: sock.getsockname()[1] for name, sock in self.sockets.items()}
        started = time.perf_counter()
        urls = {name: f"http://127.0.0.1:{p}" for name, p in ports.items()}
        self.sources = site.build(n, urls, sources=sources)
        directory = out / folder
        shutil.rmtree(directory, ignore_errors=True)
        self.manifest = site.write(self.sources, directory, ports)
        self.render_s = time.perf_counter() - started
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Server:
        fds = {name: sock.fileno() for name, sock in self.sockets.items()}
        command = [sys.executable, "-m", "tools.bench.server", str(self.manifest)]
        command += [f"--fd={name}={fd}" for name, fd in fds.items()]
        self.process = subprocess.Popen(
            command, cwd=ROOT, pass_fds=tuple(fds.values()), stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the bench server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
        for sock in self.sockets.values():
            sock.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def compile_bytecode(checkout: Path) -> tuple[int, float]:
    """Write the bytecode of ``checkout``'s package, as ``pip install`` does for a wheel:
    ``(modules, seconds)``.

    Why: an editable install leaves it to Python to write ``__pycache__`` on first import, and
    with ``PYTHONDONTWRITEBYTECODE=1`` (set on this project's machines, and in many container
    images) it never does, so every crawl process compiled ~100 modules from source (0.6G
    instructions, an eighth of the crawl's start) while Scrapy's modules, installed from wheels,
    were read compiled. Up-to-date files are skipped; a stale one is rewritten."""
    started = time.perf_counter()
    package = checkout / "newscrawler"
    if not compileall.compile_dir(package, quiet=1, workers=1):
        raise RuntimeError(f"{package}: a module does not compile")
    modules = sum(1 for _ in package.rglob("*.py"))
    return modules, time.perf_counter() - started


def write(result: dict[str, Any], text: str, out: Path, kind: str) -> Path:
    """``OUT/<kind>-<time>.json``, and the latest run of that kind: ``latest.json`` and
    ``latest.txt`` for ``bench``, ``latest-<kind>.*`` for another (``long``)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    latest = "latest" if kind == "bench" else f"latest-{kind}"
    path = out / f"{kind}-{stamp}.json"
    for target in (path, out / f"{latest}.json"):
        target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / f"{latest}.txt").write_text(text + "\n", encoding="utf-8")
    return path
