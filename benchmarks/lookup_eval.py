"""How well `msref explain` finds what people type, on tests/eval/queries.tsv.

    python -m benchmarks.lookup_eval            # accuracy, false answers, misses
    python -m benchmarks.lookup_eval --compare  # also difflib vs rapidfuzz for the typo tier

Top-1 accuracy counts a query as right when msref answers the expected entry, lists the expected
candidates for an ambiguous query, or answers nothing for a query outside MS. The false-answer rate is
the share of out-of-scope queries (other diseases, other drugs, nonsense) that got an answer.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "eval" / "queries.tsv"


def load_queries(path: Path = QUERIES) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected, kind = line.split("\t")
            rows.append((query, expected, kind))
    return rows


def judge(result: dict[str, object], expected: str) -> bool:
    ids = list(result["ids"])  # type: ignore[call-overload]
    if expected == "-":
        return not ids
    if expected.startswith("?"):
        return result["match"] == "ambiguous" and set(expected[1:].split(",")) <= set(ids)
    return ids == [expected]


def evaluate(kb: dict[str, object], rows: list[tuple[str, str, str]]) -> dict[str, object]:
    from ms_ref.search import resolve_query

    misses = []
    out_of_scope = [row for row in rows if row[1] == "-"]
    false_answers = []
    for query, expected, kind in rows:
        result = resolve_query(kb, query)
        if not judge(result, expected):
            misses.append((query, expected, kind, result["ids"], result["match"]))
            if expected == "-":
                false_answers.append(query)
    return {
        "queries": len(rows),
        "accuracy": (len(rows) - len(misses)) / len(rows),
        "out_of_scope": len(out_of_scope),
        "false_answer_rate": len(false_answers) / len(out_of_scope) if out_of_scope else 0.0,
        "misses": misses,
    }


def _osa(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, pure Python, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _python_closest(phrase: str, keys: list[str], allowed: int) -> list[tuple[str, int]]:
    found = [(key, _osa(phrase, key, allowed)) for key in keys]
    return [(key, d) for key, d in found if d <= allowed]


def _difflib_closest(phrase: str, keys: list[str], allowed: int) -> list[tuple[str, int]]:
    import difflib

    return [(key, 1) for key in difflib.get_close_matches(phrase, keys, n=3, cutoff=0.8)]


def _typo_tier_comparison(kb: dict[str, object], rows: list[tuple[str, str, str]]) -> None:
    """The whole lookup with its typo tier done by rapidfuzz, by pure Python, and by difflib."""
    from ms_ref import search

    original = search.closest_keys
    for name, matcher in (("rapidfuzz", original), ("python", _python_closest), ("difflib", _difflib_closest)):
        search.closest_keys = matcher
        started = time.perf_counter()
        report = evaluate(kb, rows)
        typo_queries = [q for q, _e, _k in rows if search.resolve_query(kb, q)["match"] in ("fuzzy", "none")]
        per_query = (time.perf_counter() - started) / len(rows) * 1000
        print(f"  {name:9}  accuracy {report['accuracy']:.1%}, false answers {report['false_answer_rate']:.1%}, "
              f"{per_query:.2f} ms per query on average ({len(typo_queries)} reach the typo tier)")
    search.closest_keys = original
    for module in ("rapidfuzz.process, rapidfuzz.distance", "difflib"):
        code = f"import time; t=time.perf_counter(); import {module}; print((time.perf_counter()-t)*1000)"
        took = os.popen(f'"{sys.executable}" -c "{code}"').read().strip()
        print(f"  import {module}: {float(took):.1f} ms")


def main(argv: list[str]) -> int:
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    from ms_ref.loader import load_knowledge_base

    kb = load_knowledge_base()
    rows = load_queries()
    report = evaluate(kb, rows)
    print(f"queries: {report['queries']} ({report['out_of_scope']} outside MS or nonsense)")
    print(f"top-1 accuracy: {report['accuracy']:.1%}")
    print(f"false-answer rate: {report['false_answer_rate']:.1%}")
    for query, expected, kind, ids, match in report["misses"]:  # type: ignore[misc]
        print(f"  miss [{kind}] {query!r}: expected {expected}, got {match} {ids[:6]}")
    if "--compare" in argv:
        print("typo tier:")
        _typo_tier_comparison(kb, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
