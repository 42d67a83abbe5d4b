"""The crawl state against concurrency and careless operators: cross-site claims taken atomically
by runs of two sites sharing one state directory, claims of dead runs, files the ledger did not
create, and ``state verify``."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from newscrawler.cli import main
from newscrawler.state.ledger import Ledger
from newscrawler.state.recovery import write_recovery_manifests

ROOT = Path(__file__).resolve().parent.parent
BODIES = 200


def record(site: str, n: int, body: int | None = None) -> dict[str, Any]:
    return {
        "id": f"{site}:{n}",
        "site": site,
        "news_id": str(n),
        "url": f"https://{site}.ir/news/{n}",
        "canonical_url": f"https://{site}.ir/news/{n}",
        "content_hash": f"{n if body is None else body:064x}",
    }


def write_file(ledger: Ledger, name: str, records: list[dict[str, Any]]) -> Path:
    path = ledger.output_site_dir / "date=2026-12-05" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def commit(ledger: Ledger, run_id: str, records: list[dict[str, Any]], seq: int = 1) -> Path:
    """What the store pipeline does: name the file, write, rename, commit."""
    final = ledger.output_site_dir / "date=2026-12-05" / f"{run_id}-{seq:04d}.jsonl"
    ledger.opening(final, run_id)
    for rec in records:
        ledger.stage(rec)
    write_file(ledger, final.name, records)
    ledger.commit(final, run_id)
    return final


def _claim_all(state: str, output: str, site: str, start: Any, results: Any) -> None:
    """One process: claim the same ``BODIES`` bodies as the other site, as fast as it can."""
    ledger = Ledger(Path(state), site, Path(output) / site)
    start.wait()
    won = [n for n in range(BODIES) if ledger.claim(record(site, 1000 + n, body=n)) is None]
    results.put((site, won))
    start.wait()  # both still hold their claims (a run that closes lets go of them)
    ledger.close()


def test_two_sites_claiming_the_same_bodies_at_once_win_each_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    args = (str(tmp_path / "state"), str(tmp_path / "out"))
    workers = [
        context.Process(target=_claim_all, args=(*args, site, start, results))
        for site in ("irna", "yjc")
    ]
    for worker in workers:
        worker.start()
    won = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(won["irna"] + won["yjc"]) == list(range(BODIES))  # each body won once


def test_a_claim_holds_until_its_file_is_committed_or_its_run_closes(tmp_path: Path) -> None:
    a = Ledger(tmp_path / "state", "irna", tmp_path / "out" / "irna")
    b = Ledger(tmp_path / "state", "yjc", tmp_path / "out" / "yjc")
    try:
        assert a.claim(record("irna", 1, body=7)) is None
        assert b.claim(record("yjc", 2, body=7)) == (f"body:{7:064x}", "irna:1")
        commit(a, "ra", [record("irna", 1, body=7)])  # claims become committed keys
        assert a.shared.db.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
        assert b.claim(record("yjc", 2, body=7)) == (f"body:{7:064x}", "irna:1")
        assert a.claim(record("irna", 3, body=8)) is None
        a.close()  # the run ends without writing it: the claim goes
        assert b.claim(record("yjc", 4, body=8)) is None
    finally:
        b.close()


DIE_HOLDING = """
import os, sys, json
from pathlib import Path
from newscrawler.state.ledger import Ledger
state, site_dir, renamed = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
ledger = Ledger(state, "irna", site_dir)
ledger.claims.run_id = "dead"
rec = {"id": "irna:1", "site": "irna", "news_id": "1", "content_hash": "%064x" % 9}
assert ledger.claim(rec) is None
final = site_dir / "date=2026-12-05" / "dead-0001.jsonl"
ledger.opening(final, "dead")
final.parent.mkdir(parents=True, exist_ok=True)
target = final if renamed else final.with_name(final.name + ".part")
target.write_text(json.dumps(rec) + "\\n", encoding="utf-8")
os._exit(0)  # killed: no commit, no close
"""


@pytest.mark.parametrize("renamed", [False, True])
def test_the_claim_of_a_dead_run_is_taken_over_unless_its_file_was_renamed(
    tmp_path: Path, renamed: bool
) -> None:
    state, out = tmp_path / "state", tmp_path / "out"
    script = textwrap.dedent(DIE_HOLDING)
    subprocess.run(
        [sys.executable, "-c", script, str(state), str(out / "irna"), str(int(renamed))],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    b = Ledger(state, "yjc", out / "yjc")
    try:
        found = b.claim(record("yjc", 2, body=9))
        if not renamed:
            assert found is None  # the dead run's .part will be removed: safe to take over
            return
        # the dead run's complete file will be read back when irna starts again
        assert found == (f"body:{9:064x}", "irna:1")
        a = Ledger(state, "irna", out / "irna")
        report = a.reconcile()
        a.close()
        assert report["ingested"] == ["date=2026-12-05/dead-0001.jsonl"]
        assert report["released_claims"] == 0  # the claim left with the commit of its file
        assert b.claim(record("yjc", 2, body=9)) == (f"body:{9:064x}", "irna:1")  # now seen
        assert b.shared.db.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
    finally:
        b.close()


def test_only_files_the_ledger_created_are_read_back(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state", "irna", tmp_path / "out" / "irna")
    try:
        kept = commit(ledger, "r1", [record("irna", n) for n in range(1, 8)])
        gone = commit(ledger, "r1", [record("irna", 8)], seq=2)
        shutil.copy(kept, kept.with_name(f"backup-{kept.name}"))  # an operator's backup
        gone.unlink()  # deleted by hand
        stray = write_file(ledger, "r9-0001.jsonl", [record("irna", 20)])  # never opened
        report = ledger.reconcile()
        assert report["ingested"] == []
        assert report["foreign"] == [
            "date=2026-12-05/backup-r1-0001.jsonl",
            "date=2026-12-05/r9-0001.jsonl",
        ]
        assert report["missing"] == ["date=2026-12-05/r1-0002.jsonl"]
        assert ledger.state.article("irna:20") is None
        assert set(ledger.state.files_by_run()) == {"r1"}  # no recovery manifest for a backup
        stray.unlink()
    finally:
        ledger.close()


def test_files_named_by_a_manifest_are_read_back_after_a_reset(tmp_path: Path) -> None:
    output = tmp_path / "out"
    ledger = Ledger(output / ".state", "irna", output / "irna")
    commit(ledger, "r1", [record("irna", 1)])
    write_recovery_manifests(output, "irna", ledger.state.files_by_run(), None)
    ledger.close()
    assert main(["state", "reset", "irna", "--output", str(output), "--yes"]) == 0
    again = Ledger(output / ".state", "irna", output / "irna")
    try:
        assert again.reconcile()["ingested"] == ["date=2026-12-05/r1-0001.jsonl"]
        assert again.state.article("irna:1") is not None
    finally:
        again.close()


def test_state_verify_checks_the_tree_against_the_manifests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    ledger = Ledger(output / ".state", "irna", output / "irna")
    first = commit(ledger, "r1", [record("irna", 1), record("irna", 2)])
    second = commit(ledger, "r1", [record("irna", 3)], seq=2)
    write_recovery_manifests(output, "irna", ledger.state.files_by_run(), None)
    third = commit(ledger, "r2", [record("irna", 4)])  # a run in progress: no manifest yet
    ledger.close()
    verify = ["state", "verify", "irna", "--output", str(output)]
    assert main(verify) == 0
    assert "3 file(s) checked, 0 problem(s)" in capsys.readouterr().out

    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace('"irna:1"', '"irna:9"'), encoding="utf-8")  # same size
    shutil.copy(second, second.with_name(f"backup-{second.name}"))
    second.unlink()
    third.write_text(third.read_text(encoding="utf-8").replace("4", "5"), encoding="utf-8")
    assert main(verify) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":", 1)[0] for line in lines[:-1]] == [
        "changed",
        "missing",
        "changed",
        "unknown",
    ]
    assert str(first) in lines[0]
    assert str(second) in lines[1]
    assert "the crawl state" in lines[2]
    assert "backup-r1-0002.jsonl" in lines[3]
    assert lines[-1].endswith("3 file(s) checked, 4 problem(s)")
