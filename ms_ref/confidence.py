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
Both models also read how the sentence compares with the development queries themselves
(ms_ref/examples.tsv, each labelled with its entry or as outside MS): of the few that share most of its
rarer words, how many mean the candidate and how many are about something else ("my legs ache after the
marathon" lies near "my legs are sore after a long run", outside MS). So the answer model weighs more than
the ranker's best candidate: its first three, and the entry the nearest examples mean, even when no word of
the sentence is in that entry ("why is there so much MS in Scotland" asks what other people asked about
latitude); it answers with the likeliest, when likely enough. They also read how far the sentence's words
lean outside MS among all the examples ("wedding", "gym" and "landlord" are mostly in queries about
something else). The examples are compiled with
the store (example_blobs) and read a word's bucket at a time.
Builtin modules only; read on first use (by a sentence of three words or more that the thresholds declined,
answered, or listed several entries for).
"""

from __future__ import annotations

import math
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterator, Sequence
    from typing import Literal

    from ms_ref.kb import KnowledgeBase
    from ms_ref.rank import Ranker

_HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(_HERE, "confidence.txt")
# The development queries (benchmarks/lookup_eval.py): the models are fitted on them, and a sentence is
# compared with them.
EXAMPLES = os.path.join(_HERE, "examples.tsv")
# How many of the nearest examples a sentence is compared with.
NEIGHBOURS = 5
# A declined sentence: the answer model weighs the ranker's first CANDIDATES, and the entry its nearest
# examples mean most (with_voted), wherever the ranker has it or when it has not.
CANDIDATES = 3
# A sentence the thresholds answered: the answer model's likeliest other candidate replaces their answer
# when the model would answer it and is surer of it by this much (switched()). Set on the dev part, each
# author's part compared with the others' examples: where the query names no entry, 376 right answers
# gained and 43 lost; where it names a treatment (which gives way as switched() says), 192 gained and 15 lost.
SWITCH_MARGIN = 0.4
# The second look is for sentences and questions; a word or two is a name, a slip or the start of one,
# which the tiers after the ranker read.
MIN_WORDS = 3
# Below this likelihood for each candidate a sentence's candidates are no suggestions (unrelated()): of the
# dev sentences that find no answer (each author's part compared with the others' examples), 5,240 of the
# 6,405 outside MS and 37 of the 548 with the right entry among their first five candidates.
UNRELATED = 0.02
# The features before the query's vector, in the order of the weights in confidence.txt.
NAMES = (
    "log_best", "next_ratio", "evidence", "evidence_share", "named", "log_words", "unknown_share",
    "everyday_share", "cosine", "examples_same", "examples_outside", "example_nearest", "example_same",
    "example_outside", "ranked", "leaning_mean", "leaning_most", "leaning_least",
)
OUTSIDE = "-"  # the label of an example outside MS


def sentence(words: list[str]) -> bool:
    """Whether a query (its canonical words) is a sentence for the second look: MIN_WORDS distinct words or
    more, not counting the words that only join others ("pregnancy and MS", "diet for MS" are names)."""
    from ms_ref.words import STOPWORDS

    return len(set(words) - STOPWORDS) >= MIN_WORDS


def read_rows(path: str = EXAMPLES) -> list[tuple[str, str, str, int]]:
    """(query, expected, kind, part) of each line of the dev file; a part is the block one author added: it
    starts at a line beginning "# Added"."""
    rows: list[tuple[str, str, str, int]] = []
    part = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# Added"):
                part += 1
            if not line.strip() or line.startswith("#"):
                continue
            query, expected, kind = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            rows.append((query, expected.strip(), kind.strip(), part))
    return rows


def read_examples(path: str = EXAMPLES) -> list[tuple[str, str, int]]:
    """(query, label, part) of each example with one label (an entry id, or OUTSIDE); a query that could
    mean several entries ("?a,b") is left out."""
    return [(query, label, part) for query, label, _kind, part in read_rows(path) if not label.startswith("?")]


def examples_without(rows: list[tuple[str, str, int]], part: int, medicines: Container[str]) -> Examples:
    """The examples of `rows` (read_examples) but those of one author's part, in memory: a dev query is
    compared with the other authors' queries only (scripts/fit_confidence.py, benchmarks/lookup_eval.py).
    `medicines`: the words naming one (ms_ref.rank.stopping)."""
    return Examples.built([(query_example_words(q, medicines), label) for q, label, p in rows if p != part])


def query_example_words(query: str, medicines: Container[str]) -> list[str]:
    """The example words of a query's text, its words read as the lookup's ranker reads them."""
    from ms_ref.lookup import canonical_words
    from ms_ref.rank import stopping

    return example_words(stopping(canonical_words(query), medicines))


def example_words(words: list[str]) -> list[str]:
    """The words of a query (canonical words) an example is compared by: each once, no fillers, roughly
    without their endings."""
    from ms_ref.rank import folded_fillers
    from ms_ref.words import OTHERWISE

    fillers = folded_fillers()
    # A word the lookup marked as written otherwise than any name ("MSc") is the word the examples have.
    words = [word.rstrip(OTHERWISE) for word in words]
    return list(dict.fromkeys(_root(word) for word in words if word not in fillers))


_ENDINGS = ("ing", "ed", "ly", "y", "es", "e", "s")


def _root(word: str) -> str:
    """A word without its ending, roughly: "drinking", "drinks" and "drink" meet; so do "wobbly" and "wobble"."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


class Examples:
    """The examples as a sentence is compared with them: each one's label and the length of its weighted
    words, and for a word its weight (its rarity among the examples) and the examples holding it. The
    similarity of a sentence and an example is the cosine of their weighted words; a word no example has
    weighs as the rarest would."""

    def __init__(
        self,
        labels: Sequence[str] | _Labels,
        norms: Sequence[float],
        postings: Callable[[str], tuple[float, Sequence[int]] | None],
        outside: int | None = None,
    ) -> None:
        self.labels = labels
        self.norms = norms
        self.postings = postings  # word -> (weight, the examples holding it), or None
        # How many are outside MS (stored with them; counted when built in memory).
        self.outside = sum(1 for label in labels if label == OUTSIDE) if outside is None else outside
        self.unknown = math.log(1.0 + len(labels) / 0.5)
        self._last: tuple[list[str] | None, list[tuple[float, str]]] = (None, [])
        self._leaning: tuple[list[str] | None, list[float]] = (None, [])

    @classmethod
    def built(cls, rows: list[tuple[list[str], str]]) -> Examples:
        """From (example words, label) rows, in memory (scripts/fit_confidence.py leaves an author out)."""
        labels, norms, table = _compiled(rows)
        return cls(labels, norms, table.get)

    @classmethod
    def stored(cls, kb: KnowledgeBase) -> Examples | None:
        """The examples compiled into `kb`'s store (example_blobs), or None when it has none or they are
        damaged."""
        core = kb.blob("examples")
        try:
            names = list(core["names"])  # type: ignore[index]
            labels = _Labels(names, _numbers("H", core["labels"]))  # type: ignore[index]
            norms = _numbers("f", core["norms"])  # type: ignore[index]
            outside = int(core["outside"])  # type: ignore[index]
        except (TypeError, KeyError, ValueError, IndexError):
            return None
        if len(norms) != len(labels):
            return None

        def postings(word: str) -> tuple[float, Sequence[int]] | None:
            raw = kb._bucketed("example", word)
            if not isinstance(raw, bytes) or len(raw) < 4:
                return None
            numbers = _numbers("H", raw[4:])
            return _numbers("f", raw[:4])[0], [int(n) for n in numbers if n < len(norms)]

        return cls(labels, norms, postings, outside)

    def voted(self, words: list[str]) -> str | None:
        """The label with the most similarity among the examples nearest a query's example words."""
        votes: dict[str, float] = {}
        for value, label in self.nearest(words):
            votes[label] = votes.get(label, 0.0) + value
        return max(votes, key=lambda label: (votes[label], label)) if votes else None

    def nearest(self, words: list[str]) -> list[tuple[float, str]]:
        """(similarity, label) of the NEIGHBOURS examples nearest a query's example words, nearest first
        (the last query's are kept: its candidates are weighed one by one)."""
        if self._last[0] != words:
            self._last = (list(words), self._nearest(words))
        return self._last[1]

    def leaning(self, words: list[str]) -> list[float]:
        """How far a query's example words lean outside MS among all the examples. For each word the examples
        hold, the share of them outside MS, drawn toward the share of all examples by two examples' worth
        ("wedding" or "gym" lean outside, "relapse" in); of these shares, the mean log-odds against all
        the examples', the largest and the smallest. Kept for the last query, as nearest()."""
        if self._leaning[0] != words:
            self._leaning = (list(words), self._leaning_of(words))
        return self._leaning[1]

    def _leaning_of(self, words: list[str]) -> list[float]:
        labels = self.labels
        total = len(labels)
        prior = min(max(self.outside / total if total else 0.5, 0.01), 0.99)
        shares = []
        for word in words:
            posting = self.postings(word)
            if not posting:
                continue
            holders = posting[1]
            try:
                held = sum(1 for number in holders if labels[number] == OUTSIDE)
            except IndexError:  # a damaged store: lean neither way
                return [0.0, prior, prior]
            shares.append((held + 2.0 * prior) / (len(holders) + 2.0))
        if not shares:
            return [0.0, prior, prior]
        odds = math.log(prior / (1.0 - prior))
        mean = sum(math.log(share / (1.0 - share)) - odds for share in shares) / len(shares)
        return [mean, max(shares), min(shares)]

    def _nearest(self, words: list[str]) -> list[tuple[float, str]]:
        found: dict[int, float] = {}
        length = 0.0
        for word in words:
            posting = self.postings(word)
            weight = (posting[0] if posting else self.unknown) ** 2
            length += weight
            if not posting:
                continue
            for number in posting[1]:
                found[number] = found.get(number, 0.0) + weight
        if not found:
            return []
        scale = length**0.5
        ranked = sorted(((shared / (scale * self.norms[n]), n) for n, shared in found.items()), reverse=True)
        try:
            return [(value, self.labels[n]) for value, n in ranked[:NEIGHBOURS]]
        except IndexError:  # a damaged store: no examples
            return []


class _Labels:
    """The stored examples' labels, read as they are asked for (a sentence needs its nearest five): the
    distinct labels and each example's number into them. A number beyond the labels (a damaged store)
    raises IndexError when asked for, and Examples.nearest then finds nothing."""

    def __init__(self, names: list[str], numbers: Sequence[float]) -> None:
        self.names = names
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index: int) -> str:
        return self.names[int(self.numbers[index])]

    def __iter__(self) -> Iterator[str]:
        return (self.names[int(n)] for n in self.numbers)


