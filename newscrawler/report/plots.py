"""The report's plots: matplotlib figures rendered to inline SVG strings.

matplotlib's object API (:class:`~matplotlib.figure.Figure` with the Agg-free SVG backend) is
used instead of ``pyplot``: no global figure state, no GUI backend picked from the
environment, so a report can be built in a cron job or beside a crawl. Text stays text in the
SVG (``svg.fonttype: none``): the page is smaller, searchable, and Persian labels are shaped
by the browser, which matplotlib's own text layout does not do.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from newscrawler.report.runs import Run, agency_table

#: Outcome series of the articles plot, each with its colour (colour-blind safe, Okabe–Ito).
OUTCOMES = (
    ("new", "#0072B2"),
    ("new version", "#56B4E9"),
    ("unchanged", "#999999"),
    ("duplicate", "#E69F00"),
)
#: Colours of the reasons plot, taken in turn.
PALETTE = ("#D55E00", "#CC79A7", "#009E73", "#F0E442", "#0072B2", "#E69F00", "#56B4E9")


def svg_of(figure: Figure) -> str:
    """The figure as an ``<svg>`` element to inline (the XML prolog and DOCTYPE dropped)."""
    buffer = io.StringIO()
    # text as <text> elements; fixed ids, so one report of the same runs is the same file
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "newscrawler-report"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of one axes. No layout engine: ``bbox_inches="tight"`` at save time already
    fits labels and outside legends, and constrained layout doubled the drawing time."""
    figure = Figure(figsize=(width, height))
    return figure, figure.add_subplot()


def _labels(runs: Sequence[Run]) -> list[str]:
    """A run's label on an axis: its start time (``MM-DD HH:MM:SS``), from the run id."""
    labels = []
    for run in runs:
        stamp = run.run_id.split("-", 1)[0]
        labels.append(f"{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}")
    return labels


def written_per_day(runs: Sequence[Run], sites: Sequence[str]) -> str:
    """Articles written per site and crawl day: grouped bars, one group per day."""
    days = sorted({run.day for run in runs})
    figure, axes = _figure(max(4.0, 1.2 * len(days) + 2), 3.0)
    width = 0.8 / max(len(sites), 1)
    for index, site in enumerate(sites):
        totals = [sum(r.written for r in runs if r.site == site and r.day == d) for d in days]
        positions = [day + index * width for day in range(len(days))]
        axes.bar(positions, totals, width=width, label=site, color=PALETTE[index % len(PALETTE)])
    axes.set_xticks([d + 0.4 - width / 2 for d in range(len(days))], days)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("articles written")
    axes.set_title("Articles written per site and crawl day (UTC)")
    axes.legend(fontsize=8, ncols=min(len(sites), 4))
    return svg_of(figure)


def outcomes_per_run(runs: Sequence[Run], site: str) -> str:
    """New articles, new versions, unchanged and duplicates per run: stacked bars."""
    figure, axes = _figure(max(4.0, 0.5 * len(runs) + 2), 2.6)
    values = {
        "new": [r.new for r in runs],
        "new version": [r.versions for r in runs],
        "unchanged": [r.unchanged for r in runs],
        "duplicate": [r.duplicates for r in runs],
    }
    bottom = [0] * len(runs)
    x = list(range(len(runs)))
    for name, colour in OUTCOMES:
        axes.bar(x, values[name], bottom=bottom, label=name, color=colour)
        bottom = [b + v for b, v in zip(bottom, values[name], strict=True)]
    _run_axis(axes, runs)
    axes.set_ylabel("articles")
    axes.set_title(f"{site}: articles per run")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return svg_of(figure)


def reasons_per_run(runs: Sequence[Run], site: str) -> str | None:
    """Drops, failures and skips by reason per run: stacked bars; ``None`` when there were none."""
    reasons = sorted({reason for run in runs for reason in run.outcomes})
    if not reasons:
        return None
    figure, axes = _figure(max(4.0, 0.5 * len(runs) + 2), 2.6)
    x = list(range(len(runs)))
    bottom = [0] * len(runs)
    for index, reason in enumerate(reasons):
        counts = [run.outcomes.get(reason, 0) for run in runs]
        axes.bar(x, counts, bottom=bottom, label=reason, color=PALETTE[index % len(PALETTE)])
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    _run_axis(axes, runs)
    axes.set_ylabel("pages or records")
    axes.set_title(f"{site}: dropped, failed and skipped by reason")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return svg_of(figure)


def coverage_per_run(runs: Sequence[Run], site: str) -> str | None:
    """Field coverage (share of articles with each field) per run: a heat map with its values;
    ``None`` when no run extracted an article."""
    fields = list(dict.fromkeys(f for run in runs for f in run.coverage))
    if not fields:
        return None
    grid = [[run.coverage.get(f, float("nan")) for run in runs] for f in fields]
    figure, axes = _figure(max(3.0, 0.6 * len(runs) + 1.5), 0.25 * len(fields) + 0.8)
    image = axes.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0.0, vmax=1.0)
    for row, values in enumerate(grid):
        for column, value in enumerate(values):
            if value == value:  # not NaN
                axes.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=7)
    axes.set_yticks(range(len(fields)), fields)
    _run_axis(axes, runs, counts=False)
    axes.set_title(f"{site}: field coverage")
    figure.colorbar(image, ax=axes, fraction=0.04)
    return svg_of(figure)


def agencies(runs: Sequence[Run]) -> str | None:
    """Records and republished copies per source agency: horizontal bars; ``None`` when the
    runs' files were not found (moved away) so nothing is known of agencies."""
    table = agency_table(list(runs))
    if not table:
        return None
    names = list(table)
    figure, axes = _figure(6.0, 0.35 * len(names) + 1.2)
    y = list(range(len(names)))
    axes.barh(y, [table[n][0] for n in names], color="#0072B2", label="records")
    axes.barh(y, [table[n][1] for n in names], color="#E69F00", label="copies", height=0.4)
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    axes.set_xlabel("records")
    axes.set_title("Syndication: records and republished copies per source agency")
    axes.legend(fontsize=8)
    return svg_of(figure)


def _run_axis(axes: Axes, runs: Sequence[Run], *, counts: bool = True) -> None:
    """Runs along x, labelled by start time; counts along y in whole numbers."""
    if counts:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(range(len(runs)), _labels(runs), rotation=45, ha="right")
    axes.set_xlabel("run (start, UTC)")
