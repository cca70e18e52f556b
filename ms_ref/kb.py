"""The compiled knowledge base: indexes cut into small pieces that each command reads only as it needs.

A validated knowledge base is compiled once into named blobs of plain Python values:

    meta                 order of ids per kind, newest review date, overrides
    entry/<id>           an entry, with its back-links (who mentions it, who acts at it, members)
    names/<n>            normalised name or alias -> ids, for keys hashing to bucket n
    canon/<n>            canonical key -> (ids, treatments of the class it names), bucket n
    unordered/<n>        canonical words sorted -> ids, bucket n
    lookup               every canonical key -> ids (for the slower, partial and typo-tolerant tiers)
    text/<n>             token -> postings [id, weighted tf, doc length, kind, family], bucket n
    textmeta             document count and average length, for BM25
    complete/<c>         shell completions starting with character c
    rows/<family>        the table rows of one treatment family

The cache file stores each blob marshalled, with an offset table, so `msref explain demyelination`
reads the offset table, one name bucket and one entry: its cost does not grow with the knowledge base.
Kept to builtin modules: every run imports it.
"""

from __future__ import annotations

import marshal
import os
from zlib import crc32

BUCKETS = 64
_MAGIC = b"MSREFKB4"


def bucket(key: str) -> int:
    """A stable bucket number for `key` (Python's own hash() changes between runs)."""
    return crc32(key.encode("utf-8", "surrogatepass")) % BUCKETS


class KnowledgeBase:
    """Read access to the compiled knowledge base, from memory or from the cache file."""

    def __init__(self, read: object) -> None:
        self._read = read  # callable: blob name -> object or None
        self._memo: dict[str, object] = {}

    def blob(self, name: str) -> object:
        if name not in self._memo:
            self._memo[name] = self._read(name)  # type: ignore[operator]
        return self._memo[name]

    # entries -------------------------------------------------------------------------------------

    @property
    def meta(self) -> dict[str, object]:
        return self.blob("meta")  # type: ignore[return-value]

    def ids(self, kind: str) -> list[str]:
        return self.meta["order"][kind]  # type: ignore[index, no-any-return]

    def record(self, entry_id: str) -> dict[str, object] | None:
        return self.blob("entry/" + entry_id)  # type: ignore[return-value]

    def entry(self, entry_id: str) -> dict[str, object]:
        record = self.record(entry_id)
        if record is None:
            raise KeyError(entry_id)
        return record["entry"]  # type: ignore[return-value]

    def has(self, entry_id: str) -> bool:
        return self.record(entry_id) is not None

    def links(self, entry_id: str) -> dict[str, list[list[str]]]:
        return self.record(entry_id)["links"]  # type: ignore[index, return-value]

    def name(self, entry_id: str) -> str:
        record = self.record(entry_id)
        return str(record["entry"]["name"]) if record else entry_id  # type: ignore[index]

    def entries(self, kind: str) -> list[dict[str, object]]:
        return [self.entry(entry_id) for entry_id in self.ids(kind)]

    def all_entries(self) -> dict[str, dict[str, object]]:
        return {i: self.entry(i) for kind in ("treatment", "term", "step", "family") for i in self.ids(kind)}

    def treatment_rows(self, family: str) -> list[dict[str, object]]:
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
        return found.get(key) if found else None  # type: ignore[attr-defined]

    def by_name(self, key: str) -> list[str]:
        return self._bucketed("names", key) or []  # type: ignore[return-value]

    def by_canonical(self, key: str) -> tuple[list[str], list[str]]:
        """Ids named by a canonical key, and the treatments of the class it names (see search.py)."""
        found = self._bucketed("canon", key)
        return (found[0], found[1]) if found else ([], [])  # type: ignore[index]

    def by_unordered(self, key: str) -> list[str]:
        return self._bucketed("unordered", key) or []  # type: ignore[return-value]

    def canonical_keys(self) -> dict[str, list[str]]:
        return self.blob("lookup")  # type: ignore[return-value]

    def postings(self, token: str) -> list[list[object]]:
        return self._bucketed("text", token) or []  # type: ignore[return-value]

    def completions(self, first: str) -> list[list[str]]:
        return self.blob("complete/" + first) or []  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------
