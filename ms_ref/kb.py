"""Read access to the compiled knowledge base: entries, back-links and indexes, fetched piece by piece.

A validated knowledge base is compiled once (ms_ref.ingest.compile) into named blobs of plain values:

    meta                 order of ids per kind, newest review date, overrides, where entries came from
    entry/<id>           an entry, with its back-links (who mentions it, who acts at it, members)
    names/<n>            normalised name or alias -> ids, for keys hashing to bucket n
    canon/<n>            canonical key -> ids, bucket n
    unordered/<n>        canonical words sorted -> ids, bucket n
    lookup               every canonical key -> ids (for the slower, typo-tolerant tiers)
    leading/<n>          the first words of a longer canonical key -> its ids, bucket n
    text/<n>             token -> postings [id, weighted tf, doc length, kind, family], bucket n
    textmeta             document count and average length, for BM25
    complete/<c>         shell completions starting with character c
    rows/<family>        the table rows of one treatment family
    phrases              first word -> the phrases `msref annotate` looks for, packed in one string
    gloss                entry id -> its name and summary, packed (what annotate shows)
    rank                 the ranker's keys, word counts and small word lists (ms_ref.rank)
    rankindex/<n>        word -> the ranker's keys holding it, bucket n
    ranksyn/<n>          word -> its synonyms among the entries' words, bucket n
    rankwords            everyday English and its look-alikes of the entries' words

ms_ref.store keeps them in a file with an offset table, so `msref explain demyelination` reads one name
bucket and one entry: its cost does not grow with the knowledge base. Builtin modules only.
"""

from __future__ import annotations

import os
from zlib import crc32

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import TypeVar

    from ms_ref.types import Entry, Links, Record

    T = TypeVar("T")

BUCKETS = 64
KINDS = ("treatment", "term", "step", "family")


def bucket(key: str) -> int:
    """A stable bucket number for `key` (Python's own hash() changes between runs)."""
    return crc32(key.encode("utf-8", "surrogatepass")) % BUCKETS


def copy_blob(reuse: KnowledgeBase, name: str, blobs: dict[str, object]) -> None:
    """Blob `name` of `reuse` into `blobs` unchanged: its stored bytes where it has them (no unpacking), else
    the blob itself (a knowledge base built in memory); nothing when `reuse` has no such blob."""
    raw = reuse.raw(name)
    found = raw if raw is not None else reuse.blob(name)
    if found is not None:
        blobs[name] = found


def close_quietly(fd: int | None) -> None:
    """Close a file descriptor that may already be closed (at interpreter exit, or twice)."""
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


def overlay(
    reuse: KnowledgeBase, prefix: str, table: Mapping[str, object], changed: set[str], blobs: dict[str, object]
) -> None:
    """The buckets `prefix/N` of a store built on `reuse` into `blobs`: those holding a key in `changed`
    rebuilt from `table` (a key in `changed` but not in `table` is gone), the others copied from `reuse`
    as stored (a user's few entries touch a few buckets of thousands of names)."""
    touched: dict[int, set[str]] = {}
    for key in changed:
        touched.setdefault(bucket(key), set()).add(key)
    for number in range(BUCKETS):
        name = f"{prefix}/{number}"
        keys = touched.get(number)
        if keys is None:
            copy_blob(reuse, name, blobs)
            continue
        stored: dict[str, object] = dict(reuse.blob(name) or {})  # type: ignore[call-overload]
        found = {k: v for k, v in stored.items() if k not in keys}
        found.update({k: table[k] for k in keys if table.get(k)})
        if found:
            blobs[name] = found


