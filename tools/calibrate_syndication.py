"""Calibrate the syndication threshold on labelled pairs and print precision/recall per threshold.

    python -m tools.calibrate_syndication            # the table, the chosen threshold
    python -m tools.calibrate_syndication --pairs    # also every pair with its similarity

Pairs: ``tests/fixtures/_syndication/pairs.jsonl`` (``label`` ``same`` or ``different``; texts
as a page gives them, normalized here exactly as extraction normalizes a body). For each pair the
detector is the one the pipeline runs: LSH makes the two a candidate pair (they share a band),
the MinHash estimate of their similarity reaches the threshold, and their figures agree
(:func:`newscrawler.syndication.minhash.figures_agree`). The exact Jaccard similarity of the shingle
sets is shown beside the estimate.

The threshold is chosen for precision first (a false merge hides a story; a miss only counts
one twice): the lowest threshold, in steps of 0.01, that every labelled negative stays three
standard errors of the MinHash estimate below (``J + 3 * sqrt(J * (1 - J) / NUM_PERM)`` with
``J`` its exact Jaccard similarity), so that another pair as similar as the closest negative is
called a copy with a probability under 0.2 %, whether or not LSH makes it a candidate.
Negatives the figures check already rejects (daily bulletins) do not count. Recall is
whatever that threshold leaves, and the table shows it.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawler.persian.normalize import normalize_text
from newscrawler.syndication.minhash import BANDS, NUM_PERM, ROWS, SHINGLE, evaluate, shingles

PAIRS = Path(__file__).resolve().parent.parent / "tests/fixtures/_syndication/pairs.jsonl"


@dataclass(frozen=True)
class Scored:
    pair: dict[str, Any]
    candidate: bool
    estimate: float
    jaccard: float
    figures_agree: bool

    @property
    def same(self) -> bool:
        return bool(self.pair["label"] == "same")


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(pairs: list[dict[str, Any]]) -> list[Scored]:
    bodies = [(normalize_text(p["a"]) or "", normalize_text(p["b"]) or "") for p in pairs]
    results = evaluate(bodies, threshold=1.0)
    scored = []
    for pair, (a, b), (candidate, estimate, agree, _) in zip(pairs, bodies, results, strict=True):
        sa, sb = shingles(a), shingles(b)
        scored.append(Scored(pair, candidate, estimate, len(sa & sb) / len(sa | sb), agree))
    return scored


def metrics(
    scored: list[Scored], threshold: float, exact: bool = False, use_figures: bool = True
) -> dict[str, float]:
    """Precision, recall, F1 and counts of the detector at ``threshold`` (``exact``: with the
    exact Jaccard similarity; ``use_figures=False``: without the figures check)."""
    tp = fp = fn = 0
    for s in scored:
        similar = s.jaccard >= threshold if exact else s.candidate and s.estimate >= threshold
        called = similar and (s.figures_agree or not use_figures)
        tp += called and s.same
        fp += called and not s.same
        fn += not called and s.same
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def margin(jaccard: float) -> float:
    """Three standard errors of the MinHash estimate of a similarity of ``jaccard``."""
    return 3 * math.sqrt(jaccard * (1 - jaccard) / NUM_PERM)


def choose(scored: list[Scored]) -> tuple[float, Scored]:
    """The lowest threshold every negative stays :func:`margin` below (those the figures check
    rejects aside), and the negative that sets it."""
    negatives = [s for s in scored if not s.same and s.figures_agree]
    closest = max(negatives, key=lambda s: s.jaccard + margin(s.jaccard))
    bound = closest.jaccard + margin(closest.jaccard)
    return math.ceil(round(bound * 100, 6)) / 100, closest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", action="store_true", help="list every pair with its scores")
    args = parser.parse_args(argv)
    pairs = load_pairs()
    scored = score(pairs)
    kinds = Counter((p["label"], p["kind"]) for p in pairs)
    print(f"{len(pairs)} labelled pairs ({PAIRS.relative_to(PAIRS.parents[3])}):")
    for (label, kind), n in sorted(kinds.items()):
        print(f"  {label:<9} {kind:<12} {n}")
    print(
        f"detector: {SHINGLE}-character shingles, MinHash {NUM_PERM} permutations, "
        f"LSH {BANDS} bands x {ROWS} rows"
    )
    print()
    print("similarity range per kind (MinHash estimate / exact Jaccard):")
    for (label, kind), _ in sorted(kinds.items()):
        group = [s for s in scored if (s.pair["label"], s.pair["kind"]) == (label, kind)]
        est = sorted(s.estimate for s in group)
        exact = sorted(s.jaccard for s in group)
        missed = sum(not s.candidate for s in group)
        vetoed = sum(not s.figures_agree for s in group)
        print(
            f"  {label:<9} {kind:<12} estimate {est[0]:.2f}–{est[-1]:.2f}  "
            f"exact {exact[0]:.2f}–{exact[-1]:.2f}  not LSH candidates: {missed:>2}  "
            f"figures disagree: {vetoed}"
        )
    print()
    print("threshold  precision  recall   F1     TP  FP  FN  | exact: P      R     | no figures: P")
    print("  (a copy: LSH candidate, estimate >= threshold, figures agree; 'exact': the exact")
    print(
        "   Jaccard similarity instead of LSH and the estimate; 'no figures': without that check)"
    )
    chosen, closest = choose(scored)
    for t in sorted({round(0.05 * i, 2) for i in range(1, 20)} | {chosen}):
        m, e = metrics(scored, t), metrics(scored, t, exact=True)
        n = metrics(scored, t, use_figures=False)
        print(
            f"  {t:.2f}     {m['precision']:.3f}     {m['recall']:.3f}   {m['f1']:.3f}  "
            f"{m['tp']:>3} {m['fp']:>3} {m['fn']:>3}  |        {e['precision']:.3f}  "
            f"{e['recall']:.3f} |             {n['precision']:.3f}"
        )
    m = metrics(scored, chosen)
    print()
    print(
        f"closest negative: {closest.pair['id']} ({closest.pair['kind']}), exact Jaccard "
        f"{closest.jaccard:.3f} + 3 standard errors {margin(closest.jaccard):.3f}"
    )
    print(
        f"chosen threshold: {chosen:.2f}: precision {m['precision']:.3f}, recall "
        f"{m['recall']:.3f} ({m['tp']} of {m['tp'] + m['fn']} copies found, "
        f"{m['fp']} false merges)"
    )
    misses = [s for s in scored if s.same and not (s.candidate and s.estimate >= chosen)]
    for s in misses:
        print(f"  missed: {s.pair['id']} ({s.pair['kind']}, estimate {s.estimate:.2f})")
    if args.pairs:
        print()
        for s in sorted(scored, key=lambda s: s.estimate):
            print(
                f"  {s.estimate:.2f} {s.jaccard:.2f} {'cand' if s.candidate else '----'} "
                f"{'fig' if s.figures_agree else '---'} "
                f"{s.pair['label']:<9} {s.pair['kind']:<12} {s.pair['id']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
