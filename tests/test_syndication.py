"""Syndication: republished copies clustered across sites and runs (newscrawler/syndication/).

The labelled pairs of ``tests/fixtures/_syndication/pairs.jsonl`` hold the detector to the
precision and recall measured by ``tools/calibrate_syndication.py``; the pipeline tests run the
real dedupe, syndication and store pipelines over one output and state folder, one crawler per
run, as ``scrapy crawl`` would.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from scrapy.exceptions import DropItem

from newscrawler.extraction.agency import AGENCIES, detect_agency
from newscrawler.items import Article
from newscrawler.persian.chars import ZWNJ, to_latin_digits, word_count
from newscrawler.persian.normalize import match_key, normalize_text
from newscrawler.pipelines.dedupe import DedupePipeline
from newscrawler.pipelines.store import JsonlStorePipeline
from newscrawler.spiders.news import NewsSpider
from newscrawler.spiders.profiled import (
    CafekhabarqazvinSpider,
    IrnaSpider,
    KhuzpressSpider,
    TasnimSpider,
)
from newscrawler.syndication import minhash
from newscrawler.syndication.index import SITE_AGENCY, SyndicationIndex
from newscrawler.syndication.minhash import (
    _BASE,
    _FOLD,
    _PERM_A,
    _PERM_B,
    DEFAULT_THRESHOLD,
    NUM_PERM,
    comparison_key,
    evaluate,
    shingles,
    signature,
    similarity,
)
from newscrawler.syndication.pipeline import SyndicationPipeline
from newscrawler.syndication.storage import PARAMETERS
from tests.support.crawl import close_ledger, open_ledger, project_crawler
from tests.support.golden import all_fixtures, article_record

ROOT = Path(__file__).resolve().parent.parent
PAIRS_FILE = ROOT / "tests" / "fixtures" / "_syndication" / "pairs.jsonl"
PAIRS: list[dict[str, Any]] = [
    json.loads(line) for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines() if line
]
PAIR = {pair["id"]: pair for pair in PAIRS}


def load_calibration() -> ModuleType:
    return importlib.import_module("tools.calibrate_syndication")


# ---------------------------------------------------------------------- labelled pairs


@pytest.fixture(scope="module")
def calibration() -> tuple[ModuleType, list[Any]]:
    module = load_calibration()
    return module, module.score(PAIRS)


def test_the_labelled_set_has_every_kind() -> None:
    kinds = {(p["label"], p["kind"]) for p in PAIRS}
    assert len(PAIRS) >= 40
    assert {("same", "republished"), ("same", "excerpt"), ("different", "same_event")} <= kinds
    assert {("different", "same_topic"), ("different", "unrelated")} <= kinds
    assert len({p["id"] for p in PAIRS}) == len(PAIRS)


def test_calibration_picks_the_default_threshold(calibration: tuple[ModuleType, Any]) -> None:
    """The default is the calibrated value: new pairs or new parameters mean a new default."""
    module, scored = calibration
    chosen, _ = module.choose(scored)
    assert chosen == DEFAULT_THRESHOLD


def test_the_threshold_setting_is_the_calibrated_one() -> None:
    from newscrawler import settings

    assert settings.NEWSCRAWLER_SYNDICATION_THRESHOLD == DEFAULT_THRESHOLD


def test_precision_and_recall_on_the_labelled_pairs(calibration: tuple[ModuleType, Any]) -> None:
    """Measured at the default threshold: precision 1.000, recall 0.980 (48 of 49 copies).

    Floors: precision 1.0, because different stories must never merge (the issue's
    requirement; the set holds 13 reports of the same event by another outlet, one with two
    quotes in common, and 3 daily bulletins of one template); recall 0.95, the measured value
    less one pair (47 of 49 is 0.959), so losing any further copy fails. The copy missed is a
    condensed retelling (exact similarity 0.28, estimated 0.25), not republished agency copy:
    every one of those is found (next test). The three condensed retellings (exact 0.25 to
    0.28) sit at the threshold, so whether each is found depends on the hash's draw: with the
    SHA-1 signatures of earlier versions two of them were missed.
    """
    module, scored = calibration
    measured = module.metrics(scored, DEFAULT_THRESHOLD)
    assert measured["precision"] == 1.0
    assert measured["recall"] >= 0.95
    assert (measured["tp"], measured["fp"], measured["fn"]) == (48, 0, 1)


@pytest.mark.parametrize(
    "pair", [p for p in PAIRS if p["kind"] in ("republished", "excerpt")], ids=lambda p: p["id"]
)
def test_every_republished_copy_is_found(pair: dict[str, Any]) -> None:
    a, b = normalize_text(pair["a"]) or "", normalize_text(pair["b"]) or ""
    [(candidate, estimate, agree, copy)] = evaluate([(a, b)])
    assert candidate, f"{pair['id']}: not an LSH candidate"
    assert agree, f"{pair['id']}: figures disagree"
    assert copy, f"{pair['id']}: estimate {estimate:.2f}"


@pytest.mark.parametrize(
    "pair", [p for p in PAIRS if p["label"] == "different"], ids=lambda p: p["id"]
)
def test_no_different_story_merges(pair: dict[str, Any]) -> None:
    """Even as an LSH candidate, none reaches the threshold with figures that agree: a daily
    bulletin is as similar as a copy in words, but its figures are new."""
    a, b = normalize_text(pair["a"]) or "", normalize_text(pair["b"]) or ""
    [(_, estimate, agree, copy)] = evaluate([(a, b)])
    assert not copy
    if pair["kind"] == "bulletin":
        assert estimate > DEFAULT_THRESHOLD
        assert not agree
    else:
        assert estimate < DEFAULT_THRESHOLD


# ------------------------------------------------------------------------------ text


def test_comparison_key_ignores_spacing_zwnj_digits_and_letter_forms() -> None:
    assert comparison_key("شهرک‌های صنعتی ۴۰") == comparison_key("شهرک های صنعتي 40")
    assert comparison_key("شهرکهای صنعتی، ۴۰.") == comparison_key("شهرک‌های صنعتی ٤٠")
    assert comparison_key("شهرک‌های صنعتی") != comparison_key("شهرک‌های کشاورزی")


def test_comparison_key_is_its_definition() -> None:
    """The key removes first and folds after, in one pass: the same key as digits, letter
    forms and ZWNJ handled first, so shingle sets (and stored signatures) do not move."""

    def defined(text: str) -> str:
        text = to_latin_digits(text).translate(_FOLD).replace(ZWNJ, "")
        return re.sub(r"[\W_]+", "", text).lower()

    texts = [p[side] for p in PAIRS for side in ("a", "b")]
    texts += [normalize_text(text) or "" for text in texts]
    odd = "يىكةیکه۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩09_ \u200c\u200d،.!AİıßΣς\u0640\u064b\U0001d400ﻻ\n"
    rng = random.Random(1405)
    texts += ["".join(rng.choices(odd, k=rng.randint(0, 40))) for _ in range(2000)]
    for text in texts:
        assert comparison_key(text) == defined(text), text


def test_signature_is_stable_across_runs_and_machines() -> None:
    """Stored signatures must stay comparable: a numpy that changed them would silently split
    every story in an existing index."""
    sig = signature(normalize_text(PAIR["irna/relay"]["a"]) or "")
    assert sig is not None
    assert sig.shape == (NUM_PERM,)
    assert sig.dtype == np.uint16
    digest = hashlib.sha256(sig.astype("<u2").tobytes()).hexdigest()
    assert digest == SIGNATURE_DIGEST
    assert signature("  ،. ") is None


SIGNATURE_DIGEST = "7effe0d0834b470f00cfb786fcfe13f0f23eec3ffed3de5433d26a9bdf6d479c"


def reference_signature(text: str) -> npt.NDArray[np.uint16] | None:
    """The MinHash of :func:`signature` written out one distinct shingle at a time, in Python
    integers: the polynomial over the shingle's code points, MurmurHash3's 64-bit finalizer,
    and the least ``a * h + b`` modulo 2**32 per permutation."""
    pieces = shingles(text)
    if not pieces:
        return None
    mask = (1 << 64) - 1
    permutations = list(zip(_PERM_A[:, 0].tolist(), _PERM_B[:, 0].tolist(), strict=True))
    assert len(permutations) == NUM_PERM
    lows = np.full(NUM_PERM, 1 << 32, dtype=np.int64)
    for piece in pieces:
        chars = piece.decode()
        h = len(chars)
        for char in chars:
            h = (h * int(_BASE) + ord(char)) & mask
        h ^= h >> 33
        h = (h * 0xFF51AFD7ED558CCD) & mask
        h ^= h >> 33
        h = (h * 0xC4CEB9FE1A85EC53) & mask
        h ^= h >> 33
        h &= 0xFFFFFFFF
        values = [(a * h + b) & 0xFFFFFFFF for a, b in permutations]
        lows = np.minimum(lows, np.array(values, dtype=np.int64))
    return (lows & 0xFFFF).astype(np.uint16)


@pytest.mark.parametrize(
    "text",
    [
        PAIR["irna/relay"]["a"],
        PAIR["irna/condensed"]["b"],
        "شهرک‌های صنعتی",  # one shingle longer: 13 characters in the key
        "abcdefghi",  # exactly one shingle
        "ab ۱۲",  # shorter than a shingle: the whole key is one
        "تست تست تست تست تست تست",  # repeated shingles
        "𝐀𝐁𝐂𝐃𝐄𝐅𝐆𝐇𝐈𝐉 ﷲ",  # outside the BMP
    ],
)
def test_the_vectorized_signature_is_the_minhash_of_the_shingle_set(text: str) -> None:
    """All shingles hashed at once in numpy give the same values as one shingle at a time."""
    text = normalize_text(text) or text
    expected = reference_signature(text)
    assert expected is not None
    sig = signature(text)
    assert sig is not None
    assert np.array_equal(sig, expected)


def test_a_long_text_is_permuted_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    text = normalize_text(PAIR["irna/relay"]["a"]) or ""
    whole = signature(text)
    monkeypatch.setattr(minhash, "_BLOCK", 100)
    blocks = signature(text)
    assert whole is not None
    assert blocks is not None
    assert np.array_equal(whole, blocks)


def test_the_signature_similarity_tracks_the_exact_jaccard() -> None:
    """On every labelled pair the estimate is within 0.12 of the exact Jaccard similarity of
    the shingle sets (the standard error of 126 permutations is at most 0.045), and the mean
    error is small: broken hashing (pieces that collide, or windows that are not the shingles)
    or permutations that are not independent would show here."""
    errors = []
    for pair in PAIRS:
        a, b = normalize_text(pair["a"]) or "", normalize_text(pair["b"]) or ""
        sig_a, sig_b = signature(a), signature(b)
        assert sig_a is not None
        assert sig_b is not None
        sa, sb = shingles(a), shingles(b)
        exact = len(sa & sb) / len(sa | sb)
        estimate = similarity(sig_a, sig_b)
        assert abs(estimate - exact) < 0.12, (pair["id"], estimate, exact)
        errors.append(estimate - exact)
    assert abs(float(np.mean(errors))) < 0.01
    assert float(np.sqrt(np.mean(np.square(errors)))) < 0.04

    # Copies of one text with a growing share of it replaced: the whole range of similarity.
    words = (normalize_text(PAIR["irna/relay"]["a"]) or "").split()
    rng = random.Random(7)
    for share in (0.05, 0.2, 0.4, 0.6, 0.8):
        edited = [f"واژه{rng.randrange(10**6)}" if rng.random() < share else word for word in words]
        a, b = " ".join(words), " ".join(edited)
        sa, sb = shingles(a), shingles(b)
        exact = len(sa & sb) / len(sa | sb)
        sig_a, sig_b = signature(a), signature(b)
        assert sig_a is not None
        assert sig_b is not None
        assert abs(similarity(sig_a, sig_b) - exact) < 0.12, (share, exact)


def test_site_agencies_are_agency_codes() -> None:
    assert set(SITE_AGENCY.values()) <= set(AGENCIES)


def test_extraction_leaves_the_cluster_fields_empty() -> None:
    for fixture in all_fixtures():
        if fixture.kind == "article":
            record = article_record(fixture)
            assert record["cluster_id"] is None, fixture
            assert record["duplicate_of"] is None, fixture


# ------------------------------------------------------------------- the pipeline chain


def article(
    site: str, news_id: str, body: str, *, published_at: str = "2024-05-18T10:25:00+03:30"
) -> Article:
    """An article as extraction leaves it (``source_agency`` from the text)."""
    text = normalize_text(body) or ""
    return Article(
        id=f"{site}:{news_id}",
        site=site,
        url=f"https://{site}.example/news/{news_id}",
        canonical_url=f"https://{site}.example/news/{news_id}",
        news_id=news_id,
        title="عنوان",
        body=text,
        word_count=word_count(text),
        published_at=published_at,
        source_agency=detect_agency(text.split("\n")),
        content_hash=hashlib.sha256(match_key(text).encode()).hexdigest(),
    )


class Run:
    """One crawl: dedupe → syndication → store over a shared output and state folder."""

    def __init__(self, tmp_path: Path, spider: type[NewsSpider], **settings: Any) -> None:
        self.crawler = project_crawler(
            spider, NEWSCRAWLER_OUTPUT_DIR=str(tmp_path / "output"), **settings
        )
        self.crawler.spider = self.crawler._create_spider()
        self.dedupe = DedupePipeline.from_crawler(self.crawler)
        self.syndication = SyndicationPipeline.from_crawler(self.crawler)
        self.store = JsonlStorePipeline.from_crawler(self.crawler)
        self.syndication.open_spider()
        open_ledger(self.crawler)
        self.closed = False

    def process(self, item: Article) -> Article:
        """Through the chain; raises DropItem like Scrapy's pipeline manager would see it."""
        return self.store.process_item(
            self.syndication.process_item(self.dedupe.process_item(item))
        )

    def close(self, commit: bool = True) -> None:
        """End the run; ``commit=False`` is a kill before the output file was committed."""
        if self.closed:
            return
        self.closed = True
        if commit:  # Scrapy closes pipelines in reverse order
            self.store.close_spider()
        elif self.store.file is not None:
            self.store.file.close()
            self.store.file = None
        self.syndication.close_spider()
        close_ledger(self.crawler)

    def stat(self, key: str) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats.get_value(key)


