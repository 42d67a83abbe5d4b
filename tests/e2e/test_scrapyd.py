"""Deployed to a real scrapyd: an egg built by ``scrapyd-deploy``, a crawl scheduled by its API.

The test starts scrapyd 1.6 on 127.0.0.1 (a free port, its own working directory, config file
and ``HOME``), deploys a snapshot of the project with ``scrapyd-deploy`` using the ``[deploy]``
section of the shipped ``scrapy.cfg`` (pointed at that port), serves the demo site from this
process, schedules a crawl of one demo source through ``schedule.json`` and waits for it in
``listjobs.json``. A scrapyd job reaches ``finished`` even when the spider failed, so the job
log, the JSONL files and the manifest are checked.

Jobs run with a small runner (scrapyd's ``runner`` option, delegating to ``scrapyd.runner``)
that lets ``newscrawler`` be imported only from the deployed egg: the editable install of the
test environment would otherwise stand in for modules or data files missing from the egg.
"""

from __future__ import annotations

import configparser
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tools.demo.server import DemoServer
from tools.demo.site import build_site

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SITE = "cafekhabarqazvin"
PROJECT = "newscrawler"
#: What `scrapyd-deploy` needs to build the egg (setup.py reads pyproject.toml, which names
#: README.md); copied so that the build leaves nothing in the working tree.
PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
READY_TIMEOUT = 30
DEPLOY_TIMEOUT = 120
JOB_TIMEOUT = 120

