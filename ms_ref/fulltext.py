"""Full-text search: BM25 over every field, with per-field weights, and snippets of where each hit matched.

The postings are compiled once (ms_ref.ingest.compile) and read one bucket per query word from the store.
Builtin modules only: `msref search` imports it on every run.
"""

from __future__ import annotations

import math

from ms_ref.words import STOPWORDS, normalise, stem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry, Hit, Match

# Field weights: a hit in a name counts more than one in the details.
FIELD_WEIGHTS = {
    "name": 4.0,
    "aliases": 4.0,
    "lay_terms": 3.0,
    "id": 3.0,
    "summary": 2.0,
    "category": 1.5,
    "treats": 1.5,
}
SEARCHED_FIELDS = (
    "name",
    "aliases",
    "lay_terms",
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
    "access_programme",
    "contraindications",
    "interactions",
    "screening",
    "monitoring",
    "vaccines",
    "pregnancy",
    "breastfeeding",
    "contraception",
    "paediatric",
    "label_differences",
    "evidence",
    "delivered_by",
)


def field_text(value: object) -> str:
    """A field's words as one text (lists and records joined with semicolons)."""
    if isinstance(value, dict):
        return "; ".join(field_text(item) for item in value.values())
    if isinstance(value, list):
        return "; ".join(field_text(item) for item in value)
    return "" if value is None else str(value)


def tokenize(text: str) -> list[str]:
    """Words for full-text search: normalised, stopwords dropped, simple plural folding."""
    return [stem(word) for word in normalise(text).split() if word not in STOPWORDS]


def full_text_search(
    kb: KnowledgeBase, text: str, kinds: tuple[str, ...] = (), family: str | None = None, limit: int = 20
) -> list[Hit]:
    """Rank entries by BM25 over all fields; each hit says which fields matched, with a snippet."""
    return search(kb, text, kinds, family, limit)[0]


# A word that is in no entry is read as the start of longer words from this many letters ("vaccin").
PREFIX_FROM = 4
NAMED_BONUS = 1000.0
PREFIX_WORDS = 20


def search(
    kb: KnowledgeBase, text: str, kinds: tuple[str, ...] = (), family: str | None = None, limit: int = 20
) -> tuple[list[Hit], int]:
    """The best `limit` hits, and how many entries matched in all."""
    meta: dict[str, float] = kb.blob("textmeta")  # type: ignore[assignment]
    total, average = meta["total"], meta["average"] or 1.0
    tokens = list(dict.fromkeys(tokenize(text)))
    scores: dict[str, float] = {}
    k1, b = 1.2, 0.75
    found: list[str] = []
    for token in tokens:
        readings = [token] if kb.postings(token) else _longer(kb, token)
        for reading in readings:
            postings = kb.postings(reading)
            if not postings:
                continue
            found.append(reading)
            idf = math.log((total - len(postings) + 0.5) / (len(postings) + 0.5) + 1.0)
            for entry_id, tf, length, kind, entry_family in postings:
                if (kinds and kind not in kinds) or (family and entry_family != family):
                    continue
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
                scores[entry_id] = scores.get(entry_id, 0.0) + idf * norm
    # The entry the words name (its name or an alias, as `msref explain` would find it) comes first.
    from ms_ref.lookup import canonical
    from ms_ref.words import normalise

    for entry_id in kb.by_name(normalise(text)) or kb.by_canonical(canonical(text)):
        if entry_id in scores:
            scores[entry_id] += NAMED_BONUS
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    hits: list[Hit] = []
    for entry_id, score in ranked:
        entry = kb.entry(entry_id)
        hits.append({"entry": entry, "score": round(score, 3), "matches": matches(entry, found)})
    return hits, len(scores)


def _longer(kb: KnowledgeBase, token: str) -> list[str]:
    """Words of the entries that start with `token` ("vaccin": vaccine, vaccination), when it is long enough."""
    if len(token) < PREFIX_FROM:
        return []
    import bisect

    vocabulary: list[str] = kb.blob("textwords") or []  # type: ignore[assignment]
    start = bisect.bisect_left(vocabulary, token)
    found = []
    for word in vocabulary[start : start + PREFIX_WORDS]:
        if not word.startswith(token):
            break
        found.append(word)
    return found


def matches(entry: Entry, tokens: list[str]) -> list[Match]:
    """The fields of `entry` holding any of `tokens`, each with a snippet."""
    found: list[Match] = []
    for name in SEARCHED_FIELDS:
        if name not in entry:
            continue
        text = field_text(entry[name])  # type: ignore[literal-required]
        field_tokens = set(tokenize(text))
        hit = [token for token in tokens if token in field_tokens]
        if hit:
            found.append({"field": name, "snippet": snippet(text, hit)})
    return found


def snippet(text: str, tokens: list[str], width: int = 60) -> str:
    """A short excerpt of `text` around the first matched word, cut between words."""
    if len(text) <= 2 * width:
        return text
    lowered = text.casefold()
    positions = [pos for pos in (lowered.find(token) for token in tokens) if pos >= 0]
    start = max(0, min(positions) - width // 2) if positions else 0
    end = min(len(text), start + 2 * width)
    if start > 0:  # move to the start of a word
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (min(positions) if positions else end) else start
    if end < len(text):  # and end at the end of one
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    return prefix + text[start:end].strip() + suffix
