"""Ledger classes that fail to open, for ``-s NEWSCRAWLER_LEDGER_CLASS=…``: what a crawl meets
when another run takes the lock, or a state file breaks, after ``scrapy crawl`` checked it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newscrawler.state.errors import RunLocked, StateError
from newscrawler.state.ledger import Ledger


class LockedLedger(Ledger):
    @classmethod
    def from_settings(cls, settings: Any, root: Path, site: str, output_site_dir: Path) -> Ledger:
        raise RunLocked(f"another run of this site is in progress (lock {root / site}.lock)")


class BrokenLedger(Ledger):
    @classmethod
    def from_settings(cls, settings: Any, root: Path, site: str, output_site_dir: Path) -> Ledger:
        raise StateError(f"state file {root / site}.sqlite is corrupt (planted by the test)")
