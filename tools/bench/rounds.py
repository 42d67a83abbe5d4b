"""The crawl rounds of ``make bench``: which rows run, in what order, and what is made of them.

Why the order and the pairing: this machine's speed drifts (by 30-60 % within minutes,
measured: the same crawl of the same pages a few minutes apart), and a heavier process slows
more than a light one. Run row by row (all of bare's sources, then all of the default's, …),
a slow spell fell on some rows and not on others, and a ratio between two rows measured the
host as much as the code. So :func:`crawl_all` runs every row of a source back to back
(round → source → row) and reverses the rows' order on every other source and round
(:func:`schedule`), so that a steady drift favours no row; and :func:`paired_ratios` divides
crawls that ran back to back only: per round, the sums over the sources of the two rows' crawls
(each source's two crawls minutes apart at most), then the median over the rounds of those
per-round ratios. A round whose two crawls straddled a change of speed is one ratio among the
rounds, not a median of one row taken from a quick round over a median of the other taken from
a slow one (what the ratio of the per-row medians, ``ratios``, can be; still reported).
"""

from __future__ import annotations

import dataclasses
import shutil
import statistics
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from tools.bench import crawl, report, site
from tools.bench.harness import ROOT


class Served(Protocol):
    """What :func:`crawl_all` needs of :class:`tools.bench.harness.Server`."""

    @property
    def sources(self) -> list[site.BenchSource]: ...

    @property
    def pid(self) -> int: ...


@dataclasses.dataclass(frozen=True)
class Variant:
    """One row of the crawl table: which spider, which code, which extra settings."""

    name: str
    spider: str
    """``bare`` or ``peer`` (``scrapy runspider``, Scrapy's defaults) or ``full``
    (``scrapy crawl <site>``, the project's settings)."""
    code: Path | None = None
    """Another checkout whose ``newscrawler`` runs (``--baseline``); None: this one."""
    extra: tuple[tuple[str, str], ...] = ()


BARE = Variant("bare", "bare")
PEER = Variant("peer", "peer")
FULL = Variant("full", "full")
ONE_CORE = Variant("onecore", "full", extra=tuple(crawl.ONE_CORE_SETTINGS.items()))

#: ``{variant: [round: [one CrawlRun per source, in the sources' order], ...]}``
Rounds = dict[str, list[list[crawl.CrawlRun]]]


def variants(baseline: Path | None, *, peer: bool = True) -> list[Variant]:
    """The rows of a ``make bench`` crawl: bare, peer, full (default), one core, baseline."""
    found = [BARE, *([PEER] if peer else []), FULL, ONE_CORE]
    if baseline is not None:
        found.append(Variant("baseline", "full", code=baseline))
    return found


def command(
    variant: Variant, source: site.BenchSource, out: Path, log: Path, bare_cwd: Path
) -> tuple[list[str], Path]:
    """The crawl command of ``variant`` for ``source`` and the folder it runs in."""
    extra = dict(variant.extra)
    if variant.spider == "bare":
        return crawl.bare_command(source, log, extra), bare_cwd
    if variant.spider == "peer":
        return crawl.peer_command(source, log), bare_cwd
    return crawl.full_command(source, out, log, extra), variant.code or ROOT


def schedule[S, V](
    runs: int, sources: Sequence[S], rows: Sequence[V]
) -> Iterator[tuple[int, S, V]]:
    """``(round, source, row)`` in the order they run: round by round, source by source, every
    row of a source back to back, the rows reversed on every other source and round (round 1:
    forward on the first source, reversed on the second, …; round 2 starts reversed), so that a
    drift during a source's rows, or over a round, does not always fall on the same row."""
    for number in range(1, runs + 1):
        for index, source in enumerate(sources):
            order = rows if (number - 1 + index) % 2 == 0 else list(reversed(rows))
            for row in order:
                yield number, source, row


def crawl_all(server: Served, out: Path, runs: int, rows: list[Variant], tag: str = "") -> Rounds:
    """``runs`` rounds of every variant over every source (in :func:`schedule`'s order):
    ``{variant: [round, ...]}`` (a round's crawls in the sources' order); ``tag`` names the
    logs and crawl folders of a second crawl in the same run (``short``).

    A row's crawl folder (output and crawl state) is shared by its crawls of the sources in a
    round, as in production, and removed at the start of every round: every round crawls from
    a fresh state."""
    found: Rounds = {v.name: [] for v in rows}
    folders = {v.name: out / "crawl" / f"{tag}{v.name}" for v in rows}
    with crawl.defaults_folder() as bare_cwd:
        for number, source, variant in schedule(runs, server.sources, rows):
            if len(found[variant.name]) < number:  # the row's first crawl of this round
                shutil.rmtree(folders[variant.name], ignore_errors=True)
                found[variant.name].append([])
            log = out / "logs" / f"{tag}{variant.name}-{source.name}-{number}.log"
            argv, cwd = command(variant, source, folders[variant.name], log, bare_cwd)
            # the code of this checkout (or of the baseline) even if another is installed
            code_path = None if variant.spider != "full" else variant.code or ROOT
            result = crawl.run(variant.name, source, argv, cwd, log, server.pid, code_path)
            found[variant.name][-1].append(result)
            print(f"  {tag}run {number} {progress(result)}", flush=True)
    return found


