"""Merging the shipped knowledge base and the user's own entries into one set of checked entries.

A user's entry with a shipped entry's id replaces it (same kind only). Every cross-reference must
resolve and every name or alias must name one entry. A problem in the shipped data is fatal (exit 3);
a user's file with problems is left out as a whole, so answers still come from the shipped data and
the user's valid files, and each command warns about the file it left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from ms_ref import lookup, spec
from ms_ref.ingest.validate import Checked, validate_file
from ms_ref.kb import KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Entry

_KINDS = {section: kind for section, (kind, _fields) in spec.SECTIONS.items()}
_REFERENCES = (
    # (kind, field, kinds it may point at)
    ("treatment", "family", ("family",)),
    ("treatment", "acts_on", ("step",)),
    ("treatment", "related", ("term", "treatment", "step", "family")),
    ("treatment", "treats", ("term",)),
    ("term", "related", ("term", "treatment", "step", "family")),
    ("step", "terms", ("term",)),
)


class Overlaid(Mapping[str, "Entry"]):
    """The entries of a compiled store with a user's on top. A shipped entry is unpacked only when asked
    for, so merging a user's few entries does not read the hundreds of shipped ones. Iterates in the
    store's order (by kind), then the user's new entries in the order they were added."""

    def __init__(self, base: KnowledgeBase) -> None:
        self.base = base
        self.own: dict[str, Entry] = {}
        self._kinds = {i: kind for kind in KINDS for i in base.ids(kind)}

    def __getitem__(self, entry_id: str) -> Entry:
        if entry_id in self.own:
            return self.own[entry_id]
        if entry_id in self._kinds:
            return self.base.entry(entry_id)
        raise KeyError(entry_id)

    def __setitem__(self, entry_id: str, entry: Entry) -> None:
        self.own[entry_id] = entry
        self._kinds[entry_id] = entry["kind"]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._kinds

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def kind(self, entry_id: str) -> str:
        return self._kinds[entry_id]


class Merged:
    """What merging produced. A plain class: importing dataclasses costs a first run 25 ms."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] | Overlaid = {}
        self.where: dict[str, str] = {}  # id -> "path:line"
        self.overrides: list[list[str]] = []  # [id, user file]
        self.user_ids: set[str] = set()
        self.names: dict[str, list[str]] = {}  # normalised name or alias -> ids
        self.problems: list[str] = []  # in the shipped data, or all when nothing is left out
        self.skipped: dict[str, list[str]] = {}  # user file -> its problems


def merge(
    shipped: list[str], user: list[str], base: KnowledgeBase | None = None, skip_bad_user_files: bool = True
) -> Merged:
    """Validate and merge. With `base` (the shipped data, compiled and checked when the wheel was built),
    only the user's files are read. With `skip_bad_user_files`, a user's file with problems is left out
    (and named in `skipped`); otherwise its problems join `problems`, as `msref validate` reports them."""
    checked = {path: validate_file(path) for path in [*(shipped if base is None else []), *user]}
    skipped: dict[str, list[str]] = {}
    while True:
        merged = _merge_once(shipped, [p for p in user if p not in skipped], checked, base)
        if not skip_bad_user_files:
            return merged
        bad = {path: problems for path, problems in _by_file(merged.problems, user).items() if path not in skipped}
        if not bad:
            merged.skipped = skipped
            return merged
        skipped.update(bad)


