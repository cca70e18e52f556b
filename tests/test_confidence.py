"""The second look at a declined sentence (ms_ref.confidence): its model file, and what it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_ref import confidence, lookup


@pytest.fixture(scope="module")
def kb(real_kb):
    return real_kb


def test_the_shipped_models_match_the_features(kb) -> None:
    found = confidence.read(confidence.PATH)
    assert set(found) == set(confidence.MODELS)
    dims = len(kb.blob("vecmeta")["scales"])
    for threshold, _bias, weights in found.values():
        # An answer outside MS costs four right ones: the veto may withdraw at a likelihood below one half.
        assert 0.2 <= threshold < 1.0
        assert len(weights) == len(confidence.NAMES) + dims
    text = Path(confidence.PATH).read_text(encoding="utf-8")
    assert "dev queries only" in text


@pytest.mark.parametrize(
    "content",
    ["", "threshold 0.7\nbias 1.0\n", "model answer\nthreshold 0.7\nbias 1.0\nlog_best 0.5\n",
     "model answer\nthreshold x\nbias 1\n", "model answer\nthreshold\n"],
)
def test_a_missing_or_damaged_model_reads_as_none(tmp_path: Path, content: str) -> None:
    path = tmp_path / "confidence.txt"
    path.write_text(content, encoding="utf-8")
    assert confidence.read(str(path)) == {}
    assert confidence.read(str(tmp_path / "absent.txt")) == {}


def test_one_damaged_model_leaves_the_other(tmp_path: Path) -> None:
    weights = "".join(f"w{n} 0.1\n" for n in range(len(confidence.NAMES) + 4))
    path = tmp_path / "confidence.txt"
    path.write_text(f"model answer\nthreshold 0.7\nbias 1.0\n{weights}model veto\nthreshold 0.6\n", encoding="utf-8")
    assert set(confidence.read(str(path))) == {"answer"}


def _with_second_look(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setattr(lookup, "SECOND_LOOK", on)


def test_a_declined_description_is_answered_by_the_second_look(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    query = "I wobble standing at the sink and have to grab the counter"
    _with_second_look(monkeypatch, False)
    assert lookup.resolve_query(kb, query)["ids"] == []
    _with_second_look(monkeypatch, True)
    assert lookup.resolve_query(kb, query) == {"ids": ["balance-problems"], "match": "ranked"}


@pytest.mark.parametrize(
    "query",
    [
        "the washing machine shakes violently on the spin cycle",
        "My legs felt wobbly after the hill repeats this morning.",
        "mosquito bites on my legs from holiday itch like mad",
        "the telly picture keeps jumping and freezing during the football",
    ],
)
def test_sentences_about_something_else_stay_unanswered(kb, query: str) -> None:
    assert lookup.resolve_query(kb, query)["ids"] == []


def test_without_the_models_nothing_changes(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confidence, "_MODELS", [{}])
    assert lookup.resolve_query(kb, "I wobble standing at the sink and have to grab the counter")["ids"] == []


def test_a_word_or_two_is_left_to_the_tiers_after_the_ranker(kb) -> None:
    from ms_ref.rank import ranker

    ranking = ranker(kb)
    for words in (["wobble"], ["wobble", "sink"]):
        assert confidence.chosen(ranking, words, ranking.score(words)) is None


def test_a_sentence_about_something_else_gets_no_suggestions(kb) -> None:
    assert lookup.suggest(kb, "the washing machine is leaking") == []
    assert lookup.suggest(kb, "how do I reset my router") == []
    # a sentence near an entry keeps its suggestions
    assert "Walking impairment" in lookup.suggest(kb, "my legs go funny when I walk far")
    # a slip keeps its spelling suggestions
    assert "Ocrelizumab" in lookup.suggest(kb, "ocrelizumob")


def test_an_answer_to_a_sentence_about_something_else_is_withdrawn(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped veto withdraws some dev answers outside MS (which ones moves with each refit) and keeps
    an answer to a description of the same thing in MS words."""
    queries = [
        "the office coffee is so weak it tastes of nothing",
        "my voice is hoarse from shouting at the football match",
        "toothache so bad i cant sleep",
        "my dog keeps scratching and itching his ears",
    ]
    monkeypatch.setattr(lookup, "VETO", False)
    answered = [q for q in queries if lookup.resolve_query(kb, q)["ids"]]
    assert answered == queries  # the thresholds alone answer them all
    monkeypatch.setattr(lookup, "VETO", True)
    withdrawn = [q for q in queries if not lookup.resolve_query(kb, q)["ids"]]
    assert len(withdrawn) >= 3
    assert lookup.resolve_query(kb, "sudden stabbing electric shocks down one side of my face")["ids"] == [
        "trigeminal-neuralgia"
    ]