# Stores


def memory_store(blobs: dict[str, object]) -> KnowledgeBase:
    return KnowledgeBase(blobs.get)


def write_store(path: str, stamp: object, blobs: dict[str, object]) -> None:
    """Write blobs with an offset table, atomically (a temporary file renamed into place)."""
    entry_offsets: dict[int, dict[str, tuple[int, int]]] = {}
    index: dict[str, tuple[int, int]] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, value in blobs.items():
        data = marshal.dumps(value)
        chunks.append(data)
        if name.startswith("entry/"):
            entry_id = name[6:]
            entry_offsets.setdefault(bucket(entry_id), {})[entry_id] = (offset, len(data))
        else:
            index[name] = (offset, len(data))
        offset += len(data)
    for number, table in entry_offsets.items():
        data = marshal.dumps(table)
        chunks.append(data)
        index[f"entries/{number}"] = (offset, len(data))
        offset += len(data)
    header = marshal.dumps((stamp, index))
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            for chunk in chunks:
                handle.write(chunk)
        os.replace(temp, path)
    except (OSError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass


def restamp(source: str, target: str, stamp: object) -> bool:
    """Copy a store under a new stamp (the prebuilt store shipped in the wheel becomes the user's cache)."""
    try:
        with open(source, "rb") as handle:
            data = handle.read()
        size = int.from_bytes(data[8:16], "little")
        _old, index = marshal.loads(data[16 : 16 + size])
        header = marshal.dumps((stamp, index))
        temp = f"{target}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(_MAGIC + len(header).to_bytes(8, "little") + header + data[16 + size :])
        os.replace(temp, target)
        return True
    except (OSError, ValueError, EOFError, TypeError):
        return False


def open_store(path: str, stamp: object) -> KnowledgeBase | None:
    """The cache at `path` if it is intact and was built from these files; otherwise None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        head = os.pread(fd, 16, 0)
        if len(head) != 16 or head[:8] != _MAGIC:
            raise ValueError("not an msref cache")
        size = int.from_bytes(head[8:], "little")
        if not 0 < size < 1 << 26:
            raise ValueError("bad header size")
        header = os.pread(fd, size, 16)
        stored_stamp, index = marshal.loads(header)
        if stored_stamp != stamp or not isinstance(index, dict):
            raise ValueError("stale")
    except (OSError, ValueError, EOFError, TypeError):
        os.close(fd)
        return None
    base = 16 + size
    file_size = os.fstat(fd).st_size
    expected = base + max((start + length for start, length in index.values()), default=0)
    if file_size != expected:  # truncated or appended to: rebuild rather than trust it
        os.close(fd)
        return None
    tables: dict[int, dict[str, tuple[int, int]]] = {}

    def load(where: object) -> object:
        start, length = where  # type: ignore[misc]
        if base + start + length > file_size:
            raise _Corrupt
        data = os.pread(fd, length, base + start)
        if len(data) != length:
            raise _Corrupt
        return marshal.loads(data)

    def read(name: str) -> object:
        try:
            if name.startswith("entry/"):
                entry_id = name[6:]
                number = bucket(entry_id)
                if number not in tables:
                    where = index.get(f"entries/{number}")
                    tables[number] = load(where) if where else {}  # type: ignore[assignment]
                spot = tables[number].get(entry_id)
                return load(spot) if spot else None
            where = index.get(name)
            return load(where) if where else None
        except (_Corrupt, ValueError, EOFError, TypeError, OSError) as exc:
            raise CacheCorrupt(path) from exc

    return KnowledgeBase(read)


class _Corrupt(Exception):
    pass


class CacheCorrupt(Exception):
    """A blob of the cache could not be read although its header was valid (truncated, overwritten)."""
