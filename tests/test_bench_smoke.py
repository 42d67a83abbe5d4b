"""``make bench`` and ``make eval`` code paths on tiny inputs, so that they cannot rot.

No timing is asserted: only that every part runs and reports what it should.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_script(name: str) -> ModuleType:
    """``tools.<name>``: ``bench.__main__`` (``python -m tools.bench``) or ``eval``."""
    return importlib.import_module(f"tools.{name}")


def test_bench_site_server_and_stages(tmp_path: Path) -> None:
    from tools.bench import site, stages

    bench = load_script("bench.__main__")
    with bench.Server(tmp_path, 40) as server:
        assert len(server.sources) == 5
        source = server.sources[0]
        with urllib.request.urlopen(source.base_url + source.articles[0], timeout=10) as reply:
            assert reply.status == 200
            assert len(reply.read()) > 20_000  # the inflated page, not the bare template
        pages = [stages.Page(s.name, u, h) for s, u, h in site.article_pages(server.sources)]
    assert len(pages) >= 39  # one demo page per site may have an empty body on purpose
    result = stages.measure(pages[:6], warmup=2)
    assert result["pages"] == 6
    assert set(stages.EXTRACTION_STAGES) <= set(result["stages_ms"])
    assert {"dedupe", "serialization"} <= set(result["stages_ms"])
    assert result["stages_ms"]["normalization"] > 0
    saved = stages.load_sample(stages.save_sample(pages[:2], tmp_path / "sample.jsonl"))
    assert [(p.site, p.url, p.html) for p in saved] == [(p.site, p.url, p.html) for p in pages[:2]]


def test_bench_stats_parser() -> None:
    from tools.bench.crawl import scrapy_stats

    log = (
        "2026-01-01 10:00:00 [scrapy.statscollectors] INFO: Dumping Scrapy stats:\n"
        "{'downloader/response_status_count/200': 12,\n"
        " 'elapsed_time_seconds': 1.5,\n"
        " 'newscrawler/output/files': [{'bytes': 1, 'lines': 2}],\n"
        " 'response_received_count': 12}\n"
        "2026-01-01 10:00:01 [scrapy.core.engine] INFO: Spider closed (finished)\n"
    )
    assert scrapy_stats(log) == {
        "downloader/response_status_count/200": 12.0,
        "elapsed_time_seconds": 1.5,
        "response_received_count": 12.0,
    }


def test_bench_extraction_workers_figures() -> None:
    from tools.bench.crawl import extraction, scrapy_stats

    log = (
        "2026-01-01 10:00:00 [newscrawler.crawl.extraction_pool] INFO: irna: pages arrive at 10 or "
        "more a second: extracting on 2 worker processes too\n"
        "2026-01-01 10:00:09 [scrapy.statscollectors] INFO: Dumping Scrapy stats:\n"
        "{'newscrawler/extract/in_process': 30,\n"
        " 'newscrawler/extract/offloaded': 70,\n"
        " 'newscrawler/extract/worker_peak_rss_kib': 81920}\n"
    )
    assert extraction(scrapy_stats(log), log) == {
        "in_process": 30,
        "offloaded": 70,
        "workers": 2,
        "worker_rss_kib": 2 * 81920,  # the largest worker's peak, for each worker
    }
    bare = "2026-01-01 10:00:09 [scrapy.statscollectors] INFO: Dumping Scrapy stats:\n{}\n"
    assert extraction(scrapy_stats(bare), bare) == {
        "in_process": 0,
        "offloaded": 0,
        "workers": 0,
        "worker_rss_kib": 0,
    }


def test_bench_scale_option() -> None:
    bench = load_script("bench.__main__")
    assert bench.parse_scale("1000000,10000000") == [1_000_000, 10_000_000]
    assert bench.parse_scale("10M, 1m,100k") == [100_000, 1_000_000, 10_000_000]
    assert bench.parse_scale("0") == []
    with pytest.raises(argparse.ArgumentTypeError):
        bench.parse_scale("lots")


def test_eval_on_fixtures_and_an_extra_folder(tmp_path: Path) -> None:
    evaluate = load_script("eval")
    extra = tmp_path / "extra"
    extra.mkdir()
    fixture = ROOT / "tests" / "fixtures" / "irna" / "2024-05-18-article"
    shutil.copy(fixture.with_suffix(".html"), extra / "page.html")
    spec = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    (extra / "page.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert evaluate.main(["--extra", str(extra), "--out", str(out)]) == 0
    result = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    overall = result["fixtures"]["overall"]["ours"]
    assert result["fixtures"]["overall"]["ours"]["pages"] >= 11
    assert 0.0 < overall["f1"] <= 1.0
    assert set(result["fixtures"]["family"]) >= {"nastooh", "wordpress"}
    extra_ours = result["extra"]["overall"]["ours"]
    assert extra_ours["pages"] == 1
    assert extra_ours["f1"] == 1.0  # the expected JSON is our own output for this page
    assert extra_ours["title_exact"] == 1.0
    assert (out / "latest.txt").read_text(encoding="utf-8").startswith("fixtures: ")


@pytest.mark.e2e
def test_bench_end_to_end(tmp_path: Path) -> None:
    """The whole ``make bench`` on 40 pages: both crawls, stages, tables, JSON; the crawl state
    and the syndication index at 2,000 entries."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            "--n",
            "40",
            "--sample",
            "8",
            "--scale",
            "2000",
            "--out",
            tmp_path,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    for variant in ("bare", "full"):
        summary = result["crawl"][variant]
        assert summary["articles"] >= 39
        assert summary["peak_rss_mib"] > 0
        assert summary["cpu_ms_per_article"] > 0
        assert summary["peak_rss_mib"] >= summary["process_rss_mib"] > 0
        assert 0 <= summary["offloaded_share"] <= 1
    assert result["crawl"]["bare"]["worker_rss_mib"] == 0
    assert result["crawl"]["ratios"]["full/bare"]["articles_per_s"] > 0
    scale = result["scale"]
    assert [r["articles"] for r in scale["state"]] == [2000]
    assert scale["state"][0]["lookup_us"] > 0
    assert [r["articles"] for r in scale["syndication"]["sizes"]] == [2000]
    assert scale["syndication"]["sizes"][0]["copies_found"] > 0.9
    assert not (tmp_path / "scale").exists()  # the generated state and index are removed
    text = (tmp_path / "latest.txt").read_text(encoding="utf-8")
    for heading in ("full / bare", "crawl + workers", "crawl state", "syndication index"):
        assert heading in text


def test_unrelated_bench_articles_are_not_near_copies() -> None:
    """The bench pads bodies from the demo's small corpus; unreworded, one random pair of
    unrelated articles in ten looked like a republished copy, and the syndication index's cost
    in the bench was that of an unrealistic flood of candidates."""
    import random
    import statistics

    from parsel import Selector

    from newscrawler.syndication.minhash import DEFAULT_THRESHOLD, shingles
    from tools.bench import site

    urls = {name: f"http://127.0.0.1:{9000 + i}" for i, name in enumerate(site.SOURCES)}
    bodies = [
        shingles(" ".join(Selector(text=html.decode("utf-8")).css("p::text").getall()))
        for _source, _url, html in site.article_pages(site.build(300, urls))
    ]
    rng = random.Random(7)
    similarities = []
    for _ in range(600):
        a, b = rng.sample(bodies, 2)
        similarities.append(len(a & b) / len(a | b))
    assert statistics.median(similarities) < 0.08
    assert sum(s >= DEFAULT_THRESHOLD for s in similarities) <= 3  # ≤ 0.5 % of the pairs
