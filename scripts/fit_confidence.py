"""Write ms_ref/confidence.txt: the models of msref's second look at a sentence (ms_ref.confidence).

The models are fitted on the development queries only (ms_ref/examples.tsv); the held-out batches
are never read here. "answer" reads the candidates it weighs (ms_ref.confidence.candidates) of the dev
sentences that the lookup's thresholds decline (a row is positive when
the candidate is the query's entry; a query's answer is its likeliest candidate); "veto" reads the
sentences the thresholds answer with their best candidate that the veto may read
(ms_ref.confidence.vetoable: no medicine the query names, no "MS", not just an everyday phrase of the
entry; a row is positive when the query is outside MS). A query outside MS answered costs FALSE_COST right
answers, a wrong answer one. FIT_TABLE=1 prints the left-out figures of every setting.

The regularisation and the threshold are chosen by leaving out one author's part of the dev file at a time
(the parts are the blocks that begin "# Added"): the model is fitted on the other parts and scored on the
one left out, so a setting is chosen for how it does on queries written by someone it has not read; a
threshold is valued with its two neighbours, so a lone lucky peak is not chosen. The model written is then
fitted on every part with the chosen setting. A query is compared with the examples of the other authors'
parts only (ms_ref.confidence.Examples), as a query by a new author is compared with all of them.

    python -m venv /tmp/fit && /tmp/fit/bin/pip install -e . scikit-learn
    /tmp/fit/bin/python scripts/fit_confidence.py

Run again when the knowledge base, the word vectors, the ranker or the dev queries change;
benchmarks/lookup_eval.py then gives the figures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "ms_ref" / "confidence.txt"
FALSE_COST = 4  # as benchmarks/tune_lookup.py
WRONG_COST = 1
SETTINGS = (0.3, 1.0, 3.0, 10.0)  # inverse regularisation strengths tried
THRESHOLDS = tuple(round(0.3 + 0.025 * n, 3) for n in range(27))  # 0.3 .. 0.95


class Rows:
    """The rows of one model: inputs, labels (1: what the model says yes to), parts, and for each row whether
    the query is outside MS and whether the best candidate is its entry."""

    def __init__(self) -> None:
        self.inputs: list[list[float]] = []
        self.labels: list[int] = []
        self.groups: list[int] = []
        self.outside: list[bool] = []
        self.right: list[bool] = []
        self.queries: list[int] = []  # the query a row is of: "answer" has a row per candidate

    def add(self, row: list[float], label: bool, part: int, outside: bool, right: bool, query: int) -> None:
        self.inputs.append(row)
        self.labels.append(1 if label else 0)
        self.groups.append(part)
        self.outside.append(outside)
        self.right.append(right)
        self.queries.append(query)


def datasets() -> tuple[Rows, Rows]:
    """The rows of the two models from the dev queries of three words or more with a candidate: "answer",
    those the thresholds decline (yes: the candidate is right); "veto", those they answer that it may read
    (vetoable; yes: the query is outside MS)."""
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    sys.path.insert(0, str(ROOT))
    from ms_ref import lookup
    from ms_ref.confidence import (
        LEAVE_OUT,
        candidates,
        features,
        read_examples,
        sentence,
        vetoable,
        with_voted,
    )
    from ms_ref.rank import ranker, stopped
    from ms_ref.store import load_knowledge_base

    lookup.SECOND_LOOK = False
    kb = load_knowledge_base()
    ranking = ranker(kb)
    answer, veto = Rows(), Rows()
    rows = read_examples()
    for number, (query, expected, part) in enumerate(rows):
        LEAVE_OUT[:] = [others(rows, part, ranking.medicines)]
        found = lookup.resolve_query(kb, query)
        # As the lookup reads them before its ranker (ms_ref.lookup.resolve_query).
        words = stopped(kb, lookup.query_words(kb, query[:500])[0])
        if not sentence(words):
            continue
        scored = ranking.score(words)
        outside = expected == "-"
        if not found["ids"]:
            ranked = with_voted(ranking, words, scored)
            for pick in candidates(ranking, words, ranked):
                row = features(ranking, words, ranked, pick)
                right = ranked[pick][0] == expected
                if row is not None:
                    answer.add(row, right, part, outside, right, number)
        elif scored and scored[0][2] >= 1 and (
            found["match"] == "ranked" and found["ids"] == [scored[0][0]] and vetoable(ranking, words, scored)
        ):
            row = features(ranking, words, scored)
            if row is not None:
                veto.add(row, outside, part, outside, scored[0][0] == expected, number)
    return answer, veto


_OTHERS: dict[int, object] = {}


def others(rows: list[tuple[str, str, int]], part: int, medicines: frozenset[str]) -> object:
    """The examples of every author's part but `part`, built once per part."""
    if part not in _OTHERS:
        from ms_ref.confidence import examples_without

        _OTHERS[part] = examples_without(rows, part, medicines)
    return _OTHERS[part]


