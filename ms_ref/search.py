"""Finding entries: name normalisation, exact and fuzzy lookup, and ranked full-text search (BM25).

The indexes are compiled once (ms_ref.compile) and read piecemeal from the cache (ms_ref.kb), so a
lookup costs a bucket read and a dictionary access. Only builtin modules are imported at the top:
this module is on every run's path.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: it costs a few milliseconds per start
    from ms_ref.kb import KnowledgeBase

# Characters read as word separators when normalising names and queries.
_SEPARATORS = "-_/\\.,;:!?()[]{}<>\"*+=|~`@#$%^&\t\r\n\u2010\u2011\u2012\u2013\u2014\u00a0"
_APOSTROPHES = "'\u2018\u2019\u02bc`"
_NORMALISE = str.maketrans({**{c: " " for c in _SEPARATORS}, **{c: "" for c in _APOSTROPHES}})

_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the to was were with "
    "which this these those can may not your you".split()
)

# Field weights for full-text ranking: a hit in a name counts more than one in the details.
FIELD_WEIGHTS = {"name": 4.0, "aliases": 4.0, "id": 3.0, "summary": 2.0, "category": 1.5, "treats": 1.5}
SEARCHED_FIELDS = (
    "name",
    "aliases",
    "summary",
    "category",
    "treats",
    "details",
    "description",
    "mechanism",
    "status_note",
    "frequency",
    "common_side_effects",
    "serious_risks",
    "boxed_warning",
    "monitoring",
    "pregnancy",
    "label_differences",
    "evidence",
    "delivered_by",
)


def normalise(text: str) -> str:
    """Lowercase, drop apostrophes, read punctuation and hyphens as spaces, collapse spaces."""
    return " ".join(text.casefold().translate(_NORMALISE).split())


def entry_keys(entry: dict[str, object]) -> list[str]:
    """The normalised names an entry answers to: id, name and aliases."""
    keys = [normalise(str(entry["id"])), normalise(str(entry.get("name", "")))]
    keys.extend(normalise(str(alias)) for alias in entry.get("aliases", []) or [])  # type: ignore[union-attr]
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


def build_name_index(
    entries: dict[str, dict[str, object]], where: dict[str, str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Map each normalised name to the entry ids it names; report names shared by two entries."""
    index: dict[str, list[str]] = {}
    problems = []
    for entry_id, entry in entries.items():
        for key in entry_keys(entry):
            owners = index.setdefault(key, [])
            if owners and owners[0] != entry_id:
                first = owners[0]
                problems.append(
                    f"{where[entry_id]}: {entry['kind']}s[{entry_id}]: name or alias {key!r} is already "
                    f"used by {first!r} ({where[first]})"
                )
            if entry_id not in owners:
                owners.append(entry_id)
    return index, problems


def field_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(field_text(item) for item in value.values())
    if isinstance(value, list):
        return "; ".join(field_text(item) for item in value)
    return "" if value is None else str(value)


def tokenize(text: str) -> list[str]:
    """Words for full-text search: normalised, stopwords dropped, simple plural folding."""
    return [_stem(word) for word in normalise(text).split() if word not in _STOPWORDS]


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    """Plural folding ("lesions" -> "lesion", "therapies" -> "therapy"), memoised: indexing calls it often."""
    stem = _STEMS.get(word)
    if stem is None:
        stem = word
        if len(word) > 4 and word.endswith("ies"):
            stem = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            stem = word[:-1]
        _STEMS[word] = stem
    return stem


def full_text_search(
    kb: KnowledgeBase, text: str, kinds: tuple[str, ...] = (), family: str | None = None, limit: int = 20
) -> list[dict[str, object]]:
    """Rank entries by BM25 over all fields; each hit says which fields matched, with a snippet."""
    meta: dict[str, float] = kb.blob("textmeta")  # type: ignore[assignment]
    total, average = meta["total"], meta["average"] or 1.0
    tokens = list(dict.fromkeys(tokenize(text)))
    scores: dict[str, float] = {}
    k1, b = 1.2, 0.75
    for token in tokens:
        postings = kb.postings(token)
        if not postings:
            continue
        idf = math.log((total - len(postings) + 0.5) / (len(postings) + 0.5) + 1.0)
        for entry_id, tf, length, kind, entry_family in postings:
            if (kinds and kind not in kinds) or (family and entry_family != family):
                continue
            norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))  # type: ignore[operator]
            scores[entry_id] = scores.get(entry_id, 0.0) + idf * norm  # type: ignore[index, call-overload]
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    hits = []
    for entry_id, score in ranked:
        entry = kb.entry(entry_id)
        hits.append({"entry": entry, "score": round(score, 3), "matches": _matches(entry, tokens)})
    return hits


