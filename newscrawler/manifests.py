"""The output layout and run manifests: where files live, how manifests are written, and
recovery manifests.

A warehouse loads only the files named in manifests, so every committed output file must be
named by one. A run that was killed after committing some files never wrote its manifest; the
next run of the site writes a *recovery manifest* for it (``finish_reason`` ``"interrupted"``)
from the crawl state, which knows every committed file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawler.items import SCHEMA_VERSION

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


def output_dir(crawler: Crawler) -> Path:
    """``NEWSCRAWLER_OUTPUT_DIR``: sites' folders, their files and manifests go under it."""
    return Path(crawler.settings.get("NEWSCRAWLER_OUTPUT_DIR") or "output")


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


def write_recovery_manifests(
    root: Path, site: str, files_by_run: dict[str, list[dict[str, Any]]], current_run: str | None
) -> list[str]:
    """Manifests for earlier runs whose committed files no manifest names; returns their ids."""
    written = []
    for run_id, files in sorted(files_by_run.items()):
        if run_id == current_run:
            continue
        path = manifests_dir(root, site) / f"{safe_token(run_id)}.json"
        if path.exists():
            continue
        write_json_atomically(
            path,
            {
                "schema_version": SCHEMA_VERSION,
                "run_id": run_id,
                "spider": site,
                "finish_reason": "interrupted",
                "recovered": True,
                "articles_written": sum(f["lines"] for f in files),
                "files": files,
                "health": {"status": "unknown", "reasons": ["run was interrupted"]},
            },
        )
        written.append(run_id)
    return written