def progress(result: crawl.CrawlRun) -> str:
    """One crawl process's figures as the run goes."""
    return (
        f"{result.variant:8} {result.site:17} "
        f"{result.articles:5} articles {result.items:5} written "
        f"{result.wall_s:6.1f} s wall {result.crawl_s:6.1f} s crawl "
        f"{result.cpu_s:6.1f} s CPU {result.peak_rss_mib:5.0f} MiB"
        + (
            f" ({result.process_rss_mib:.0f} + {result.worker_rss_mib:.0f} "
            f"workers; {offloaded_share([result]):.0%} on workers)"
            if result.workers
            else ""
        )
        + (f"  {result.errors} ERRORS, see {result.log}" if result.errors else "")
    )


def summaries_of(rounds: Rounds) -> dict[str, Any]:
    """Medians per variant, every ratio between them (``ratios``: of the medians; ``paired``:
    of the crawls that ran back to back, :func:`paired_ratios`), and each process's figures."""
    found: dict[str, Any] = {variant: median_summary(r) for variant, r in rounds.items()}
    found["ratios"] = report.all_ratios(found)
    found["paired"] = paired_ratios(rounds)
    found["processes"] = [
        dataclasses.asdict(r) for rs in rounds.values() for rnd in rs for r in rnd
    ]
    return found


def paired_ratios(rounds: Rounds) -> dict[str, dict[str, Any]]:
    """Every ratio of :data:`tools.bench.report.RATIO_ROWS` between crawls that ran back to
    back (same round, same source): ``{"onecore/bare": {"median": {key: ratio}, "rounds":
    [{key: ratio}, ...], "by_source": {source: [{key: ratio} per round]}}}``.

    A round's ratio keeps each figure's definition, over that round's crawls of the sources
    (:func:`summarize`): CPU ms per article is the sum of their CPU over the sum of their
    articles, articles/s the sum of their articles over the sum of their crawl times, peak RSS
    the largest of their peaks; the numerator's figure over the denominator's. ``median``: the
    median over the rounds of each ratio, the figure the goals are judged on."""
    found: dict[str, dict[str, Any]] = {}
    for key, _ in report.RATIO_ROWS:
        numerator, denominator = key.split("/")
        if numerator not in rounds or denominator not in rounds:
            continue
        pairs = list(zip(rounds[numerator], rounds[denominator], strict=True))
        per_round = [report.ratios(summarize(a), summarize(b)) for a, b in pairs]
        by_source: dict[str, list[dict[str, float]]] = {}
        for a_round, b_round in pairs:
            b_of = {r.site: r for r in b_round}
            for a in a_round:
                ratio = report.ratios(summarize([a]), summarize([b_of[a.site]]))
                by_source.setdefault(a.site, []).append(ratio)
        found[key] = {
            "median": {f: statistics.median(r[f] for r in per_round) for f in report.RATIO_KEYS},
            "rounds": per_round,
            "by_source": by_source,
        }
    return found


def offloaded_share(results: list[crawl.CrawlRun]) -> float:
    """The share of the articles extracted on extraction workers (0 without a pool)."""
    offloaded = sum(r.extracted_offloaded for r in results)
    extracted = offloaded + sum(r.extracted_in_process for r in results)
    return offloaded / extracted if extracted else 0.0


def summarize(results: list[crawl.CrawlRun]) -> dict[str, float]:
    """One row's figures over ``results`` (a round's crawls of the sources): times, CPU and
    counts summed, rates and CPU per article from the sums, peak RSS the largest."""
    wall = sum(r.wall_s for r in results)
    crawl_s = sum(r.crawl_s for r in results)
    cpu = sum(r.cpu_s for r in results)
    articles = sum(r.articles for r in results)
    responses = sum(r.responses for r in results)
    return {
        "wall_s": wall,
        "crawl_s": crawl_s,
        "startup_s": wall - crawl_s,
        "cpu_s": cpu,
        "responses": responses,
        "articles": articles,
        "items": sum(r.items for r in results),
        "pages_per_s": responses / crawl_s,
        "articles_per_s": articles / crawl_s,
        "articles_per_s_wall": articles / wall,
        "cpu_ms_per_article": cpu / articles * 1000,
        "cpu_utilization": cpu / wall,
        "peak_rss_mib": max(r.peak_rss_mib for r in results),
        "process_rss_mib": max(r.process_rss_mib for r in results),
        "worker_rss_mib": max(r.worker_rss_mib for r in results),
        "workers": max(r.workers for r in results),
        "offloaded_share": offloaded_share(results),
        "server_cpu_utilization": sum(r.server_cpu_s for r in results) / wall,
        "errors": sum(r.errors for r in results),
    }


def median_summary(rounds: list[list[crawl.CrawlRun]]) -> dict[str, float]:
    """A row's figures: the median over the rounds of each of :func:`summarize`'s."""
    summaries = [summarize(r) for r in rounds]
    return {key: statistics.median(s[key] for s in summaries) for key in summaries[0]}
