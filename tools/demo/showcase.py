"""What the demo's summary shows besides its table: the faults it plants on purpose (so that a
duplicate or a drop reads as the crawler handling them, not failing), one record as written, and
the syndicated story (a regional site's copy of an agency story, marked ``duplicate_of``)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools.demo.site import DemoCases

#: Record fields shown in the sample (the rest are in the file).
SAMPLE_FIELDS = (
    "id",
    "site",
    "title",
    "published_at",
    "province",
    "source_agency",
    "canonical_url",
)


def planted(cases: DemoCases) -> list[str]:
    """The faults and cases the demo plants, each with what the crawl must make of it."""
    site, news_id = cases.tracking_duplicate
    empty_site, empty_id = cases.empty_body
    (agency, story), (copier, copy) = cases.republished
    province_site, province_id, provinces = cases.two_provinces
    return [
        f"{site}:{news_id} linked twice (once with ?utm_source=telegram): written once, the "
        "other counted under duplicates",
        f"{empty_site}:{empty_id} has an empty body: dropped as missing_body, counted",
        f"{copier}:{copy} republishes {agency}:{story} with a new title and first sentence: "
        f"written, marked duplicate_of {agency}:{story} (syndication)",
        f"{province_site}:{province_id} is on the {' and '.join(provinces)} pages: written once",
    ]


def records(output: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(output.glob("*/date=*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield json.loads(line)


def sample(output: Path) -> list[str]:
    """One record of the output, its main fields and the start of its body."""
    record = next(records(output), None)
    if record is None:
        return []
    lines = [f"  {name}: {record[name]}" for name in SAMPLE_FIELDS if record.get(name)]
    body = textwrap.shorten(record.get("body") or "", width=160, placeholder=" …")
    return [*lines, f"  body: {body}"]


def syndicated(output: Path) -> list[str]:
    """The written copies of another site's story: which, of what, and their titles."""
    found = {record["id"]: record for record in records(output)}
    lines = []
    for record in found.values():
        original = found.get(record.get("duplicate_of") or "")
        if original is not None:
            lines += [
                f"  {original['id']}: {original['title']}",
                f"  {record['id']}: {record['title']}  (duplicate_of {original['id']}, "
                f"cluster {record.get('cluster_id')})",
            ]
    return lines


def showcase(output: Path, cases: DemoCases) -> str:
    """The text printed after the summary table."""
    parts = ["Planted on purpose (each handled, not a failure):"]
    parts += [f"  - {line}" for line in planted(cases)]
    if lines := sample(output):
        parts += ["", "A record (one JSON line in the files above; every field: docs/output.md):"]
        parts += lines
    if lines := syndicated(output):
        parts += ["", "The syndicated story (the same story from two sources, kept and linked):"]
        parts += lines
    return "\n".join(parts)
