"""Compile merged entries into the blobs of ms_ref.kb: back-links, and indexes for lookup, search and
completion.

Runs only when the store is missing or stale (and for `msref validate`), so its cost is paid once.
"""

from __future__ import annotations

from ms_ref import annotate, confidence, fulltext, lookup, rank
from ms_ref.ingest.merge import Overlaid
from ms_ref.kb import BUCKETS, KINDS, bucket, copy_blob, overlay

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry


def _bucketed(table: dict[str, object], prefix: str, blobs: dict[str, object]) -> None:
    for key, value in table.items():
        found = blobs.setdefault(f"{prefix}/{bucket(key)}", {})
        assert isinstance(found, dict)
        found[key] = value


def compile_blobs(
    entries: Mapping[str, Entry],
    names: dict[str, list[str]],
    overrides: list[list[str]],
    where: dict[str, str] | None = None,
    reuse: KnowledgeBase | None = None,
    fresh: set[str] | None = None,
) -> dict[str, object]:
    """All blobs for these entries (already validated and merged, `kind` set on each).

    `where` (id -> "file.yaml:line") lets a later build merge user entries over these without
    re-reading the YAML, and still say where a clashing entry was first defined. With `reuse` (the
    compiled shipped data) and `fresh` (a user's new or replacing entries), only what those entries
    change is made anew; everything else is copied from `reuse`, most of it as stored bytes, so that a
    user's few entries cost little to add. Both ways give the same knowledge base.
    """
    meta: dict[str, object] = {"overrides": overrides, "where": where or {}}
    if reuse is not None and fresh is not None:
        return _merged_blobs(entries, names, meta, reuse, fresh)
    assert isinstance(entries, dict)
    return _all_blobs(entries, names, meta)


def _all_blobs(entries: dict[str, Entry], names: dict[str, list[str]], meta: dict[str, object]) -> dict[str, object]:
    order: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for entry_id, entry in entries.items():
        order[entry["kind"]].append(entry_id)
    reviewed = [entry["reviewed"] for entry in entries.values() if entry.get("reviewed")]
    newest = max(reviewed) if reviewed else None
    blobs: dict[str, object] = {"meta": {**meta, "order": order, "newest_reviewed": newest}}
    # Back-links, gathered in one pass over the treatments (linear however large the data).
    back = _back_links(entries[i] for i in order["treatment"])
    for entry_id, entry in entries.items():
        blobs["entry/" + entry_id] = {"entry": entry, "links": _links(back.get(entry_id, {}))}
    canon, unordered = _lookup_tables(entries)
    _bucketed(dict(names), "names", blobs)
    _bucketed(dict(canon), "canon", blobs)
    _bucketed(dict(unordered), "unordered", blobs)
    _bucketed(dict(lookup.leading_phrases(canon)), "leading", blobs)
    blobs["lookup"] = canon
    postings, total, length_sum = _text_index(entries)
    _bucketed(dict(postings), "text", blobs)
    blobs["textmeta"] = {"total": total, "average": length_sum / total if total else 1.0, "sum": length_sum}
    blobs["textwords"] = sorted(postings)
    completions: dict[str, list[list[str]]] = {}
    for item in _completion_candidates(entries):
        completions.setdefault(item[0][0].casefold(), []).append(item)
    for first, items in completions.items():
        blobs["complete/" + first] = sorted(items, key=_completion_order)
    blobs["meta"]["completions"] = sorted(completions)  # type: ignore[index]
    blobs["gloss"] = annotate.glosses(entries)
    blobs["phrases"] = annotate.phrase_table(entries)
    index = rank.build(entries)
    blobs.update(rank.blobs(index))
    blobs.update(confidence.example_blobs(medicines=frozenset(index["medicines"])))  # type: ignore[call-overload]
    for family in order["family"]:
        blobs["rows/" + family] = [_row(entries[t]) for t in order["treatment"] if entries[t].get("family") == family]
    return blobs


