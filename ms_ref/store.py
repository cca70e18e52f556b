"""The compiled store on disk and the cache policy: when a store can be trusted, and when to rebuild it.

File format: a magic number, a marshalled header, then marshalled blobs that the header's offset table
points at; a command reads only the blobs it needs (ms_ref.kb). A cache file may instead be a bare
header that points at another store: the one prebuilt into the wheel, read in place.

A store is valid for exactly the contents it was built from: the data files, the user's entry files
and the code that compiles them (a hash of ms_ref's compiling sources). Hashing every file on every
run would cost more than msref's own answer, so each store also records a cheap stamp of the same
files (size, modification time, change time, inode); when that stamp still matches, the contents
cannot have changed. When it does not (a copy with `cp -p`, an upgrade, an edit), the contents are
hashed: an unchanged content is re-stamped, anything else is rebuilt. Old cache files are pruned.

Builtin modules only: every run imports it. YAML is parsed only on a rebuild (ms_ref.ingest).
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib

from ms_ref import __version__, paths
from ms_ref.errors import DataError
from ms_ref.kb import KnowledgeBase, Raw, bucket, memory_store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

_MAGIC = b"MSREFKB5"
_LARGEST = 8 * 1024 * 1024  # as ms_ref.ingest.yamlread.MAX_FILE_BYTES: larger files are refused anyway
PREBUILT = "kb.bin"
KEEP_CACHES = 4
# The modules whose code shapes a compiled store; editing any of them invalidates every cache.
CODE_FILES = (
    "spec.py",
    "words.py",
    "lookup.py",
    "rank.py",
    "everyday.txt",
    "common.txt",
    "synonyms.txt",
    "lookalikes.txt",
    "concepts.txt",
    "vectors.bin",
    "examples.tsv",
    "confidence.py",
    "vectors.py",
    "fulltext.py",
    "annotate.py",
    "kb.py",
    "store.py",
    os.path.join("ingest", "yamlread.py"),
    os.path.join("ingest", "validate.py"),
    os.path.join("ingest", "citations.py"),
    os.path.join("ingest", "merge.py"),
    os.path.join("ingest", "compile.py"),
)
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class CacheCorrupt(Exception):
    """A blob could not be read although the header was valid (a truncated or overwritten file)."""


# --------------------------------------------------------------------------------------------------
# The file format


def write_store(path: str, header: dict[str, object], blobs: dict[str, object] | None = None) -> bool:
    """Write a store (or, without blobs, a header that points elsewhere) atomically: a temporary file in
    the same folder, renamed into place when complete. False when the folder is not writable."""
    chunks: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    if blobs is not None:
        entry_offsets: dict[int, dict[str, tuple[int, int]]] = {}
        offset = 0
        for name, value in blobs.items():
            # Raw: bytes copied unchanged from the store a user's entries were merged onto.
            data = bytes(value) if isinstance(value, Raw) else marshal.dumps(value)  # type: ignore[arg-type]
            chunks.append(data)
            if name.startswith("entry/"):
                entry_offsets.setdefault(bucket(name[6:]), {})[name[6:]] = (offset, len(data))
            else:
                index[name] = (offset, len(data))
            offset += len(data)
        for number, table in entry_offsets.items():
            data = marshal.dumps(table)
            chunks.append(data)
            index[f"entries/{number}"] = (offset, len(data))
            offset += len(data)
    head = marshal.dumps({**header, "index": index})
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(_MAGIC + len(head).to_bytes(8, "little") + head)
            for chunk in chunks:
                handle.write(chunk)
        os.replace(temp, path)
        return True
    except (OSError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False


def read_header(path: str) -> tuple[dict[str, object], int, int] | None:
    """(header, open file descriptor, offset of the first blob), or None if `path` is not an intact store."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        head = os.pread(fd, 16, 0)
        if len(head) != 16 or head[:8] != _MAGIC:
            raise ValueError("not an msref store")
        size = int.from_bytes(head[8:], "little")
        if not 0 < size < 1 << 26:
            raise ValueError("bad header size")
        header = marshal.loads(os.pread(fd, size, 16))
        if not isinstance(header, dict) or not isinstance(header.get("index"), dict):
            raise ValueError("bad header")
        index: dict[str, tuple[int, int]] = header["index"]
        expected = 16 + size + max((start + length for start, length in index.values()), default=0)
        if os.fstat(fd).st_size != expected:  # truncated or appended to: rebuild rather than trust it
            raise ValueError("wrong size")
    except (OSError, ValueError, EOFError, TypeError):
        os.close(fd)
        return None
    return header, fd, 16 + size


