"""Finding entries: name normalisation, exact and fuzzy lookup, and ranked full-text search (BM25).

The indexes are built once, when the knowledge base is loaded from YAML, and stored in the cache with
it, so a lookup costs a dictionary access. Only the standard library's builtin modules are imported at
the top: this module is on every run's path.
"""

from __future__ import annotations

import math

# Characters read as word separators when normalising names and queries.
_SEPARATORS = "-_/\\.,;:!?()[]{}<>\"*+=|~`@#$%^&\t\r\n\u2010\u2011\u2012\u2013\u2014\u00a0"
_APOSTROPHES = "'\u2018\u2019\u02bc`"
_NORMALISE = str.maketrans({**{c: " " for c in _SEPARATORS}, **{c: "" for c in _APOSTROPHES}})

_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the to was were with "
    "which this these those can may not your you".split()
)

# Field weights for full-text ranking: a hit in a name counts more than one in the details.
_FIELD_WEIGHTS = {"name": 4.0, "aliases": 4.0, "id": 3.0, "summary": 2.0, "category": 1.5, "treats": 1.5}
_SEARCHED_FIELDS = (
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
    keys = [normalise(str(entry["id"])), normalise(str(entry["name"]))]
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


def _field_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(_field_text(item) for item in value.values())
    if isinstance(value, list):
        return "; ".join(_field_text(item) for item in value)
    return "" if value is None else str(value)


def tokenize(text: str) -> list[str]:
    """Words for full-text search: normalised, stopwords dropped, simple plural folding."""
    return [_stem(word) for word in normalise(text).split() if word not in _STOPWORDS]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def build_text_index(entries: dict[str, dict[str, object]]) -> dict[str, object]:
    """A BM25 index over every searchable field, with per-field weights."""
    postings: dict[str, dict[str, float]] = {}
    lengths: dict[str, float] = {}
    for entry_id, entry in entries.items():
        length = 0.0
        for field in ("id", *_SEARCHED_FIELDS):
            if field not in entry:
                continue
            weight = _FIELD_WEIGHTS.get(field, 1.0)
            for token in tokenize(_field_text(entry[field])):
                doc = postings.setdefault(token, {})
                doc[entry_id] = doc.get(entry_id, 0.0) + weight
                length += 1
        lengths[entry_id] = length
    average = sum(lengths.values()) / len(lengths) if lengths else 1.0
    return {"postings": postings, "lengths": lengths, "average": average}


def full_text_search(
    kb: dict[str, object], text: str, kinds: tuple[str, ...] = (), family: str | None = None, limit: int = 20
) -> list[dict[str, object]]:
    """Rank entries by BM25 over all fields; each hit says which fields matched, with a snippet."""
    index = kb["text_index"]
    entries = kb["entries"]
    postings = index["postings"]  # type: ignore[index]
    lengths = index["lengths"]  # type: ignore[index]
    average = index["average"] or 1.0  # type: ignore[index]
    total = len(lengths)
    tokens = [token for token in dict.fromkeys(tokenize(text))]
    scores: dict[str, float] = {}
    k1, b = 1.2, 0.75
    for token in tokens:
        docs = postings.get(token)
        if not docs:
            continue
        idf = math.log((total - len(docs) + 0.5) / (len(docs) + 0.5) + 1.0)
        for entry_id, tf in docs.items():
            norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[entry_id] / average))
            scores[entry_id] = scores.get(entry_id, 0.0) + idf * norm
    hits = []
    for entry_id, score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        entry = entries[entry_id]  # type: ignore[index]
        if kinds and entry["kind"] not in kinds:
            continue
        if family and entry.get("family") != family:
            continue
        hits.append({"entry": entry, "score": round(score, 3), "matches": _matches(entry, tokens)})
        if len(hits) >= limit:
            break
    return hits


def _matches(entry: dict[str, object], tokens: list[str]) -> list[dict[str, str]]:
    found = []
    for field in _SEARCHED_FIELDS:
        if field not in entry:
            continue
        text = _field_text(entry[field])
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


def find_entry(kb: dict[str, object], query: str) -> tuple[list[str], list[str]]:
    """Ids that `query` names exactly (after normalisation), and suggestions when there are none."""
    key = normalise(query)
    names: dict[str, list[str]] = kb["names"]  # type: ignore[assignment]
    if key in names:
        return list(names[key]), []
    return [], suggest(kb, query)


def suggest(kb: dict[str, object], query: str, limit: int = 5) -> list[str]:
    """Display names close to `query`, for 'did you mean' hints."""
    import difflib

    key = normalise(query)
    names: dict[str, list[str]] = kb["names"]  # type: ignore[assignment]
    entries: dict[str, dict[str, object]] = kb["entries"]  # type: ignore[assignment]
    close = difflib.get_close_matches(key, list(names), n=limit * 2, cutoff=0.6)
    found: list[str] = []
    for name in close:
        for entry_id in names[name]:
            label = str(entries[entry_id]["name"])
            if label not in found:
                found.append(label)
    return found[:limit]