def _numbers(kind: Literal["H", "f"], raw: object) -> Sequence[float]:
    """The little-endian numbers ("H": unsigned 16-bit, "f": 32-bit float) stored as bytes. A view of the
    bytes where the machine is little-endian: the array module imports collections.abc, which costs a
    sentence's lookup more than reading the examples."""
    if not isinstance(raw, bytes):
        raise TypeError("not bytes")
    if sys.byteorder == "little":
        return memoryview(raw).cast(kind)  # a length that is not a whole number of items raises TypeError
    from array import array

    found = array(kind)
    found.frombytes(raw)  # ValueError, as above
    found.byteswap()
    return found


def _packed(kind: str, values: Sequence[float]) -> bytes:
    from array import array

    found = array(kind, values)
    if sys.byteorder != "little":
        found.byteswap()
    return found.tobytes()


def _compiled(
    rows: list[tuple[list[str], str]],
) -> tuple[list[str], list[float], dict[str, tuple[float, list[int]]]]:
    """Labels, norms and postings (word -> (weight, the examples holding it)) of (example words, label)
    rows."""
    holders: dict[str, list[int]] = {}
    for number, (words, _label) in enumerate(rows):
        for word in dict.fromkeys(words):
            holders.setdefault(word, []).append(number)
    total = len(rows)
    weights = {word: math.log(1.0 + total / (len(numbers) + 0.5)) for word, numbers in holders.items()}
    norms = [math.sqrt(sum(weights[w] ** 2 for w in dict.fromkeys(words))) or 1.0 for words, _label in rows]
    table = {word: (weights[word], numbers) for word, numbers in holders.items()}
    return [label for _words, label in rows], norms, table


