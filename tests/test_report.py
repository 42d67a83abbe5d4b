"""``newscrawler report``: run manifests → one self-contained HTML page with plots.

Synthetic manifests for bad input (no manifests, a damaged one, ``--runs``); real manifests
from real crawls of the demo site for the page itself, which a real headless Chromium (Debian's
``chromium``) loads: no console error, the plots in the rendered DOM, a screenshot that is not
blank (saved under the test's tmp dir, its path printed).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from matplotlib.image import imread

from newscrawler.cli import main
from newscrawler.report.runs import read_runs
from tests.support.processes import ROOT, crawl
from tools.demo.site import DemoSite

REVISIT = ("-s", "NEWSCRAWLER_REVISIT_DAYS=100000", "-s", "NEWSCRAWLER_REVISIT_INTERVAL_HOURS=0")


def manifest(run_id: str, written: int, **extra: object) -> dict[str, object]:
    """A manifest with the fields the crawl writes (state/manifest.py), files left out."""
    return {
        "schema_version": 1,
        "run_id": run_id,
        "spider": "irna",
        "started_at": f"2026-12-0{run_id[7]}T05:00:00+00:00",
        "finish_reason": "finished",
        "articles_written": written,
        "versions": 1,
        "unchanged": 2,
        "duplicates": 0,
        "dropped": {"missing_body": 1},
        "failed": {"http_404": 2},
        "skipped": {},
        "coverage": {"title": 1.0, "body": 0.5},
        "extracted_with": {"nastooh": written},
        "files": [],
        "health": {"status": "ok", "reasons": []},
        **extra,
    }


def write_manifests(out: Path, site: str, *manifests: dict[str, object]) -> None:
    folder = out / site / "_manifests"
    folder.mkdir(parents=True)
    for data in manifests:
        (folder / f"{data['run_id']}.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_folder_without_manifests_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "irna" / "date=2026-12-05").mkdir(parents=True)
    assert main(["report", "--output", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no run manifest" in err
    assert not (tmp_path / "report.html").exists()


def test_a_damaged_manifest_is_named_skipped_and_counted_in_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_manifests(tmp_path, "irna", manifest("20261201T050000Z-h-1", 7))
    folder = tmp_path / "irna" / "_manifests"
    (folder / "20261202T050000Z-h-2.json").write_text('{"run_id": "x", "spid', encoding="utf-8")
    (folder / "20261203T050000Z-h-3.json").write_text('{"run_id": "y"}', encoding="utf-8")
    assert main(["report", "--output", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    damaged = [line for line in err.splitlines() if "damaged manifest skipped" in line]
    assert len(damaged) == 2
    assert "20261202T050000Z-h-2.json" in damaged[0]
    assert "20261203T050000Z-h-3.json" in damaged[1]
    assert "no spider, articles_written" in damaged[1]
    assert "1 run(s), 2 damaged manifest(s) skipped" in out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "damaged manifests skipped: 2" in page
    assert "20261202T050000Z-h-2.json" in page


def test_only_damaged_manifests_is_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_manifests(tmp_path, "irna", {"run_id": "20261201T050000Z-h-1"})
    assert main(["report", "--output", str(tmp_path)]) == 2
    assert "1 damaged manifest(s) and no other" in capsys.readouterr().err


def test_runs_keeps_the_last_n_of_each_site(tmp_path: Path) -> None:
    runs = [manifest(f"2026120{day}T050000Z-h-{day}", day) for day in range(1, 6)]
    write_manifests(tmp_path, "irna", *runs)
    write_manifests(tmp_path, "yjc", manifest("20261201T050000Z-h-9", 3))
    table = read_runs(tmp_path, 2)
    assert [(r.site, r.written) for r in table.runs] == [("irna", 4), ("irna", 5), ("yjc", 3)]
    assert table.runs[0].outcomes == {"dropped: missing_body": 1, "failed: http_404": 2}
    assert table.runs[0].new == 3
    assert main(["report", "--output", str(tmp_path), "--runs", "0"]) == 2


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    write_manifests(tmp_path, "irna", manifest("20261201T050000Z-h-1", 4))
    target = tmp_path / "elsewhere" / "page.html"
    assert main(["report", "--output", str(tmp_path), "--to", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert_self_contained(page)
    assert page.count("<svg") == 4  # per day, articles, reasons, coverage (no agencies: no files)


def test_health_reasons_show_and_manifest_text_is_escaped(tmp_path: Path) -> None:
    """A degraded run shows its reasons; text from a manifest never becomes markup."""
    hostile = "<script>alert(1)</script>"
    health = {"status": "degraded", "reasons": [f"body coverage fell {hostile}"]}
    write_manifests(
        tmp_path,
        "irna",
        manifest("20261201T050000Z-h-1", 4),
        manifest("20261202T050000Z-h-2", 0, health=health, extracted_with={hostile: 1}),
    )
    assert main(["report", "--output", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<span class="degraded">degraded</span>: body coverage fell &lt;script&gt;' in page
    assert page.count('<span class="ok">ok</span>') == 1
    assert_self_contained(page)


def assert_self_contained(page: str) -> None:
    """Nothing the page loads from elsewhere: no script, no external src, href or CSS url."""
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "@import" not in page


# -- real crawls of the demo, a real Chromium ----------------------------------------------


@pytest.fixture(scope="module")
def crawled(
    demo: tuple[DemoSite, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Real manifests: IRNA, then the regional site that republishes one of its stories (a
    syndicated copy), then IRNA again with one article changed (a new version, the rest
    unchanged)."""
    site, urls = demo
    out = tmp_path_factory.mktemp("report-out")
    for name in ("irna", "cafekhabarqazvin"):
        done = crawl(name, urls[name], out)
        assert done.returncode == 0, done.stderr[-2000:]
    article = site.sources["irna"].articles[3]
    original = list(article.story.paragraphs)
    article.story.paragraphs.append("این خبر پس از انتشار به‌روز شد و جزئیات تازه‌ای آمد.")
    try:
        again = crawl("irna", urls["irna"], out, *REVISIT)
    finally:
        article.story.paragraphs[:] = original
    assert again.returncode == 0, again.stderr[-2000:]
    return out


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing; the test is skipped (saying
    why) only when it cannot be installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if shutil.which("apt-get"):
        subprocess.run(["apt-get", "update"], capture_output=True, timeout=600, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "chromium"], capture_output=True, timeout=900, check=False
        )
    found = shutil.which("chromium")
    if not found:
        pytest.skip("no chromium and `apt-get install -y chromium` failed (not root, no network?)")
    return found


