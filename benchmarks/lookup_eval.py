"""How well `msref explain` finds what people type, on two sets of queries kept apart:

    ms_ref/examples.tsv          the dev part: the lookup is tuned on it (its misses are printed); msref
                                 also compares a sentence with these queries (ms_ref.confidence), so each
                                 author's part of it is measured with the other authors' examples only
    tests/eval/queries_test.tsv  the held-out test part: written by someone else before the lookup was
                                 changed, and never tuned on; only its figures are printed
    tests/eval/queries_test2.tsv a second held-out batch, written by two further authors before the
                                 next round of changes; only its figures are printed
    tests/eval/queries_test3.tsv a third held-out batch, written after that round; only its figures are
                                 printed
    tests/eval/queries_test4.tsv a fourth held-out batch (320 queries), written before the last change;
                                 only its figures are printed
    tests/eval/queries_test5.tsv a fifth held-out batch (320 queries, 100 everyday descriptions),
                                 written before treatments had everyday phrases; only its figures are printed
    tests/eval/queries_test6.tsv a sixth held-out batch (320 queries across every category), written before
                                 glossary entries beyond symptoms had many everyday phrases; only its
                                 figures are printed
    tests/eval/queries_test7.tsv a seventh held-out batch (320 queries), written after that round, so that
                                 it measures the lookup as it then stood; only its figures are printed
    tests/eval/queries_test8.tsv an eighth held-out batch (320 queries), written before the next round of
                                 changes; only its figures are printed
    tests/eval/queries_test9.tsv a ninth held-out batch (320 queries), written after that round, so that it
                                 measures the lookup as it then stood; only its figures are printed
    tests/eval/queries_test10.tsv a tenth held-out batch (320 queries), written before the next round of
                                 changes; only its figures are printed
    tests/eval/queries_test11.tsv an eleventh held-out batch (320 queries), by an author whose brief gave
                                 no example sentences, written before the next round of changes; only its
                                 figures are printed
    tests/eval/queries_test12.tsv to queries_test21.tsv: ten further held-out batches (320 queries each),
                                 each by a further author, written before a round of changes; only their
                                 figures are printed

    python -m benchmarks.lookup_eval                # both parts: accuracy, false answers, per kind
    python -m benchmarks.lookup_eval --compare      # also difflib vs rapidfuzz for the typo tier (dev part)
    python -m benchmarks.lookup_eval --dev          # the dev part only, while tuning

Top-1 accuracy counts a query as right when msref answers the expected entry, lists the expected
candidates for an ambiguous query, or answers nothing for a query outside MS. The false-answer rate is
the share of out-of-scope queries (other diseases, other drugs, nonsense, other meanings of MS) that got
an answer.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "ms_ref" / "examples.tsv"
TEST = ROOT / "tests" / "eval" / "queries_test.tsv"
TEST2 = ROOT / "tests" / "eval" / "queries_test2.tsv"
TEST3 = ROOT / "tests" / "eval" / "queries_test3.tsv"
TEST4 = ROOT / "tests" / "eval" / "queries_test4.tsv"
TEST5 = ROOT / "tests" / "eval" / "queries_test5.tsv"
TEST6 = ROOT / "tests" / "eval" / "queries_test6.tsv"
TEST7 = ROOT / "tests" / "eval" / "queries_test7.tsv"
TEST8 = ROOT / "tests" / "eval" / "queries_test8.tsv"
TEST9 = ROOT / "tests" / "eval" / "queries_test9.tsv"
TEST10 = ROOT / "tests" / "eval" / "queries_test10.tsv"
TEST11 = ROOT / "tests" / "eval" / "queries_test11.tsv"
TEST12 = ROOT / "tests" / "eval" / "queries_test12.tsv"
TEST13 = ROOT / "tests" / "eval" / "queries_test13.tsv"
TEST14 = ROOT / "tests" / "eval" / "queries_test14.tsv"
TEST15 = ROOT / "tests" / "eval" / "queries_test15.tsv"
TEST16 = ROOT / "tests" / "eval" / "queries_test16.tsv"
TEST17 = ROOT / "tests" / "eval" / "queries_test17.tsv"
TEST18 = ROOT / "tests" / "eval" / "queries_test18.tsv"
TEST19 = ROOT / "tests" / "eval" / "queries_test19.tsv"
TEST20 = ROOT / "tests" / "eval" / "queries_test20.tsv"
TEST21 = ROOT / "tests" / "eval" / "queries_test21.tsv"
# Each held-out batch with the name its figures are printed under.
HELD_OUT = (
    (TEST, "test part (held out)"),
    (TEST2, "second held-out batch"),
    (TEST3, "third held-out batch"),
    (TEST4, "fourth held-out batch"),
    (TEST5, "fifth held-out batch"),
    (TEST6, "sixth held-out batch"),
    (TEST7, "seventh held-out batch"),
    (TEST8, "eighth held-out batch"),
    (TEST9, "ninth held-out batch"),
    (TEST10, "tenth held-out batch"),
    (TEST11, "eleventh held-out batch"),
    (TEST12, "twelfth held-out batch"),
    (TEST13, "thirteenth held-out batch"),
    (TEST14, "fourteenth held-out batch"),
    (TEST15, "fifteenth held-out batch"),
    (TEST16, "sixteenth held-out batch"),
    (TEST17, "seventeenth held-out batch"),
    (TEST18, "eighteenth held-out batch"),
    (TEST19, "nineteenth held-out batch"),
    (TEST20, "twentieth held-out batch"),
    (TEST21, "twenty-first held-out batch"),
)


def load_queries(path: Path = DEV) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, expected, kind = line.split("\t")[:3]
            rows.append((query, expected.strip(), kind.strip()))
    return rows


def dev_parts(path: Path = DEV) -> dict[int, list[tuple[str, str, str]]]:
    """The dev queries by author's part (ms_ref.confidence.read_rows): part number -> its queries."""
    from ms_ref.confidence import read_rows

    parts: dict[int, list[tuple[str, str, str]]] = {}
    for query, expected, kind, part in read_rows(str(path)):
        parts.setdefault(part, []).append((query, expected, kind))
    return parts