def test_the_veto_never_withdraws_a_named_treatment(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """A veto that would withdraw every answer still leaves a treatment the query names."""
    found = confidence.model("veto")
    assert found is not None
    _threshold, bias, weights = found
    monkeypatch.setattr(confidence, "_MODELS", [{**confidence.read(confidence.PATH), "veto": (0.0, bias, weights)}])
    assert lookup.resolve_query(kb, "where on the body do you inject Kesimpta")["ids"] == ["ofatumumab"]
    # the thresholds answer this one, and no name in it: such a veto withdraws it
    assert lookup.resolve_query(kb, "my legs are so stiff in the morning")["ids"] == []


def test_the_examples_are_compiled_into_the_store(kb) -> None:
    """Every dev query with one label is an example; each, read as the ranker reads it ("stopping gilenya"
    is one word), finds itself nearest, at similarity one."""
    from ms_ref.rank import ranker

    rows = confidence.read_examples()
    examples = confidence.examples_of(kb)
    assert examples is not None
    assert len(examples.labels) == len(rows) >= 2500
    assert sum(label == confidence.OUTSIDE for label in examples.labels) >= 900
    medicines = ranker(kb).medicines
    for query, label, _part in rows[::97]:
        words = confidence.query_example_words(query, medicines)
        if words:
            value, found = examples.nearest(words)[0]
            assert value == pytest.approx(1.0) and (found == label or examples.nearest(words)[1][0] == pytest.approx(1.0))


def test_examples_read_what_the_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "examples.tsv"
    path.write_text(
        "# query\texpected\tkind\nmy legs are jelly\tmuscle-weakness\tlay-sentence\n"
        "tired or weak\t?fatigue,muscle-weakness\tlay-sentence\n# Added by a second author\n"
        "my router keeps dropping out\t-\tnonms\n",
        encoding="utf-8",
    )
    assert confidence.read_examples(str(path)) == [
        ("my legs are jelly", "muscle-weakness", 0), ("my router keeps dropping out", "-", 1)
    ]
    assert confidence.example_blobs(str(tmp_path / "absent.tsv")) == {}


def test_a_store_without_examples_changes_nothing(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    from ms_ref.rank import ranker

    query = "I wobble standing at the sink and have to grab the counter"
    words = lookup.canonical_words(query)
    ranking = ranker(kb)
    assert confidence.features(ranking, words, ranking.score(words)) is not None
    monkeypatch.setattr(confidence, "examples_of", lambda _kb: None)
    assert confidence.features(ranking, words, ranking.score(words)) is None
    assert lookup.resolve_query(kb, query)["ids"] == []


def test_the_answer_may_be_a_candidate_after_the_first(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer model weighs the ranker's first candidates and the one the nearest examples mean: a model
    that trusts only the examples answers with the entry they mean, though the ranker put it second."""
    from ms_ref.rank import ranker

    query = "my hands shake when I hold a cup of tea"
    words = lookup.canonical_words(query)
    scored = ranker(kb).score(words)
    assert len(scored) > 1
    meant = scored[1][0]
    examples = [(confidence.example_words(lookup.canonical_words(q)), label) for q, label in (
        ("my hands shake holding a cup", meant), ("shaking hands with a tea cup", meant),
        ("my router keeps dropping out", confidence.OUTSIDE),
    )]
    monkeypatch.setattr(confidence, "LEAVE_OUT", [confidence.Examples.built(examples)])
    weights = [0.0] * (len(confidence.NAMES) + len(kb.blob("vecmeta")["scales"]))
    weights[confidence.NAMES.index("examples_same")] = 10.0
    monkeypatch.setattr(confidence, "_MODELS", [{"answer": (0.5, -5.0, weights)}])
    monkeypatch.setattr(lookup, "choose", lambda *_args, **_kwargs: [])  # the thresholds decline
    assert lookup.resolve_query(kb, query) == {"ids": [meant], "match": "ranked"}


def test_a_named_medicine_gives_way_only_to_an_entry_that_is_no_treatment(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """A question that names a medicine may ask about something else of it (live vaccines, breastfeeding):
    the answer model's likelier entry replaces the medicine, unless it is another treatment; a therapy named
    gives way to another therapy, never to a medicine; the name of an entry that is no treatment always
    stays."""
    from ms_ref.rank import ranker

    ranking = ranker(kb)
    weights = [0.0] * (len(confidence.NAMES) + len(kb.blob("vecmeta")["scales"]))
    monkeypatch.setattr(confidence, "_MODELS", [{"answer": (0.5, 0.0, weights)}])

    def switched(query: str, likelier: str) -> str | None:
        words = lookup.canonical_words(query)
        scored = ranking.score(words)
        assert scored[0][3], query  # named
        monkeypatch.setattr(confidence, "_likelihoods", lambda *_a: [(0.1, 0, scored[0][0]), (0.9, -1, likelier)])
        return confidence.switched(ranking, words, scored)

    query = "can I have the yellow fever jab while I am on fingolimod"
    assert switched(query, "live-vaccine") == "live-vaccine"
    assert switched(query, "ocrelizumab") is None
    assert switched("what is the dose of ocrelizumab", "fatigue") == "fatigue"
    assert switched("exercises in a warm pool with a physio", "aquatic-therapy") == "aquatic-therapy"
    assert switched("exercises in a warm pool with a physio", "baclofen") is None
    assert switched("how long does trigeminal neuralgia pain last", "neuropathic-pain") is None


def test_the_examples_entry_is_weighed_when_the_ranker_lacks_it(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """A question in words no entry uses is weighed with the entry other people's questions in those words
    meant; an entry id the knowledge base lacks, or the label outside MS, adds no candidate."""
    from ms_ref.rank import ranker

    query = "why is there so much of it in scotland"
    words = lookup.canonical_words(query)
    ranking = ranker(kb)
    assert all(item[0] != "latitude" for item in ranking.score(words))
    for label, added in (("latitude", True), ("no-such-entry", False), (confidence.OUTSIDE, False)):
        examples = [(confidence.example_words(lookup.canonical_words(q)), label) for q in (
            "so much MS in scotland", "why is there more of it up north in scotland")]
        monkeypatch.setattr(confidence, "LEAVE_OUT", [confidence.Examples.built(examples)])
        ranked = confidence.with_voted(ranking, words, ranking.score(words))
        assert (ranked[-1:] == [(label, 0.0, 0, False)]) is added
    monkeypatch.setattr(confidence, "LEAVE_OUT", [confidence.Examples.built(
        [(confidence.example_words(lookup.canonical_words("so much MS in scotland")), "latitude")])])
    weights = [0.0] * (len(confidence.NAMES) + len(kb.blob("vecmeta")["scales"]))
    weights[confidence.NAMES.index("examples_same")] = 10.0
    monkeypatch.setattr(confidence, "_MODELS", [{"answer": (0.5, -5.0, weights)}])
    assert lookup.resolve_query(kb, query) == {"ids": ["latitude"], "match": "ranked"}
    # A word or two is no sentence: the examples add nothing to it.
    assert confidence.with_voted(ranking, ["scotland"], []) == []


def test_a_sentences_list_settles_on_the_entry_the_model_is_sure_of(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list the thresholds made for a sentence becomes one answer when the answer model would answer one of
    the listed entries; not an entry off the list, not when the query names two of them, not a word."""
    from ms_ref.rank import ranker

    ranking = ranker(kb)
    weights = [0.0] * (len(confidence.NAMES) + len(kb.blob("vecmeta")["scales"]))
    weights[confidence.NAMES.index("examples_same")] = 10.0
    monkeypatch.setattr(confidence, "_MODELS", [{"answer": (0.5, -5.0, weights)}])
    query = "my hands shake when I hold a cup of tea"
    words = lookup.canonical_words(query)
    scored = ranking.score(words)
    first, second = scored[0][0], scored[1][0]
    examples = [(confidence.example_words(lookup.canonical_words(q)), second) for q in (
        "my hands shake holding a cup", "shaking hands with a tea cup")]
    monkeypatch.setattr(confidence, "LEAVE_OUT", [confidence.Examples.built(examples)])
    assert confidence.settled(ranking, words, scored, [first, second]) == second
    assert confidence.settled(ranking, words, scored, [first, "spasticity"]) is None
    monkeypatch.setattr(lookup, "choose", lambda *_args, **_kwargs: [first, second])
    assert lookup.resolve_query(kb, query) == {"ids": [second], "match": "ranked"}
    both = [(first, 0.5, 1, True), (second, 0.5, 1, True)]
    assert confidence.settled(ranking, words, both, [first, second]) is None
    assert confidence.settled(ranking, ["hands", "shake"], scored, [first, second]) is None
    assert lookup.LISTED_SENTENCE == confidence.MIN_WORDS


class _Store:
    """A knowledge base holding only the example blobs given."""

    def __init__(self, blobs: dict[str, object]) -> None:
        self.blobs = blobs

    def blob(self, name: str) -> object:
        return self.blobs.get(name)

    def _bucketed(self, table: str, key: str) -> object:
        from ms_ref.kb import bucket

        found = self.blobs.get(f"{table}/{bucket(key)}")
        return found.get(key) if isinstance(found, dict) else None


def _stored_and_built(tmp_path: Path, lines: str) -> tuple[confidence.Examples | None, confidence.Examples]:
    """The examples of a dev file's `lines`, as compiled into a store and read back, and as built in memory."""
    path = tmp_path / "examples.tsv"
    path.write_text(lines, encoding="utf-8")
    stored = confidence.Examples.stored(_Store(confidence.example_blobs(str(path))))  # type: ignore[arg-type]
    rows = [(confidence.example_words(lookup.canonical_words(q)), label) for q, label, _p in
            confidence.read_examples(str(path))]
    return stored, confidence.Examples.built(rows)


def test_stored_examples_read_back_as_built(tmp_path: Path) -> None:
    stored, built = _stored_and_built(
        tmp_path,
        "legs like jelly after a walk\tmuscle-weakness\tlay-sentence\n"
        "my router keeps dropping out\t-\tnonms\nlegs ache after the marathon\t-\tnonms\n",
    )
    assert stored is not None and list(stored.labels) == ["muscle-weakness", "-", "-"]
    words = confidence.example_words(lookup.canonical_words("my legs ache after a long walk"))
    assert [label for _v, label in stored.nearest(words)] == [label for _v, label in built.nearest(words)]
    assert [v for v, _l in stored.nearest(words)] == pytest.approx([v for v, _l in built.nearest(words)], rel=1e-5)


def test_words_of_queries_about_something_else_lean_outside(tmp_path: Path) -> None:
    stored, built = _stored_and_built(
        tmp_path,
        "legs like jelly after a walk\tmuscle-weakness\tlay-sentence\n"
        "my legs give way on the stairs\tmuscle-weakness\tlay-sentence\n"
        "legs ache after the wedding dance\t-\tnonms\nthe wedding dress is too tight\t-\tnonms\n",
    )
    assert stored is not None

    def leaning(examples: confidence.Examples, query: str) -> list[float]:
        return examples.leaning(confidence.example_words(lookup.canonical_words(query)))

    wedding, stairs = leaning(built, "tired after the wedding"), leaning(built, "wobbly on the stairs")
    assert wedding[0] > 0 > stairs[0]  # log-odds against all the examples' half outside
    assert wedding[1] > 0.5 > stairs[2]
    assert leaning(built, "zzz qqq") == [0.0, 0.5, 0.5]  # words no example has: as all the examples
    for query in ("tired after the wedding", "wobbly on the stairs", "legs"):
        assert leaning(stored, query) == pytest.approx(leaning(built, query))


@pytest.mark.parametrize(
    "core",
    [None, {}, {"names": ["a"], "labels": b"\x00", "norms": b"\x00\x00\x80?"},  # half a number
     {"names": ["a"], "labels": b"\x00\x00\x00\x00", "norms": b"\x00\x00\x80?"},  # two labels, one norm
     {"names": ["a"], "labels": "text", "norms": b"\x00\x00\x80?"}],
)
def test_damaged_stored_examples_read_as_none(core: object) -> None:
    assert confidence.Examples.stored(_Store({"examples": core})) is None  # type: ignore[arg-type]


def test_a_stored_label_beyond_the_names_finds_nothing() -> None:
    """Labels are read as they are asked for: a damaged one leaves the sentence without examples."""
    from ms_ref.kb import bucket

    word = "jelly"
    posting = confidence._packed("f", [1.0]) + confidence._packed("H", [0])
    blobs = {"examples": {"names": ["a"], "labels": b"\x05\x00", "norms": b"\x00\x00\x80?", "outside": 0},
             f"example/{bucket(word)}": {word: posting}}
    stored = confidence.Examples.stored(_Store(blobs))  # type: ignore[arg-type]
    assert stored is not None and stored.nearest([word]) == [] and stored.voted([word]) is None
    assert stored.leaning([word])[0] == 0.0


def test_an_everyday_phrase_alone_is_not_withdrawn(kb) -> None:
    """Dev sentences outside MS often have legs "like jelly" after exercise; the phrase alone is an MS one."""
    assert lookup.resolve_query(kb, "my legs feel like jelly")["ids"] == ["muscle-weakness"]
    assert lookup.resolve_query(kb, "my legs feel like jelly after the marathon yesterday")["ids"] == []


@pytest.mark.parametrize(
    ("query", "read"),
    [("my puppy is limping on his back leg after the park", True),  # a symptom's name: may be something else
     ("why does Tecfidera make my face go red", False),  # names a medicine
     ("is the keto diet safe with type 2 diabetes", True),  # names a treatment that is no medicine
     ("physio after dislocated shoulder from cricket, how many weeks", True),
     ("can I drink alcohol with MS", False),  # says MS
     ("my legs feel like jelly", False),  # one of the entry's everyday phrases, nothing more
     ("alpha lipoic acid 1200mg", False)],  # a name and a dose
)
def test_what_the_veto_reads(kb, query: str, read: bool) -> None:
    from ms_ref.rank import ranker

    words = lookup.canonical_words(query)
    ranking = ranker(kb)
    assert confidence.vetoable(ranking, words, ranking.score(words)) is read