def _reader(path: str, fd: int, base: int, index: dict[str, tuple[int, int]]) -> Callable[[str], object]:
    tables: dict[int, dict[str, tuple[int, int]]] = {}

    def load(where: tuple[int, int]) -> object:
        start, length = where
        data = os.pread(fd, length, base + start)
        if len(data) != length:
            raise CacheCorrupt(path)
        return marshal.loads(data)

    def locate(name: str) -> tuple[int, int] | None:
        if name.startswith("entry/"):  # entries are found through their bucket's table of places
            number = bucket(name[6:])
            if number not in tables:
                where = index.get(f"entries/{number}")
                tables[number] = load(where) if where else {}  # type: ignore[assignment]
            return tables[number].get(name[6:])
        return index.get(name)

    def read(name: str) -> object:
        try:
            if name.startswith("raw:"):  # a blob's bytes, to copy into a new store unchanged
                where = locate(name[4:])
                if where is None:
                    return None
                data = os.pread(fd, where[1], base + where[0])
                if len(data) != where[1]:
                    raise CacheCorrupt(path)
                return Raw(data)
            where = locate(name)
            return load(where) if where else None
        except (ValueError, EOFError, TypeError, OSError) as exc:
            raise CacheCorrupt(path) from exc

    return read


def open_store(path: str, stamp: object = None, content: object = None) -> KnowledgeBase | None:
    """The store at `path` if it is intact and its stamp (or, failing that, its content) matches;
    a pointing header is followed to the store it names, which must hold the same content."""
    found = read_header(path)
    if found is None:
        return None
    header, fd, base = found
    if not (stamp is not None and header.get("stamp") == stamp) and not (
        content is not None and header.get("content") == content
    ):
        os.close(fd)
        return None
    target = header.get("target")
    if isinstance(target, str):
        os.close(fd)
        pointed = read_header(target)
        if pointed is None:
            return None
        inner, fd, base = pointed
        if inner.get("content") != header.get("content"):
            os.close(fd)
            return None
        header = {**inner, "warnings": header.get("warnings", [])}
    warnings: list[str] = header.get("warnings") or []  # type: ignore[assignment]
    kb = KnowledgeBase(_reader(path, fd, base, header["index"]), list(warnings))  # type: ignore[arg-type]
    kb.closing = fd  # the store file stays open while the knowledge base is in use, and no longer
    return kb


# --------------------------------------------------------------------------------------------------
# Stamps


