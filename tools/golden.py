"""Rewrite the expected JSON of golden fixtures from their saved pages.

    python -m tools.golden                 # every fixture
    python -m tools.golden irna yjc        # some sites

The expected files are the spec: read the diff (``git diff tests/fixtures``) before committing.
A new fixture needs its JSON to exist with at least ``{"url": "<page URL>"}``.
"""

from __future__ import annotations

import json
import sys

from tests.support.golden import all_fixtures, article_record, listing_requests


def main(sites: list[str]) -> int:
    for fixture in all_fixtures():
        if sites and fixture.site not in sites:
            continue
        spec = fixture.spec()
        if fixture.kind == "article":
            spec["expected"] = article_record(fixture)
        else:
            spec.update(listing_requests(fixture))
        fixture.json_path.write_text(
            json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {fixture.json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
