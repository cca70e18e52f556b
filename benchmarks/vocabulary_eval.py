"""How much of the vocabulary people with MS meet msref explains: tests/eval/vocabulary.tsv holds the terms
public MS glossaries define; each in-scope term is looked up as `msref explain` would.

    python -m benchmarks.vocabulary_eval            # coverage, and the terms missed
    python -m benchmarks.vocabulary_eval --seed     # also the MS words of the seed text

A term counts as covered when the lookup answers its expected entry (for a word that names several
entries, when it lists them). A term with no expected entry is a miss: msref has no entry for it yet.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "tests" / "eval" / "vocabulary.tsv"

# The words of the seed text (the text msref grew from) that name an MS concept, and the entry for each.
SEED_WORDS = {
    "multiple sclerosis": "multiple-sclerosis", "MS": "multiple-sclerosis", "autoimmune disease": "autoimmunity",
    "central nervous system": "central-nervous-system", "CNS": "central-nervous-system",
    "immune system": "immune-system", "myelin sheath": "myelin", "nerve fibers": "axon",
    "demyelination": "demyelination", "genetic factors": "genetics", "environmental factors": "environmental-factors",
    "inflammation": "inflammation", "fatigue": "fatigue", "difficulty walking": "walking-impairment",
    "muscle stiffness": "spasticity", "vision problems": "vision-problems", "T-cells": "t-cell", "B-cells": "b-cell",
    "lesions": "lesion", "magnetic resonance imaging": "mri", "MRI": "mri", "relapses": "relapse",
    "disease progression": "worsening", "disease-modifying therapies": "dmt", "DMTs": "dmt",
    "interferon beta": "interferon-beta", "glatiramer acetate": "glatiramer-acetate",
    "monoclonal antibodies": "monoclonal-antibody", "natalizumab": "natalizumab", "ocrelizumab": "ocrelizumab",
    "symptomatic treatments": "symptomatic", "muscle spasms": "muscle-spasms", "bladder issues": "bladder-dysfunction",
    "baclofen": "baclofen", "muscle spasticity": "spasticity", "amantadine": "amantadine",
    "rehabilitation therapies": "rehabilitation", "physical therapy": "physiotherapy",
    "occupational therapy": "occupational-therapy", "speech therapy": "speech-and-swallowing-therapy",
    "stem cell therapy": "stem-cell", "complementary therapies": "complementary", "acupuncture": "acupuncture",
    "yoga": "yoga", "mindfulness": "mindfulness", "stress": "stress", "clinical trials": "clinical-trial",
    "disabilities": "disability", "disease-modifying therapies (DMTs)": "dmt",
}


def load(path: Path = VOCABULARY) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def in_scope_terms(rows: list[dict[str, str]]) -> dict[str, str]:
    """Each distinct in-scope term and its expected entry ('' when msref has none)."""
    terms: dict[str, str] = {}
    for row in rows:
        if row["scope"] == "in":
            terms.setdefault(row["term"], row["expected"])
    return terms


def judge(result: dict[str, object], expected: str) -> bool:
    ids = list(result["ids"])  # type: ignore[call-overload]
    if not expected:
        return False
    if expected.startswith("?"):
        return result["match"] == "ambiguous" and set(expected[1:].split(",")) <= set(ids)
    return ids == [expected]


def coverage(kb: object, terms: dict[str, str]) -> tuple[float, list[tuple[str, str, list[str]]]]:
    from ms_ref.lookup import resolve_query

    misses = []
    for term, expected in terms.items():
        result = resolve_query(kb, term)  # type: ignore[arg-type]
        if not judge(result, expected):  # type: ignore[arg-type]
            misses.append((term, expected, list(result["ids"])[:4]))
    return (len(terms) - len(misses)) / len(terms), misses


def main(argv: list[str]) -> int:
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    from ms_ref.store import load_knowledge_base

    kb = load_knowledge_base()
    rows = load()
    terms = in_scope_terms(rows)
    out = sum(row["scope"] == "out" for row in rows)
    glossaries = len({row["glossary"] for row in rows})
    print(f"vocabulary: {len(rows)} rows from {glossaries} glossaries; {len(terms)} distinct in-scope terms; "
          f"{out} rows out of scope ({out / len(rows):.1%})")
    share, misses = coverage(kb, terms)
    print(f"answered with the right entry: {share:.1%}")
    for term, expected, got in misses:
        print(f"  miss {term!r}: expected {expected or '(no entry)'}, got {got}")
    if "--seed" in argv:
        share, misses = coverage(kb, SEED_WORDS)
        print(f"seed-text words answered: {share:.1%} of {len(SEED_WORDS)}")
        for term, expected, got in misses:
            print(f"  miss {term!r}: expected {expected}, got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