# At most this many examples: the store keeps an example's number in two bytes.
MAX_EXAMPLES = 65535


def example_blobs(path: str = EXAMPLES, medicines: Container[str] = frozenset()) -> dict[str, object]:
    """The store's blobs of the examples: "examples" (the distinct labels, each example's label as a number
    into them, its norm) and "example/N" (for each word in bucket N, its weight and the examples holding it),
    numbers packed as bytes; none when the file cannot be read (the second look then changes nothing).
    `medicines`: the words naming one, as the ranker reads queries (ms_ref.rank.stopping)."""
    from ms_ref.kb import bucket

    try:
        rows = [(query_example_words(query, medicines), label) for query, label, _part in read_examples(path)]
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    rows = rows[:MAX_EXAMPLES]
    labels, norms, table = _compiled(rows)
    names = sorted(set(labels))
    number = {name: n for n, name in enumerate(names)}
    found: dict[str, object] = {
        "examples": {
            "names": names,
            "labels": _packed("H", [number[label] for label in labels]),
            "norms": _packed("f", norms),
            "outside": labels.count(OUTSIDE),
        }
    }
    for word, (weight, holders) in table.items():
        found.setdefault(f"example/{bucket(word)}", {})[word] = _packed("f", [weight]) + _packed("H", holders)  # type: ignore[index]
    return found


