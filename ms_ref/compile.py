"""Compile validated entries into the blobs of ms_ref.kb: indexes for lookup, search and completion.

Runs only when the cache is missing or stale (and for `msref validate`), so its cost is paid once.
"""

from __future__ import annotations

from ms_ref import search
from ms_ref.kb import BUCKETS, bucket

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase

_KINDS = ("treatment", "term", "step", "family")


def _bucketed(table: dict[str, object], prefix: str, blobs: dict[str, object]) -> None:
    for key, value in table.items():
        blobs.setdefault(f"{prefix}/{bucket(key)}", {})[key] = value  # type: ignore[index]


def compile_blobs(
    entries: dict[str, dict[str, object]],
    names: dict[str, list[str]],
    overrides: list[list[str]],
    where: dict[str, str] | None = None,
    reuse: KnowledgeBase | None = None,
    fresh: set[str] | None = None,
) -> dict[str, object]:
    """All blobs for these entries (already validated and merged, `kind` set on each).

    `where` (id -> "file.yaml:line") lets a later build merge user entries over these without
    re-reading the YAML, and still say where a clashing entry was first defined. With `reuse` (the
    compiled shipped data) the full-text postings of entries not in `fresh` are taken from it rather
    than tokenised again: a user's few entries cost little to add.
    """
    order: dict[str, list[str]] = {kind: [] for kind in _KINDS}
    for entry_id, entry in entries.items():
        order[str(entry["kind"])].append(entry_id)
    reviewed = [str(entry["reviewed"]) for entry in entries.values() if entry.get("reviewed")]
    blobs: dict[str, object] = {
        "meta": {
            "order": order,
            "newest_reviewed": max(reviewed) if reviewed else None,
            "overrides": overrides,
            "where": where or {},
        }
    }
    treatments = [entries[i] for i in order["treatment"]]

    def pairs(items: list[dict[str, object]]) -> list[list[str]]:
        return [[str(item["id"]), str(item.get("name", item["id"]))] for item in items]

    # Back-links, gathered in one pass over the treatments (linear however large the data).
    back: dict[str, dict[str, list[dict[str, object]]]] = {}
    for treatment in treatments:
        for field, link in (("related", "mentioned_by"), ("acts_on", "acting")):
            for target in dict.fromkeys(treatment.get(field) or []):  # type: ignore[arg-type]
                back.setdefault(str(target), {}).setdefault(link, []).append(treatment)
        back.setdefault(str(treatment.get("family")), {}).setdefault("members", []).append(treatment)
    for entry_id, entry in entries.items():
        found = back.get(entry_id, {})
        links = {name: pairs(found.get(name, [])) for name in ("mentioned_by", "acting", "members")}
        blobs["entry/" + entry_id] = {"entry": entry, "links": links}

    _bucketed(names, "names", blobs)  # type: ignore[arg-type]
    canon, unordered = _lookup_tables(entries)
    classes = _classes(canon, entries)
    _bucketed({key: [ids, classes.get(key, [])] for key, ids in canon.items()}, "canon", blobs)
    _bucketed(unordered, "unordered", blobs)  # type: ignore[arg-type]
    blobs["lookup"] = canon
    if reuse is not None and fresh is not None:
        _merge_text_index(reuse, entries, fresh, blobs)
    else:
        postings, total, length_sum = _text_index(entries)
        _bucketed(postings, "text", blobs)  # type: ignore[arg-type]
        blobs["textmeta"] = {"total": total, "average": length_sum / total if total else 1.0, "sum": length_sum}
    for candidate, description in _completion_candidates(entries):
        blobs.setdefault("complete/" + candidate[0].casefold(), []).append([candidate, description])  # type: ignore[union-attr]
    for name in [n for n in blobs if n.startswith("complete/")]:
        blobs[name] = sorted(blobs[name], key=lambda item: (item[0].casefold(), item[0]))  # type: ignore[arg-type]
    for family in order["family"]:
        blobs["rows/" + family] = [
            {key: t.get(key) for key in ("id", "name", "category", "status", "route", "approved_for")}
            for t in treatments
            if t.get("family") == family
        ]
    return blobs


