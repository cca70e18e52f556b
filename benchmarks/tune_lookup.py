"""How the ranker's weights and the lookup's thresholds were chosen: a grid search on the dev queries and
the vocabulary list only (ms_ref/examples.tsv, tests/eval/vocabulary.tsv). The held-out test part is
never read here.

    python -m benchmarks.tune_lookup            # best settings found, with their dev and vocabulary figures

A setting scores its right answers less FALSE_COST for each answer to an out-of-scope dev query; the best
score wins. Print only: copy the winners into ms_ref/rank.py
and ms_ref/lookup.py by hand, then check benchmarks/lookup_eval.py.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The grid the shipped settings were chosen on (about four minutes on two cores). Earlier, wider searches
# fixed the weights listed with one value; each grid below holds the shipped value.
RANK_GRID = {
    "COVER_POWER": [2.0],
    "PHRASE_FLOOR": [0.4],
    "FILLER_WEIGHT": [0.5],
    "EVERYDAY_MATCHED": [0.5],
    "SUMMARY": [0.6],
    "WEAK_FACTOR": [0.6],
    "SYNONYM_DISCOUNT": [0.5],
    "CONCEPT_DISCOUNT": [0.5],
    "GROUP_UNMATCHED": [0.2],
    "LONE_FACTOR": [0.6],
    "SPREAD": [0.6, 0.7],
    "VECTOR_POWER": [1.0, 1.5],
    "VECTOR_PIVOT": [0.55, 0.6, 0.65],
}
# An answer to a query outside MS costs as much as this many right answers.
FALSE_COST = 4
THRESHOLD_GRID = {
    "ANSWER": [0.35, 0.4, 0.45],
    "MARGIN": [0.8, 0.9],
    "ANSWER_LOW": [0.15, 0.2, 0.25],
    "RATIO_LOW": [0.4, 0.5],
    "LISTED": [0.35, 0.45],
    "NEAR": [0.75, 0.85],
    "ANSWER_MULTI": [0.05, 0.1, 0.15, 0.25],
    "RATIO_MULTI": [0.4, 0.6],
    "ANSWER_NAMED": [0.1],
    "RATIO_NAMED": [0.25],
    "ANSWER_SENTENCE": [0.05, 0.1, 0.15, 0.2],
    "RATIO_SENTENCE": [0.4, 0.5, 0.6],
}


def queries() -> list[tuple[str, str]]:
    from benchmarks.lookup_eval import DEV, load_queries

    rows = [(query, expected) for query, expected, _kind in load_queries(DEV)]
    vocabulary = ROOT / "tests" / "eval" / "vocabulary.tsv"
    for line in vocabulary.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "term\t")) or not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) >= 6 and cells[3] == "in" and cells[5].strip():
            rows.append((cells[0], cells[5].strip()))
    return list(dict.fromkeys(rows))


def right(ids: list[str], ambiguous: bool, expected: str) -> bool:
    if expected == "-":
        return not ids
    if expected.startswith("?"):
        return ambiguous and set(expected[1:].split(",")) <= set(ids)
    return ids == [expected]


def main() -> int:
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    from ms_ref import lookup, rank
    from ms_ref.store import load_knowledge_base

    kb = load_knowledge_base()
    rows = queries()
    # Which queries reach the ranker, and what the later tiers answer when it declines.
    reaching: list[tuple[str, str, list[str]]] = []
    settled = 0
    original = lookup._ranked
    for query, expected in rows:
        reached: list[bool] = []

        def spy(_kb: object, _words: list[str], reached: list[bool] = reached) -> None:
            reached.append(True)

        lookup._ranked = spy  # type: ignore[assignment]
        result = lookup.resolve_query(kb, query)
        lookup._ranked = original
        if reached:
            reaching.append((query, expected, list(result["ids"])))
        else:
            settled += right(list(result["ids"]), result["match"] == "ambiguous", expected)
    print(f"{len(rows)} queries; {len(rows) - len(reaching)} settled before the ranker ({settled} right)")
    # Out-of-scope queries the later tiers answer whatever the ranker does (a fuzzy near-name) are not the
    # ranker's doing; a setting may add no others.
    floor = sum(1 for _query, expected, fallback in reaching if expected == "-" and fallback)
    print(f"{floor} out-of-scope queries answered by the tiers after the ranker")
    best: tuple[int, dict[str, float]] | None = None
    for values in itertools.product(*RANK_GRID.values()):
        setting = dict(zip(RANK_GRID, values))
        for name in ("COVER_POWER", "PHRASE_FLOOR", "FILLER_WEIGHT", "EVERYDAY_MATCHED", "WEAK_FACTOR", "SYNONYM_DISCOUNT",
                     "CONCEPT_DISCOUNT", "GROUP_UNMATCHED", "LONE_FACTOR", "SPREAD", "VECTOR_POWER", "VECTOR_PIVOT"):
            setattr(rank, name, setting[name])
        rank.FIELD_WEIGHT[rank.SUMMARY] = setting["SUMMARY"]
        ranker = rank.Ranker(kb)
        scored = [
            (expected, fallback, ranker.score(words), len(words))
            for query, expected, fallback in reaching
            for words in [rank.stopped(kb, lookup.query_words(kb, query[:500])[0])]
        ]
        for thresholds in itertools.product(*THRESHOLD_GRID.values()):
            chosen = dict(zip((name.lower() for name in THRESHOLD_GRID), thresholds))
            if chosen["listed"] > chosen["answer"] or chosen["answer_low"] > chosen["answer"]:
                continue
            good, false = 0, 0
            for expected, fallback, ranked, length in scored:
                found = lookup.choose(ranked, length, **chosen)
                ids, ambiguous = (found, len(found) > 1) if found else (fallback, len(fallback) > 1)
                good += right(ids, ambiguous, expected)
                false += expected == "-" and bool(ids)
            key = good - FALSE_COST * max(false - floor, 0)
            if best is None or key > best[0]:
                best = (key, {**setting, **dict(zip(THRESHOLD_GRID, thresholds))})
                print(f"  {settled + good}/{len(rows)} right, {false - floor} false: {best[1]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
