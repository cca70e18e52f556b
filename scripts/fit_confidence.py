"""Write ms_ref/confidence.txt: the model of msref's second look at a declined sentence (ms_ref.confidence).

The model is fitted on the development queries only (tests/eval/queries_dev.tsv); the held-out batches are
never read here. Its rows are the dev queries of three words or more that the lookup's thresholds decline
although the ranker has a candidate; a row is positive when that candidate is the query's entry. A query
outside MS answered costs FALSE_COST right answers, a wrong answer one.

The regularisation and the threshold are chosen by leaving out one author's part of the dev file at a time
(the parts are the blocks that begin "# Added"): the model is fitted on the other parts and scored on the
one left out, so a setting is chosen for how it does on queries written by someone it has not read; a
threshold is valued with its two neighbours, so a lone lucky peak is not chosen. The model written is then
fitted on every part with the chosen setting.

    python -m venv /tmp/fit && /tmp/fit/bin/pip install -e . scikit-learn
    /tmp/fit/bin/python scripts/fit_confidence.py

Run again when the knowledge base, the word vectors or the ranker change; benchmarks/lookup_eval.py then
gives the figures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "eval" / "queries_dev.tsv"
TARGET = ROOT / "ms_ref" / "confidence.txt"
FALSE_COST = 4  # as benchmarks/tune_lookup.py
WRONG_COST = 1
SETTINGS = (0.3, 1.0, 3.0, 10.0)  # inverse regularisation strengths tried
THRESHOLDS = tuple(round(0.5 + 0.025 * n, 3) for n in range(19))  # 0.5 .. 0.95


def parts(path: Path) -> list[tuple[str, str, int]]:
    """(query, expected, part) of each dev query; a part is the block an author added."""
    rows: list[tuple[str, str, int]] = []
    part = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Added"):
            part += 1
        if line.strip() and not line.startswith("#"):
            query, expected = line.split("\t")[:2]
            rows.append((query, expected.strip(), part))
    return rows


def dataset() -> tuple[list[list[float]], list[int], list[int], list[bool]]:
    """Inputs, labels (the best candidate is right), parts and out-of-MS flags of the declined dev queries."""
    os.environ.setdefault("MSREF_DATA_DIR", str(ROOT / "data"))
    sys.path.insert(0, str(ROOT))
    from ms_ref import lookup
    from ms_ref.confidence import MIN_WORDS, features
    from ms_ref.rank import ranker
    from ms_ref.store import load_knowledge_base

    lookup.SECOND_LOOK = False
    kb = load_knowledge_base()
    ranking = ranker(kb)
    inputs, labels, groups, outside = [], [], [], []
    for query, expected, part in parts(DEV):
        if expected.startswith("?") or lookup.resolve_query(kb, query)["ids"]:
            continue
        words = lookup.canonical_words(query[:500])
        if len(set(words)) < MIN_WORDS:
            continue
        scored = ranking.score(words)
        if not scored or scored[0][2] < 1:
            continue
        row = features(ranking, words, scored)
        if row is None:
            continue
        inputs.append(row)
        labels.append(1 if scored[0][0] == expected else 0)
        groups.append(part)
        outside.append(expected == "-")
    return inputs, labels, groups, outside


def main() -> int:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from ms_ref.confidence import NAMES

    inputs, labels, groups, outside = dataset()
    x, y, g, out = np.array(inputs), np.array(labels), np.array(groups), np.array(outside)
    results: dict[tuple[float, float], tuple[int, int, int, int]] = {}
    for c in SETTINGS:
        held = np.zeros(len(y))
        for part in sorted(set(groups)):
            train, test = g != part, g == part
            if len(set(y[train])) < 2:
                continue
            fitted = LogisticRegression(C=c, max_iter=10000).fit(x[train], y[train])
            held[test] = fitted.predict_proba(x[test])[:, 1]
        for threshold in THRESHOLDS:
            chosen = held >= threshold
            right = int((chosen & (y == 1)).sum())
            false = int((chosen & out).sum())
            wrong = int((chosen & (y == 0) & ~out).sum())
            results[(c, threshold)] = (right - FALSE_COST * false - WRONG_COST * wrong, right, false, wrong)

    def smoothed(key: tuple[float, float]) -> float:
        """A setting's value with its neighbouring thresholds': the figures of a few hundred left-out
        queries are noisy, and a lone peak is more likely luck than a better setting."""
        c, threshold = key
        index = THRESHOLDS.index(threshold)
        near = THRESHOLDS[max(index - 1, 0) : index + 2]
        return sum(results[(c, t)][0] for t in near) / len(near)

    c, threshold = max(results, key=lambda key: (smoothed(key), -key[1]))
    value, right, false, wrong = results[(c, threshold)]
    fitted = LogisticRegression(C=c, max_iter=10000).fit(x, y)
    lines = [
        "# msref's second look at a declined sentence (ms_ref.confidence): a logistic regression written by",
        "# scripts/fit_confidence.py from the dev queries only. Do not edit by hand.",
        f"# rows: {len(y)} declined dev queries of three words or more, {int(y.sum())} with the best candidate",
        f"# right, {int(out.sum())} outside MS; C {c}; threshold {threshold}. With each author's part left",
        f"# out in turn, this setting answered {right} right, {false} outside MS and {wrong} wrong.",
        f"threshold {threshold}",
        f"bias {float(fitted.intercept_[0]):.6f}",
    ]
    names = [*NAMES, *(f"meaning_{n}" for n in range(x.shape[1] - len(NAMES)))]
    lines += [f"{name} {float(w):.6f}" for name, w in zip(names, fitted.coef_[0])]
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: C {c}, threshold {threshold}; left-out parts: {right} right, "
          f"{false} outside MS, {wrong} wrong (score {value})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