# Set by benchmarks/lookup_eval.py and scripts/fit_confidence.py to compare a dev query with the other
# authors' examples only; None: the store's.
LEAVE_OUT: list[Examples] = []


def examples_of(kb: KnowledgeBase) -> Examples | None:
    """The examples a query of `kb` is compared with: the store's (read once), or those LEAVE_OUT holds."""
    if LEAVE_OUT:
        return LEAVE_OUT[-1]
    return kb.derived("examples", Examples.stored)


def compared(examples: Examples, words: list[str], best: str) -> list[float]:
    """The example features of a query and one candidate, `best`: the share of its nearest examples'
    similarity that means `best`, and that is outside MS; the nearest similarity; the nearest that means
    `best`; the nearest outside MS."""
    near = examples.nearest(example_words(words))
    total = sum(value for value, _label in near) or 1.0
    return [
        sum(value for value, label in near if label == best) / total,
        sum(value for value, label in near if label == OUTSIDE) / total,
        near[0][0] if near else 0.0,
        max((value for value, label in near if label == best), default=0.0),
        max((value for value, label in near if label == OUTSIDE), default=0.0),
    ]


def with_voted(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]
) -> list[tuple[str, float, int, bool]]:
    """The ranking of a sentence, and after it, with no score, the entry its nearest examples mean most
    when the ranker lacks it: people ask "why is there so much MS in Scotland" in words no entry uses, but
    in the words of other people's questions about latitude."""
    examples = examples_of(ranking.kb)
    if not sentence(words) or examples is None:
        return scored
    voted = examples.voted(example_words(words))
    if voted is None or voted == OUTSIDE or any(item[0] == voted for item in scored) or not ranking.kb.has(voted):
        return scored
    return [*scored, (voted, 0.0, 0, False)]


