"""Resolving what people type to entries: normalise -> tiers -> typo tolerance -> suggestions; and
shell completion of entry names.

The indexes are compiled once (ms_ref.ingest.compile) and read piecemeal from the store (ms_ref.kb), so
a lookup costs a bucket read and a dictionary access. Builtin modules only at the top: every run imports
it; rapidfuzz is imported only by the typo-tolerant tier and by suggestions.
"""

from __future__ import annotations

from ms_ref.fulltext import full_text_search
from ms_ref.words import normalise, spelling, stem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry, Resolved


def entry_keys(entry: Entry) -> list[str]:
    """The normalised names an entry answers to: id, name and aliases."""
    keys = [normalise(str(entry["id"])), normalise(str(entry.get("name", "")))]
    keys.extend(normalise(str(alias)) for alias in entry.get("aliases", []) or [])
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


# --------------------------------------------------------------------------------------------------
# Resolving what people type to one entry
#
# Tiers, first answer wins: exact (normalised) -> canonical (spelling, plurals, possessives, "multiple
# sclerosis" = "MS", trouble/difficulty/problem) -> canonical without filler words ("what is the ...")
# -> same words in any order -> leading words of one entry's name -> all words inside one entry's name
# -> typo-tolerant (edit distance within a length-dependent allowance). Any tier that finds several
# entries reports them as ambiguous instead of choosing. Nothing is answered from the free text of an
# entry: a confident wrong answer is worse than none.

_SYNONYMS = {
    "trouble": "problem",
    "difficulty": "problem",
    "issue": "problem",
    "rehab": "rehabilitation",
    "physio": "physiotherapy",
    # A profession names its therapy: "speech therapist", "physiotherapist", "occupational therapists".
    "therapist": "therapy",
    "physiotherapist": "physiotherapy",
    "hep": "hepatitis",
    "keto": "ketogenic",
}
_FILLERS = frozenset(
    "what whats is are a an the my about define definition of meaning explain does mean means tell me "
    "please info information on for in with".split()
)
# Words that qualify a name without changing what it names: "EDSS score", "Kesimpta pen",
# "NfL blood test", "ocrelizumab side effects". Dropped only when the whole query found nothing.
_QUALIFIERS = frozenset(
    "score scale test testing blood level scan risk tablet pill capsule pen injection infusion drug "
    "medication medicine treatment therapy biosimilar generic side effect dose dosage oil supplement "
    "symptom disease syndrome active mg mcg microgram ml unit iu dosing".split()
)
# Words joining names in one query ("ocrelizumab vs natalizumab"): dropped when looking for several names.
_CONNECTORS = frozenset("and or vs versus compared compare to against".split())


def fold(word: str) -> str:
    """One normalised word with spelling, plural and synonym differences folded away."""
    word = spelling(stem(word))
    return _SYNONYMS.get(word, word)


def canonical_words(text: str) -> list[str]:
    """Normalised words with spelling, plural, possessive and synonym differences folded away."""
    words = normalise(text).split()
    folded: list[str] = []
    index = 0
    while index < len(words):
        if words[index] == "multiple" and index + 1 < len(words) and words[index + 1] == "sclerosis":
            folded.append("ms")
            index += 2
            continue
        folded.append(fold(words[index]))
        index += 1
    return folded


def canonical(text: str) -> str:
    return " ".join(canonical_words(text))


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _allowance(length: int) -> int:
    """Typos tolerated for a query of this length: none for abbreviations, more for long names."""
    if length < 5:
        return 0
    if length < 9:
        return 1
    if length < 14:
        return 2
    return 3


