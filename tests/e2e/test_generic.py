"""Issue 12, item 1: ``scrapy crawl generic`` on sites nobody told it about.

The five demo sources (one per CMS template) are crawled twice at once, by their own profile
and by ``generic -a start_url=<demo>/`` (which is not told the CMS): every article the profiled
crawl writes, the generic crawl writes too, with the same news id, title and body. A site of no
known CMS (:mod:`tests.support.unknown_site`) is crawled from its home page alone.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.sites.unknown import site_name
from tests.support.processes import ROOT, crawl_command
from tests.support.unknown_site import STORIES, UnknownSite
from tools.demo.server import DemoServer
from tools.demo.site import build_site

pytestmark = pytest.mark.e2e

SOURCES = ("irna", "yjc", "tasnim", "bloghnews", "cafekhabarqazvin")
ONE_CORE = ("-s", "NEWSCRAWLER_EXTRACT_WORKERS=0")


def _records(output: Path, site: str) -> dict[str, dict[str, Any]]:
    return {
        record["news_id"]: record
        for path in sorted(output.glob(f"{site}/date=*/*.jsonl"))
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }


def _manifest(output: Path, site: str) -> dict[str, Any]:
    (path,) = sorted((output / site / "_manifests").glob("*.json"))
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def _run(commands: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the crawls at once; their results by name."""
    started = {
        name: subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, command in commands.items()
    }
    results = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=240)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


@pytest.fixture(scope="module")
def small_demo() -> Iterator[dict[str, str]]:
    """The demo sources with 30 articles each: ten crawls at once stay short."""
    with DemoServer(build_site(articles=30)) as urls:
        yield urls


@pytest.fixture(scope="module")
def crawls(small_demo: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    urls = small_demo
    output = tmp_path_factory.mktemp("generic")
    commands: dict[str, list[str]] = {}
    for source in SOURCES:
        commands[source] = crawl_command(source, urls[source], output / "profiled", *ONE_CORE)
        generic = crawl_command("generic", urls[source], output / "generic", *ONE_CORE)
        base = generic.index("-a")  # the generic spider takes the site from start_url
        generic[base : base + 2] = ["-a", f"start_url={urls[source]}/"]
        commands[f"generic:{source}"] = generic
    return {"output": output, "urls": urls, "results": _run(commands)}


@pytest.mark.parametrize("source", SOURCES)
def test_generic_writes_what_the_profiled_crawl_writes(crawls: dict[str, Any], source: str) -> None:
    results, output = crawls["results"], crawls["output"]
    for name in (source, f"generic:{source}"):
        assert results[name].returncode in (0, 4), results[name].stderr[-3000:]
        assert "Traceback" not in results[name].stderr
    profiled = _records(output / "profiled", source)
    generic_site = site_name(crawls["urls"][source])
    generic = _records(output / "generic", generic_site)
    assert len(profiled) >= 15
    missing = sorted(set(profiled) - set(generic))
    assert not missing, f"{len(missing)} of {len(profiled)} not written by generic: {missing[:5]}"
    for news_id, record in profiled.items():
        twin = generic[news_id]
        assert twin["id"] == f"{generic_site}:{news_id}"
        assert (twin["title"], twin["body"]) == (record["title"], record["body"]), news_id
    # the manifest says which family each page was read with: the source's own
    families = _manifest(output / "generic", generic_site)["extracted_with"]
    assert set(families) == {next(iter(profiled.values()))["cms"]}, families


@pytest.fixture(scope="module")
def unknown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    site = UnknownSite()
    output = tmp_path_factory.mktemp("unknown")
    try:
        command = crawl_command("generic", site.url, output, *ONE_CORE)
        base = command.index("-a")
        command[base : base + 2] = ["-a", f"start_url={site.url}/", "-a", "province=yazd"]
        result = _run({"generic": command})["generic"]
    finally:
        site.stop()
    name = site_name(site.url)
    return {
        "result": result,
        "records": _records(output, name),
        "manifest": _manifest(output, name),
        "hits": site.hits,
    }


def test_a_site_of_no_known_cms_is_crawled_from_its_home_page(unknown: dict[str, Any]) -> None:
    result, records = unknown["result"], unknown["records"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(records) == sorted(str(s.news_id) for s in STORIES)  # home, section, page 2
    for story in STORIES:
        record = records[str(story.news_id)]
        assert record["title"] == story.title  # not the logo <h1>
        assert record["body"].split("\n")[0].startswith("به گزارش پایگاه خبری دیار یزد")
        assert record["body"].endswith("کیلومتر از این محور است.")
        assert "اخبار مرتبط" not in record["body"]
        assert "نظرات" not in record["body"]
        assert record["published_at"] == "2024-11-04T10:25:00+03:30"
        assert record["province"] == "یزد"
        assert record["cms"] == "generic"
    assert unknown["manifest"]["extracted_with"] == {"generic": len(STORIES)}
    assert unknown["hits"].get("/export/rss") == 1  # the <link rel="alternate"> feed
    assert "layout" not in unknown["result"].stderr  # menu pages without articles are normal
    assert unknown["manifest"]["health"]["status"] == "ok"