def _by_file(problems: list[str], files: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        for path in files:
            if problem.startswith(path + ":"):
                found.setdefault(path, []).append(problem)
                break
    return found


def _merge_once(shipped: list[str], user: list[str], checked: dict[str, Checked], base: KnowledgeBase | None) -> Merged:
    merged = Merged()
    if base is not None:
        folder = os.path.dirname(shipped[0])
        merged.entries = Overlaid(base)
        base_where: dict[str, str] = base.meta["where"]  # type: ignore[assignment]
        merged.where = {i: os.path.join(folder, base_where.get(i, "?")) for i in merged.entries}
    user_where: dict[str, str] = {}
    for path in [*(shipped if base is None else []), *user]:
        result = checked[path]
        merged.problems.extend(result.problems)
        for section, items in result.sections.items():
            for item, line in items:
                entry_id = str(item["id"])
                location = f"{path}:{line}"
                entry: Entry = {"kind": _KINDS[section], **item}  # type: ignore[typeddict-item]
                label = f"{section}[{entry_id}]"
                if path in user:
                    if entry_id in user_where:
                        merged.problems.append(f"{location}: {label}: id also defined at {user_where[entry_id]}")
                        continue
                    user_where[entry_id] = location
                    if entry_id in merged.entries:
                        old_kind = _kind(merged.entries, entry_id)
                        if old_kind != entry["kind"]:
                            merged.problems.append(
                                f"{location}: {label}: overrides a shipped {old_kind} with a "
                                f"{entry['kind']}; an override must be of the same kind"
                            )
                            continue
                        merged.overrides.append([entry_id, path])
                elif entry_id in merged.entries:
                    merged.problems.append(
                        f"{location}: {label}: duplicate id; first defined at {merged.where[entry_id]}"
                    )
                    continue
                merged.entries[entry_id] = entry
                merged.where[entry_id] = location
    merged.user_ids = set(user_where)
    for family in spec.FAMILY_IDS:
        if shipped and family not in merged.entries:
            merged.problems.append(f"{shipped[0]}: families: the {family!r} family is missing")
    entries = merged.entries
    if isinstance(entries, Overlaid):
        # The shipped entries were checked when their store was built, and a user's entry replaces one of
        # the same kind, so a shipped reference still holds and a shipped name still names one entry: only
        # the user's entries, and the names they bring or take away, are checked.
        merged.problems.extend(_check_references(entries, merged.where, entries.own))
        merged.names, name_problems = _name_index(
            entries, merged.where, merged.user_ids, entries.own, _touched_names(entries)
        )
    else:
        merged.problems.extend(_check_references(entries, merged.where, entries))
        merged.names, name_problems = _name_index(entries, merged.where, merged.user_ids, entries)
    merged.problems.extend(name_problems)
    return merged


def _kind(entries: Mapping[str, Entry], entry_id: str) -> str:
    return entries.kind(entry_id) if isinstance(entries, Overlaid) else entries[entry_id]["kind"]


def _check_references(entries: Mapping[str, Entry], where: dict[str, str], checked: Iterable[str]) -> list[str]:
    """Problems with the references of the entries in `checked`."""
    problems = []
    for entry_id in checked:
        entry = entries[entry_id]
        for kind, name, targets in _REFERENCES:
            if entry["kind"] != kind or name not in entry:
                continue
            value = entry[name]  # type: ignore[literal-required]
            if name == "treats":
                value = [item["symptom"] for item in value]
            for ref in value if isinstance(value, list) else [value]:
                if str(ref) not in entries or _kind(entries, str(ref)) not in targets:
                    wanted = " or ".join(targets)
                    problems.append(
                        f"{where[entry_id]}: {kind}s[{entry_id}].{name}: {ref!r} is not a known {wanted} id"
                    )
                elif ref == entry_id:
                    problems.append(f"{where[entry_id]}: {kind}s[{entry_id}].{name}: refers to itself")
    return problems


def _touched_names(entries: Overlaid) -> dict[str, list[str]]:
    """The names of a user's entries, and those of the shipped entries they replace, each with the shipped
    entries it still names (none that a user's entry replaces)."""
    keys = [key for entry in entries.own.values() for key in lookup.entry_keys(entry)]
    keys += [key for i in entries.own if entries.base.has(i) for key in lookup.entry_keys(entries.base.entry(i))]
    return {key: [i for i in entries.base.by_name(key) if i not in entries.own] for key in keys}


def _name_index(
    entries: Mapping[str, Entry],
    where: dict[str, str],
    user_ids: set[str],
    indexed: Iterable[str],
    start: dict[str, list[str]] | None = None,
) -> tuple[dict[str, list[str]], list[str]]:
    """Map each normalised name of the entries in `indexed` to the entry ids it names, added to `start`
    (the names already known, from _touched_names); report names shared by two entries (against the
    user's entry when one of the two is the user's)."""
    index: dict[str, list[str]] = {} if start is None else start
    problems = []
    for entry_id in indexed:
        for key in lookup.entry_keys(entries[entry_id]):
            owners = index.setdefault(key, [])
            if owners and owners[0] != entry_id:
                first, second = owners[0], entry_id
                if first in user_ids and second not in user_ids:
                    first, second = second, first
                kind = _kind(entries, second)
                problems.append(
                    f"{where[second]}: {kind}s[{second}]: name or alias {key!r} is already "
                    f"used by {first!r} ({where[first]})"
                )
            if entry_id not in owners:
                owners.append(entry_id)
    return index, problems
