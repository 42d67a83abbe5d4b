"""Is the extraction's output unchanged, byte for byte, on the bench corpus?

    python -m tools.bench.equivalence --n 5000 --out FILE [--baseline DIR]

Renders the bench site (:mod:`tools.bench.site`, the same pages ``make bench`` crawls) at
**fixed** base URLs (``http://127.0.0.1:18001`` … one port per source, not the ports of a bench
run, so that two runs render the same bytes), extracts every article page with
``newscrawler.extraction.article.extract_html`` (the profile of its source's spider, as the
bench crawl uses; ``now`` fixed) and writes one canonical JSON line per article to FILE: site,
URL and the article's fields, keys sorted, non-ASCII kept, values JSON cannot hold as
``repr``. With ``--baseline DIR``, the same runs on the code of another checkout (FILE with
``.baseline.jsonl`` instead of its suffix) and the two files are compared: identical, or the
first article that differs and its differing fields. Exit status 1 when they differ.

The extraction runs in a process of its own for each checkout: this file by path with ``-P``
(its folder off ``sys.path``) and ``PYTHONPATH`` set to the checkout, from the checkout's
folder (its ``scrapy.cfg`` and spiders), as ``--baseline`` does for the stage timings
(:func:`tools.bench.__main__.baseline_stages`). This part imports nothing from ``tools``: the
``newscrawler`` it runs is the checkout's. With a baseline, both processes run at once.

    cd CHECKOUT && PYTHONPATH=CHECKOUT python -P /path/to/tools/bench/equivalence.py \\
        extract PAGES.jsonl OUT.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: One fixed base URL per source, whatever ports a bench run gets.
FIRST_PORT = 18001
#: The extraction's "now" (it reads relative dates against it): fixed, as in stages.py.
NOW = (2026, 11, 20, 12)


def base_urls(sources: tuple[str, ...]) -> dict[str, str]:
    return {name: f"http://127.0.0.1:{FIRST_PORT + i}" for i, name in enumerate(sources)}


def render(n: int, path: Path) -> int:
    """The bench corpus's article pages as JSON lines (site, url, html); how many."""
    from tools.bench import site

    count = 0
    with path.open("w", encoding="utf-8") as file:
        for source, url, html in site.article_pages(site.build(n, base_urls(site.SOURCES))):
            record = {"site": source.name, "url": url, "html": html.decode("utf-8")}
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _profiles() -> dict[str, Any]:
    """Each spider's profile, by spider name (what ``scrapy crawl <site>`` extracts with)."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    loader = SpiderLoader.from_settings(get_project_settings())
    spiders = (loader.load(name) for name in loader.list())
    return {cls.name: cls.profile for cls in spiders if hasattr(cls, "profile")}


def canonical(article: Any) -> dict[str, Any]:
    """The article as a plain dict, independent of the checkout's own serializers."""
    if dataclasses.is_dataclass(article) and not isinstance(article, type):
        return dataclasses.asdict(article)
    from itemadapter import ItemAdapter

    found: dict[str, Any] = ItemAdapter(article).asdict()
    return found


def extract_all(pages: Path, out: Path) -> int:
    """Extract every page of ``pages`` with the ``newscrawler`` on ``sys.path``."""
    import newscrawler
    from newscrawler.extraction.article import extract_html
    from newscrawler.persian.dates import TEHRAN

    print(f"  extracting with {Path(newscrawler.__file__).parent}", flush=True)

    now = datetime(*NOW, tzinfo=TEHRAN)
    profiles = _profiles()
    count = 0
    with pages.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            page = json.loads(line)
            article = extract_html(page["html"], page["url"], profiles[page["site"]], now=now)
            record = {"site": page["site"], "url": page["url"], "article": canonical(article)}
            sink.write(json.dumps(record, sort_keys=True, ensure_ascii=False, default=repr))
            sink.write("\n")
            count += 1
    return count