def browse(
    chromium: str, page: Path, workdir: Path, *action: str
) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run on a local file, its console logged on stderr."""
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={workdir / 'chromium-profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *action,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=workdir,
    )


def console_lines(stderr: str) -> list[str]:
    """What the page said on the console (JS errors, failed loads): Chromium logs each as a
    ``CONSOLE`` line; the page has no script, so any such line is a fault."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_is_blank(path: Path) -> bool:
    """A screenshot of one colour (a page that rendered nothing) or a tiny file."""
    pixels = imread(path)
    colours = {tuple(pixel) for row in pixels[::20] for pixel in row[::20]}
    return path.stat().st_size < 20_000 or len(colours) < 5


@pytest.mark.e2e
def test_the_console_check_and_the_blank_check_can_fail(chromium: str, tmp_path: Path) -> None:
    """The two browser checks below, shown to catch what they are meant to catch."""
    bad = tmp_path / "bad.html"
    bad.write_text('<p>x</p><script>console.error("boom"); missing();</script>', encoding="utf-8")
    shot = tmp_path / "blank.png"
    done = browse(chromium, bad, tmp_path, f"--screenshot={shot}", "--window-size=800,600")
    assert len(console_lines(done.stderr)) == 2, done.stderr[-2000:]
    assert png_is_blank(shot)


@pytest.mark.e2e
def test_the_report_of_real_crawls_renders_in_chromium(
    crawled: Path, chromium: str, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    started = time.monotonic()
    command = [sys.executable, "-m", "newscrawler", "report", "--output", str(crawled)]
    done = subprocess.run(
        [*command, "--to", str(page)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    print(f"report of the demo crawls: {seconds:.1f} s, {page.stat().st_size} bytes: {page}")
    assert "3 run(s), 0 damaged" in done.stdout
    html = page.read_text(encoding="utf-8")
    assert_self_contained(html)

    dom = browse(chromium, page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_lines(dom.stderr) == []
    rendered = dom.stdout
    for name in ("written-per-day", "agencies", "irna-articles", "irna-coverage"):
        assert re.search(rf'<figure class="plot" data-plot="{name}"><svg', rendered), name
    assert rendered.count("<svg") >= 6
    for site in ("irna", "cafekhabarqazvin"):
        assert f'<h2 id="site-{site}">{site}</h2>' in rendered
        assert f">{site}</text>" in rendered or f"{site}: articles per run" in rendered
    assert "new version" in rendered
    # what the plots show, from the real manifests: the second IRNA run delivered one new
    # version and found the rest unchanged; the regional site republished an IRNA story
    runs = read_runs(crawled, 30)
    assert [(r.versions, r.unchanged > 0) for r in runs.of("irna")] == [(0, False), (1, True)]
    assert sum(sum(r.copies.values()) for r in runs.of("cafekhabarqazvin")) >= 1
    assert re.search(r"also delivered as a republished copy: [1-9]", rendered)

    shot = tmp_path / "report.png"
    done = browse(chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert done.returncode == 0, done.stderr[-2000:]
    print(f"screenshot: {shot}")
    assert console_lines(done.stderr) == []
    assert not png_is_blank(shot)
