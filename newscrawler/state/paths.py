"""Where the crawl state lives: ``NEWSCRAWLER_STATE_DIR``, else ``<output>/.state``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


def state_dir(settings: Any) -> Path:
    """``NEWSCRAWLER_STATE_DIR``, else ``<NEWSCRAWLER_OUTPUT_DIR>/.state``."""
    configured = settings.get("NEWSCRAWLER_STATE_DIR")
    if configured:
        return Path(configured)
    return Path(settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output") / ".state"
