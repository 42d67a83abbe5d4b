"""``python -m newscrawler state verify SITE``: a site's whole output tree against its manifests.

Every file a manifest names must be there with the manifest's size and SHA-256; a committed file
no manifest names yet (a run in progress) is checked against the crawl state's SHA-256; any other
``*.jsonl`` file under the site's partitions was not created by the crawl ledger (a backup copied
in, a file written by hand) and is reported, since a loader globbing the folder would load it.
Read-only: takes no lock, reads the state file in read-only mode.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from newscrawler.state.store import file_digest

if TYPE_CHECKING:
    pass


def committed_files(state_file: Path) -> dict[str, tuple[int, str]]:
    """Committed file (relative to the site's folder) → (bytes, SHA-256), from the state."""
    if not state_file.exists():
        return {}
    db = sqlite3.connect(f"file:{state_file}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT name, bytes, sha256 FROM files").fetchall()
    finally:
        db.close()
    return {name: (size, sha) for name, size, sha in rows}


#: A file a manifest names: (bytes, SHA-256, run id).
Named = dict[str, tuple[int, str, str]]


def named_by_manifests(site_dir: Path, problems: list[str] | None = None) -> Named:
    """Path (relative to the site's folder) → (bytes, SHA-256, run id) of every file the site's
    manifests name; a line in ``problems`` per manifest that cannot be read."""
    named: Named = {}
    for path in sorted((site_dir / "_manifests").glob("*.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            for entry in manifest.get("files") or []:
                relative = entry["path"].split("/", 1)[1]  # "<site>/date=…/….jsonl"
                named[relative] = (entry["bytes"], entry["sha256"], str(manifest["run_id"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            if problems is not None:
                problems.append(f"unreadable manifest: {path} ({exc})")
    return named


def check_file(path: Path, size: int, sha: str, source: str) -> str | None:
    """A problem line when ``path`` is missing or differs from ``size``/``sha``."""
    if not path.is_file():
        return f"missing: {path} (named by {source})"
    _, actual, actual_size = file_digest(path)
    if actual_size != size or actual != sha:
        return (
            f"changed: {path} ({actual_size} bytes, sha256 {actual[:16]}…; {source} says "
            f"{size} bytes, sha256 {sha[:16]}…)"
        )
    return None


def verify_site(output: Path, state_root: Path, site: str) -> tuple[int, list[str]]:
    """Files checked and one line per problem (none: the tree matches)."""
    problems: list[str] = []
    site_dir = output / site
    named = named_by_manifests(site_dir, problems)
    checked = 0
    for name, (size, sha, run_id) in sorted(named.items()):
        checked += 1
        problem = check_file(site_dir / name, size, sha, f"manifest {run_id}")
        if problem:
            problems.append(problem)
    state = committed_files(state_root / f"{site}.sqlite")
    for name, (size, sha) in sorted(state.items()):
        if name not in named:
            checked += 1
            problem = check_file(site_dir / name, size, sha, "the crawl state")
            if problem:
                problems.append(problem)
    for path in sorted(site_dir.glob("date=*/*.jsonl")):
        name = path.relative_to(site_dir).as_posix()
        if name not in named and name not in state:
            problems.append(f"unknown: {path} (not created by the crawl ledger; never loaded)")
    return checked, problems
