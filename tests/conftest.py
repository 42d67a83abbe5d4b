"""Fixtures that several test modules use alike (helpers they import live in ``tests.support``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import text_corpus
from tests.support.processes import Demo
from tools.demo.server import DemoServer
from tools.demo.site import DemoSite, build_site


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[DemoSite, dict[str, str]]]:
    """The demo site (100 articles a source) served on 127.0.0.1, and its URLs, for a module's
    real crawls."""
    site = build_site(articles=100)
    with DemoServer(site) as urls:
        yield Demo((site, urls))


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[Any]]:
    """The runs a test starts (it appends them here); at its end each is closed with
    ``close(commit=False)``, like a kill: the open ``.part`` file is left behind."""
    started: list[Any] = []
    yield started
    for run in started:
        run.close(commit=False)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every text of the fixtures and real pages, the demo's pool and edge cases."""
    return text_corpus.corpus()


@pytest.fixture(scope="module")
def reference_normalizer() -> object:
    return text_corpus.reference_normalizer()
