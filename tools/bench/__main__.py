"""``make bench``: what a crawl costs, against the parsel ceiling and trafilatura, in one run.

1. Renders a local site of N article pages (~40 KB, five CMS templates) plus listing pages
   (``tools/bench/site.py``) and serves the files from memory on 127.0.0.1
   (``tools/bench/server.py``, a separate process whose CPU time is reported).
2. Crawls it, one process per source, once per row and round: the bare ceiling spider (``scrapy
   runspider``, Scrapy defaults, parsel title and body), the peer (the same spider handing each
   article page to trafilatura, ``tools/bench/peer_spider.py``), the full pipeline with its
   default settings (``scrapy crawl <site>``: the project's settings, extraction, middlewares,
   pipelines and extensions, minus politeness delays) and on one core
   (``NEWSCRAWLER_EXTRACT_WORKERS=0``). ``--baseline DIR`` crawls with the code of another
   checkout too (before/after). CPU time and peak RSS come from ``wait4``; the full crawl's
   extraction workers are in its CPU time, and their peak RSS is added to the crawl process's
   (``tools/bench/crawl.py``). When N > 200, a short crawl of 200 articles too (bare, default,
   one core): issue 16 sets a goal on its peak RSS. Every row of a source runs back to back,
   in an order reversed on every other source and round, and the goals are judged on the
   ratios of crawls that ran back to back (``tools/bench/rounds.py``: this machine's speed
   drifts within minutes).
3. Times each stage of our processing per article in-process on a sample of the same pages
   (CPU time), and trafilatura.extract on that sample.
4. ``--scale`` sizes (default 1,000,000; ``1000000,10000000``; ``0`` skips): the crawl state
   with that many known articles (``tools/bench/state.py``: file size, start-up, lookup,
   memory) and the syndication index with that many articles (``tools/bench/syndication.py``:
   build, insert and query time, memory, file size), each in a process of its own, their files
   under ``OUT/scale`` and removed afterwards. 1 M takes about a minute; 10 M about 20 (the
   index's bulk build) and ~15 GB of disk while it runs.

Prints one crawl table with every ratio and issue 16's goals (``tools/bench/report.py``), the
stage table, and writes everything as JSON to ``output/bench/bench-<time>.json`` (and
``latest.json``, ``latest.txt``). ``--quick``: every row in under a minute (one source, N=200,
one run, indicative figures), for pull requests. ``--long [N]``: instead, one source of N
articles (25,000) in one process, its RSS at 10, 50 and 100 % (``tools/bench/long.py``).
``--profile`` adds a profiler report of the extraction; ``--serve`` only serves the site, to
profile a crawl by hand. Output equivalence before/after: ``tools/bench/equivalence.py``.

    .venv/bin/python -m tools.bench                    # N=5000 (from the repository root)
    .venv/bin/python -m tools.bench --n 1000 --runs 3
    .venv/bin/python -m tools.bench --quick            # under a minute
    .venv/bin/python -m tools.bench --long 25000       # RSS over a long crawl
    .venv/bin/python -m tools.bench --scale 1000000,10000000   # state and index at 10 M too
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.bench import crawl, long, report, site, stages
from tools.bench.harness import ROOT, Server, compile_bytecode, machine, write
from tools.bench.rounds import BARE, FULL, ONE_CORE, crawl_all, summaries_of, variants

__all__ = ["Server", "main", "parse_scale"]


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


#: ``--quick``: what fits in under a minute on 2 cores with every row (see docs/performance.md).
QUICK = {"n": 200, "sample": 20, "scale": [], "runs": 1, "sources": ("irna",)}
DEFAULTS = {"n": 5000, "sample": 500, "scale": [1_000_000], "runs": 1, "sources": site.SOURCES}


def parse_sources(text: str) -> tuple[str, ...]:
    """``--sources``: comma-separated names of the bench's sources."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in site.SOURCES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"sources are among {', '.join(site.SOURCES)}")
    return names


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    add = found.add_argument
    add("--n", type=int, help="article pages (default 5000; --quick: 200)")
    add("--runs", type=int, help="crawl rounds; medians reported (default 1)")
    add("--sample", type=int, help="pages for in-process stages (default 500; --quick: 30)")
    add("--out", type=Path, default=ROOT / "output" / "bench")
    add("--skip-crawl", action="store_true", help="stages and trafilatura only")
    add("--profile", action="store_true", help="write a profile of extraction")
    add("--baseline", type=Path, help="another checkout to measure too (before/after)")
    add("--serve", action="store_true", help="only serve the site (to profile a crawl by hand)")
    add("--keep-site", action="store_true", help="keep the rendered pages under OUT/site")
    add(
        "--sources",
        type=parse_sources,
        metavar="NAME[,NAME]",
        help=f"crawl only these sources (default all five: {','.join(site.SOURCES)})",
    )
    add(
        "--scale",
        type=parse_scale,
        metavar="N[,N]",
        help="crawl state and syndication index at these sizes (default 1000000: ~70 s; "
        "1000000,10000000: ~20 min more and ~15 GB of temporary files; 0: skip)",
    )
    add(
        "--quick",
        action="store_true",
        help="every row in under a minute, for pull requests: N=200, 1 run, 30-page stage "
        "sample, no scale (each overridable); indicative figures",
    )
    add(
        "--long",
        type=int,
        nargs="?",
        const=long.DEFAULT_ARTICLES,
        metavar="N",
        help="instead: crawl one source of N articles (default 25000) in one process, bare and "
        "one core, RSS at 10/50/100 %% of it",
    )
    add(
        "--short-n",
        type=int,
        default=report.SHORT_N,
        help=f"the short crawl's article pages (default {report.SHORT_N}, issue 16's goal); "
        "none when N is not larger",
    )
    add("--long-source", default="irna", choices=site.SOURCES, help="the --long crawl's source")
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for key, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    baseline: Path | None = args.baseline.resolve() if args.baseline else None
    for checkout in (ROOT, baseline) if baseline else (ROOT,):
        modules, seconds = compile_bytecode(checkout)
        print(f"bytecode of {checkout}: {modules} modules up to date ({seconds:.1f} s)", flush=True)
    if args.long:
        return long.main(args.long, args.long_source, out)
    started = time.perf_counter()

    print(f"rendering {args.n} article pages …", flush=True)
    with Server(out, args.n, args.sources) as server:
        if args.serve:
            return serve_forever(server, out)
        pages = [
            stages.Page(source.name, url, html)
            for source, url, html in site.article_pages(server.sources)
        ]
        result: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "quick": args.quick,
            "runs": args.runs,
            "n": args.n,
            "sources": list(args.sources),
            "site": {
                "articles": sum(len(s.articles) for s in server.sources),
                "listings": sum(len(s.listings) for s in server.sources),
                "mean_article_kb": statistics.fmean(len(p.html) for p in pages) / 1024,
                "render_s": server.render_s,
            },
            "settings": crawl.COMMON_SETTINGS,
            "baseline": str(baseline) if baseline else None,
        }
        print(f"  {server.render_s:.1f} s; serving on {server.sources[0].base_url} …", flush=True)
        if not args.skip_crawl:
            peer = stages.trafilatura_version() is not None
            if not peer:
                print("  no trafilatura (the bench extra): no peer row", flush=True)
            rounds = crawl_all(server, out, args.runs, variants(baseline, peer=peer))
            result["crawl"] = summaries_of(rounds)
    if not args.keep_site:
        shutil.rmtree(out / "site", ignore_errors=True)  # 200 MB at N=5000
    if not args.skip_crawl:
        result["short"] = short_crawl(args, out)
        short = None if result["short"].get("same_as_main") else result["short"]
        result["crawl"]["goals"] = report.goals(result["crawl"], short, args.n, args.short_n)
    result.update(stage_costs(pages[: args.sample], baseline, out, profile=args.profile))
    if args.scale:
        sizes = ", ".join(f"{n:,}" for n in args.scale)
        print(f"crawl state and syndication index at {sizes} entries …", flush=True)
        result["scale"] = scale(args.scale, out)
    result["bench_s"] = time.perf_counter() - started

    text = report.report(result)
    path = write(result, text, out, "bench")
    print()
    print(text)
    print(f"\nwritten: {path} ({result['bench_s']:.0f} s)")
    return 0