RUNNER = '''\
"""scrapyd runner for tests/e2e/test_scrapyd.py: newscrawler comes from the deployed egg only."""

import importlib.machinery
import sys


class DeployedEggOnly:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] != "newscrawler":
            return None
        if path is None:  # the top-level package: search the activated eggs only
            path = [entry for entry in sys.path if entry.endswith(".egg")]
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None:
            raise ModuleNotFoundError(f"{name} is not in the deployed egg", name=name)
        return spec


sys.meta_path.insert(0, DeployedEggOnly())

from scrapyd.runner import main  # noqa: E402

main()
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def api(url: str, data: list[tuple[str, str]] | None = None, timeout: float = 60) -> Any:
    """GET (or POST ``data``) a scrapyd JSON endpoint."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=timeout) as reply:
        return json.loads(reply.read().decode("utf-8"))


def fetch_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as reply:
        text: str = reply.read().decode("utf-8")
        return text


def tail(path: Path, lines: int = 60) -> str:
    if not path.exists():
        return f"({path.name} does not exist)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def isolated_env(work: Path) -> dict[str, str]:
    """The environment of scrapyd and scrapyd-deploy: no user or host Scrapy/scrapyd config
    (``HOME`` and ``XDG_CONFIG_HOME`` point into ``work``), temp files under ``work``, and the
    egg-only runner importable."""
    home = work / "home"
    (home / ".config").mkdir(parents=True, exist_ok=True)
    (work / "tmp").mkdir(exist_ok=True)
    (work / "runner").mkdir(exist_ok=True)
    (work / "runner" / "deployed_egg_runner.py").write_text(RUNNER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        TMPDIR=str(work / "tmp"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(work / "runner"), env.get("PYTHONPATH")])),
    )
    return env


def write_config(daemon: Path, port: int) -> None:
    config = configparser.ConfigParser()
    config["scrapyd"] = {
        "bind_address": "127.0.0.1",
        "http_port": str(port),
        "eggs_dir": str(daemon / "eggs"),
        "logs_dir": str(daemon / "logs"),
        "items_dir": "",  # the project writes its own output
        "jobs_dir": "",
        "dbs_dir": str(daemon / "dbs"),
        "jobs_to_keep": "5",
        "finished_to_keep": "10",
        "max_proc": "1",
        "poll_interval": "0.2",
        "runner": "deployed_egg_runner",
    }
    with (daemon / "scrapyd.conf").open("w", encoding="utf-8") as handle:
        config.write(handle)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop scrapyd and whatever job it still runs (its process group, made at start)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # a job outliving scrapyd


def ready(process: subprocess.Popen[bytes], url: str) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # e.g. the port was taken in between
        try:
            if api(f"{url}/daemonstatus.json", timeout=5).get("status") == "ok":
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def scrapyd(daemon: Path, env: dict[str, str]) -> Iterator[str]:
    """A running scrapyd (working directory ``daemon``); yields its base URL; always stopped."""
    daemon.mkdir(parents=True, exist_ok=True)
    out = daemon / "scrapyd.out"
    for _attempt in range(3):
        port = free_port()
        write_config(daemon, port)
        with out.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=daemon,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            if ready(process, url):
                yield url
                return
        finally:
            stop(process)
    pytest.fail(f"scrapyd did not start; its output:\n{tail(out)}")


def snapshot_project(target: Path, port: int) -> Path:
    """A copy of the project whose ``[deploy]`` target is the test's scrapyd."""
    shutil.copytree(
        ROOT / "newscrawler",
        target / "newscrawler",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    config = configparser.ConfigParser()
    config.read(target / "scrapy.cfg", encoding="utf-8")
    assert config.get("deploy", "project") == PROJECT
    assert config.get("deploy", "url") == "http://127.0.0.1:6800", "no trailing slash"
    config.set("deploy", "url", f"http://127.0.0.1:{port}")
    with (target / "scrapy.cfg").open("w", encoding="utf-8") as handle:
        config.write(handle)
    return target


def deploy(project: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run ``scrapyd-deploy`` (it exits 0 even when scrapyd refused the egg); its JSON answer."""
    process = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--debug"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEPLOY_TIMEOUT,
        check=False,
    )
    explain = f"scrapyd-deploy exit {process.returncode}\n{process.stdout}\n{process.stderr}"
    assert process.returncode == 0, explain
    assert '"status": "ok"' in process.stdout, explain
    answer: dict[str, Any] = json.loads(
        next(line for line in process.stdout.splitlines() if line.startswith("{"))
    )
    return answer


def check_egg(egg: Path, project: Path) -> None:
    """Every module, the declared package data and the settings entry point are in the egg."""
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode("utf-8")
    modules = {p.relative_to(project).as_posix() for p in (project / "newscrawler").rglob("*.py")}
    assert modules - names == set(), "modules missing from the egg"
    assert "newscrawler/contract/article.schema.json" in names
    declared = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    for pattern in declared["tool"]["setuptools"]["package-data"]["newscrawler"]:
        for path in (project / "newscrawler").glob(pattern):
            assert path.relative_to(project).as_posix() in names, f"{pattern}: {path.name}"
    assert not [name for name in names if name.startswith("tests/")]
    points = configparser.ConfigParser()
    points.read_string(entry_points)
    assert points.get("scrapy", "settings") == "newscrawler.settings"


def wait_for_job(url: str, job: str, out: Path) -> dict[str, Any]:
    """The job's ``listjobs.json`` entry once it is finished."""
    deadline = time.monotonic() + JOB_TIMEOUT
    state = "unknown"
    while time.monotonic() < deadline:
        jobs = api(f"{url}/listjobs.json?project={PROJECT}")
        listed = {
            entry["id"]: (name, entry)
            for name in ("pending", "running", "finished")
            for entry in jobs[name]
        }
        if job not in listed:
            pytest.fail(f"job {job} is not listed: {jobs}\n{tail(out)}")
        state, entry = listed[job]
        if state == "finished":
            return dict(entry)
        time.sleep(0.5)
    pytest.fail(f"job {job} still {state} after {JOB_TIMEOUT} s; scrapyd output:\n{tail(out)}")


def check_log(log: str) -> None:
    """The spider really finished: scrapyd's ``finished`` only means the process ended."""
    problems = [line for line in log.splitlines() if re.search(r"\] (ERROR|CRITICAL):", line)]
    assert problems == [], "\n".join(problems) + "\n" + log[-4000:]
    assert "Traceback" not in log, log[-4000:]
    assert "Spider closed (finished)" in log, log[-4000:]
    assert "'finish_reason': 'finished'" in log


def scraped_count(log: str) -> int:
    found = re.search(r"'item_scraped_count': (\d+)", log)
    assert found, "no item_scraped_count in the job's stats"
    return int(found.group(1))


def test_crawl_deployed_to_scrapyd_and_scheduled_through_its_api(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    output = tmp_path / "output"
    daemon = tmp_path / "scrapyd"
    with scrapyd(daemon, env) as url:
        demo_site = build_site()
        with DemoServer(demo_site) as demo_urls:
            port = urllib.parse.urlsplit(url).port
            assert port is not None
            project = snapshot_project(tmp_path / "project", port)
            answer = deploy(project, env)
            assert answer["project"] == PROJECT
            assert answer["spiders"] >= 1
            eggs = list((daemon / "eggs" / PROJECT).glob("*.egg"))
            assert len(eggs) == 1, eggs
            check_egg(eggs[0], project)

            base_url = demo_urls[SITE]
            scheduled = api(
                f"{url}/schedule.json",
                [
                    ("project", PROJECT),
                    ("spider", SITE),
                    ("setting", f"NEWSCRAWLER_OUTPUT_DIR={output}"),
                    ("setting", "AUTOTHROTTLE_ENABLED=0"),
                    (
                        "setting",
                        "NEWSCRAWLER_ALLOW_PRIVATE_NETWORKS=127.0.0.1",
                    ),  # the demo site is local
                    # an extraction worker from the start, pages slow enough for it to be ready:
                    # it must import newscrawler from the egg too
                    ("setting", "DOWNLOAD_DELAY=0.25"),
                    ("setting", "NEWSCRAWLER_EXTRACT_WORKERS=1"),
                    ("setting", "NEWSCRAWLER_EXTRACT_POOL_RATE=0"),
                    ("base_url", base_url),
                ],
            )
            assert scheduled["status"] == "ok", scheduled
            job = wait_for_job(url, scheduled["jobid"], daemon / "scrapyd.out")
            log = fetch_text(url + job["log_url"])
    check_log(log)

    expected = {a.news_id for a in demo_site.sources[SITE].articles if not a.empty_body}
    site_dir = output / SITE
    manifests = sorted((site_dir / "_manifests").glob("*.json"))
    assert len(manifests) == 1, manifests
    manifest = json.loads(manifests[0].read_text(encoding="utf-8"))
    assert manifest["spider"] == SITE
    assert manifest["finish_reason"] == "finished"
    assert manifest["health"] == {"status": "ok", "reasons": []}
    assert manifest["errors"] == 0
    assert manifest["extraction"].get("offloaded", 0) > 0, manifest["extraction"]
    assert "extraction worker failed" not in log

    # The manifest names exactly the files on disk, with their line counts and SHA-256.
    on_disk = sorted(p.relative_to(output).as_posix() for p in site_dir.glob("date=*/*.jsonl"))
    assert sorted(f["path"] for f in manifest["files"]) == on_disk
    assert not list(site_dir.rglob("*.part"))
    records = []
    for entry in manifest["files"]:
        path = output / entry["path"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert len(data) == entry["bytes"]
        lines = data.decode("utf-8").splitlines()
        assert len(lines) == entry["lines"]
        records += [json.loads(line) for line in lines]
    assert len(records) == manifest["articles_written"] > 0

    # Every article of the demo source, once, fetched from the demo server (base_url arrived).
    assert all(r["site"] == SITE and r["url"].startswith(base_url + "/") for r in records)
    assert len({r["id"] for r in records}) == len(records)
    assert {r["news_id"] for r in records} == expected

    assert scraped_count(log) == len(records)