def _merged_blobs(
    entries: Mapping[str, Entry],
    names: dict[str, list[str]],
    meta: dict[str, object],
    reuse: KnowledgeBase,
    fresh: set[str],
) -> dict[str, object]:
    order, newest = _merged_order(reuse, entries, fresh)
    blobs: dict[str, object] = {"meta": {**meta, "order": order, "newest_reviewed": newest}}
    _merge_entry_blobs(reuse, entries, fresh, order, blobs)
    # Only the buckets holding a name of a new or replaced entry change; the others are copied as stored.
    old = {i: reuse.entry(i) for i in fresh if reuse.has(i)}
    new = {i: entries[i] for i in _fresh_in_order(entries, fresh)}
    old_canon, old_unordered = _lookup_tables(old)
    new_canon, new_unordered = _lookup_tables(new)
    changed = set(old_unordered) | set(new_unordered)
    canon, unordered = _merged_lookup_tables(reuse, entries, fresh, changed)
    spoken = {key for entry in (*old.values(), *new.values()) for key in lookup.entry_keys(entry)}
    overlay(reuse, "names", names, spoken, blobs)
    overlay(reuse, "canon", canon, set(old_canon) | set(new_canon), blobs)
    overlay(reuse, "unordered", unordered, changed, blobs)
    started = set(lookup.leading_phrases(old_canon)) | set(lookup.leading_phrases(new_canon))
    overlay(reuse, "leading", lookup.leading_phrases(canon), started, blobs)
    blobs["lookup"] = canon
    _merge_text_index(reuse, entries, fresh, blobs)
    _merge_completions(reuse, entries, fresh, blobs)
    gloss: dict[str, str] = dict(reuse.blob("gloss") or {})  # type: ignore[call-overload]
    gloss.update(annotate.glosses(new))
    blobs["gloss"] = gloss
    blobs["phrases"] = annotate.phrase_table(entries, reuse.blob("phrases"), fresh, set(old))  # type: ignore[arg-type]
    blobs.update(rank.merged_blobs(reuse, entries, fresh))
    for name in ("examples", *(f"example/{number}" for number in range(BUCKETS))):
        copy_blob(reuse, name, blobs)
    _merge_rows(reuse, entries, fresh, order, blobs)
    return blobs


_ROW = ("id", "name", "category", "status", "route", "approved_for")
_LINKS = ("mentioned_by", "acting", "members", "treated_by")


def _row(treatment: Entry) -> dict[str, object]:
    """A treatment's row in its family's table."""
    return {key: treatment[key] for key in _ROW if key in treatment}  # type: ignore[literal-required]


def _back_links(treatments: Iterable[Entry]) -> dict[str, dict[str, list[list[str]]]]:
    """target id -> link -> [treatment id, name] pairs, in the order of `treatments`."""
    back: dict[str, dict[str, list[list[str]]]] = {}
    for treatment in treatments:
        pair = [treatment["id"], treatment.get("name", treatment["id"])]
        targets = (
            ("mentioned_by", treatment.get("related") or []),
            ("acting", treatment.get("acts_on") or []),
            ("treated_by", [item["symptom"] for item in treatment.get("treats") or []]),
            ("members", [treatment.get("family", "")]),
        )
        for link, ids in targets:
            for target in dict.fromkeys(ids):
                back.setdefault(target, {}).setdefault(link, []).append(pair)
    return back