def candidates(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> list[int]:
    """Where in the ranking (with_voted) the candidates of a sentence lie that the answer model weighs: the
    ranker's first CANDIDATES, each with a meaningful word of the query, and the entry the nearest examples
    mean most, wherever the ranking has it."""
    picks = [n for n in range(min(CANDIDATES, len(scored))) if scored[n][2] >= 1]
    examples = examples_of(ranking.kb)
    if examples is not None:
        voted = examples.voted(example_words(words))
        pick = next((n for n, item in enumerate(scored) if item[0] == voted), None)
        if pick is not None and pick not in picks and (scored[pick][2] >= 1 or not scored[pick][1]):
            picks.append(pick)
    return picks


def features(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]], pick: int = 0
) -> list[float] | None:
    """The model's inputs for a query (its canonical words), its ranking and one candidate (`pick`, where it
    lies in the ranking), or None when the query has no candidate or no vector, or the store has no
    examples."""
    if len(scored) <= pick:
        return None
    words = list(dict.fromkeys(words))  # as the ranker reads them: "leg leg leg" is one word
    best, top, evidence, named = scored[pick]
    readings = [ranking.reading(word)[0] for word in words]
    vector = ranking.query_vector(readings)
    if vector is None:
        return None
    cosine = ranking.cosine(vector, best)
    examples = examples_of(ranking.kb)
    if examples is None:
        return None
    meaningful = [word for word in readings if ranking.meaningful(word)]
    count = max(len(meaningful), 1)
    second = max((item[1] for n, item in enumerate(scored[: pick + 2]) if n != pick), default=0.0)
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
        *compared(examples, words, best),
        1.0 if top else 0.0,
        *examples.leaning(example_words(words)),
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
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]], name: str = "answer",
    pick: int = 0,
) -> float | None:
    """The probability one model gives a query of MIN_WORDS words or more, its ranking and a candidate
    ("answer": that the candidate is right; "veto": that the query is about something else), or None when
    it cannot say (a shorter query, no such candidate, no model, no vector)."""
    if not sentence(words) or len(scored) <= pick or (scored[pick][2] < 1 and scored[pick][1]):
        return None
    found = model(name)
    if found is None:
        return None
    _threshold, bias, weights = found
    inputs = features(ranking, words, scored, pick)
    if inputs is None or len(inputs) != len(weights):
        return None
    return probability(inputs, bias, weights)


def chosen(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> str | None:
    """The candidate of a declined query the answer model finds likeliest right, when likely enough to
    answer; else None."""
    found = _answerable(ranking, words, scored)
    return found[0][2] if found else None


def switched(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> str | None:
    """Another candidate to answer than the ranker's best, which the thresholds answered, or None: the
    answer model's likeliest, when it would answer it and is surer of it by SWITCH_MARGIN ("I swing my bad
    leg out to the side so my foot doesn't catch" is circumduction, not the weakness of one limb the ranker
    put first). A medicine the query names gives way only to an entry that is no treatment ("can I have
    the yellow fever jab on fingolimod" asks about live vaccines), and no treatment gives way to a medicine;
    a therapy named gives way to another ("exercises in a warm pool with a physio" is aquatic therapy). The
    name of any other entry stays."""
    named = bool(scored) and scored[0][3]
    if not scored or (named and scored[0][0] not in ranking.treatments):
        return None
    found = _answerable(ranking, words, scored)
    if found is None:
        return None
    (value, pick, entry_id), values = found
    first = next((v for v, p, _i in values if p == 0), 0.0)
    if not pick or value - first < SWITCH_MARGIN:
        return None
    # A query of a word or two besides fillers ("my MRI report") keeps the ranker's answer against an entry
    # only the nearest examples bring: they share its words, not its meaning.
    if pick <= -CANDIDATES and len({word for word in words if word not in ranking.fillers}) < MIN_WORDS:
        return None
    if named and entry_id in ranking.treatments and _medicines(ranking, scored[0][0], entry_id):
        return None
    return entry_id


def _medicines(ranking: Ranker, *ids: str) -> bool:
    """Whether any of these entries is a medicine (ms_ref.rank.medicine)."""
    from ms_ref.rank import medicine

    return any(medicine(ranking.kb.entry(entry_id)) for entry_id in ids)


def settled(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]], listed: list[str]
) -> str | None:
    """The one entry of a list the thresholds made for a sentence that the answer model would answer, or
    None: "my eye hurts when I move it and the sight in that eye has gone grey" lists optic neuritis and
    vision problems, and the model is sure of optic neuritis. Not when the query names two or more of them
    ("ocrelizumab vs natalizumab" asks for both)."""
    if not sentence(words) or sum(1 for item in scored if item[3] and item[0] in listed) >= 2:
        return None
    found = _answerable(ranking, words, scored)
    return found[0][2] if found and found[0][2] in listed else None


