"""The text of ``make bench``: the crawl table with every ratio and the issue's goals, the
per-stage table, the scale tables and the long crawl's RSS table.

Kept apart from :mod:`tools.bench.__main__` (which runs things) so that the figures' wording is
in one place, and so that the goals are computed once and stored in the JSON as printed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

#: Ratios reported between two crawl summaries.
RATIO_KEYS = (
    "pages_per_s",
    "articles_per_s",
    "articles_per_s_wall",
    "cpu_ms_per_article",
    "peak_rss_mib",
)
#: Crawl rows, in the order of the table.
CRAWL_LABELS = {
    "bare": "bare spider (ceiling)",
    "peer": "peer: Scrapy + trafilatura",
    "full": "full pipeline (default)",
    "onecore": "full pipeline, one core (no workers)",
    "baseline": "full pipeline, baseline code",
}
#: Ratio rows: (key in ``crawl["ratios"]``, label), printed when both rows ran.
RATIO_ROWS = (
    ("peer/bare", "peer / bare"),
    ("full/bare", "full / bare"),
    ("onecore/bare", "one core / bare"),
    ("baseline/bare", "baseline / bare"),
    ("full/peer", "full / peer"),
    ("onecore/peer", "one core / peer"),
    ("full/baseline", "full / baseline (after/before)"),
)
#: The size of the short crawl whose peak RSS is a goal of its own (issue 16).
SHORT_N = 200


def ratios(numerator: dict[str, float], denominator: dict[str, float]) -> dict[str, float]:
    return {key: numerator[key] / denominator[key] for key in RATIO_KEYS}


def all_ratios(summaries: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Every ratio of :data:`RATIO_ROWS` whose two crawls are in ``summaries``."""
    found = {}
    for key, _ in RATIO_ROWS:
        numerator, denominator = key.split("/")
        if numerator in summaries and denominator in summaries:
            found[key] = ratios(summaries[numerator], summaries[denominator])
    return found


@dataclasses.dataclass(frozen=True)
class Figure:
    """A goal's ratio in one crawl: the median over the rounds of the paired ratio (crawls
    that ran back to back, :func:`tools.bench.rounds.paired_ratios`), each round's, and the
    ratio of the two rows' medians (the figure before pairing). ``value`` None: not measured."""

    value: float | None = None
    rounds: tuple[float, ...] = ()
    of_medians: float | None = None


def figure_of(crawl: dict[str, Any], key: str, field: str) -> Figure:
    """The ratio ``key`` (``onecore/bare``) of ``field`` in ``crawl``: paired when the crawl
    has its rounds (``crawl["paired"]``), else the ratio of the medians alone."""
    of_medians = crawl.get("ratios", {}).get(key, {}).get(field)
    of_medians = None if of_medians is None else float(of_medians)
    paired = crawl.get("paired", {}).get(key)
    if not paired:
        return Figure(of_medians, (), of_medians)
    rounds = tuple(float(r[field]) for r in paired["rounds"])
    return Figure(float(paired["median"][field]), rounds, of_medians)


def _goal(
    key: str, goal: str, figure: Figure, op: str, limit: float, note: str = ""
) -> dict[str, Any]:
    value = figure.value
    met = None if value is None else (value <= limit if op == "≤" else value >= limit)
    return {
        "key": key,
        "goal": goal,
        "figure": value,
        "op": op,
        "limit": limit,
        "met": met,
        "note": note,
        "rounds": list(figure.rounds),
        "of_medians": figure.of_medians,
    }


#: The keys of :func:`goals`, in order (a test checks that none goes missing).
GOAL_KEYS = ("cpu_onecore", "rate_onecore", "rate_default", "rss_short", "rss_main", "vs_peer")


