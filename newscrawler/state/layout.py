"""The output layout: where a site's files, its manifests and the crawl state live, and how
JSON is written atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


def output_root(settings: BaseSettings) -> Path:
    """``NEWSCRAWLER_OUTPUT_DIR``: sites' folders, their files and manifests go under it."""
    return Path(settings["NEWSCRAWLER_OUTPUT_DIR"])


def output_dir(crawler: Crawler) -> Path:
    """:func:`output_root` of a crawl."""
    return output_root(crawler.settings)


def state_dir(settings: BaseSettings) -> Path:
    """``NEWSCRAWLER_STATE_DIR``, else ``<NEWSCRAWLER_OUTPUT_DIR>/.state``."""
    configured = settings.get("NEWSCRAWLER_STATE_DIR")
    return Path(configured) if configured else output_root(settings) / ".state"


def safe_token(value: str) -> str:
    """A file-name token that cannot leave its directory.

    >>> safe_token("../../etc/passwd")
    'etc_passwd'
    """
    token = _UNSAFE.sub("_", value).strip("._")
    return token[:80] or "unnamed"


def manifests_dir(root: Path, site: str) -> Path:
    return root / safe_token(site) / "_manifests"


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write JSON so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def recent_manifests(root: Path, site: str, limit: int = 5) -> list[dict[str, Any]]:
    """The site's latest manifests, newest first (unreadable ones are skipped)."""
    found = []
    for path in sorted(manifests_dir(root, site).glob("*.json"), reverse=True):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if len(found) >= limit:
            break
    return found