def evaluate_dev(kb: object, path: Path = DEV) -> dict[str, object]:
    """evaluate() on the dev part, each author's part compared with the other parts' examples only (as a
    query by a new author is compared with all of them); the second look's models are fitted on every part."""
    from ms_ref.confidence import LEAVE_OUT, examples_without, read_examples
    from ms_ref.rank import ranker

    examples = read_examples(str(path))
    medicines = ranker(kb).medicines  # type: ignore[arg-type]
    reports = []
    try:
        for number, part in dev_parts(path).items():
            LEAVE_OUT[:] = [examples_without(examples, number, medicines)]
            reports.append(evaluate(kb, part))
    finally:
        LEAVE_OUT.clear()
    return _merged(reports)


def _merged(reports: list[dict[str, object]]) -> dict[str, object]:
    queries = sum(int(r["queries"]) for r in reports)  # type: ignore[call-overload]
    outside = sum(int(r["out_of_scope"]) for r in reports)  # type: ignore[call-overload]
    misses = [miss for r in reports for miss in r["misses"]]  # type: ignore[attr-defined]
    false = sum(1 for miss in misses if miss[1] == "-")
    kinds: dict[str, list[int]] = {}
    for r in reports:
        for kind, (right, total) in r["kinds"].items():  # type: ignore[attr-defined]
            tally = kinds.setdefault(kind, [0, 0])
            tally[0] += right
            tally[1] += total
    return {
        "queries": queries,
        "accuracy": (queries - len(misses)) / queries,
        "out_of_scope": outside,
        "false_answer_rate": false / outside if outside else 0.0,
        "kinds": kinds,
        "misses": misses,
    }