def short_crawl(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """The crawl at ``--short-n`` articles (200) whose peak RSS is a goal of its own (bare,
    default, one core); nothing new when the main crawl is already that small."""
    if args.n <= args.short_n:
        return {"n": args.n, "same_as_main": True}
    print(f"short crawl: rendering {args.short_n} article pages …", flush=True)
    with Server(out, args.short_n, args.sources, folder="short-site") as server:
        rounds = crawl_all(server, out, args.runs, [BARE, FULL, ONE_CORE], tag="short-")
    shutil.rmtree(out / "short-site", ignore_errors=True)
    return {"n": args.short_n, "runs": args.runs, **summaries_of(rounds)}


def stage_costs(
    sample: list[stages.Page], baseline: Path | None, out: Path, *, profile: bool
) -> dict[str, Any]:
    """Per-stage CPU in-process, trafilatura on the same pages, the baseline's stages."""
    found: dict[str, Any] = {}
    sample_path = stages.save_sample(sample, out / "sample.jsonl")
    print(f"timing stages on {len(sample)} pages …", flush=True)
    found["stages"] = stages.measure(sample, warmup=min(20, len(sample)))
    if baseline is not None:
        found["baseline_stages"] = baseline_stages(baseline, sample_path, out)
    sample_path.unlink()
    traf = stages.trafilatura_cost(sample)
    found["trafilatura"] = traf
    if traf:
        found["ratios"] = {
            "ours_vs_trafilatura": found["stages"]["instrumented_total_ms"]
            / traf["with_metadata"]["mean_ms"],
            "extraction_vs_trafilatura_text": found["stages"]["extract_ms"]
            / traf["text_only"]["mean_ms"],
        }
    if profile:
        path = out / "profile.txt"
        stages.profile(sample, path)
        found["profile"] = str(path)
    return found


if __name__ == "__main__":
    sys.exit(main())
