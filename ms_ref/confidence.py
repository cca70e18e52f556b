"""A second look at a sentence: how likely the ranker's best candidate is right, or the sentence is about
something else.

ms_ref.lookup answers from fixed thresholds on the ranker's scores. A sentence ("I wobble standing at the sink
and have to grab the counter") covers few of its words with any entry, so its best score is often below them
although the best candidate is right; sentences about something else ("my arms are like jelly after that gym
session") score as low. The thresholds cannot tell the two apart; this model weighs more of what the ranking
knows: the best score and the next one, how many of the query's words the best entry has, how many of them
no entry uses or are everyday English, how near the query's meaning is to the entry's, and the query's
meaning itself (ms_ref.vectors), which says what the sentence is about (a body, a machine, a holiday).

It is a logistic regression fitted on the development queries only (scripts/fit_confidence.py), with the
number of queries, the settings and the cross-validated figures in ms_ref/confidence.txt. An answer needs
its probability at least the file's threshold; without the file, or without word vectors, nothing changes.
A second model in the file, fitted the same way, reads the sentences the thresholds did answer, and
withdraws an answer when the sentence is likely about something else.
Builtin modules only; read on first use (by a sentence of three words or more that the thresholds declined
or answered with an entry it does not name).
"""

from __future__ import annotations

import math
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.rank import Ranker

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "confidence.txt")
# The second look is for sentences and questions; a word or two is a name, a slip or the start of one,
# which the tiers after the ranker read.
MIN_WORDS = 3
# Below this likelihood a sentence's candidates are no suggestions (unrelated()).
UNRELATED = 0.1
# The features before the query's vector, in the order of the weights in confidence.txt.
NAMES = (
    "log_best", "next_ratio", "evidence", "evidence_share", "named", "log_words", "unknown_share",
    "everyday_share", "cosine",
)


def features(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> list[float] | None:
    """The model's inputs for a query (its canonical words) and its ranking, or None when the query has no
    candidate or no vector."""
    if not scored:
        return None
    words = list(dict.fromkeys(words))  # as the ranker reads them: "leg leg leg" is one word
    best, top, evidence, named = scored[0]
    readings = [ranking.reading(word)[0] for word in words]
    vector = ranking.query_vector(readings)
    if vector is None:
        return None
    cosine = ranking.cosine(vector, best)
    meaningful = [word for word in readings if ranking.meaningful(word)]
    count = max(len(meaningful), 1)
    second = scored[1][1] if len(scored) > 1 else 0.0
    return [
        math.log(max(top, 1e-4)),
        second / top if top else 1.0,
        min(evidence, 6) / 6,
        evidence / count,
        1.0 if named else 0.0,
        math.log(max(len(words), 1)),
        sum(1 for word in meaningful if word not in ranking.df) / count,
        sum(1 for word in meaningful if word in ranking.everyday) / count,
        cosine if cosine is not None else 0.0,
        *vector,
    ]


Model = tuple[float, float, list[float]]  # (threshold, bias, weights)
# The models in confidence.txt: "answer" looks again at a declined sentence; "veto" at a sentence the
# thresholds answered, for a sign that it is about something else.
MODELS = ("answer", "veto")
_MODELS: list[dict[str, Model]] = []


def model(name: str = "answer", path: str = PATH) -> Model | None:
    """(threshold, bias, weights) of one model in confidence.txt (read once), or None when the file is
    missing or damaged or lacks that model."""
    if not _MODELS:
        _MODELS.append(read(path))
    return _MODELS[0].get(name)


def read(path: str) -> dict[str, Model]:
    """The models of a confidence file: each starts with a line "model <name>", then "threshold", "bias" and
    one line per weight; a damaged file has none, a damaged model is left out."""
    found: dict[str, Model] = {}
    parts: dict[str, tuple[dict[str, float], list[float]]] = {}
    current: tuple[dict[str, float], list[float]] | None = None
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip() or line.startswith("#"):
                    continue
                key, value = line.split()
                if key == "model":
                    current = parts.setdefault(value, ({}, []))
                elif current is None:
                    return {}
                elif key in ("threshold", "bias"):
                    current[0][key] = float(value)
                else:
                    current[1].append(float(value))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    for name, (values, weights) in parts.items():
        if "threshold" in values and "bias" in values and len(weights) > len(NAMES):
            found[name] = (values["threshold"], values["bias"], weights)
    return found


def probability(inputs: list[float], bias: float, weights: list[float]) -> float:
    total = bias + sum(w * x for w, x in zip(weights, inputs))
    return 1.0 / (1.0 + math.exp(-max(min(total, 30.0), -30.0)))


def likelihood(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]], name: str = "answer"
) -> float | None:
    """The probability one model gives a query of MIN_WORDS words or more and its ranking ("answer": that
    the best candidate is right; "veto": that the query is about something else), or None when it cannot
    say (a shorter query, no candidate, no model, no vector)."""
    if len(set(words)) < MIN_WORDS or not scored or scored[0][2] < 1:
        return None
    found = model(name)
    if found is None:
        return None
    _threshold, bias, weights = found
    inputs = features(ranking, words, scored)
    if inputs is None or len(inputs) != len(weights):
        return None
    return probability(inputs, bias, weights)


def _beyond_threshold(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]], name: str) -> bool:
    value = likelihood(ranking, words, scored, name)
    found = model(name)
    return value is not None and found is not None and value >= found[0]


def sure(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether the best candidate of a declined query is likely enough right to answer."""
    return _beyond_threshold(ranking, words, scored, "answer")


def doubtful(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether a sentence the thresholds answered is likely enough about something else to withdraw the
    answer ("my voice is hoarse from shouting at the football match"). Not for a query that names its entry."""
    return not scored[0][3] and _beyond_threshold(ranking, words, scored, "veto")


def unrelated(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether a sentence is very likely about something else ("the washing machine is leaking"): then its
    candidates are no suggestions. Of the dev sentences that find no answer, those below UNRELATED are 448
    outside MS and 16 of the 207 with the right entry among their first five candidates (the model was
    fitted on them)."""
    value = likelihood(ranking, words, scored)
    return value is not None and value < UNRELATED
