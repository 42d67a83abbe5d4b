"""``make bench``: what a crawl costs, against the parsel ceiling and trafilatura, in one run.

1. Renders a local site of N article pages (~40 KB, five CMS templates) plus listing pages
   (``tools/bench/site.py``) and serves the files from memory on 127.0.0.1
   (``tools/bench/server.py``, a separate process whose CPU time is reported).
2. Crawls it, one process per source, with the bare ceiling spider (``scrapy runspider``, Scrapy
   defaults, parsel title and body) and with the full pipeline (``scrapy crawl <site>``: the
   project's settings, extraction, middlewares, pipelines and extensions, minus politeness
   delays). ``--baseline DIR`` crawls with the code of another checkout too (before/after).
   CPU time and peak RSS come from ``wait4``; the full crawl's extraction workers are in its
   CPU time, and their peak RSS is added to the crawl process's (``tools/bench/crawl.py``).
3. Times each stage of our processing per article in-process on a sample of the same pages
   (CPU time), and trafilatura.extract on that sample.
4. ``--scale`` sizes (default 1,000,000; ``1000000,10000000``; ``0`` skips): the crawl state
   with that many known articles (``tools/bench/state.py``: file size, start-up, lookup,
   memory) and the syndication index with that many articles (``tools/bench/syndication.py``:
   build, insert and query time, memory, file size), each in a process of its own, their files
   under ``OUT/scale`` and removed afterwards. 1 M takes about a minute; 10 M about 20 (the
   index's bulk build) and ~15 GB of disk while it runs.

Prints a table and writes everything as JSON to ``output/bench/bench-<time>.json`` (and
``latest.json``, ``latest.txt``). ``--profile`` adds a profiler report of the extraction;
``--serve`` only serves the site, to profile a crawl by hand.

    .venv/bin/python -m tools.bench                    # N=5000 (from the repository root)
    .venv/bin/python -m tools.bench --n 1000 --runs 3
    .venv/bin/python -m tools.bench --scale 1000000,10000000   # state and index at 10 M too
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from tools.bench import crawl, site, stages

ROOT = Path(__file__).resolve().parents[2]
#: Ratios reported between two crawl summaries.
RATIO_KEYS = (
    "pages_per_s",
    "articles_per_s",
    "articles_per_s_wall",
    "cpu_ms_per_article",
    "peak_rss_mib",
)


def machine() -> dict[str, Any]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("scrapy", "hazm", "lxml", "parsel", "trafilatura"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": load,
        **versions,
    }


class Server:
    """The bench site served by ``tools/bench/server.py`` on one socket per source."""

    def __init__(self, out: Path, n: int) -> None:
        self.sockets = {
            name: socket.create_server(("127.0.0.1", 0), backlog=1024) for name in site.SOURCES
        }
        ports = {name: sock.getsockname()[1] for name, sock in self.sockets.items()}
        started = time.perf_counter()
        self.sources = site.build(n, {name: f"http://127.0.0.1:{p}" for name, p in ports.items()})
        directory = out / "site"
        shutil.rmtree(directory, ignore_errors=True)
        self.manifest = site.write(self.sources, directory, ports)
        self.render_s = time.perf_counter() - started
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Server:
        fds = {name: sock.fileno() for name, sock in self.sockets.items()}
        command = [sys.executable, "-m", "tools.bench.server", str(self.manifest)]
        command += [f"--fd={name}={fd}" for name, fd in fds.items()]
        self.process = subprocess.Popen(
            command, cwd=ROOT, pass_fds=tuple(fds.values()), stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the bench server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
        for sock in self.sockets.values():
            sock.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def serve_forever(server: Server, out: Path) -> int:
    """Print how to crawl each source, then serve until interrupted."""
    for source in server.sources:
        command = crawl.full_command(source, out / "crawl" / "manual", out / "logs" / "manual.log")
        print(" ".join(command[1:]))
    print("serving; Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


def crawl_all(
    server: Server, out: Path, runs: int, baseline: Path | None
) -> dict[str, list[list[crawl.CrawlRun]]]:
    """``runs`` rounds of every variant over every source: ``{variant: [round, ...]}``."""
    variants: list[tuple[str, Path | None]] = [("bare", None), ("full", None)]
    if baseline is not None:
        variants.append(("baseline", baseline))
    rounds: dict[str, list[list[crawl.CrawlRun]]] = {name: [] for name, _ in variants}
    bare_cwd = Path(os.environ.get("TMPDIR", "/tmp")) / f"newscrawler-bench-{os.getpid()}"
    bare_cwd.mkdir(parents=True, exist_ok=True)  # no scrapy.cfg above it: Scrapy's defaults
    try:
        for number in range(1, runs + 1):
            for variant, code in variants:
                results = []
                full_out = out / "crawl" / variant
                shutil.rmtree(full_out, ignore_errors=True)  # fresh crawl state every round
                for source in server.sources:
                    log = out / "logs" / f"{variant}-{source.name}-{number}.log"
                    if variant == "bare":
                        command, cwd = crawl.bare_command(source, log), bare_cwd
                    else:
                        command, cwd = crawl.full_command(source, full_out, log), code or ROOT
                    # the code of this checkout (or of the baseline) even if another is installed
                    code_path = None if variant == "bare" else code or ROOT
                    result = crawl.run(variant, source, command, cwd, log, server.pid, code_path)
                    results.append(result)
                    print(
                        f"  run {number} {variant:8} {source.name:17} "
                        f"{result.articles:5} articles {result.items:5} written "
                        f"{result.wall_s:6.1f} s wall {result.crawl_s:6.1f} s crawl "
                        f"{result.cpu_s:6.1f} s CPU {result.peak_rss_mib:5.0f} MiB"
                        + (
                            f" ({result.process_rss_mib:.0f} + {result.worker_rss_mib:.0f} "
                            f"workers; {offloaded_share([result]):.0%} on workers)"
                            if result.workers
                            else ""
                        )
                        + (f"  {result.errors} ERRORS, see {log}" if result.errors else ""),
                        flush=True,
                    )
                rounds[variant].append(results)
    finally:
        shutil.rmtree(bare_cwd, ignore_errors=True)
    return rounds


def offloaded_share(results: list[crawl.CrawlRun]) -> float:
    """The share of the articles extracted on extraction workers (0 without a pool)."""
    offloaded = sum(r.extracted_offloaded for r in results)
    extracted = offloaded + sum(r.extracted_in_process for r in results)
    return offloaded / extracted if extracted else 0.0


def summarize(results: list[crawl.CrawlRun]) -> dict[str, float]:
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
    summaries = [summarize(r) for r in rounds]
    return {key: statistics.median(s[key] for s in summaries) for key in summaries[0]}


def ratios(numerator: dict[str, float], denominator: dict[str, float]) -> dict[str, float]:
    return {key: numerator[key] / denominator[key] for key in RATIO_KEYS}


def fmt_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


CRAWL_HEADERS = [
    "crawl (5 sites, 1 process each)",
    "wall s",
    "crawl s",
    "pages/s",
    "articles/s",
    "art./s incl. start",
    "CPU ms/article",
    "peak RSS MiB (crawl + workers)",
    "on workers",
    "server CPU",
]
CRAWL_LABELS = {
    "bare": "bare spider (ceiling)",
    "full": "full pipeline",
    "baseline": "full pipeline, baseline code",
}


def _crawl_row(label: str, s: dict[str, float]) -> list[str]:
    return [
        label,
        f"{s['wall_s']:.1f}",
        f"{s['crawl_s']:.1f}",
        f"{s['pages_per_s']:.0f}",
        f"{s['articles_per_s']:.0f}",
        f"{s['articles_per_s_wall']:.0f}",
        f"{s['cpu_ms_per_article']:.2f}",
        f"{s['peak_rss_mib']:.0f}",
        f"{s['offloaded_share']:.0%}" if s["workers"] else "",
        f"{s['server_cpu_utilization']:.0%}",
    ]


def _ratio_row(label: str, r: dict[str, float]) -> list[str]:
    return [
        label,
        "",
        "",
        f"{r['pages_per_s']:.2f}",
        f"{r['articles_per_s']:.2f}",
        f"{r['articles_per_s_wall']:.2f}",
        f"{r['cpu_ms_per_article']:.2f}",
        f"{r['peak_rss_mib']:.2f}",
        "",
        "",
    ]


def _stage_table(result: dict[str, Any]) -> str:
    st = result["stages"]
    total = st["instrumented_total_ms"]
    base = result.get("baseline_stages")
    headers = [f"per article, in-process CPU ({st['pages']} pages)", "ms", "share"]
    if base:
        headers += ["baseline ms", "after/before"]
    rows = []
    for stage, ms in st["stages_ms"].items():
        row = [stage, f"{ms:.2f}", f"{ms / total:.0%}"]
        if base:
            before = base["stages_ms"].get(stage)
            row += [f"{before:.2f}", f"{ms / before:.2f}"] if before else ["", ""]
        rows.append(row)
    row = ["total (instrumented)", f"{total:.2f}", "100%"]
    if base:
        before_total = base["instrumented_total_ms"]
        row += [f"{before_total:.2f}", f"{total / before_total:.2f}"]
    rows.append(row)
    row = ["extraction alone (not instrumented)", f"{st['extract_ms']:.2f}", ""]
    if base:
        row += [f"{base['extract_ms']:.2f}", f"{st['extract_ms'] / base['extract_ms']:.2f}"]
    rows.append(row)
    traf = result.get("trafilatura")
    if traf:
        for key, label in (("with_metadata", "with metadata, JSON"), ("text_only", "text only")):
            row = [
                f"trafilatura {traf['version']} extract, {label}",
                f"{traf[key]['mean_ms']:.2f}",
                f"median {traf[key]['median_ms']:.2f}",
            ]
            rows.append(row + (["", ""] if base else []))
    return fmt_table(headers, rows)


def report(result: dict[str, Any]) -> str:
    m = result["machine"]
    out = [
        f"machine: {m['nproc']} × {m['cpu']}; Python {m['python']}, Scrapy {m['scrapy']}, "
        f"hazm {m['hazm']}, lxml {m['lxml']}, trafilatura {m['trafilatura']}; "
        f"load average at start {m['load_average_at_start']:.2f}",
        f"site: {result['site']['articles']} article pages (mean "
        f"{result['site']['mean_article_kb']:.1f} KB) + {result['site']['listings']} listing "
        f"pages, 5 CMS templates; {result['runs']} run(s), medians",
        "",
    ]
    if result.get("crawl"):
        c = result["crawl"]
        rows = [_crawl_row(CRAWL_LABELS[v], c[v]) for v in ("bare", "full", "baseline") if v in c]
        rows.append(_ratio_row("full / bare", c["ratios"]["full/bare"]))
        if "baseline" in c:
            rows.append(_ratio_row("baseline / bare", c["ratios"]["baseline/bare"]))
            rows.append(_ratio_row("full / baseline (after/before)", c["ratios"]["full/baseline"]))
        out += [fmt_table(CRAWL_HEADERS, rows), ""]
        for variant in ("bare", "full", "baseline"):
            if c.get(variant, {}).get("errors"):
                out.append(
                    f"WARNING: the {variant} crawls logged {c[variant]['errors']:.0f} errors "
                    "(see output/bench/logs): their figures do not measure a clean crawl."
                )
        out.append(
            "peak RSS: the crawl process's (wait4) plus its extraction workers' (the largest "
            "worker's VmHWM × workers); CPU: wait4, workers included (joined at the end); "
            "on workers: share of the articles extracted on extraction workers."
        )
        for variant in ("bare", "full", "baseline"):
            if c.get(variant, {}).get("workers"):
                v = c[variant]
                out.append(
                    f"{CRAWL_LABELS[variant]}: {v['workers']:.0f} extraction worker(s) per crawl; "
                    f"peak RSS {v['process_rss_mib']:.0f} MiB crawl process + "
                    f"{v['worker_rss_mib']:.0f} MiB workers (largest over the crawls)"
                )
        r = c["ratios"]["full/bare"]
        out.append(
            f"goal full/bare articles/s ≥ 0.70: {r['articles_per_s']:.2f} "
            f"({'met' if r['articles_per_s'] >= 0.7 else 'not met'}); "
            f"goal peak RSS (crawl + workers) ≤ 1.5× bare: {r['peak_rss_mib']:.2f}× "
            f"({'met' if r['peak_rss_mib'] <= 1.5 else 'not met'})"
        )
        out.append("")
    out.append(_stage_table(result))
    if result.get("ratios"):
        ratio = result["ratios"]["ours_vs_trafilatura"]
        out.append(
            f"ours (all stages) / trafilatura with metadata: {ratio:.2f} "
            f"({'ours faster' if ratio < 1 else 'trafilatura faster'}); extraction alone / "
            f"trafilatura text only: {result['ratios']['extraction_vs_trafilatura_text']:.2f}"
        )
    if result.get("scale"):
        out += ["", *scale_report(result["scale"])]
    return "\n".join(out)


def parse_scale(text: str) -> list[int]:
    """``--scale``: comma-separated sizes (``1000000,10000000``, ``1M,10M``); ``0``: none."""
    sizes = []
    for part in text.replace("_", "").split(","):
        part = part.strip()
        factor = {"k": 1_000, "m": 1_000_000}.get(part[-1:].lower(), 1)
        try:
            size = int(part[:-1] if factor > 1 else part) * factor
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}") from None
        if size < 0:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}")
        if size:
            sizes.append(size)
    return sorted(set(sizes))


def scale(sizes: list[int], out: Path) -> dict[str, Any]:
    """The crawl state and the syndication index with ``sizes`` entries: ``tools.bench.state``
    and ``tools.bench.syndication`` in processes of their own, their files under OUT/scale
    (removed afterwards: 10 M state entries are ~3 GB, 1 M index entries ~1 GB)."""
    folder = out / "scale"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    figures: dict[str, Any] = {"sizes": sizes}
    script_args = {
        "state": [*map(str, sizes), "--dir", str(folder), "--discard"],
        "syndication": ["--sizes", *map(str, sizes)],
    }
    env = {**os.environ, "TMPDIR": str(folder)}  # tools.bench.syndication's index files
    try:
        for name, args in script_args.items():
            json_path = folder / f"{name}.json"
            module = f"tools.bench.{name}"
            print(f"  {module} …", flush=True)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", module, *args, "--json", str(json_path)],
                cwd=ROOT,
                env=env,
                check=True,
            )
            figures[name] = json.loads(json_path.read_text(encoding="utf-8"))
            figures[f"{name}_s"] = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def scale_report(figures: dict[str, Any]) -> list[str]:
    rows = [
        [
            f"{r['articles']:,}",
            f"{r['file_mib']:,}",
            f"{r['generate_s']:.1f}",
            f"{r['startup_s'] * 1000:.1f}",
            f"{r['lookup_us']:.1f}",
            f"{r['rss_mib']:.0f}",
            f"{r['rss_growth_mib']:.1f}",
        ]
        for r in figures["state"]
    ]
    headers = [
        "crawl state, known articles",
        "file MiB",
        "generate s",
        "start-up ms",
        "lookup µs",
        "peak RSS MiB",
        "RSS growth MiB",
    ]
    out = [
        fmt_table(headers, rows),
        "(tools/bench/state.py: a fresh process opens the state as a crawl does, then looks "
        "up 20,000 request URLs, half known; "
        f"{figures['state_s']:.0f} s)",
        "",
    ]
    syn = figures["syndication"]
    rows = [
        [
            f"{r['articles']:,}",
            f"{r['file_mib']:,.0f}",
            f"{r['build_s']:.1f}",
            f"{r['commit_ms_per_article']:.2f}",
            f"{r['query_ms_median']:.2f}",
            f"{r['query_ms_p99']:.2f}",
            f"{r['copies_found']:.0%}",
            f"{r['false_copies']}",
            f"{r['rss_while_querying_mib']:,.0f}",
            f"{r['peak_rss_mib']:,.0f}",
        ]
        for r in syn["sizes"]
    ]
    headers = [
        "syndication index, articles",
        "file MiB",
        "bulk build s",
        "insert ms/article",
        "query median ms",
        "query p99 ms",
        "copies found",
        "false copies",
        "RSS MiB querying",
        "peak RSS MiB",
    ]
    out += [
        fmt_table(headers, rows),
        f"(tools/bench/syndication.py: MinHash {syn['num_perm']} values, LSH {syn['bands']} "
        f"bands × {syn['rows']} rows; {syn['new_articles']:,} new articles, half copies, "
        f"matched, added and committed {syn['commit_run']} at a time; signature of a real body "
        f"{syn['signature_ms']:.2f} ms; {figures['syndication_s']:.0f} s)",
    ]
    return out


def baseline_stages(baseline: Path, sample: Path, out: Path) -> dict[str, Any]:
    """The stages of ``baseline``'s code on the same sample: ``tools/bench/stages.py`` of this
    checkout run by path (``-P``: its folder not on ``sys.path``) with only ``baseline`` on
    ``PYTHONPATH``, so the ``newscrawler`` it imports and times is the baseline's."""
    json_path = out / "baseline-stages.json"
    subprocess.run(
        [sys.executable, "-P", stages.__file__, str(sample), str(json_path)],
        cwd=baseline,
        env=crawl.clean_env(baseline),
        check=True,
    )
    result: dict[str, Any] = json.loads(json_path.read_text(encoding="utf-8"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, default=5000, help="article pages (default 5000)")
    parser.add_argument("--runs", type=int, default=1, help="crawl rounds; medians reported")
    parser.add_argument("--sample", type=int, default=500, help="pages for in-process stages")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench")
    parser.add_argument("--skip-crawl", action="store_true", help="stages and trafilatura only")
    parser.add_argument("--profile", action="store_true", help="write a profile of extraction")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout to measure too (before/after)"
    )
    parser.add_argument(
        "--serve", action="store_true", help="only serve the site (to profile a crawl by hand)"
    )
    parser.add_argument(
        "--keep-site", action="store_true", help="keep the rendered pages under OUT/site"
    )
    parser.add_argument(
        "--scale",
        type=parse_scale,
        default=[1_000_000],
        metavar="N[,N]",
        help="crawl state and syndication index at these sizes (default 1000000: ~70 s; "
        "1000000,10000000: ~20 min more and ~15 GB of temporary files; 0: skip)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    baseline: Path | None = args.baseline.resolve() if args.baseline else None
    started = time.perf_counter()

    print(f"rendering {args.n} article pages …", flush=True)
    with Server(out, args.n) as server:
        if args.serve:
            return serve_forever(server, out)
        articles = sum(len(s.articles) for s in server.sources)
        pages = [
            stages.Page(source.name, url, html)
            for source, url, html in site.article_pages(server.sources)
        ]
        result: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "runs": args.runs,
            "n": args.n,
            "site": {
                "articles": articles,
                "listings": sum(len(s.listings) for s in server.sources),
                "mean_article_kb": statistics.fmean(len(p.html) for p in pages) / 1024,
                "render_s": server.render_s,
            },
            "settings": crawl.COMMON_SETTINGS,
            "baseline": str(baseline) if baseline else None,
        }
        print(f"  {server.render_s:.1f} s; serving on {server.sources[0].base_url} …", flush=True)
        if not args.skip_crawl:
            rounds = crawl_all(server, out, args.runs, baseline)
            summaries = {variant: median_summary(r) for variant, r in rounds.items()}
            summaries["ratios"] = {"full/bare": ratios(summaries["full"], summaries["bare"])}
            if baseline is not None:
                summaries["ratios"]["baseline/bare"] = ratios(
                    summaries["baseline"], summaries["bare"]
                )
                summaries["ratios"]["full/baseline"] = ratios(
                    summaries["full"], summaries["baseline"]
                )
            summaries["processes"] = [
                dataclasses.asdict(r) for rs in rounds.values() for rnd in rs for r in rnd
            ]
            result["crawl"] = summaries
    if not args.keep_site:
        shutil.rmtree(out / "site", ignore_errors=True)  # 200 MB at N=5000
    sample = pages[: args.sample]
    sample_path = stages.save_sample(sample, out / "sample.jsonl")

    print(f"timing stages on {len(sample)} pages …", flush=True)
    result["stages"] = stages.measure(sample)
    if baseline is not None:
        result["baseline_stages"] = baseline_stages(baseline, sample_path, out)
    sample_path.unlink()
    traf = stages.trafilatura_cost(sample)
    result["trafilatura"] = traf
    if traf:
        result["ratios"] = {
            "ours_vs_trafilatura": result["stages"]["instrumented_total_ms"]
            / traf["with_metadata"]["mean_ms"],
            "extraction_vs_trafilatura_text": result["stages"]["extract_ms"]
            / traf["text_only"]["mean_ms"],
        }
    if args.profile:
        path = out / "profile.txt"
        stages.profile(sample, path)
        result["profile"] = str(path)
    if args.scale:
        sizes = ", ".join(f"{n:,}" for n in args.scale)
        print(f"crawl state and syndication index at {sizes} entries …", flush=True)
        result["scale"] = scale(args.scale, out)
    result["bench_s"] = time.perf_counter() - started

    text = report(result)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (out / name).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "latest.txt").write_text(text + "\n", encoding="utf-8")
    print()
    print(text)
    print(f"\nwritten: {out / f'bench-{stamp}.json'} ({result['bench_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