def _lookup_tables(entries: dict[str, dict[str, object]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Canonical keys and word-order-free keys for every id, name and alias."""
    canon: dict[str, list[str]] = {}
    unordered: dict[str, list[str]] = {}
    for entry_id, entry in entries.items():
        for key in search.entry_keys(entry):
            words = search.canonical_words(key)
            for table, folded in ((canon, " ".join(words)), (unordered, " ".join(sorted(words)))):
                owners = table.setdefault(folded, [])
                if entry_id not in owners:
                    owners.append(entry_id)
    return canon, unordered


def _classes(canon: dict[str, list[str]], entries: dict[str, dict[str, object]]) -> dict[str, list[str]]:
    """For a key naming one non-treatment entry ("interferon"), the treatments whose names it starts.

    When there are two or more, the key names a class as much as a term, and lookup lists them all.
    """
    import bisect

    ordered = sorted(canon)
    classes = {}
    for key, ids in canon.items():
        if len(ids) != 1 or entries[ids[0]]["kind"] == "treatment":
            continue
        start = bisect.bisect_left(ordered, key + " ")
        end = bisect.bisect_left(ordered, key + "!")  # "!" sorts right after " "
        members = list(dict.fromkeys(
            i for other in ordered[start:end] for i in canon[other]
            if i != ids[0] and entries[i]["kind"] == "treatment"
        ))
        if len(members) >= 2:
            classes[key] = members
    return classes


def _merge_text_index(
    reuse: KnowledgeBase, entries: dict[str, dict[str, object]], fresh: set[str], blobs: dict[str, object]
) -> None:
    """Postings of the unchanged entries from `reuse`, plus those of the `fresh` ones, tokenised now."""
    meta: dict[str, float] = reuse.blob("textmeta")  # type: ignore[assignment]
    total, length_sum = int(meta["total"]), float(meta["sum"])
    dropped: dict[str, float] = {}
    for number in range(BUCKETS):
        table: dict[str, list[list[object]]] = reuse.blob(f"text/{number}") or {}  # type: ignore[assignment]
        kept = {}
        for token, postings in table.items():
            remaining = []
            for posting in postings:
                if posting[0] in fresh:
                    dropped[str(posting[0])] = float(posting[2])  # type: ignore[arg-type]
                else:
                    remaining.append(posting)
            if remaining:
                kept[token] = remaining
        if kept:
            blobs[f"text/{number}"] = kept
    added, count, added_sum = _text_index({i: entries[i] for i in fresh if i in entries})
    for token, postings in added.items():
        table = blobs.setdefault(f"text/{bucket(token)}", {})  # type: ignore[assignment]
        table.setdefault(token, []).extend(postings)
    total = total - len(dropped) + count
    length_sum = length_sum - sum(dropped.values()) + added_sum
    blobs["textmeta"] = {"total": total, "average": length_sum / total if total else 1.0, "sum": length_sum}


def _text_index(entries: dict[str, dict[str, object]]) -> tuple[dict[str, list[list[object]]], int, float]:
    """BM25 postings with per-field weights: token -> [id, weighted tf, doc length, kind, family]."""
    frequencies: dict[str, dict[str, float]] = {}
    lengths: dict[str, float] = {}
    for entry_id, entry in entries.items():
        length = 0.0
        for field in ("id", *search.SEARCHED_FIELDS):
            if field not in entry:
                continue
            weight = search.FIELD_WEIGHTS.get(field, 1.0)
            for token in search.tokenize(search.field_text(entry[field])):
                counts = frequencies.setdefault(token, {})
                counts[entry_id] = counts.get(entry_id, 0.0) + weight
                length += 1
        lengths[entry_id] = length
    postings = {
        token: [[i, tf, lengths[i], entries[i]["kind"], entries[i].get("family")] for i, tf in counts.items()]
        for token, counts in frequencies.items()
    }
    return postings, len(lengths), sum(lengths.values())


def _completion_candidates(entries: dict[str, dict[str, object]]) -> list[tuple[str, str]]:
    """Ids, and one-word names and aliases (a name with spaces is offered as its id, which needs no quotes).

    Descriptions are kept short and free of brackets: Typer passes them through Rich, which would read
    brackets as markup and wrap long lines.
    """
    found: dict[str, str] = {}
    for entry_id, entry in entries.items():
        name = str(entry.get("name", entry_id)).replace("[", "(").replace("]", ")")
        if len(name) > 50:
            name = name[:47].rstrip() + "..."
        found.setdefault(entry_id, f"{name} ({entry['kind']})")
        for word in [name, *(entry.get("aliases") or [])]:  # type: ignore[misc]
            word = str(word)
            if word and " " not in word and word.casefold() != entry_id:
                found.setdefault(word, f"{name} ({entry['kind']})" if word == name else f"= {name}")
    return list(found.items())
