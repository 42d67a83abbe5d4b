"""``newscrawler report [--output DIR] [--runs N] [--to FILE]``: its arguments and its run.

Kept here rather than in ``newscrawler/cli.py`` so that the command line module stays short
and matplotlib (the optional ``report`` extra) is imported only when a report is made: the
other commands work without it. Errors follow ``cli.py``'s rule: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

#: The exit status of a problem the user can fix (``cli.USAGE_EXIT``).
USAGE_EXIT = 2
DEFAULT_RUNS = 30


def add_report_command(commands: Any) -> None:
    """Add ``report`` to the command line's subcommands (``argparse`` subparsers)."""
    report = commands.add_parser(
        "report", help="write one self-contained HTML page of the recent runs, with plots"
    )
    report.add_argument("--output", help="output directory (default: NEWSCRAWLER_OUTPUT_DIR)")
    report.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"last N runs per site ({DEFAULT_RUNS})"
    )
    report.add_argument("--to", metavar="FILE", help="the page (default: <output>/report.html)")
    report.set_defaults(func=cmd_report)


def _fail(message: str) -> int:
    print(f"newscrawler: error: {message}", file=sys.stderr)
    return USAGE_EXIT


def cmd_report(args: argparse.Namespace) -> int:
    """Write the page. No manifest at all (or only damaged ones): one line, exit status 2; a
    damaged manifest: named on stderr, skipped, counted in the page, exit status 0 (the page
    was made: the other runs are shown)."""
    from scrapy.utils.project import get_project_settings

    from newscrawler import settings as defaults

    try:
        from newscrawler.report.page import NoManifests, write_report
    except ModuleNotFoundError as exc:  # matplotlib is the optional `report` extra
        return _fail(f"report needs {exc.name}: pip install 'newscrawler[report]'")
    if args.runs < 1:
        return _fail(f"--runs must be 1 or more, not {args.runs}")
    # outside the project (no scrapy.cfg) Scrapy's project settings are empty: the default
    configured = get_project_settings().get("NEWSCRAWLER_OUTPUT_DIR")
    output = Path(args.output or configured or defaults.NEWSCRAWLER_OUTPUT_DIR)
    target = Path(args.to) if args.to else output / "report.html"
    started = time.monotonic()
    try:
        written = write_report(output, target, args.runs)
    except NoManifests as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write the report {target}: {exc}")
    for line in written.damaged:
        print(f"newscrawler: damaged manifest skipped: {line}", file=sys.stderr)
    print(
        f"report: {written.path} ({written.bytes} bytes): {written.sites} site(s), "
        f"{written.runs} run(s), {len(written.damaged)} damaged manifest(s) skipped, "
        f"{time.monotonic() - started:.1f} s"
    )
    return 0