def resolve_query(kb: KnowledgeBase, query: str) -> Resolved:
    """What `query` names: {"ids": [...], "match": tier} with one id, several (ambiguous) or none."""
    words = canonical_words(query)
    key = " ".join(words)

    exact = kb.by_name(normalise(query))
    members: list[str] = []
    if not exact:
        exact, members = kb.by_canonical(key)
    elif len(exact) == 1:
        members = kb.by_canonical(key)[1]
    if exact:
        # A word naming a class as much as a term ("interferon" starts several treatments' names) is
        # ambiguous: the compiled index lists those treatments with the key.
        return _found([*exact, *members], "exact")

    content = [w for w in words if w not in _FILLERS]
    if not content:
        return _found([], "none")
    # Ever shorter readings of the query: without "MS" ("MS relapse"), without joining words ("vitamin D
    # and MS"), without qualifiers, doses and units ("Kesimpta pen", "copaxone 40 mg").
    variants = [content]
    for drop in (lambda w: w == "ms", lambda w: w in _CONNECTORS, lambda w: w in _QUALIFIERS or w[:1].isdigit()):
        shorter = [w for w in variants[-1] if not drop(w)]
        if shorter and shorter != variants[-1]:
            variants.append(shorter)
    for variant in variants:
        found = kb.by_canonical(" ".join(variant))[0] or kb.by_unordered(" ".join(sorted(variant)))
        if found:
            return _found(found, "canonical")
    canon = kb.canonical_keys()
    # The looser tiers need a word that names something: "drugs" or "and" alone must not match.
    variants = [v for v in variants if any(w not in _QUALIFIERS and w not in _CONNECTORS for w in v)]
    if not variants:
        return _found([], "none")
    for variant in variants:
        phrase = " ".join(variant)
        prefixed = _unique(i for k, ids in canon.items() if k.startswith(phrase + " ") for i in ids)
        if prefixed:
            return _found(prefixed, "prefix")
    for variant in variants:
        wanted = set(variant)
        inside = _unique(
            i for k, ids in canon.items() if wanted <= set(k.split()) and 2 * len(wanted) >= len(k.split()) for i in ids
        )
        if inside:
            return _found(inside, "words")
    # The start of a long word ("spastic", "natali"): only from six letters, so "ms" or "cd" never do this.
    phrase = " ".join(variants[-1])
    if len(phrase) >= 6:
        started = _unique(i for k, ids in canon.items() if k.startswith(phrase) for i in ids)
        if started:
            return _found(started, "prefix")
    # Several names in one query ("tysabri pml", "ocrelizumab vs natalizumab"): list them all.
    last = variants[-1]
    if len(last) > 1 and all(word in canon for word in last):
        return _found(_unique(i for word in last for i in canon[word]), "ambiguous")
    for variant in variants:
        phrase = " ".join(variant)
        allowed = _allowance(len(phrase))
        if not allowed or len(phrase) > 120:
            continue
        hits = [(k, d) for k, d in closest_keys(phrase, list(canon), allowed) if _plausible_typo(phrase, k)]
        if hits:
            best = min(distance for _key, distance in hits)
            return _found(_unique(i for k, distance in hits if distance == best for i in canon[k]), "fuzzy")
    return _found([], "none")


def _found(ids: Iterable[str], match: str) -> Resolved:
    ids = _unique(ids)
    return {"ids": ids, "match": match if len(ids) <= 1 else "ambiguous"}


def _plausible_typo(phrase: str, key: str) -> bool:
    """A near spelling counts as a typo only if no word changed wholesale: "vitamin b12" is not "vitamin d".

    The first letter and the digits must agree ("remyelinating" is not "demyelinating"), and in a
    several-word name each word may differ from its counterpart only by the edits its length allows.
    """
    from rapidfuzz.distance import OSA

    if phrase[:1] != key[:1] or [c for c in phrase if c.isdigit()] != [c for c in key if c.isdigit()]:
        return False
    typed, known = phrase.split(), key.split()
    if len(typed) == len(known) == 1:
        return True
    if len(typed) != len(known):
        return OSA.distance("".join(typed), "".join(known)) <= 1
    for a, b in zip(typed, known):
        limit = 0 if len(b) < 3 else 1 if len(b) < 9 else 2
        if a != b and OSA.distance(a, b) > limit:
            return False
    return True


def closest_keys(phrase: str, keys: list[str], allowed: int) -> list[tuple[str, int]]:
    """Keys within `allowed` edits of `phrase` (optimal string alignment: a swap of neighbours is one edit).

    rapidfuzz computes this in C++; benchmarks/lookup_eval.py compares it with a pure-Python version and
    with difflib on quality and cost.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return [
        (key, int(distance))
        for key, distance, _index in process.extract(
            phrase, keys, scorer=OSA.distance, score_cutoff=allowed, limit=None
        )
    ]


def suggest(kb: KnowledgeBase, query: str, limit: int = 5) -> list[str]:
    """Display names close to `query`, for 'did you mean' hints: near spellings, then full-text hits."""
    from rapidfuzz import fuzz, process

    canon = kb.canonical_keys()
    phrase = canonical(query)[:120]
    found: list[str] = []
    if phrase:
        for key, _score, _index in process.extract(
            phrase, list(canon), scorer=fuzz.ratio, score_cutoff=72, limit=limit * 2
        ):
            found.extend(canon[key])
        for hit in full_text_search(kb, query[:500], limit=3):
            if hit["score"] >= 4.0:
                found.append(hit["entry"]["id"])
    labels = []
    for entry_id in _unique(found):
        label = kb.name(entry_id)
        if label not in labels:
            labels.append(label)
    return labels[:limit]
