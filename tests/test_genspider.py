"""``scrapy genspider -t newssite``: a new site is a profile module, ready to crawl."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.processes import ROOT


def _project(tmp_path: Path) -> Path:
    """A copy of the project to generate into (the repository's own sites stay as they are)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "newscrawler", project / "newscrawler")
    shutil.copy(ROOT / "scrapy.cfg", project)
    return project


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=project, capture_output=True, text=True, timeout=60
    )


def test_genspider_writes_a_profile_that_the_registry_loads(tmp_path: Path) -> None:
    project = _project(tmp_path)
    made = _run(project, "-m", "scrapy", "genspider", "hamedan-press", "hamedanpress.example")
    assert made.returncode == 0, made.stderr[-2000:]
    written = project / "newscrawler" / "sites" / "hamedan_press.py"
    assert written.exists()
    source = written.read_text(encoding="utf-8")
    assert 'base_url="https://hamedanpress.example"' in source
    check = _run(
        project,
        "-c",
        "from newscrawler.sites import profiles; p = profiles()['hamedan_press']; "
        "print(p.news_id('https://hamedanpress.example/news/123456/slug'), p.cms)",
    )
    assert check.stdout.split() == ["123456", "generic"], check.stderr[-2000:]
    again = _run(project, "-m", "scrapy", "genspider", "hamedan_press", "hamedanpress.example")
    assert "already exists" in again.stdout
    assert written.read_text(encoding="utf-8") == source  # not overwritten


def test_scrapys_own_templates_still_write_plain_spiders(tmp_path: Path) -> None:
    project = _project(tmp_path)
    made = _run(project, "-m", "scrapy", "genspider", "-t", "basic", "plain", "plain.example")
    assert made.returncode == 0, made.stderr[-2000:]
    assert (project / "newscrawler" / "spiders" / "plain.py").exists()
    assert not (project / "newscrawler" / "sites" / "plain.py").exists()
