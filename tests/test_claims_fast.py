"""The fast paths of the dedupe stage against the code they replaced.

``Claims.take`` reads an article's ``seen`` and ``claims`` rows in one statement (it read them
with two point queries a key): the same answers and the same table afterwards over random
sequences of takes, commits and claims of live, dead and own holders. ``DedupePipeline`` reads
an :class:`~newscrawler.items.Article`'s fields directly (it built an ItemAdapter and the whole
record): the same verdicts, stats and fields as for the same article given as a plain dict.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem

from newscrawler.state.claims import Claims, articles_in_run_files, holder_alive
from newscrawler.state.store import SharedIndex, now_iso
from tests.test_pipelines import Run, make_article, other_article, stat


class ReferenceClaims(Claims):
    """``take`` as it was: two point queries a key in the transaction."""

    def take(self, keys: list[str], article_id: str) -> tuple[str, str] | None:
        if not keys:
            return None
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for key in keys:
                conflict = self._old_conflict(key, article_id)
                if conflict is not None:
                    return conflict
            now = now_iso()
            self.db.executemany(
                "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (key, article_id, self.site, self.holder, self.run_id, self.site_dir, now)
                    for key in keys
                ],
            )
        return None

    def _old_conflict(self, key: str, article_id: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT article_id FROM seen WHERE key = ?", (key,)).fetchone()
        if row and row[0] != article_id:
            return key, str(row[0])
        row = self.db.execute(
            "SELECT article_id, holder, run_id, site_dir FROM claims WHERE key = ?", (key,)
        ).fetchone()
        if row is None or row[1] == self.holder:
            return None
        other, holder, run_id, site_dir = row
        if holder_alive(holder):
            return key, str(other)
        if other == article_id:
            return None
        if (site_dir, run_id) not in self._dead_runs:
            self._dead_runs[site_dir, run_id] = articles_in_run_files(site_dir, run_id)
        written = self._dead_runs[site_dir, run_id]
        if written is None or other in written:
            return key, str(other)
        return None


def _dead_pid() -> int:
    pid = 4_000_000
    while Path(f"/proc/{pid}").exists():
        pid += 1
    return pid


def _scenario(root: Path, cls: type[Claims], seed: int) -> tuple[list[Any], list[Any]]:
    rng = random.Random(seed)
    shared = SharedIndex(root / "seen.sqlite")
    claims = cls(shared, "irna", root / "out" / "irna")
    claims.run_id = "mine"
    dead_dir = root / "out" / "yjc"
    (dead_dir / "date=2026-12-05").mkdir(parents=True)
    (dead_dir / "date=2026-12-05" / "deadrun-0001.jsonl").write_text(
        "".join(json.dumps({"id": f"yjc:{n}"}) + "\n" for n in range(0, 40, 3))
    )
    live = f"{os.getpid()}::other"
    dead = f"{_dead_pid()}::gone"
    urls = [f"url:https://x.ir/{n}" for n in range(40)]
    bodies = [f"body:{n:064x}" for n in range(40)]
    shared.record([(urls[n], f"seen:{n}", "yjc") for n in rng.sample(range(40), 10)])
    rows = []
    for key in rng.sample(urls + bodies, 30):
        n = rng.randrange(40)
        holder, run_id = rng.choice([(live, "r"), (dead, "deadrun"), (dead, "other")])
        rows.append((key, f"yjc:{n}", "yjc", holder, run_id, str(dead_dir.resolve()), "t"))
    with shared.db:
        shared.db.executemany("INSERT OR REPLACE INTO claims VALUES (?,?,?,?,?,?,?)", rows)
    answers: list[Any] = []
    for step in range(300):
        n = rng.randrange(40)
        keys = [k for k in (rng.choice(urls), bodies[n]) if rng.random() < 0.9]
        article = rng.choice([f"irna:{n}", f"yjc:{n}", f"seen:{n}"])
        answers.append(claims.take(keys, article))
        if step % 37 == 36:  # a commit of what this run holds
            held = shared.db.execute(
                "SELECT key, article_id FROM claims WHERE holder = ?", (claims.holder,)
            ).fetchall()
            shared.record([(key, aid, "irna") for key, aid in held[::2]])
    table = shared.db.execute(
        "SELECT key, article_id, site, holder = ?, run_id FROM claims ORDER BY key",
        (claims.holder,),
    ).fetchall()
    table += shared.db.execute("SELECT key, article_id, site FROM seen ORDER BY key").fetchall()
    shared.close()
    return answers, table


def test_take_answers_and_leaves_the_tables_as_the_point_queries_did(tmp_path: Path) -> None:
    for seed in range(6):
        new = _scenario(tmp_path / f"new{seed}", Claims, seed)
        old = _scenario(tmp_path / f"old{seed}", ReferenceClaims, seed)
        assert new == old
        assert any(new[0])
        assert not all(new[0])


def _as_dict(item: Any) -> dict[str, Any]:
    from newscrawler.items import record_of

    return record_of(item)


def _stats(run: Run) -> dict[str, Any]:
    return {
        key: stat(run.crawler, key)
        for key in (
            "newscrawler/unchanged",
            "newscrawler/versions",
            "newscrawler/duplicates",
            "newscrawler/duplicates/id",
            "newscrawler/duplicates/url",
        )
    }


def _through(tmp_path: Path, plain: bool) -> tuple[list[Any], dict[str, Any]]:
    items = [
        make_article(),
        other_article(1),
        make_article(),  # the same article: a duplicate in the run
        other_article(2, canonical_url="https://irna.ir/news/85257749"),  # same URL
    ]
    outcomes: list[Any] = []
    run = Run(tmp_path)
    try:
        for item in items:
            item = _as_dict(item) if plain else item
            try:
                kept = run.dedupe.process_item(item)
                outcomes.append(("kept", _as_dict(kept)))
                run.store.process_item(kept)
            except DropItem as exc:
                outcomes.append(("dropped", str(exc)))
        stats = _stats(run)
        run.close()
        run = Run(tmp_path)
        # again, as a later run: unchanged, and a new version of a changed body
        for item in (make_article(), other_article(1, body="متن دیگری برای این خبر است.")):
            item = _as_dict(item) if plain else item
            try:
                kept = run.dedupe.process_item(item)
                record = _as_dict(kept)
                assert record["changed_at"]
                record["changed_at"] = "set"
                outcomes.append(("kept", record))
            except DropItem as exc:
                outcomes.append(("dropped", str(exc)))
        stats.update({f"later {key}": value for key, value in _stats(run).items()})
    finally:
        run.close()
    return outcomes, stats


def test_dedupe_of_an_article_is_the_dedupe_of_its_dict(tmp_path: Path) -> None:
    fast = _through(tmp_path / "article", plain=False)
    plain = _through(tmp_path / "dict", plain=True)
    assert fast == plain
    kinds = [kind for kind, _ in fast[0]]
    assert kinds == ["kept", "kept", "dropped", "dropped", "dropped", "kept"]
    assert fast[1]["newscrawler/duplicates"] == 2
    assert fast[1]["newscrawler/duplicates/id"] == fast[1]["newscrawler/duplicates/url"] == 1
    assert fast[1]["later newscrawler/unchanged"] == fast[1]["later newscrawler/versions"] == 1


def _syndicated(tmp_path: Path, plain: bool) -> list[Any]:
    from tests.test_syndication import (
        ORIGINAL,
        OTHER_REPORT,
        RELAYED,
        REWRITTEN,
        IrnaSpider,
        article,
    )
    from tests.test_syndication import Run as ChainRun

    run = ChainRun(tmp_path, IrnaSpider, NEWSCRAWLER_FILE_MAX_ITEMS=2)
    out: list[Any] = []
    try:
        for n, body in enumerate((ORIGINAL, RELAYED, REWRITTEN, OTHER_REPORT, "")):
            item: Any = article("irna", str(100 + n), body)
            item = _as_dict(item) if plain else item
            kept = run.syndication.process_item(item)
            out.append(
                {k: _as_dict(kept)[k] for k in ("cluster_id", "duplicate_of", "source_agency")}
            )
        out.append(run.stat("newscrawler/syndication/copies"))
        out.append(run.stat("newscrawler/syndication/stories"))
    finally:
        run.close()
    return out


def test_syndication_of_an_article_is_that_of_its_dict(tmp_path: Path) -> None:
    fast = _syndicated(tmp_path / "article", plain=False)
    assert fast == _syndicated(tmp_path / "dict", plain=True)
    assert fast[1]["duplicate_of"] == "irna:100"
    assert fast[-2] >= 1