def start_extract(code: Path, pages: Path, out: Path) -> subprocess.Popen[bytes]:
    """:func:`extract_all` with ``code``'s newscrawler, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env["PYTHONPATH"] = str(code)
    command = [sys.executable, "-P", str(Path(__file__)), "extract", str(pages), str(out)]
    return subprocess.Popen(command, cwd=code, env=env)


def first_difference(ours: Path, theirs: Path) -> dict[str, Any] | None:
    """``None`` when the files are identical; else the first differing line: its number, site,
    URL and the fields that differ (with both values; a line one file lacks is ``null``)."""
    with ours.open(encoding="utf-8") as a, theirs.open(encoding="utf-8") as b:
        for number, (left, right) in enumerate(itertools.zip_longest(a, b), start=1):
            if left == right:
                continue
            mine = json.loads(left) if left else {}
            other = json.loads(right) if right else {}
            article, before_article = mine.get("article", {}), other.get("article", {})
            fields = {
                key: {"baseline": before_article.get(key), "this": article.get(key)}
                for key in sorted({*article, *before_article})
                if before_article.get(key) != article.get(key)
            }
            return {
                "line": number,
                "site": mine.get("site", other.get("site")),
                "url": mine.get("url", other.get("url")),
                "url_baseline": other.get("url"),
                "fields": fields,
            }
    return None


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def baseline_path(out: Path) -> Path:
    return out.with_name(out.stem + ".baseline.jsonl")


def compare(n: int, out: Path, baseline: Path | None) -> dict[str, Any]:
    """Render, extract with this checkout (and the baseline's), compare; the summary."""
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-equivalence-") as tmp:
        pages = Path(tmp) / "pages.jsonl"
        count = render(n, pages)
        print(f"{count} article pages rendered ({time.perf_counter() - started:.0f} s)", flush=True)
        runs = {"this": (ROOT, out)}
        if baseline is not None:
            runs["baseline"] = (baseline, baseline_path(out))
        processes = {name: start_extract(code, pages, path) for name, (code, path) in runs.items()}
        for name, process in processes.items():
            if process.wait() != 0:
                raise RuntimeError(f"the extraction of the {name} code failed")
    summary: dict[str, Any] = {"articles": count, "out": str(out), "sha256": digest(out)}
    if baseline is not None:
        theirs = baseline_path(out)
        summary["baseline"] = {"code": str(baseline), "out": str(theirs), "sha256": digest(theirs)}
        summary["difference"] = first_difference(out, theirs)
        summary["identical"] = summary["difference"] is None
    summary["seconds"] = time.perf_counter() - started
    return summary


def describe(summary: dict[str, Any]) -> str:
    lines = [f"{summary['articles']} articles → {summary['out']} (sha256 {summary['sha256']})"]
    if "baseline" not in summary:
        return "\n".join(lines)
    base = summary["baseline"]
    lines.append(f"baseline {base['code']} → {base['out']} (sha256 {base['sha256']})")
    diff = summary["difference"]
    if diff is None:
        lines.append(f"IDENTICAL: all {summary['articles']} articles, byte for byte")
        return "\n".join(lines)
    lines.append(f"DIFFERENT: first at line {diff['line']}: {diff.get('url')}")
    for key, values in diff["fields"].items():
        lines.append(f"  {key}: baseline {_short(values['baseline'])}")
        lines.append(f"  {' ' * len(key)}  this     {_short(values['this'])}")
    return "\n".join(lines)


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["extract"]:  # the child process: extract with the newscrawler on the path
        extract_all(Path(argv[1]), Path(argv[2]))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench.equivalence", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, default=5000, help="article pages (default 5000)")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines of this checkout")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = parser.parse_args(argv)
    baseline = args.baseline.resolve() if args.baseline else None
    summary = compare(args.n, args.out.resolve(), baseline)
    print(describe(summary))
    print(f"({summary['seconds']:.0f} s)")
    return 0 if summary.get("identical", True) else 1


if __name__ == "__main__":
    sys.exit(main())