@pytest.fixture
def start(tmp_path: Path, runs: list[Run]) -> Any:
    def start(spider: type[NewsSpider], **settings: Any) -> Run:
        run = Run(tmp_path, spider, **settings)
        runs.append(run)
        return run

    return start


def written(tmp_path: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in sorted((tmp_path / "output").glob("*/date=*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record
    return records


ORIGINAL = PAIR["irna/relay"]["a"]  # IRNA's Lia wastewater story
RELAYED = PAIR["irna/relay"]["b"]  # a regional relay: new credit, «منبع: ایرنا», no half-spaces
REWRITTEN = PAIR["irna/new-lead"]["b"]  # another copy: own lead, a paragraph cut, two swapped
OTHER_REPORT = PAIR["irna/other-report"]["b"]  # Tasnim's own report of the same opening


def test_copies_across_sites_and_runs_share_the_first_copy_as_cluster(
    start: Any, tmp_path: Path
) -> None:
    first = start(IrnaSpider)
    original = first.process(article("irna", "100", ORIGINAL))
    assert (original.cluster_id, original.duplicate_of) == ("irna:100", None)
    first.close()

    second = start(CafekhabarqazvinSpider)  # a new pipeline instance on the same state folder
    copy = second.process(article("cafekhabarqazvin", "7", RELAYED))
    assert (copy.cluster_id, copy.duplicate_of) == ("irna:100", "irna:100")
    assert copy.source_agency == "IRNA"
    assert second.stat("newscrawler/syndication/copies") == 1
    second.close()

    third = start(KhuzpressSpider)
    other = third.process(article("khuzpress", "9", REWRITTEN))
    report = third.process(article("khuzpress", "10", OTHER_REPORT))
    third.close()
    assert other.cluster_id == "irna:100"
    assert other.duplicate_of in {
        "irna:100",
        "cafekhabarqazvin:7",
    }
    assert (report.cluster_id, report.duplicate_of) == ("khuzpress:10", None)
    assert report.source_agency == "Tasnim"  # the text names it

    records = written(tmp_path)
    assert {r["cluster_id"] for r in records.values()} == {"irna:100", "khuzpress:10"}
    index = SyndicationIndex(tmp_path / "output" / ".state" / "syndication.sqlite")
    assert index.counts() == (4, 2)
    index.close()


def test_a_copy_in_the_same_run_points_at_the_pending_original(start: Any, tmp_path: Path) -> None:
    run = start(IrnaSpider, NEWSCRAWLER_FILE_MAX_ITEMS=1)  # every item commits a file
    run.process(article("irna", "100", ORIGINAL))
    copy = run.process(article("irna", "101", REWRITTEN))
    later = run.process(article("irna", "102", RELAYED))
    run.close()
    assert (copy.cluster_id, copy.duplicate_of) == ("irna:100", "irna:100")
    assert later.cluster_id == "irna:100"
    db = sqlite3.connect(tmp_path / "output" / ".state" / "syndication.sqlite")
    rows = db.execute(
        "SELECT a.article_id, c.article_id FROM articles a JOIN articles c ON c.doc = a.cluster"
    ).fetchall()
    db.close()
    assert sorted(rows) == [
        ("irna:100", "irna:100"),
        ("irna:101", "irna:100"),
        ("irna:102", "irna:100"),
    ]


def test_a_killed_run_leaves_no_cluster_member(start: Any, tmp_path: Path) -> None:
    killed = start(IrnaSpider)
    killed.process(article("irna", "100", ORIGINAL))
    killed.close(commit=False)  # the .part file never became visible: nobody received it

    second = start(CafekhabarqazvinSpider)
    copy = second.process(article("cafekhabarqazvin", "7", RELAYED))
    second.close()
    assert (copy.cluster_id, copy.duplicate_of) == ("cafekhabarqazvin:7", None)
    index = SyndicationIndex(tmp_path / "output" / ".state" / "syndication.sqlite")
    assert index.counts() == (1, 1)
    index.close()


def test_the_drop_setting_drops_copies_and_counts_them(start: Any) -> None:
    first = start(IrnaSpider)
    first.process(article("irna", "100", ORIGINAL))
    first.close()

    second = start(CafekhabarqazvinSpider, NEWSCRAWLER_SYNDICATION_DROP=True)
    with pytest.raises(DropItem, match=r"^syndicated: .* \(copy of irna:100, similarity 0\.\d\d\)"):
        second.process(article("cafekhabarqazvin", "7", RELAYED))
    report = second.process(article("cafekhabarqazvin", "8", OTHER_REPORT))  # not a copy: kept
    second.close()
    assert second.stat("newscrawler/dropped/syndicated") == 1
    assert report.duplicate_of is None

    third = start(KhuzpressSpider)
    later = third.process(article("khuzpress", "9", REWRITTEN))
    third.close()
    assert later.duplicate_of == "irna:100"  # the dropped copy was never indexed


def test_an_exact_copy_is_still_dropped_by_dedupe(start: Any) -> None:
    first = start(IrnaSpider)
    first.process(article("irna", "100", ORIGINAL))
    first.close()
    second = start(CafekhabarqazvinSpider)
    with pytest.raises(DropItem, match=r"^duplicate_body"):
        second.process(article("cafekhabarqazvin", "7", ORIGINAL))
    second.close()
    assert second.stat("newscrawler/syndication/copies") is None


def without_credit(text: str) -> str:
    """The body with its agency credit removed: a text that names no agency."""
    first, _, rest = text.partition("\n")
    return first.split("، ", 1)[1] + "\n" + rest


def test_source_agency_comes_from_the_earliest_published_member(start: Any) -> None:
    plain_original = without_credit(ORIGINAL)
    plain_copy = without_credit(REWRITTEN)
    assert detect_agency(plain_original.split("\n")) is None
    assert detect_agency((normalize_text(plain_copy) or "").split("\n")) is None

    # A regional copy is crawled first (published later), then the IRNA original.
    first = start(CafekhabarqazvinSpider)
    copy = first.process(
        article("cafekhabarqazvin", "7", plain_copy, published_at="2024-05-18T13:00:00+03:30")
    )
    first.close()
    assert (copy.cluster_id, copy.source_agency) == ("cafekhabarqazvin:7", None)

    second = start(IrnaSpider)
    original = second.process(
        article("irna", "100", plain_original, published_at="2024-05-18T10:25:00+03:30")
    )
    second.close()
    assert original.cluster_id == "cafekhabarqazvin:7"  # ids never change once delivered
    assert original.source_agency == "IRNA"  # its own site is the agency

    # A third copy: the story's earliest published member is IRNA's, whatever came first.
    third = start(TasnimSpider)
    later = third.process(
        article("tasnim", "5", without_credit(RELAYED), published_at="2024-05-19T08:00:00+03:30")
    )
    third.close()
    assert later.cluster_id == "cafekhabarqazvin:7"
    assert later.source_agency == "IRNA"


def test_the_agency_named_by_the_text_wins(start: Any) -> None:
    first = start(IrnaSpider)
    first.process(article("irna", "100", ORIGINAL))
    first.close()
    second = start(CafekhabarqazvinSpider)
    copy = second.process(
        article("cafekhabarqazvin", "7", "به گزارش ایسنا، " + without_credit(RELAYED))
    )
    second.close()
    assert copy.duplicate_of == "irna:100"
    assert copy.source_agency == "ISNA"


def test_a_new_version_keeps_its_story(start: Any) -> None:
    first = start(IrnaSpider)
    first.process(article("irna", "100", ORIGINAL))
    first.close()
    second = start(IrnaSpider)
    edited = second.process(article("irna", "100", ORIGINAL + "\nپاراگراف تازه‌ای افزوده شد."))
    second.close()
    assert edited.version == 2
    assert (edited.cluster_id, edited.duplicate_of) == ("irna:100", None)


def test_the_pipeline_can_be_disabled_and_the_threshold_set(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured

    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_SYNDICATION_ENABLED=False)
    with pytest.raises(NotConfigured):
        SyndicationPipeline.from_crawler(crawler)
    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_SYNDICATION_THRESHOLD="0.5")
    assert SyndicationPipeline.from_crawler(crawler).threshold == 0.5
    crawler = project_crawler(IrnaSpider, NEWSCRAWLER_SYNDICATION_THRESHOLD="1.5")
    with pytest.raises(ValueError, match="must be in"):
        SyndicationPipeline.from_crawler(crawler)


def test_an_index_built_with_other_parameters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "syndication.sqlite"
    SyndicationIndex(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '7' WHERE name = 'shingle'")
    db.commit()
    db.close()
    with pytest.raises(RuntimeError, match="other syndication parameters"):
        SyndicationIndex(path)


def test_an_index_of_the_sha1_signatures_is_refused(tmp_path: Path) -> None:
    """Signatures hashed with datasketch's SHA-1 (earlier versions) cannot be compared with
    these: an index recording that scheme is refused, not silently mixed."""
    path = tmp_path / "syndication.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    old = {**PARAMETERS, "minhash": "datasketch affine32 sha1_hash32, low 16 bits"}
    db.executemany("INSERT INTO meta VALUES (?, ?)", old.items())
    db.commit()
    db.close()
    with pytest.raises(RuntimeError, match="other syndication parameters"):
        SyndicationIndex(path)


def test_bulk_loaded_articles_are_found(tmp_path: Path) -> None:
    index = SyndicationIndex(tmp_path / "syndication.sqlite")
    sig = signature(normalize_text(ORIGINAL) or "")
    assert sig is not None
    noise = np.random.default_rng(0).integers(0, 1 << 16, size=(50, NUM_PERM), dtype=np.uint16)
    index.bulk_load(
        [f"irna:{n}" for n in range(51)], ["irna"] * 51, np.vstack([noise, sig[None, :]])
    )
    verdict = index.match("cafekhabarqazvin:7", "cafekhabarqazvin", normalize_text(RELAYED) or "")
    assert verdict.duplicate_of == "irna:50"
    assert verdict.similarity is not None
    assert verdict.similarity > 0.9
    assert similarity(sig, sig) == 1.0
    index.close()


# ------------------------------------------------------------------------- end to end


@pytest.mark.e2e
def test_demo_marks_the_republished_story(tmp_path: Path) -> None:
    """The offline demo serves an IRNA story that cafekhabarqazvin republishes with a new title
    and first sentence and a paragraph cut: both are written, one marked a copy of the other."""
    site_module = pytest.importorskip("tools.demo.site")
    (irna_site, irna_id), (cafe_site, cafe_id) = site_module.build_site().cases.republished
    result = subprocess.run(
        [sys.executable, "-m", "tools.demo", "--output", str(tmp_path / "output")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    records = written(tmp_path)
    original, copy = records[f"{irna_site}:{irna_id}"], records[f"{cafe_site}:{cafe_id}"]
    assert original["cluster_id"] == copy["cluster_id"]
    pointers = {original["duplicate_of"], copy["duplicate_of"]}
    assert pointers in ({None, original["id"]}, {None, copy["id"]})
    assert original["source_agency"] == copy["source_agency"] == "IRNA"
    assert all(r["cluster_id"] for r in records.values())
    # The demo composes its stories from a small pool of paragraphs (with fresh figures), so
    # two different demo stories often share half their words: the figures keep them apart.
    # A new republished case in the demo belongs in this set.
    marked = {r["id"] for r in records.values() if r["duplicate_of"]}
    assert marked <= {original["id"], copy["id"]}, sorted(marked)
