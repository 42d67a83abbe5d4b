"""``python -m tools.bench --long N``: is a long crawl's memory flat?

One source of N articles (default 25,000; ``site.build`` gives one source all of them) is
served and crawled in one process each by the bare spider and by the full pipeline on one core
(``NEWSCRAWLER_EXTRACT_WORKERS=0``: only the crawl process holds the crawl's memory). What grows
per article (claims, caches, stats, queues) shows as a crawl process that gets larger as it
goes; a flat one keeps its RSS at the end within 1.1× of its RSS at 10 % of the crawl (issue 16).

How the RSS is sampled: the crawl runs with ``LOGSTATS_INTERVAL=1``, so Scrapy's LogStats logs
«Crawled N pages …, scraped M items» every second. The bench polls the crawl's log every 50 ms
(:data:`tools.bench.crawl.WATCH_INTERVAL_S`); at each new LogStats line it reads the crawl
process's ``VmRSS`` from ``/proc/<pid>/status``, which pairs an item count with the resident
size at that moment (within one poll). The crawl process is the child of the launcher
``tools/bench/measure.py`` (found in ``/proc/<launcher>/task/<launcher>/children``). The 10 %
and 50 % figures are the first samples with at least that share of the crawl's final item
count; the 100 % figure is read when the log says «Closing spider» (every item scraped; the
pipelines' and extensions' close handlers not yet run). A crawl too short for a LogStats line
past a threshold takes the closing sample for it (the test's tiny crawls).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from tools.bench import crawl, report
from tools.bench.harness import Server, machine, write

DEFAULT_ARTICLES = 25_000
#: The shares of the crawl at which its RSS is reported.
SHARES = (0.1, 0.5, 1.0)
#: RSS(100 %) / RSS(10 %) at most, for the full pipeline on one core (issue 16).
GOAL = 1.1
LOGSTATS_INTERVAL_S = "1"
_LOGSTATS = re.compile(r"Crawled (\d+) pages \(at .*?\), scraped (\d+) items")
_CLOSING = "Closing spider ("


@dataclasses.dataclass
class Sample:
    seconds: float
    """Since the first sample."""
    items: int | None
    """Items scraped (Scrapy's count) at that moment; ``None`` at the close (filled from the
    final stats)."""
    rss_kib: int
    hwm_kib: int
    """``VmHWM``: the process's peak so far."""


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (``/proc/<pid>/task/*/children``, else a /proc scan)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found
    except OSError:
        pass
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def memory_kib(pid: int) -> tuple[int, int] | None:
    """``VmRSS`` and ``VmHWM`` of a running process in KiB; ``None`` once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    if "VmRSS" not in fields:  # a zombie
        return None
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


class RssSampler:
    """The ``watch`` of :func:`tools.bench.crawl.run`: pairs each LogStats line of the crawl's
    log with the crawl process's RSS (see the module docstring)."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.offset = 0
        self.partial = ""
        self.crawl_pid: int | None = None
        self.started = time.perf_counter()
        self.samples: list[Sample] = []
        self.closing: Sample | None = None

    def __call__(self, launcher_pid: int) -> None:
        if self.crawl_pid is None:
            found = children(launcher_pid)
            self.crawl_pid = found[0] if found else None
            if self.crawl_pid is None:
                return  # not forked yet: the log is read once the crawl's pid is known
        for line in self._new_lines():
            match = _LOGSTATS.search(line)
            if match or (_CLOSING in line and self.closing is None):
                memory = memory_kib(self.crawl_pid)
                if memory is None:
                    continue
                sample = Sample(
                    time.perf_counter() - self.started,
                    int(match.group(2)) if match else None,
                    *memory,
                )
                if match:
                    self.samples.append(sample)
                else:
                    self.closing = sample

    def _new_lines(self) -> list[str]:
        if not self.log.exists():
            return []
        with self.log.open("rb") as file:
            file.seek(self.offset)
            data = file.read()
        self.offset += len(data)
        text = self.partial + data.decode("utf-8", errors="replace")
        *lines, self.partial = text.split("\n")
        return lines

    def at_shares(self, items: int) -> dict[str, Any]:
        """RSS at each of :data:`SHARES` of ``items`` (the crawl's final count)."""
        if self.closing is None:
            raise RuntimeError(f"no «Closing spider» sample in {self.log}")
        closing = dataclasses.replace(self.closing, items=items)
        found: dict[str, Any] = {}
        for share in SHARES:
            sample = next(
                (s for s in self.samples if s.items is not None and s.items >= share * items),
                closing,
            )
            if share == 1.0:
                sample = closing
            found[f"{share:.0%}"] = dataclasses.asdict(sample)
        first, last = found[f"{SHARES[0]:.0%}"], found["100%"]
        found["ratio"] = last["rss_kib"] / first["rss_kib"]
        grown_items = last["items"] - first["items"]
        found["kib_per_article"] = (
            (last["rss_kib"] - first["rss_kib"]) / grown_items if grown_items else None
        )
        found["samples"] = [dataclasses.asdict(s) for s in self.samples]
        return found


def crawl_long(server: Server, out: Path) -> dict[str, Any]:
    """The bare and the one-core crawl of the one source, RSS sampled."""
    source = server.sources[0]
    extra = {"LOGSTATS_INTERVAL": LOGSTATS_INTERVAL_S}
    found: dict[str, Any] = {}
    with crawl.defaults_folder() as bare_cwd:
        for variant in ("bare", "onecore"):
            log = out / "logs" / f"long-{variant}-{source.name}.log"
            if variant == "bare":
                command, cwd = crawl.bare_command(source, log, extra), bare_cwd
                code = None
            else:
                state = out / "crawl" / "long-onecore"
                shutil.rmtree(state, ignore_errors=True)
                settings = {**crawl.ONE_CORE_SETTINGS, **extra}
                command, cwd = crawl.full_command(source, state, log, settings), crawl.ROOT
                code = crawl.ROOT
            sampler = RssSampler(log)
            result = crawl.run(variant, source, command, cwd, log, server.pid, code, sampler)
            found[variant] = {
                **dataclasses.asdict(result),
                "articles_per_s": result.articles / result.crawl_s,
                "cpu_ms_per_article": result.cpu_s / result.articles * 1000,
                "rss": sampler.at_shares(_items(log, result)),
            }
            rss = found[variant]["rss"]
            print(
                f"  {variant:8} {result.articles} articles {result.crawl_s:.1f} s crawl "
                f"{result.cpu_s:.1f} s CPU; RSS "
                + " → ".join(f"{rss[f'{s:.0%}']['rss_kib'] / 1024:.0f}" for s in SHARES)
                + f" MiB ({rss['ratio']:.2f}×)",
                flush=True,
            )
    return found


def _items(log: Path, result: crawl.CrawlRun) -> int:
    """The crawl's final count of scraped items (what the LogStats lines count)."""
    stats = crawl.scrapy_stats(log.read_text(encoding="utf-8", errors="replace"))
    return int(stats.get("item_scraped_count", result.items))


def long_report(result: dict[str, Any]) -> str:
    headers = [
        f"long crawl: {result['source']}, {result['site']['articles']:,} articles, 1 process",
        "articles",
        "crawl s",
        "articles/s",
        "CPU ms/article",
        *(f"RSS MiB at {share:.0%} (items)" for share in SHARES),
        "100 % / 10 %",
        "KiB/article after 10 %",
        "peak RSS MiB",
    ]
    labels = {"bare": "bare spider", "onecore": "full pipeline, one core (no workers)"}
    rows = []
    for variant, label in labels.items():
        v = result["crawl"][variant]
        rss = v["rss"]
        per_article = rss["kib_per_article"]
        rows.append(
            [
                label,
                f"{v['articles']:,}",
                f"{v['crawl_s']:.1f}",
                f"{v['articles_per_s']:.0f}",
                f"{v['cpu_ms_per_article']:.2f}",
                *(
                    f"{rss[f'{s:.0%}']['rss_kib'] / 1024:.0f} ({rss[f'{s:.0%}']['items']:,})"
                    for s in SHARES
                ),
                f"{rss['ratio']:.3f}",
                f"{per_article:.2f}" if per_article is not None else "",
                f"{v['process_rss_mib']:.0f}",
            ]
        )
    goal = result["goal"]
    lines = [
        report.machine_line(result["machine"]),
        "",
        report.fmt_table(headers, rows),
        "",
        f"goal (issue 16): one core RSS(100 %) / RSS(10 %) ≤ {GOAL}: {goal['figure']:.3f} "
        f"({'met' if goal['met'] else 'NOT MET'}); bare spider: "
        f"{result['crawl']['bare']['rss']['ratio']:.3f}",
        "RSS: the crawl process's VmRSS when a LogStats line («scraped M items», every "
        f"{LOGSTATS_INTERVAL_S} s) first reached the share of the final item count; 100 %: "
        "at «Closing spider»; peak: wait4's ru_maxrss (tools/bench/long.py).",
    ]
    for variant, label in labels.items():
        errors = result["crawl"][variant]["errors"]
        if errors:
            lines.append(
                f"WARNING: the {label} crawl logged {errors} errors (see "
                f"{result['crawl'][variant]['log']}): it measured something else."
            )
    return "\n".join(lines)


def main(n: int, source_name: str, out: Path) -> int:
    """Render, serve and crawl the one source; print and write the RSS table."""
    started = time.perf_counter()
    print(f"long crawl: rendering {n:,} article pages of {source_name} …", flush=True)
    with Server(out, n, (source_name,), folder="long-site") as server:
        source = server.sources[0]
        sizes = [len(page.body) for page in source.pages.values()]
        result: dict[str, Any] = {
            "mode": "long",
            "machine": machine(),
            "n": n,
            "source": source_name,
            "site": {
                "articles": len(source.articles),
                "listings": len(source.listings),
                "mean_page_kb": statistics.fmean(sizes) / 1024,
                "render_s": server.render_s,
            },
            "settings": {**crawl.COMMON_SETTINGS, "LOGSTATS_INTERVAL": LOGSTATS_INTERVAL_S},
        }
        print(f"  {server.render_s:.1f} s; serving on {source.base_url} …", flush=True)
        result["crawl"] = crawl_long(server, out)
    shutil.rmtree(out / "long-site", ignore_errors=True)
    ratio = result["crawl"]["onecore"]["rss"]["ratio"]
    result["goal"] = {"figure": ratio, "limit": GOAL, "met": ratio <= GOAL}
    result["bench_s"] = time.perf_counter() - started
    text = long_report(result)
    path = write(result, text, out, "long")
    print()
    print(text)
    print(f"\nwritten: {path} ({result['bench_s']:.0f} s)")
    return 0