def goals(
    crawl: dict[str, Any], short: dict[str, Any] | None, n: int, short_n: int = SHORT_N
) -> list[dict[str, Any]]:
    """Issue 16's goals, each with this run's figure (``None``: a crawl it needs did not run):
    the median over the rounds of the paired ratio (:func:`figure_of`), with each round's
    (``rounds``) and the ratio of the rows' medians (``of_medians``) beside it.

    ``short``: the crawl at ``short_n`` articles (``None`` when ``n`` is already that small:
    then the main crawl is the short one)."""

    def one_core(c: dict[str, Any]) -> str:
        value = figure_of(c, "onecore/bare", "peak_rss_mib").value
        return "" if value is None else f"one core: {value:.2f}"

    full_cpu = figure_of(crawl, "full/bare", "cpu_ms_per_article").value
    short_crawl = short or crawl
    short_n = short["n"] if short else n
    return [
        _goal(
            "cpu_onecore",
            "CPU ms/article, one core / bare",
            figure_of(crawl, "onecore/bare", "cpu_ms_per_article"),
            "≤",
            1.6,
            "" if full_cpu is None else f"default (workers' CPU included): {full_cpu:.2f}",
        ),
        _goal(
            "rate_onecore",
            "articles/s, one core / bare",
            figure_of(crawl, "onecore/bare", "articles_per_s"),
            "≥",
            0.6,
        ),
        _goal(
            "rate_default",
            "articles/s, default / bare",
            figure_of(crawl, "full/bare", "articles_per_s"),
            "≥",
            0.8,
        ),
        _goal(
            "rss_short",
            f"peak RSS (crawl + workers), default / bare, short crawl N={short_n}",
            figure_of(short_crawl, "full/bare", "peak_rss_mib"),
            "≤",
            1.5,
            one_core(short_crawl)
            + ("" if short else f"; the main crawl (N ≤ {short_n}), no crawl of its own"),
        ),
        _goal(
            "rss_main",
            f"peak RSS (crawl + workers), default / bare, main crawl N={n}",
            figure_of(crawl, "full/bare", "peak_rss_mib"),
            "≤",
            1.5,
            one_core(crawl),
        ),
        _goal(
            "vs_peer",
            "articles/s, default / peer",
            figure_of(crawl, "full/peer", "articles_per_s"),
            "≥",
            5.0,
        ),
    ]