def _stat_stamp(path: str) -> tuple[object, ...]:
    try:
        info = os.stat(path)
    except OSError as exc:
        return (path, exc.errno)
    return (path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _code_paths() -> list[str]:
    return [os.path.join(_PACKAGE, name) for name in CODE_FILES]


def fast_stamp(files: list[str], problems: list[str]) -> tuple[object, ...]:
    """A cheap stamp of the sources and the code: stat results only."""
    return (
        __version__,
        tuple(sys.version_info[:2]),
        tuple(problems),
        *[_stat_stamp(p) for p in [*files, *_code_paths()]],
    )


def code_hash() -> int:
    """A hash of the sources that compile the store (so that editing them invalidates every store)."""
    value = 0
    for path in _code_paths():
        try:
            with open(path, "rb") as handle:
                # vectors.bin (1.4 MB) begins with a line holding the checksum of the rest: read that line.
                value = zlib.crc32(handle.readline() if path.endswith(".bin") else handle.read(), value)
        except OSError:
            value = zlib.crc32(path.encode(), value)
    return value


def content_stamp(files: list[str], problems: list[str] | None = None) -> tuple[object, ...]:
    """What a store was built from: the code and every file's name and content (not its path or times)."""
    parts: list[object] = [__version__, code_hash(), tuple(problems or ())]
    for path in files:
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > _LARGEST:
                # A pipe, a device or a huge file is never read here (reading could block or never end);
                # validation reports it.
                parts.append((os.path.basename(path), info.st_mode, info.st_size, info.st_mtime_ns))
                continue
            with open(path, "rb") as handle:
                parts.append((os.path.basename(path), zlib.crc32(handle.read(_LARGEST + 1))))
        except OSError as exc:
            parts.append((os.path.basename(path), exc.errno))
    return tuple(parts)


# --------------------------------------------------------------------------------------------------
# The cache policy


class Sources:
    """The files a knowledge base is built from: the shipped (or MSREF_DATA_DIR) files and the user's."""

    def __init__(self) -> None:
        self.folder = paths.data_dir()
        self.shipped = [os.path.join(self.folder, name) for name in paths.KB_FILES]
        self.user, self.user_problems = paths.user_files(paths.user_dir())

    @property
    def files(self) -> list[str]:
        return [*self.shipped, *self.user]


def cache_path(files: list[str]) -> str:
    """The cache file for this set of source files (one per data folder and user folder)."""
    tag = zlib.crc32("\0".join(files).encode("utf-8", "surrogateescape"))
    return os.path.join(paths.cache_dir(), f"kb-{tag:08x}.bin")


def prebuild(folder: str, target: str) -> None:
    """Compile the knowledge base in `folder` into `target`, for shipping in the wheel.

    Raises DataError if the data is invalid, so a wheel never ships invalid data.
    """
    from ms_ref.ingest import build

    shipped = [os.path.join(folder, name) for name in paths.KB_FILES]
    built = build(shipped, [])
    if built.problems:
        raise DataError(built.problems)
    if not write_store(target, {"content": content_stamp(shipped)}, built.blobs):
        raise DataError([f"{target}: cannot write the compiled knowledge base"])


def _prebuilt(shipped: list[str], content: tuple[object, ...]) -> tuple[str, KnowledgeBase] | None:
    """The store prebuilt beside the shipped data, if it was built from these contents with this code."""
    path = os.path.join(os.path.dirname(shipped[0]), PREBUILT)
    kb = open_store(path, content=content)
    return (path, kb) if kb is not None else None


def _prune(keep: str) -> None:
    """Remove all but the few most recently used cache files (and leftovers of interrupted writes)."""
    folder = os.path.dirname(keep)
    try:
        names = [n for n in os.listdir(folder) if n.startswith("kb-")]
    except OSError:
        return
    stores: list[tuple[float, str]] = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            info = os.stat(path)
        except OSError:
            continue
        if name.endswith(".tmp"):
            if info.st_mtime < os.stat(keep).st_mtime - 3600:
                _remove(path)
        elif name.endswith(".bin") and path != keep:
            stores.append((info.st_atime if info.st_atime > info.st_mtime else info.st_mtime, path))
    for _used, path in sorted(stores, reverse=True)[KEEP_CACHES - 1 :]:
        _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _warnings(problems: list[str], skipped: dict[str, list[str]]) -> list[str]:
    found = [f"your entries: {problem}" for problem in problems]
    for path, file_problems in skipped.items():
        count = len(file_problems)
        found.append(
            f"left out your entries in {path}: {count} problem{'s' if count != 1 else ''} (`msref validate` lists them)"
        )
    return found


def load_knowledge_base(use_cache: bool = True) -> KnowledgeBase:
    """The knowledge base, from the cache when it is valid for the current files and code.

    Raises DataError when the shipped data (or MSREF_DATA_DIR) is invalid. A user's file with problems
    is left out, with a warning on the knowledge base.
    """
    sources = Sources()
    files, problems = sources.files, sources.user_problems
    path = cache_path(files)
    stamp = fast_stamp(files, problems)
    if use_cache:
        kb = open_store(path, stamp=stamp)
        if kb is not None:
            return kb
    content = content_stamp(files, problems)
    if use_cache:
        kb = open_store(path, content=content)
        if kb is not None:  # the same contents under new times (a copy, a checkout): re-stamp it
            _restamp(path, stamp)
            return kb
    shipped_content = content_stamp(sources.shipped)
    prebuilt = _prebuilt(sources.shipped, shipped_content) if use_cache else None
    warnings = _warnings(problems, {})
    if prebuilt is not None and not sources.user:
        target, kb = prebuilt
        if write_store(path, {"stamp": stamp, "content": content, "target": target, "warnings": warnings}):
            _prune(path)
        kb.warnings = warnings
        return kb
    from ms_ref.ingest import build

    built = build(sources.shipped, sources.user, prebuilt[1] if prebuilt else None)
    if built.problems:
        raise DataError(built.problems)
    warnings = _warnings(problems, built.skipped)
    if write_store(path, {"stamp": stamp, "content": content, "warnings": warnings}, built.blobs):
        _prune(path)
    return memory_store(built.blobs, warnings)


def _restamp(path: str, stamp: tuple[object, ...]) -> None:
    """Give a valid store the current cheap stamp, rewriting it in place of the old one."""
    found = read_header(path)
    if found is None:
        return
    header, fd, base = found
    try:
        size = os.fstat(fd).st_size - base
        body = os.pread(fd, size, base)
    except OSError:
        return
    finally:
        os.close(fd)
    index = header.pop("index")
    blobs_head = marshal.dumps({**header, "stamp": stamp, "index": index})
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as handle:
            handle.write(_MAGIC + len(blobs_head).to_bytes(8, "little") + blobs_head + body)
        os.replace(temp, path)
    except OSError:
        _remove(temp)


def answer(build: Callable[[KnowledgeBase], T]) -> T:
    """`build(kb)` on the cached knowledge base; if a piece of the cache turns out unreadable, rebuild
    and answer again (nothing has been printed by then: views are built before they are rendered)."""
    try:
        return build(load_knowledge_base())
    except CacheCorrupt:
        return build(load_knowledge_base(use_cache=False))
