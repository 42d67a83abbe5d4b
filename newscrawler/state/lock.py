"""The per-site run lock: ``flock`` on ``<state>/<site>.lock``, released by the kernel when
the process dies, so a killed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from newscrawler.state.errors import RunLocked
from newscrawler.state.store import now_iso

if TYPE_CHECKING:
    pass


class SiteLock:
    """``flock`` on ``<state>/<site>.lock``; released by the kernel when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            handle.close()
            raise RunLocked(
                f"another run of this site is in progress ({holder}; lock {self.path}); "
                "wait for it to finish"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {now_iso()}")
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    @classmethod
    def probe(cls, path: Path) -> None:
        """Raise :class:`RunLocked` if a run holds the lock now (used before starting)."""
        lock = cls(path)
        lock.acquire()
        lock.release()