def fmt_table(headers: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> str:
    """A Markdown table, figures right-aligned; the columns ``left`` (labels) left-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            cell.ljust(width) if i in left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def crawl_headers(sites: int) -> list[str]:
    return [
        f"crawl ({sites} site{'s' if sites != 1 else ''}, 1 process each)",
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


def _crawl_rows(c: dict[str, Any], prefix: str = "") -> list[list[str]]:
    rows = [_crawl_row(prefix + label, c[v]) for v, label in CRAWL_LABELS.items() if v in c]
    rows += [
        _ratio_row(prefix + label, c["ratios"][key])
        for key, label in RATIO_ROWS
        if key in c["ratios"]
    ]
    return rows


def _spread(rounds: list[float] | tuple[float, ...]) -> str:
    """Each round's ratio, ``1.49 / 1.85 / 1.85`` (nothing for one round: it is the median)."""
    return " / ".join(f"{r:.2f}" for r in rounds) if len(rounds) > 1 else ""


def _of_medians(g: dict[str, Any]) -> str:
    value = g.get("of_medians")
    return "" if value is None else f"{value:.2f}"


def goal_table(found: list[dict[str, Any]]) -> str:
    """The goals: the paired figure (median over the rounds), the verdict, each round's figure
    and the ratio of the rows' medians."""
    rows = []
    for g in found:
        figure = "not measured" if g["figure"] is None else f"{g['figure']:.2f}"
        met = {True: "met", False: "NOT MET", None: "?"}[g["met"]]
        rows.append(
            [
                g["goal"],
                figure,
                f"{g['op']} {g['limit']:g}",
                met,
                _spread(g.get("rounds", ())),
                _of_medians(g),
                g["note"],
            ]
        )
    headers = ["goal (issue 16)", "figure", "goal", "", "per round", "ratio of medians", "note"]
    return fmt_table(headers, rows, left=(0, 6))


#: The columns of the paired table: (key in a ratio, header).
PAIRED_COLUMNS = (
    ("pages_per_s", "pages/s"),
    ("articles_per_s", "articles/s"),
    ("articles_per_s_wall", "art./s incl. start"),
    ("cpu_ms_per_article", "CPU ms/article"),
    ("peak_rss_mib", "peak RSS"),
)


def _paired_cell(paired: dict[str, Any], field: str) -> str:
    spread = _spread([r[field] for r in paired["rounds"]])
    return f"{paired['median'][field]:.2f}" + (f" ({spread})" if spread else "")


def paired_table(c: dict[str, Any], short: dict[str, Any] | None = None) -> str:
    """The ratios of crawls that ran back to back (same round, same source): the median over
    the rounds, then each round's in brackets, for the main crawl and the short one."""
    rows = []
    for crawl_, prefix in ((c, ""), (short or {}, f"N={(short or {}).get('n')}: ")):
        for key, label in RATIO_ROWS:
            paired = crawl_.get("paired", {}).get(key)
            if paired:
                rows.append([prefix + label, *(_paired_cell(paired, f) for f, _ in PAIRED_COLUMNS)])
    runs = max((len(p["rounds"]) for p in c.get("paired", {}).values()), default=0)
    header = f"paired ratios (back to back), median of {runs} round{'s' if runs != 1 else ''}"
    if runs > 1:
        header += " (each round)"
    return fmt_table([header, *(h for _, h in PAIRED_COLUMNS)], rows)


def crawl_report(result: dict[str, Any]) -> list[str]:
    c = result["crawl"]
    short = result.get("short")
    rows = _crawl_rows(c)
    if short and not short.get("same_as_main"):
        rows += _crawl_rows(short, f"N={short['n']}: ")
    out = [fmt_table(crawl_headers(len(result.get("sources", ())) or 5), rows)]
    if short and short.get("same_as_main"):
        out.append(f"(N={result['n']}: small enough to be the short crawl of the RSS goal too)")
    elif short:
        out.append(
            f"(N={short['n']}: a short crawl of its own, {short['runs']} run(s), on a site "
            f"rendered at N={short['n']}: bare, default and one core only)"
        )
    out.append("")
    short_label = f"N={short['n']} " if short else ""
    for label, summary in (("", c), (short_label, short or {})):
        for variant in CRAWL_LABELS:
            if summary.get(variant, {}).get("errors"):
                out.append(
                    f"WARNING: the {label}{variant} crawls logged "
                    f"{summary[variant]['errors']:.0f} errors (see the logs under the output "
                    "folder): their figures do not measure a clean crawl."
                )
    out.append(
        "peak RSS: the crawl process's (wait4) plus its extraction workers' (the largest "
        "worker's VmHWM × workers); CPU: wait4, workers included (joined at the end); "
        "on workers: share of the articles extracted on extraction workers; "
        "rates over Scrapy's crawl time, «incl. start» over the process's wall time."
    )
    for variant in CRAWL_LABELS:
        if c.get(variant, {}).get("workers"):
            v = c[variant]
            out.append(
                f"{CRAWL_LABELS[variant]}: {v['workers']:.0f} extraction worker(s) per crawl; "
                f"peak RSS {v['process_rss_mib']:.0f} MiB crawl process + "
                f"{v['worker_rss_mib']:.0f} MiB workers (largest over the crawls)"
            )
    if c.get("paired"):
        usable_short = short if short and not short.get("same_as_main") else None
        out += ["", paired_table(c, usable_short)]
        out.append(
            "ratio rows above: ratios of the rows' medians; paired ratios: per round, the two "
            "rows' crawls of each source ran back to back (figures summed over the sources as "
            "above, peak RSS the largest), and the goals are judged on their median over the "
            "rounds (this machine's speed drifts within minutes)."
        )
    out += ["", goal_table(c["goals"]), ""]
    return out


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


def machine_line(m: dict[str, Any]) -> str:
    load = m["load_average_at_start"]
    return (
        f"machine: {m['nproc']} × {m['cpu']}; Python {m['python']}, Scrapy {m['scrapy']}, "
        f"hazm {m['hazm']}, lxml {m['lxml']}, trafilatura {m['trafilatura']}; "
        + (f"load average at start {load:.2f}" if load is not None else "")
    )


def report(result: dict[str, Any]) -> str:
    sources = result.get("sources") or ["the five sources"]
    out = []
    if result.get("quick"):
        out.append(
            "QUICK MODE (--quick, for pull requests): one small run; the figures are "
            "indicative only (process start-up weighs on them, the machine may be shared). "
            'Judge the goals on `make bench ARGS="--runs 3"` on a quiet machine.'
        )
    out += [
        machine_line(result["machine"]),
        f"site: {result['site']['articles']} article pages (mean "
        f"{result['site']['mean_article_kb']:.1f} KB) + {result['site']['listings']} listing "
        f"pages of {', '.join(sources)}; {result['runs']} run(s), medians; goals on paired "
        "ratios",
        "",
    ]
    if result.get("crawl"):
        out += crawl_report(result)
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
