"""The report page: one HTML file, its plots inlined as SVG, its tables as HTML.

Everything the page needs is in the file (styles, plots; no script), so it opens offline and
stays the same when the manifests it was made from are gone. :func:`write_report` is what the
``report`` command runs.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newscrawler.report import plots
from newscrawler.report.runs import Run, Runs, agency_table, read_runs

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: .6em 0; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; font-weight: 600; } .degraded { color: #b3261e; font-weight: 600; }
.unknown { color: #777; } .damaged { background: #fff4e5; border: 1px solid #f0b429;
       padding: .5em 1em; } figure.plot { margin: .8em 1em .8em 0; }
.row { display: flex; flex-wrap: wrap; align-items: flex-start; } figure.plot svg { max-width: 100%;
       height: auto; } .note { color: #666; }
"""


class NoManifests(Exception):
    """The output folder holds no run manifest (or only damaged ones): no report to make."""


@dataclass(frozen=True)
class Written:
    """What :func:`write_report` did: the page, its size, the runs and damaged manifests."""

    path: Path
    bytes: int
    sites: int
    runs: int
    damaged: list[str]


def write_report(output: Path, target: Path, limit: int) -> Written:
    """Read the last ``limit`` runs of every site under ``output`` and write the page to
    ``target`` (atomically: a browser or web server never shows half a page)."""
    runs = read_runs(output, limit)
    if not runs.runs:
        found = f"{len(runs.damaged)} damaged manifest(s) and no other" if runs.damaged else "no"
        raise NoManifests(f"{found} run manifest(s) under {output}/<site>/_manifests/")
    page = render(runs, output, limit)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, suffix=".part", delete=False
    ) as part:
        part.write(page)
    Path(part.name).replace(target)
    target.chmod(0o644)
    return Written(target, target.stat().st_size, len(runs.sites), len(runs.runs), runs.damaged)


def render(runs: Runs, output: Path, limit: int) -> str:
    """The whole page."""
    made = datetime.now(UTC).isoformat(timespec="seconds")
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>newscrawler run report: {_e(', '.join(runs.sites))}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>newscrawler run report</h1>",
        f'<p class="note">From the run manifests under <code>{_e(str(output))}</code>, the last '
        f"{limit} run(s) of each site; made {made}. Sites: {len(runs.sites)}, runs: "
        f"{len(runs.runs)}, damaged manifests skipped: {len(runs.damaged)}.</p>",
        *_damaged(runs.damaged),
        '<h2 id="overview">Overview</h2>',
        _plot("written-per-day", plots.written_per_day(runs.runs, runs.sites)),
        _day_table(runs.runs),
        *_syndication(runs.runs),
    ]
    for site in runs.sites:
        parts += _site(site, runs.of(site))
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _e(text: object) -> str:
    return html.escape(str(text))


def _plot(name: str, svg: str | None, empty: str = "") -> str:
    if svg is None:
        return f'<p class="note" data-plot="{name}">{_e(empty)}</p>'
    return f'<figure class="plot" data-plot="{name}">{svg}</figure>'


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An HTML table; ints are right-aligned, every cell escaped unless it is markup we made."""
    cells = ["<table><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr>"]
    for row in rows:
        cells.append("<tr>")
        for value in row:
            if isinstance(value, int):
                cells.append(f'<td class="n">{value}</td>')
            elif isinstance(value, _Markup):
                cells.append(f"<td>{value.text}</td>")
            else:
                cells.append(f"<td>{_e(value)}</td>")
        cells.append("</tr>")
    cells.append("</table>")
    return "".join(cells)


@dataclass(frozen=True)
class _Markup:
    """A cell's HTML built here from escaped parts (health with its colour)."""

    text: str


def _health(run: Run) -> _Markup:
    reasons = "; ".join(run.reasons)
    detail = f": {_e(reasons)}" if reasons else ""
    return _Markup(f'<span class="{_e(run.health)}">{_e(run.health)}</span>{detail}')


def _damaged(damaged: list[str]) -> list[str]:
    if not damaged:
        return []
    items = "".join(f"<li><code>{_e(line)}</code></li>" for line in damaged)
    return [
        f'<div class="damaged"><b>{len(damaged)} damaged manifest(s) skipped</b><ul>{items}'
        "</ul></div>"
    ]


def _day_table(runs: Sequence[Run]) -> str:
    """Per site and crawl day: runs and their totals, and how many runs were degraded."""
    groups: dict[tuple[str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.site, run.day), []).append(run)
    rows = []
    for (site, day), group in sorted(groups.items()):

        def total(kind: str, group: list[Run] = group) -> int:
            return sum(n for r in group for k, n in r.outcomes.items() if k.startswith(kind))

        rows.append(
            (
                site,
                day,
                len(group),
                sum(r.written for r in group),
                sum(r.new for r in group),
                sum(r.versions for r in group),
                sum(r.unchanged for r in group),
                sum(r.duplicates for r in group),
                total("dropped"),
                total("failed"),
                total("skipped"),
                sum(r.health == "degraded" for r in group),
            )
        )
    head = (
        "site",
        "crawl day",
        "runs",
        "written",
        "new",
        "new versions",
        "unchanged",
        "duplicates",
        "dropped",
        "failed",
        "skipped",
        "degraded runs",
    )
    return _table(head, rows)


def _syndication(runs: Sequence[Run]) -> list[str]:
    table = agency_table(list(runs))
    stories = set().union(*(run.clusters for run in runs))
    copied = set().union(*(run.copied for run in runs))
    return [
        '<h2 id="syndication">Syndication</h2>',
        f"<p>Stories delivered: {len(stories)}; stories also delivered as a republished copy: "
        f"{len(copied)} (<code>cluster_id</code>, <code>duplicate_of</code>; read from the files "
        "the manifests name).</p>",
        _plot("agencies", plots.agencies(runs), "No records found: the runs' files were moved."),
        _table(("source agency", "records", "copies"), [(a, n, c) for a, (n, c) in table.items()]),
    ]


def _site(site: str, runs: list[Run]) -> list[str]:
    """A site's section: its plots, then one row per run with health and CMS families."""
    rows = [
        (
            run.run_id,
            run.day,
            run.finish_reason or "?",
            run.written,
            run.versions,
            run.unchanged,
            run.duplicates,
            _health(run),
            ", ".join(f"{k} {v}" for k, v in sorted(run.extracted_with.items())) or "-",
        )
        for run in runs
    ]
    head = (
        "run",
        "crawl day",
        "finish",
        "written",
        "new versions",
        "unchanged",
        "duplicates",
        "health",
        "extracted with (CMS family: pages)",
    )
    shown = [
        _plot(f"{site}-articles", plots.outcomes_per_run(runs, site)),
        _plot(
            f"{site}-reasons",
            plots.reasons_per_run(runs, site),
            "No drops, failures or skips in these runs.",
        ),
        _plot(
            f"{site}-coverage",
            plots.coverage_per_run(runs, site),
            "No article extracted in these runs: no coverage.",
        ),
    ]
    # the plots side by side; the notes standing in for an empty plot below them
    figures = [part for part in shown if part.startswith("<figure")]
    notes = [part for part in shown if not part.startswith("<figure")]
    return [
        f'<h2 id="site-{_e(site)}">{_e(site)}</h2>',
        '<div class="row">',
        *figures,
        "</div>",
        *notes,
        _table(head, rows),
    ]
