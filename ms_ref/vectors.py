"""What words mean, as small vectors: how close a query's meaning is to each entry's.

ms_ref/vectors.bin holds a vector for about 10,000 words (scripts/word_vectors.py: each word passed alone
through the sentence-embedding model all-MiniLM-L6-v2, reduced to 128 directions, one signed byte each).
Compiling gives every entry a centroid: the normalised sum of its names', aliases', everyday phrases' and
summary's vectors, each the rarity-weighted sum of its words. A query's vector is built the same way from
its words; ms_ref.rank weighs each leading candidate's score by the cosine of the two. "Exhausted" lies
nearer fatigue than optic neuritis, "wobbly" nearer balance problems than constipation (tests/test_lookup.py),
so "my meals have no flavour" reaches loss of taste, and a sentence about something else (a phone screen
flickering) lies near nothing in particular.

Builtin modules only, and no extension module (array, struct) at run time: a vector is bytes, one signed
byte per dimension, read through SIGNED. The store says where each word's row lies in vectors.bin (one
bucket per word) and holds the centroids (one bucket per entry); a row is read from the file when needed.
"""

from __future__ import annotations

import math
import os

from ms_ref.kb import close_quietly

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ms_ref.kb import KnowledgeBase

MAGIC = b"MSREFVEC1"
SIGNED = [value - 256 if value > 127 else value for value in range(256)]  # a byte as a signed byte
PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.bin")


def head(path: str = PATH) -> bytes:
    """The first line of a vectors file (its size and checksum), or b"" when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.readline(64).rstrip(b"\n")
    except OSError:
        return b""


def read_file(path: str = PATH) -> tuple[list[float], dict[str, bytes], dict[str, int]]:
    """(scale per dimension, word -> its signed bytes, word -> the offset of its bytes in the file) of a
    vectors file; all empty when it is missing."""
    import struct
    import zlib

    if not os.path.isfile(path):
        return [], {}, {}
    with open(path, "rb") as handle:
        data = handle.read()
    first, _sep, rest = data.partition(b"\n")
    magic, dims_text, count_text, check = first.split()
    if magic != MAGIC:
        raise ValueError(f"{path}: not a vectors file")
    if int(check, 16) != zlib.crc32(rest):
        raise ValueError(f"{path}: damaged (its checksum does not match)")
    dims, count = int(dims_text), int(count_text)
    scales = list(struct.unpack_from(f"<{dims}f", rest, 0))
    offset = 4 * dims
    (length,) = struct.unpack_from("<I", rest, offset)
    offset += 4
    words = rest[offset : offset + length].decode("utf-8").split("\n")
    offset += length
    if len(words) != count or len(rest) - offset != count * dims:
        raise ValueError(f"{path}: {len(words)} words and {len(rest) - offset} bytes for {count} x {dims}")
    start = len(first) + 1 + offset  # where the rows begin in the file
    table = {word: rest[offset + n * dims : offset + (n + 1) * dims] for n, word in enumerate(words)}
    return scales, table, {word: start + n * dims for n, word in enumerate(words)}


def combine(
    words: Iterable[str], vector: Callable[[str], bytes | None], weight: Callable[[str], float], scales: list[float]
) -> list[float] | None:
    """The normalised, weighted sum of the vectors of `words` (those that have one), or None."""
    total = [0.0] * len(scales)
    found = False
    for word in words:
        raw = vector(word)
        if raw is None:
            continue
        found = True
        factor = weight(word)
        for n, value in enumerate(raw):
            total[n] += factor * SIGNED[value] * scales[n]
    if not found:
        return None
    norm = math.sqrt(sum(v * v for v in total))
    return [v / norm for v in total] if norm else None


def centroids(
    keys: Iterable[tuple[str, list[str]]], table: dict[str, bytes], weight: Callable[[str], float], scales: list[float]
) -> dict[str, bytes]:
    """entry id -> its centroid: the normalised sum of its keys' normalised vectors, as signed bytes (x 127)."""
    sums: dict[str, list[float]] = {}
    for entry_id, words in keys:
        key = combine(words, table.get, weight, scales)
        if key is None:
            continue
        total = sums.setdefault(entry_id, [0.0] * len(scales))
        for n, value in enumerate(key):
            total[n] += value
    found: dict[str, bytes] = {}
    for entry_id, total in sums.items():
        norm = math.sqrt(sum(v * v for v in total))
        if norm:
            found[entry_id] = bytes(round(127 * v / norm) % 256 for v in total)
    return found


class Meaning:
    """The vectors of one knowledge base, read as far as a query needs them: the store says where a word's
    row lies in ms_ref/vectors.bin (one bucket per word), and the row is read from there."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        meta: dict[str, object] = kb.blob("vecmeta") or {}  # type: ignore[assignment]
        self.scales: list[float] = list(meta.get("scales") or [])  # type: ignore[call-overload]
        self.dims = len(self.scales)
        self._fd: int | None = None
        if self.scales:
            try:
                fd = os.open(PATH, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                self.scales = []
            else:
                if os.pread(fd, 64, 0).partition(b"\n")[0] == meta.get("head"):
                    self._fd = fd
                else:  # not the file the store was compiled with: read nothing rather than wrong rows
                    os.close(fd)
                    self.scales = []

    def __del__(self) -> None:
        close_quietly(self._fd)
        self._fd = None

    def vector(self, word: str) -> bytes | None:
        where = self.kb._bucketed("vec", word)
        if self._fd is None or not isinstance(where, int):
            return None
        try:
            raw = os.pread(self._fd, self.dims, where)
        except OSError:
            return None
        return raw if len(raw) == self.dims else None

    def query(self, words: Iterable[str], weight: Callable[[str], float]) -> list[float] | None:
        if not self.scales:
            return None
        return combine(words, self.vector, weight, self.scales)

    def cosine(self, query: list[float], entry_id: str) -> float | None:
        raw: bytes | None = self.kb._bucketed("centroid", entry_id)  # type: ignore[assignment]
        if raw is None:
            return None
        return sum(a * SIGNED[b] for a, b in zip(query, raw)) / 127.0


def meaning(kb: KnowledgeBase) -> Meaning:
    return kb.derived("meaning", Meaning)