def _answerable(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]
) -> tuple[tuple[float, int, str], list[tuple[float, int, str]]] | None:
    """The answer model's likeliest candidate (_likelihoods) when likely enough to answer, with every
    candidate's likelihood; else None."""
    found = model("answer")
    values = _likelihoods(ranking, words, scored) if found is not None else []
    if found is None or not values:
        return None
    best = max(values)
    return (best, values) if best[0] >= found[0] else None


def _likelihoods(
    ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]
) -> list[tuple[float, int, str]]:
    """(the answer model's probability, minus where the candidate lies, the candidate) of each candidate it
    weighs (candidates() of with_voted()): the likeliest is the max, the nearer the ranker's best of
    equals."""
    if not sentence(words):
        return []
    ranked = with_voted(ranking, words, scored)
    found = []
    for pick in candidates(ranking, words, ranked):
        value = likelihood(ranking, words, ranked, "answer", pick)
        if value is not None:
            found.append((value, -pick, ranked[pick][0]))
    return found


def doubtful(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether a sentence the thresholds answered is likely enough about something else to withdraw the
    answer ("my voice is hoarse from shouting at the football match"); only a sentence it may read
    (vetoable)."""
    if not vetoable(ranking, words, scored):
        return False
    value = likelihood(ranking, words, scored, "veto")
    found = model("veto")
    return value is not None and found is not None and value >= found[0]


def vetoable(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether the veto reads a sentence the thresholds answered with its best candidate: not when the
    query names a medicine ("why does Tecfidera make my face go red"), says "MS" ("can I drink alcohol with
    MS"), or is one of the entry's everyday phrases ("my legs feel like jelly", though "my legs feel like
    jelly after the marathon" is about something else). A symptom's name among other words may still be
    about something else ("the dog shakes and trembles all the way to the vet"); so may the name of a
    treatment that is no medicine ("is the keto diet safe with type 2 diabetes", "physio after a dislocated
    shoulder")."""
    from ms_ref.rank import medicine

    best = scored[0]
    return not (
        (best[3] and best[0] in ranking.treatments and medicine(ranking.kb.entry(best[0])))
        or "ms" in words
        or phrased(ranking, words, best[0])
    )


def phrased(ranking: Ranker, words: list[str], entry_id: str) -> bool:
    """Whether the meaningful words of a query (its canonical words) are those of one of the entry's names,
    aliases or everyday phrases, and nothing else: the query is that phrase."""
    from ms_ref.rank import LAY, unpack_key

    # A dose or a number ("1200mg", "40") qualifies a name, as in the lookup.
    meaningful = {ranking.reading(word)[0] for word in words if not word[:1].isdigit()}
    meaningful = {word for word in meaningful if ranking.meaningful(word)}
    if not meaningful:
        return False
    for number in ranking.index(min(meaningful)):
        key_id, field, key = unpack_key(ranking.packed[number])
        plain = {word for word in key if not word.startswith("@") and ranking.meaningful(word)}
        if key_id == entry_id and field <= LAY and plain == meaningful:
            return True
    return False


def unrelated(ranking: Ranker, words: list[str], scored: list[tuple[str, float, int, bool]]) -> bool:
    """Whether a sentence is very likely about something else ("the washing machine is leaking"): then its
    candidates are no suggestions. True when the answer model gives each candidate it weighs less than
    UNRELATED."""
    values = _likelihoods(ranking, words, scored)
    return bool(values) and max(values)[0] < UNRELATED