class KnowledgeBase:
    """The compiled knowledge base, from memory or from a store file; `warnings` are for standard error
    (a user's entry file that was left out, an entries folder that could not be read)."""

    def __init__(self, read: Callable[[str], object], warnings: list[str] | None = None) -> None:
        self._read = read
        self._memo: dict[str, object] = {}
        self.warnings: list[str] = warnings or []
        self.closing: int | None = None  # the store's file descriptor, closed with the knowledge base

    def __del__(self) -> None:
        close_quietly(self.closing)
        self.closing = None

    def derived(self, name: str, build: Callable[[KnowledgeBase], T]) -> T:
        """An object built from this knowledge base once and kept with it (the ranker's tables)."""
        key = "derived/" + name
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]  # type: ignore[return-value]

    def raw(self, name: str) -> bytes | None:
        """A blob's stored bytes, unread (None for a knowledge base built in memory)."""
        try:
            found = self._read("raw:" + name)
        except KeyError:
            return None
        return found if isinstance(found, bytes) else None

    def blob(self, name: str) -> object:
        if name not in self._memo:
            self._memo[name] = self._read(name)
        return self._memo[name]

    # entries -------------------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, object]:
        return self.blob("meta")  # type: ignore[return-value]

    def ids(self, kind: str) -> list[str]:
        order: dict[str, list[str]] = self.meta["order"]  # type: ignore[assignment]
        return order[kind]

    def record(self, entry_id: str) -> Record | None:
        return self.blob("entry/" + entry_id)  # type: ignore[return-value]

    def entry(self, entry_id: str) -> Entry:
        record = self.record(entry_id)
        if record is None:
            raise KeyError(entry_id)
        return record["entry"]

    def has(self, entry_id: str) -> bool:
        return self.record(entry_id) is not None

    def links(self, entry_id: str) -> Links:
        record = self.record(entry_id)
        if record is None:
            raise KeyError(entry_id)
        return record["links"]

    def name(self, entry_id: str) -> str:
        record = self.record(entry_id)
        return str(record["entry"]["name"]) if record else entry_id

    def entries(self, kind: str) -> list[Entry]:
        return [self.entry(entry_id) for entry_id in self.ids(kind)]

    def all_entries(self) -> dict[str, Entry]:
        return {i: self.entry(i) for kind in KINDS for i in self.ids(kind)}

    def treatment_rows(self, family: str) -> list[Entry]:
        return self.blob("rows/" + family) or []  # type: ignore[return-value]

    @property
    def newest_reviewed(self) -> str | None:
        return self.meta["newest_reviewed"]  # type: ignore[return-value]

    @property
    def overrides(self) -> list[list[str]]:
        return self.meta["overrides"]  # type: ignore[return-value]

    # indexes -------------------------------------------------------------------------------------

    def _bucketed(self, table: str, key: str) -> object:
        found = self.blob(f"{table}/{bucket(key)}")
        return found.get(key) if isinstance(found, dict) else None

    def by_name(self, key: str) -> list[str]:
        return self._bucketed("names", key) or []  # type: ignore[return-value]

    def by_canonical(self, key: str) -> list[str]:
        """Ids named by a canonical key (see ms_ref.lookup)."""
        return self._bucketed("canon", key) or []  # type: ignore[return-value]

    def by_unordered(self, key: str) -> list[str]:
        return self._bucketed("unordered", key) or []  # type: ignore[return-value]

    def by_leading(self, phrase: str) -> list[str]:
        """Ids of the canonical keys that `phrase` starts, a word or more short of their end."""
        return self._bucketed("leading", phrase) or []  # type: ignore[return-value]

    def canonical_keys(self) -> dict[str, list[str]]:
        return self.blob("lookup")  # type: ignore[return-value]

    def postings(self, token: str) -> list[tuple[str, float, float, str, str | None]]:
        return self._bucketed("text", token) or []  # type: ignore[return-value]

    def completions(self, first: str) -> list[list[str]]:
        return self.blob("complete/" + first) or []  # type: ignore[return-value]


class Raw(bytes):
    """A blob's stored bytes, copied as they are into a new store (no unpacking, no packing)."""


def memory_store(blobs: dict[str, object], warnings: list[str] | None = None) -> KnowledgeBase:
    """A knowledge base over blobs held in memory (a fresh build, before or instead of caching it)."""

    def read(name: str) -> object:
        found = blobs.get(name[4:] if name.startswith("raw:") else name)
        if isinstance(found, Raw) and not name.startswith("raw:"):
            import marshal

            return marshal.loads(found)
        return found if not name.startswith("raw:") or isinstance(found, Raw) else None

    return KnowledgeBase(read, warnings)