def unseen_test(dev: list[tuple[str, str, str]], test: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The held-out queries the dev part does not also hold (the two were written apart, and share some)."""
    seen = {query.casefold() for query, _expected, _kind in dev}
    return [row for row in test if row[0].casefold() not in seen]


def judge(result: dict[str, object], expected: str) -> bool:
    ids = list(result["ids"])  # type: ignore[call-overload]
    if expected == "-":
        return not ids
    if expected.startswith("?"):
        return result["match"] == "ambiguous" and set(expected[1:].split(",")) <= set(ids)
    return ids == [expected]


def evaluate(kb: object, rows: list[tuple[str, str, str]]) -> dict[str, object]:
    from ms_ref.lookup import resolve_query

    misses = []
    out_of_scope = [row for row in rows if row[1] == "-"]
    false_answers = []
    kinds: dict[str, list[int]] = {}
    for query, expected, kind in rows:
        result = resolve_query(kb, query)  # type: ignore[arg-type]
        right = judge(result, expected)  # type: ignore[arg-type]
        tally = kinds.setdefault(kind, [0, 0])
        tally[0] += right
        tally[1] += 1
        if not right:
            misses.append((query, expected, kind, result["ids"], result["match"]))
            if expected == "-":
                false_answers.append(query)
    return {
        "queries": len(rows),
        "accuracy": (len(rows) - len(misses)) / len(rows),
        "out_of_scope": len(out_of_scope),
        "false_answer_rate": len(false_answers) / len(out_of_scope) if out_of_scope else 0.0,
        "kinds": kinds,
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


def _typo_tier_comparison(kb: object, rows: list[tuple[str, str, str]]) -> None:
    """The whole lookup with its typo tier done by rapidfuzz, by pure Python, and by difflib."""
    from ms_ref import lookup

    original = lookup.closest_keys
    for name, matcher in (("rapidfuzz", original), ("python", _python_closest), ("difflib", _difflib_closest)):
        lookup.closest_keys = matcher  # type: ignore[assignment]
        started = time.perf_counter()
        report = evaluate(kb, rows)
        per_query = (time.perf_counter() - started) / len(rows) * 1000
        print(f"  {name:9}  accuracy {report['accuracy']:.1%}, false answers {report['false_answer_rate']:.1%}, "
              f"{per_query:.2f} ms per query on average")
    lookup.closest_keys = original  # type: ignore[assignment]
    for module in ("rapidfuzz.process, rapidfuzz.distance", "difflib"):
        code = f"import time; t=time.perf_counter(); import {module}; print((time.perf_counter()-t)*1000)"
        took = os.popen(f'"{sys.executable}" -c "{code}"').read().strip()
        print(f"  import {module}: {float(took):.1f} ms")


def _report(name: str, report: dict[str, object], show_misses: bool) -> None:
    print(f"{name}: {report['queries']} queries ({report['out_of_scope']} outside MS or nonsense)")
    print(f"  top-1 accuracy: {report['accuracy']:.1%}")
    print(f"  false-answer rate: {report['false_answer_rate']:.1%}")
    kinds: dict[str, list[int]] = report["kinds"]  # type: ignore[assignment]
    print("  by kind: " + ", ".join(f"{k} {right}/{total}" for k, (right, total) in sorted(kinds.items())))
    if show_misses:
        for query, expected, kind, ids, match in report["misses"]:  # type: ignore[attr-defined]
            print(f"  miss [{kind}] {query!r}: expected {expected}, got {match} {ids[:6]}")


def main(argv: list[str]) -> int:
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    from ms_ref.store import load_knowledge_base

    kb = load_knowledge_base()
    dev = load_queries(DEV)
    _report("dev part (tuned on; each author's part with the others' examples)", evaluate_dev(kb), show_misses=True)
    for path, label in HELD_OUT:
        if path.is_file() and "--dev" not in argv:
            batch = load_queries(path)
            _report(label, evaluate(kb, batch), show_misses=False)
            _report(f"{label}, without the queries the dev part also has", evaluate(kb, unseen_test(dev, batch)),
                    show_misses=False)
    if "--compare" in argv:
        print("typo tier (dev part):")
        _typo_tier_comparison(kb, dev)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