def value(name: str, probabilities: object, threshold: float, rows: Rows) -> tuple[int, int, int, int]:
    """(value, right, outside, wrong) of a model's yes answers at a threshold: for "answer" the answers it
    adds (a query's answer is its likeliest candidate), for "veto" the answers it withdraws (an answer
    outside MS costs FALSE_COST right ones, a wrong one one)."""
    import numpy as np

    held = np.asarray(probabilities)
    yes = held >= threshold
    if name == "answer":
        yes = yes & _likeliest(held, rows.queries)
    right = int((yes & np.array(rows.right)).sum())
    outside = int((yes & np.array(rows.outside)).sum())
    wrong = int(yes.sum()) - right - outside
    if name == "answer":
        return right - FALSE_COST * outside - WRONG_COST * wrong, right, outside, wrong
    return FALSE_COST * outside + WRONG_COST * wrong - right, right, outside, wrong


def _likeliest(probabilities: object, queries: list[int]) -> object:
    """Whether each row is its query's likeliest candidate (the first of equals)."""
    import numpy as np

    best: dict[int, int] = {}
    for row, (query, value) in enumerate(zip(queries, probabilities)):  # type: ignore[call-overload]
        if query not in best or value > probabilities[best[query]]:  # type: ignore[index]
            best[query] = row
    mask = np.zeros(len(queries), dtype=bool)
    mask[list(best.values())] = True
    return mask


def fit(name: str, rows: Rows) -> list[str]:
    """The lines of one model in confidence.txt, its setting chosen with each author's part left out."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from ms_ref.confidence import NAMES

    x, y, g = np.array(rows.inputs), np.array(rows.labels), np.array(rows.groups)
    results: dict[tuple[float, float], tuple[int, int, int, int]] = {}
    for c in SETTINGS:
        held = np.zeros(len(y))
        for part in sorted(set(rows.groups)):
            train, test = g != part, g == part
            if len(set(y[train])) < 2:
                continue
            fitted = LogisticRegression(C=c, max_iter=10000).fit(x[train], y[train])
            held[test] = fitted.predict_proba(x[test])[:, 1]
        for threshold in THRESHOLDS:
            results[(c, threshold)] = value(name, held, threshold, rows)

    def smoothed(key: tuple[float, float]) -> float:
        """A setting's value with its neighbouring thresholds': the figures of a few hundred left-out
        queries are noisy, and a lone peak is more likely luck than a better setting."""
        c, threshold = key
        index = THRESHOLDS.index(threshold)
        near = THRESHOLDS[max(index - 1, 0) : index + 2]
        return sum(results[(c, t)][0] for t in near) / len(near)

    c, threshold = max(results, key=lambda key: (smoothed(key), -key[1]))
    if os.environ.get("FIT_TABLE"):
        for key in sorted(results):
            print(name, key, results[key])
    score, right, outside, wrong = results[(c, threshold)]
    fitted = LogisticRegression(C=c, max_iter=10000).fit(x, y)
    what = "answered" if name == "answer" else "withdrew answers to"
    queries = len(set(rows.queries))
    outside_queries = len({q for q, out in zip(rows.queries, rows.outside) if out})
    rows_are = (
        f"candidates of {queries} declined dev queries of three words or more" if name == "answer"
        else "dev queries of three words or more the thresholds answer and the veto may read"
    )
    import textwrap

    about = (
        f"rows: {len(y)} {rows_are}; {int(np.array(rows.right).sum())} right, "
        f"{outside_queries} queries outside MS; C {c}; threshold {threshold}. With each author's part "
        f"left out in turn, this setting {what} {right} right, {outside} outside MS and {wrong} wrong."
    )
    lines = [
        f"model {name}",
        *(f"# {line}" for line in textwrap.wrap(about, 108)),
        f"threshold {threshold}",
        f"bias {float(fitted.intercept_[0]):.6f}",
    ]
    names = [*NAMES, *(f"meaning_{n}" for n in range(x.shape[1] - len(NAMES)))]
    lines += [f"{label} {float(w):.6f}" for label, w in zip(names, fitted.coef_[0])]
    print(f"{name}: C {c}, threshold {threshold}; left-out parts: {what} {right} right, {outside} outside MS, "
          f"{wrong} wrong (value {score})")
    return lines


def main() -> int:
    answer, veto = datasets()
    lines = [
        "# msref's second look at a sentence (ms_ref.confidence): two logistic regressions written by",
        "# scripts/fit_confidence.py from the dev queries only. Do not edit by hand.",
        *fit("answer", answer),
        *fit("veto", veto),
    ]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