def _matches(entry: dict[str, object], tokens: list[str]) -> list[dict[str, str]]:
    found = []
    for field in SEARCHED_FIELDS:
        if field not in entry:
            continue
        text = field_text(entry[field])
        field_tokens = set(tokenize(text))
        hit = [token for token in tokens if token in field_tokens]
        if hit:
            found.append({"field": field, "snippet": snippet(text, hit)})
    return found


def snippet(text: str, tokens: list[str], width: int = 60) -> str:
    """A short excerpt of `text` around the first matched word."""
    lowered = text.casefold()
    positions = [pos for pos in (lowered.find(token) for token in tokens) if pos >= 0]
    if not positions or len(text) <= 2 * width:
        return text if len(text) <= 2 * width else text[: 2 * width].rstrip() + "..."
    start = max(0, min(positions) - width // 2)
    end = min(len(text), start + 2 * width)
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    return prefix + text[start:end].strip() + suffix


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


def _spelling(word: str) -> str:
    """Fold British and American spellings together (both the index and the query go through this)."""
    if len(word) > 4:
        word = word.replace("ae", "e").replace("oe", "e")
    if len(word) > 5:
        if word.endswith("our"):
            word = word[:-3] + "or"
        for uk, us in (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"), ("yse", "yze"),
                       ("lling", "ling"), ("lled", "led")):
            if word.endswith(uk):
                word = word[: -len(uk)] + us
                break
    if len(word) > 4 and word.endswith(("bre", "tre")):
        word = word[:-2] + "er"
    return {"grey": "gray", "programme": "program", "ageing": "aging"}.get(word, word.replace("smould", "smold"))


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
        word = _spelling(_stem(words[index]))
        folded.append(_SYNONYMS.get(word, word))
        index += 1
    return folded


def canonical(text: str) -> str:
    return " ".join(canonical_words(text))


def _unique(ids: list[str]) -> list[str]:
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


def resolve_query(kb: KnowledgeBase, query: str) -> dict[str, object]:
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
            i for k, ids in canon.items()
            if wanted <= set(k.split()) and 2 * len(wanted) >= len(k.split()) for i in ids
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


def _found(ids: list[str], match: str) -> dict[str, object]:
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

    return [(key, int(distance)) for key, distance, _index in
            process.extract(phrase, keys, scorer=OSA.distance, score_cutoff=allowed, limit=None)]


def suggest(kb: KnowledgeBase, query: str, limit: int = 5) -> list[str]:
    """Display names close to `query`, for 'did you mean' hints: near spellings, then full-text hits."""
    from rapidfuzz import fuzz, process

    canon = kb.canonical_keys()
    phrase = canonical(query)[:120]
    found: list[str] = []
    if phrase:
        for key, _score, _index in process.extract(phrase, list(canon), scorer=fuzz.ratio, score_cutoff=72, limit=limit * 2):
            found.extend(canon[key])
        for hit in full_text_search(kb, query[:500], limit=3):
            if hit["score"] >= 4.0:  # type: ignore[operator]
                found.append(str(hit["entry"]["id"]))  # type: ignore[index]
    labels = []
    for entry_id in _unique(found):
        label = kb.name(entry_id)
        if label not in labels:
            labels.append(label)
    return labels[:limit]


def completions(kb: KnowledgeBase, incomplete: str, limit: int = 50) -> list[tuple[str, str]]:
    """Shell completions for an entry argument: ids, and one-word names and aliases, with a description.

    Matching is case-sensitive, as Typer filters completions that way: "oc" offers "ocrelizumab",
    "Oc" offers "Ocrevus".
    """
    if not incomplete:
        return []
    found = [(candidate, description) for candidate, description in kb.completions(incomplete[0].casefold())
             if candidate.startswith(incomplete)]
    return found[:limit]