def _links(found: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    return {name: found.get(name, []) for name in _LINKS}


def _merged_order(
    reuse: KnowledgeBase, entries: Mapping[str, Entry], fresh: set[str]
) -> tuple[dict[str, list[str]], str | None]:
    """The ids of each kind (the shipped order, a user's new entries after it) and the newest review date."""
    order = {kind: list(reuse.ids(kind)) for kind in KINDS}
    known = {i for ids in order.values() for i in ids}
    for entry_id in _fresh_in_order(entries, fresh):
        if entry_id not in known:
            order[entries[entry_id]["kind"]].append(entry_id)
    newest = reuse.newest_reviewed
    replaced = [reuse.entry(i) for i in fresh if i in known]
    if newest is not None and any(entry.get("reviewed") == newest for entry in replaced):
        # The newest shipped date may have been replaced: read every date again (rare).
        dates = [entries[i].get("reviewed") for ids in order.values() for i in ids]
    else:
        dates = [newest, *(entries[i].get("reviewed") for i in fresh if i in entries)]
    found = [str(date) for date in dates if date]
    return order, max(found) if found else None


def _fresh_in_order(entries: Mapping[str, Entry], fresh: set[str]) -> list[str]:
    """The ids in `fresh` that `entries` holds, in the order they were added (a set has none); an Overlaid
    lists only the user's entries, not the hundreds of shipped ones."""
    ids = entries.own if isinstance(entries, Overlaid) else entries
    return [i for i in ids if i in fresh and i in entries]


def _merge_entry_blobs(
    reuse: KnowledgeBase,
    entries: Mapping[str, Entry],
    fresh: set[str],
    order: dict[str, list[str]],
    blobs: dict[str, object],
) -> None:
    """Each entry with its back-links: the user's entries, and the entries whose back-links a user's
    treatment adds or takes away, made anew; every other entry copied as stored."""
    old = [reuse.entry(i) for i in fresh if reuse.has(i) and reuse.entry(i)["kind"] == "treatment"]
    new = [entries[i] for i in _fresh_in_order(entries, fresh) if entries[i]["kind"] == "treatment"]
    gone, came = _back_links(old), _back_links(new)
    position = {i: number for number, i in enumerate(order["treatment"])}
    redone = set(gone) | set(came) | set(fresh)
    for kind in KINDS:
        for entry_id in order[kind]:
            name = "entry/" + entry_id
            if entry_id not in redone:
                copy_blob(reuse, name, blobs)
                continue
            record = reuse.record(entry_id)
            stored: dict[str, list[list[str]]] = dict(record["links"]) if record else {}  # type: ignore[arg-type]
            links = {}
            for link in _LINKS:
                pairs = [pair for pair in stored.get(link, []) if pair[0] not in fresh]
                pairs += came.get(entry_id, {}).get(link, [])
                links[link] = sorted(pairs, key=lambda pair: position[pair[0]])
            blobs[name] = {"entry": entries[entry_id], "links": links}


def _completion_order(item: list[str]) -> tuple[str, str]:
    return (item[0].casefold(), item[0])


def _merge_completions(
    reuse: KnowledgeBase, entries: Mapping[str, Entry], fresh: set[str], blobs: dict[str, object]
) -> None:
    """Completions: the first characters a user's entries (or the entries they replace) start a candidate
    with, made anew from the stored ones; the others copied as stored."""
    old = _completion_candidates({i: reuse.entry(i) for i in fresh if reuse.has(i)})
    new = _completion_candidates({i: entries[i] for i in _fresh_in_order(entries, fresh)})
    touched = {item[0][0].casefold() for item in (*old, *new)}
    stored: list[str] = reuse.meta["completions"]  # type: ignore[assignment]
    firsts = []
    for first in sorted({*stored, *touched}):
        if first not in touched:
            copy_blob(reuse, "complete/" + first, blobs)
            firsts.append(first)
            continue
        items = [item for item in reuse.completions(first) if item not in old]
        held = {item[0] for item in items}
        items += [item for item in new if item[0][0].casefold() == first and item[0] not in held]
        if items:
            blobs["complete/" + first] = sorted(items, key=_completion_order)
            firsts.append(first)
    blobs["meta"]["completions"] = firsts  # type: ignore[index]


def _merge_rows(
    reuse: KnowledgeBase,
    entries: Mapping[str, Entry],
    fresh: set[str],
    order: dict[str, list[str]],
    blobs: dict[str, object],
) -> None:
    """Each family's treatment rows: those of a family a user's treatment joins or leaves made anew."""
    moved = {i for i in fresh if i in entries and entries[i]["kind"] == "treatment"}
    moved |= {i for i in fresh if reuse.has(i) and reuse.entry(i)["kind"] == "treatment"}
    touched = {str(entries[i].get("family")) for i in moved if i in entries}
    touched |= {str(reuse.entry(i).get("family")) for i in moved if reuse.has(i)}
    position = {i: number for number, i in enumerate(order["treatment"])}
    for family in order["family"]:
        name = "rows/" + family
        if family not in touched:
            copy_blob(reuse, name, blobs)
            continue
        stored: list[dict[str, object]] = reuse.blob(name) or []  # type: ignore[assignment]
        rows = [row for row in stored if row["id"] not in moved]
        rows += [_row(entries[i]) for i in moved if i in entries and entries[i].get("family") == family]
        blobs[name] = sorted(rows, key=lambda row: position[str(row["id"])])


def _merged_lookup_tables(
    reuse: KnowledgeBase, entries: Mapping[str, Entry], fresh: set[str], changed: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The shipped data's lookup tables without the entries in `fresh`, plus the keys of those entries: the
    whole canonical table (it is stored whole, as `lookup`), and of the word-order-free table only the keys
    in `changed` (the only ones its rebuilt buckets read)."""

    def kept(table: dict[str, list[str]]) -> dict[str, list[str]]:
        result = {}
        for key, ids in table.items():
            left = [i for i in ids if i in entries and i not in fresh]
            if left:
                result[key] = left
        return result

    canon = kept(reuse.canonical_keys())
    stored: dict[str, list[str]] = {}
    for number in {bucket(key) for key in changed}:
        table: dict[str, list[str]] = reuse.blob(f"unordered/{number}") or {}  # type: ignore[assignment]
        stored.update((key, ids) for key, ids in table.items() if key in changed)
    return _lookup_tables({i: entries[i] for i in fresh if i in entries}, canon, kept(stored))


def _lookup_tables(
    entries: dict[str, Entry],
    canon: dict[str, list[str]] | None = None,
    unordered: dict[str, list[str]] | None = None,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Canonical keys and word-order-free keys for every id, name and alias (added to given tables)."""
    canon = {} if canon is None else canon
    unordered = {} if unordered is None else unordered
    for entry_id, entry in entries.items():
        for key in lookup.entry_keys(entry):
            words = lookup.canonical_words(key)
            joined = "".join(key.split())  # "Solu-Medrol", "Acthar Gel" are typed "solumedrol", "acthargel"
            pairs = [(canon, " ".join(words)), (unordered, " ".join(sorted(words)))]
            if 1 < len(words) <= 3 and len(joined) >= 6:
                pairs.append((canon, lookup.fold(joined)))
            for table, folded in pairs:
                owners = table.setdefault(folded, [])
                if entry_id not in owners:
                    owners.append(entry_id)
    return canon, unordered


Posting = list[object]  # [id, weighted tf, doc length, kind, family]


def _merge_text_index(
    reuse: KnowledgeBase, entries: Mapping[str, Entry], fresh: set[str], blobs: dict[str, object]
) -> None:
    """Postings of the unchanged entries from `reuse`, plus those of the `fresh` ones, tokenised now.

    Only the buckets that hold a fresh entry's words (or the words of an entry it replaces) are unpacked and
    changed; the others are copied into the new store as they are."""
    meta: dict[str, float] = reuse.blob("textmeta")  # type: ignore[assignment]
    total, length_sum = int(meta["total"]), float(meta["sum"])
    added, count, added_sum = _text_index({i: entries[i] for i in fresh if i in entries})
    replaced = {i: reuse.entry(i) for i in fresh if reuse.record(i) is not None}
    old_tokens, _count, _sum = _text_index(replaced) if replaced else ({}, 0, 0.0)
    touched = {bucket(token) for token in [*added, *old_tokens]}
    dropped: dict[str, float] = {}
    for number in range(BUCKETS):
        name = f"text/{number}"
        if number not in touched:
            copy_blob(reuse, name, blobs)
            continue
        table: dict[str, list[Posting]] = reuse.blob(name) or {}  # type: ignore[assignment]
        kept: dict[str, list[Posting]] = {}
        for token, postings in table.items():
            remaining = []
            for posting in postings:
                if posting[0] in fresh:
                    dropped[str(posting[0])] = float(posting[2])  # type: ignore[arg-type]
                else:
                    remaining.append(posting)
            if remaining:
                kept[token] = remaining
        for token, postings in added.items():
            if bucket(token) == number:
                kept.setdefault(token, []).extend(postings)
        if kept:
            blobs[name] = kept
    words: list[str] = reuse.blob("textwords") or []  # type: ignore[assignment]
    blobs["textwords"] = sorted(set(words) | set(added))
    total = total - len(dropped) + count
    length_sum = length_sum - sum(dropped.values()) + added_sum
    blobs["textmeta"] = {"total": total, "average": length_sum / total if total else 1.0, "sum": length_sum}


def _text_index(entries: dict[str, Entry]) -> tuple[dict[str, list[Posting]], int, float]:
    """BM25 postings with per-field weights: token -> [id, weighted tf, doc length, kind, family]."""
    frequencies: dict[str, dict[str, float]] = {}
    lengths: dict[str, float] = {}
    for entry_id, entry in entries.items():
        length = 0.0
        for field in ("id", *fulltext.SEARCHED_FIELDS):
            if field not in entry:
                continue
            weight = fulltext.FIELD_WEIGHTS.get(field, 1.0)
            for token in fulltext.tokenize(fulltext.field_text(entry[field])):  # type: ignore[literal-required]
                counts = frequencies.setdefault(token, {})
                counts[entry_id] = counts.get(entry_id, 0.0) + weight
                length += 1
        lengths[entry_id] = length
    postings: dict[str, list[Posting]] = {
        token: [[i, tf, lengths[i], entries[i]["kind"], entries[i].get("family")] for i, tf in counts.items()]
        for token, counts in frequencies.items()
    }
    return postings, len(lengths), sum(lengths.values())


def _completion_candidates(entries: dict[str, Entry]) -> list[list[str]]:
    """[candidate, description, kind, category] for ids, and one-word names and aliases (a name with spaces
    is offered as its id, which needs no quotes).

    Descriptions are kept short and free of brackets: Typer passes them through Rich, which would read
    brackets as markup and wrap long lines.
    """
    found: dict[str, list[str]] = {}
    for entry_id, entry in entries.items():
        name = str(entry.get("name", entry_id)).replace("[", "(").replace("]", ")")
        if len(name) > 50:
            name = name[:47].rstrip() + "..."
        kind, category = entry["kind"], str(entry.get("category", ""))
        found.setdefault(entry_id, [entry_id, f"{name} ({kind})", kind, category])
        for word in [name, *(entry.get("aliases") or [])]:
            if word and " " not in word and word.casefold() != entry_id:
                description = f"{name} ({kind})" if word == name else f"= {name}"
                found.setdefault(word, [word, description, kind, category])
    return list(found.values())
