"""Recovery manifests: every committed output file is named by a manifest, even after a kill.

A warehouse loads only the files named in manifests. A run that was killed after committing
some files never wrote its manifest; the next run of the site writes a *recovery manifest* for
it (``finish_reason`` ``"interrupted"``) from the crawl state, which knows every committed file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawler.items import SCHEMA_VERSION
from newscrawler.state.layout import manifests_dir, safe_token, write_json_atomically

if TYPE_CHECKING:
    pass


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
