"""Run manifests read into flat rows, the table every plot and section of the report uses.

A manifest is a nested JSON document written by :mod:`newscrawler.state.manifest`; the report
needs the same few figures of every run side by side, so each manifest becomes one
:class:`Run`. A manifest that cannot be read, is not JSON or lacks the fields every manifest
has is *damaged*: it is named in :attr:`Runs.damaged` and left out, so the rest still shows.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

#: Fields every manifest written by the crawl has; without one the manifest is damaged.
REQUIRED = ("run_id", "spider", "articles_written")
#: The agency of records without one (the text names none and no earlier copy does).
NO_AGENCY = "(none)"


@dataclass(frozen=True)
class Run:
    """One run of one site: the manifest's figures the report shows."""

    site: str
    run_id: str
    day: str
    finish_reason: str
    written: int
    versions: int
    unchanged: int
    duplicates: int
    #: ``dropped: <reason>``, ``failed: <reason>``, ``skipped: <reason>`` → count
    outcomes: dict[str, int]
    coverage: dict[str, float]
    health: str
    reasons: list[str]
    extracted_with: dict[str, int]
    #: records per source agency in the files the run committed, and how many were copies
    agencies: dict[str, int] = field(default_factory=dict)
    copies: dict[str, int] = field(default_factory=dict)
    #: the stories (``cluster_id``) of its records, and of its copies of earlier deliveries
    clusters: frozenset[str] = frozenset()
    copied: frozenset[str] = frozenset()

    @property
    def new(self) -> int:
        """Articles delivered for the first time (written minus new versions of known ones)."""
        return max(self.written - self.versions, 0)


@dataclass
class Runs:
    """The runs of every site (oldest first per site), the damaged manifests, the sites."""

    runs: list[Run]
    damaged: list[str]

    @property
    def sites(self) -> list[str]:
        return sorted({run.site for run in self.runs})

    def of(self, site: str) -> list[Run]:
        return [run for run in self.runs if run.site == site]


class DamagedManifest(ValueError):
    """A manifest that cannot be used; the message names the file and what is wrong."""


def _counts(value: Any) -> dict[str, int]:
    """A manifest's ``{reason: count}`` group, tolerant of a missing group."""
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int | float)}


def run_of(path: Path, data: Any, output: Path) -> Run:
    """The :class:`Run` of one parsed manifest; :class:`DamagedManifest` when it is not one."""
    if not isinstance(data, dict):
        raise DamagedManifest(f"{path}: not a JSON object")
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise DamagedManifest(f"{path}: no {', '.join(missing)}")
    outcomes: dict[str, int] = {}
    for group in ("dropped", "failed", "skipped"):
        for reason, count in _counts(data.get(group)).items():
            if count:
                outcomes[f"{group}: {reason}"] = count
    health: dict[str, Any] = data["health"] if isinstance(data.get("health"), dict) else {}
    started = str(data.get("started_at") or data.get("finished_at") or data["run_id"])
    coverage: dict[str, Any] = data["coverage"] if isinstance(data.get("coverage"), dict) else {}
    run = Run(
        site=path.parent.parent.name,
        run_id=str(data["run_id"]),
        day=started[:10] if started[:4].isdigit() and "-" in started[:10] else started[:8],
        finish_reason=str(data.get("finish_reason", "")),
        written=int(data["articles_written"]),
        versions=int(data.get("versions", 0)),
        unchanged=int(data.get("unchanged", 0)),
        duplicates=int(data.get("duplicates", 0)),
        outcomes=outcomes,
        coverage={str(k): float(v) for k, v in coverage.items()},
        health=str(health.get("status", "unknown")),
        reasons=[str(r) for r in health.get("reasons", [])],
        extracted_with=_counts(data.get("extracted_with")),
    )
    return _with_syndication(run, data.get("files", []), output)


def _with_syndication(run: Run, files: Any, output: Path) -> Run:
    """The run with its records' agencies, copies and stories, read from the files it names.

    Syndication is decided per record (``source_agency``, ``duplicate_of``, ``cluster_id``),
    so only the records hold it. A file that is gone (moved to a warehouse) is passed over.
    """
    agencies: Counter[str] = Counter()
    copies: Counter[str] = Counter()
    clusters: set[str] = set()
    copied: set[str] = set()
    for entry in files if isinstance(files, list) else []:
        path = output / str(entry.get("path", "")) if isinstance(entry, dict) else None
        if path is None or not path.is_file():
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                agency = str(record.get("source_agency") or NO_AGENCY)
                agencies[agency] += 1
                story = str(record.get("cluster_id") or record.get("id"))
                clusters.add(story)
                if record.get("duplicate_of"):
                    copies[agency] += 1
                    copied.add(story)
    return replace(
        run,
        agencies=dict(agencies),
        copies=dict(copies),
        clusters=frozenset(clusters),
        copied=frozenset(copied),
    )


def read_runs(output: Path, limit: int) -> Runs:
    """The last ``limit`` runs of every site under ``output`` (by run id, which starts with
    the start time), oldest first; damaged manifests named in :attr:`Runs.damaged`."""
    runs: list[Run] = []
    damaged: list[str] = []
    for folder in sorted(p for p in output.glob("*/_manifests") if p.is_dir()):
        paths = sorted(folder.glob("*.json"))[-limit:] if limit > 0 else []
        for path in paths:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                runs.append(run_of(path, data, output))
            except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
                reason = str(exc) if isinstance(exc, DamagedManifest) else f"{path}: {exc}"
                damaged.append(reason)
    return Runs(runs=runs, damaged=damaged)


def agency_table(runs: list[Run]) -> dict[str, tuple[int, int]]:
    """Per source agency over these runs: (records, copies of a story delivered before).

    >>> r = Run("a", "1", "d", "", 2, 0, 0, 0, {}, {}, "ok", [], {}, {"IRNA": 2}, {"IRNA": 1})
    >>> agency_table([r, r])
    {'IRNA': (4, 2)}
    """
    records: Counter[str] = Counter()
    copies: Counter[str] = Counter()
    for run in runs:
        records.update(run.agencies)
        copies.update(run.copies)
    return {agency: (records[agency], copies[agency]) for agency in sorted(records)}
