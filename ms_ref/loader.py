"""Load the knowledge base: safe YAML -> validated, indexed plain data, cached between runs.

The validated entries are compiled into small indexed pieces (ms_ref.compile, ms_ref.kb) and cached,
so a command reads back only the pieces it needs. YAML is parsed only when the cache is missing,
stale, corrupt or unwritable; PyYAML is imported only then.

Every problem found is reported at once, each naming the file, the line, the entry and the key path.
"""

from __future__ import annotations

import os
import sys

from ms_ref import __version__, models, resources
from ms_ref.errors import DataError
from ms_ref.kb import CacheCorrupt, KnowledgeBase, memory_store, open_store, restamp, write_store

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
CACHE_FORMAT = 3


# --------------------------------------------------------------------------------------------------
# YAML with line numbers


def _line_loader():  # noqa: ANN202 - returns a class built on the lazily imported yaml
    """A safe loader that records the line of every mapping key and sequence item."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.lines: dict[int, tuple[int, object]] = {}
            self.duplicates: list[tuple[int, str]] = []

        def construct_yaml_map(self, node):  # noqa: ANN001, ANN202
            data: dict[object, object] = {}
            yield data
            key_lines: dict[object, int] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping key must be a plain value", key_node.start_mark
                    ) from None
                if key in data:
                    self.duplicates.append((key_node.start_mark.line + 1, str(key)))
                data[key] = self.construct_object(value_node, deep=True)
                key_lines[key] = key_node.start_mark.line + 1
            self.lines[id(data)] = (node.start_mark.line + 1, key_lines)

        def construct_yaml_seq(self, node):  # noqa: ANN001, ANN202
            data: list[object] = []
            yield data
            data.extend(self.construct_object(item, deep=True) for item in node.value)
            self.lines[id(data)] = (
                node.start_mark.line + 1,
                [item.start_mark.line + 1 for item in node.value],
            )

    LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_yaml_map)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_yaml_seq)
    return LineLoader


def _check_node_graph(root, path: str) -> list[str]:  # noqa: ANN001
    """Refuse aliases (the 'billion laughs' expansion) and absurd nesting before constructing."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1
            return [f"{path}:{line}: YAML anchors and aliases are not allowed in knowledge-base files"]
        seen.add(id(node))
        if depth > MAX_DEPTH:
            line = node.start_mark.line + 1
            return [f"{path}:{line}: nesting deeper than {MAX_DEPTH} levels"]
        if isinstance(node.value, list):
            for item in node.value:
                if isinstance(item, tuple):
                    stack.append((item[0], depth + 1))
                    stack.append((item[1], depth + 1))
                else:
                    stack.append((item, depth + 1))
    return []


def _failing_line(loader: object, root: object) -> int:
    """The line of the first scalar that cannot be constructed on its own."""
    stack = [root]
    while stack:
        node = stack.pop()
        value = node.value  # type: ignore[attr-defined]
        if isinstance(value, list):
            for item in reversed(value):
                stack.extend(reversed(item) if isinstance(item, tuple) else [item])
            continue
        try:
            loader.construct_object(node, deep=True)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - any failure marks the culprit
            return int(node.start_mark.line) + 1  # type: ignore[attr-defined]
    return 0


def read_yaml(path: str) -> tuple[object, dict[int, tuple[int, object]], list[str]]:
    """Parse one YAML file safely. Returns (data, line table, problems)."""
    try:
        if os.path.exists(path) and not os.path.isfile(path):
            kind = "a folder" if os.path.isdir(path) else "not a regular file (a device, pipe or socket)"
            return None, {}, [f"{path}: is {kind}, not a YAML file"]
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            return None, {}, [f"{path}: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"]
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # a file growing while it is read stops here too
        if len(raw) > MAX_FILE_BYTES:
            return None, {}, [f"{path}: file is over {MAX_FILE_BYTES:,} bytes, the limit"]
    except FileNotFoundError:
        return None, {}, [f"{path}: file not found"]
    except OSError as exc:
        return None, {}, [f"{path}: cannot read: {exc.strerror or exc}"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, {}, [f"{path}:{line}: not UTF-8 text (byte {exc.start})"]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, {}, [f"{path}:{line}: contains NUL bytes; not a YAML text file"]
    import yaml

    loader = _line_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [f"{path}: file is empty"]
        problems = _check_node_graph(node, path)
        if problems:
            return None, {}, problems
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            # A value YAML recognises but cannot build, such as the date 2026-02-30.
            return None, {}, [f"{path}:{_failing_line(loader, node)}: cannot read a value: {exc}"]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "could not determine a constructor" in reason:
            reason = "unsupported YAML tag (only plain YAML is read; no Python objects)"
        return None, {}, [f"{path}{line}: not valid YAML: {reason}"]
    except yaml.YAMLError as exc:
        return None, {}, [f"{path}: not valid YAML: {exc}"]
    except RecursionError:
        return None, {}, [f"{path}: nesting too deep to read"]
    finally:
        loader.dispose()
    problems = [
        f"{path}:{line}: key {key!r} appears twice in one mapping" for line, key in loader.duplicates
    ]
    return data, loader.lines, problems


# --------------------------------------------------------------------------------------------------
# Validation against models.py


class _Checker:
    """Walks one file's data against the field specs, collecting problems and normalising dates."""

    def __init__(self, path: str, lines: dict[int, tuple[int, object]]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[str] = []

    def line_of(self, container: object, key: object = None) -> int:
        entry = self.lines.get(id(container))
        if entry is None:
            return 0
        start, keys = entry
        if key is None:
            return start
        if isinstance(keys, dict):
            return keys.get(key, start)
        if isinstance(keys, list) and isinstance(key, int) and 0 <= key < len(keys):
            return keys[key]
        return start

    def report(self, line: int, where: str, message: str) -> None:
        location = f"{self.path}:{line}" if line else self.path
        self.problems.append(f"{location}: {where}: {message}")

    def check_entry(
        self, section: str, index: int, entry: object, fields: dict[str, tuple[object, bool]]
    ) -> dict[str, object] | None:
        label = f"{section}[{index}]"
        if not isinstance(entry, dict):
            self.report(self.line_of(self.section_list, index), label, _expected("a mapping", entry))
            return None
        entry_id = entry.get("id")
        if isinstance(entry_id, str) and entry_id:
            label = f"{section}[{entry_id}]"
        clean: dict[str, object] = {}
        for key in entry:
            if key not in fields:
                near = _closest(str(key), list(fields))
                hint = f" (did you mean {near!r}?)" if near else ""
                self.report(self.line_of(entry, key), f"{label}.{key}", f"unknown key{hint}")
        for key, (spec, required) in fields.items():
            if key not in entry:
                if required:
                    self.report(self.line_of(entry), label, f"missing required key {key!r}")
                continue
            value = self.check(entry[key], spec, entry, key, f"{label}.{key}")
            if value is not _INVALID:
                clean[key] = value
        return clean

    def check(self, value: object, spec: object, parent: object, key: object, where: str) -> object:
        line = self.line_of(parent, key)
        if isinstance(spec, tuple):
            kind = spec[0]
            if kind == "enum":
                if isinstance(value, str) and value in spec[1]:
                    return value
                choices = ", ".join(spec[1])
                self.report(line, where, f"{_show(value)} is not one of: {choices}")
                return _INVALID
            if kind == "nullable":
                return None if value is None else self.check(value, spec[1], parent, key, where)
            if kind == "one-or-list":
                if isinstance(value, list):
                    return self.check(value, ("list", spec[1]), parent, key, where)
                return self.check(value, spec[1], parent, key, where)
            if kind == "list":
                if not isinstance(value, list):
                    self.report(line, where, _expected("a list", value))
                    return _INVALID
                items = [
                    self.check(item, spec[1], value, index, f"{where}[{index}]")
                    for index, item in enumerate(value)
                ]
                return items if _INVALID not in items else _INVALID
            if kind == "record":
                if not isinstance(value, dict):
                    self.report(line, where, _expected("a mapping", value))
                    return _INVALID
                record: dict[str, object] = {}
                ok = True
                for sub in value:
                    if sub not in spec[1]:
                        self.report(self.line_of(value, sub), f"{where}.{sub}", "unknown key")
                        ok = False
                for sub, (sub_spec, required) in spec[1].items():
                    if sub not in value:
                        if required:
                            self.report(self.line_of(value), where, f"missing required key {sub!r}")
                            ok = False
                        continue
                    checked = self.check(value[sub], sub_spec, value, sub, f"{where}.{sub}")
                    if checked is _INVALID:
                        ok = False
                    else:
                        record[sub] = checked
                return record if ok else _INVALID
        return self.check_scalar(value, str(spec), line, where)

    def check_scalar(self, value: object, kind: str, line: int, where: str) -> object:
        if kind == "year":
            if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
                return value
            self.report(line, where, _expected("a year such as 2017", value))
            return _INVALID
        if kind == "date":
            text = _iso_date(value)
            if text is None:
                self.report(line, where, _expected("a date such as 2026-11-25 (or 2026-11, 2026)", value))
                return _INVALID
            return text
        if not isinstance(value, str) or not value.strip():
            self.report(line, where, _expected("text", value))
            return _INVALID
        if kind == "id" and not _is_id(value):
            self.report(line, where, f"{value!r} is not an id (lowercase letters, digits and hyphens)")
            return _INVALID
        if kind == "url" and (not value.startswith(("https://", "http://")) or " " in value):
            self.report(line, where, f"{value!r} is not an http(s) URL")
            return _INVALID
        bad = _control_character(value)
        if bad is not None:
            self.report(line, where, f"contains the control character U+{ord(bad):04X}; write plain text")
            return _INVALID
        return value.strip()


_INVALID = object()
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Terminal control characters, direction overrides and lone surrogates have no place in reference text:
# escape sequences hidden in data must not reach a reader's terminal.
_CONTROL = frozenset(
    [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                      0x200E, 0x200F, 0x061C) if chr(c) not in "\n\t"]
)


def _control_character(text: str) -> str | None:
    if text.isascii() and text.isprintable():
        return None
    for char in text:
        if char in _CONTROL or "\ud800" <= char <= "\udfff":
            return char
    return None


def _is_id(value: str) -> bool:
    return bool(value) and set(value) <= _ID_CHARS and not value.startswith("-") and not value.endswith("-") and "--" not in value


def _iso_date(value: object) -> str | None:
    import datetime

    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return str(value)
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(parts) == 1 and len(parts[0]) == 4:
            return value
        if len(parts) == 2 and len(parts[0]) == 4 and 1 <= numbers[1] <= 12:
            return value
        if len(parts) == 3:
            return datetime.date(*numbers).isoformat()
    except ValueError:
        return None
    return None


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(what: str, value: object) -> str:
    return f"expected {what}, got {_show(value)}"


def _closest(word: str, choices: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return found[0] if found else None


def validate_file(path: str) -> tuple[dict[str, list[dict[str, object]]], list[str], dict[str, int]]:
    """Read and check one knowledge-base file.

    Returns the valid entries by section, the problems, and the line of each entry id (for
    cross-file messages).
    """
    data, lines, problems = read_yaml(path)
    sections: dict[str, list[dict[str, object]]] = {}
    id_lines: dict[str, int] = {}
    if data is None:
        return sections, problems, id_lines
    checker = _Checker(path, lines)
    checker.problems.extend(problems)
    if not isinstance(data, dict):
        checker.report(checker.line_of(data), "top level", _expected("a mapping of sections", data))
        return sections, checker.problems, id_lines
    for key in data:
        if key not in models.FILE_KEYS:
            allowed = ", ".join(models.FILE_KEYS)
            checker.report(checker.line_of(data, key), str(key), f"unknown section; expected one of {allowed}")
    version = data.get("schema_version", models.SCHEMA_VERSION)
    if version != models.SCHEMA_VERSION:
        checker.report(
            checker.line_of(data, "schema_version"),
            "schema_version",
            f"this msref reads schema_version {models.SCHEMA_VERSION}, got {_show(version)}",
        )
    for section, (_kind, fields) in models.SECTIONS.items():
        if section not in data:
            continue
        entries = data[section]
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            checker.report(checker.line_of(data, section), section, _expected("a list of entries", entries))
            continue
        checker.section_list = entries  # type: ignore[attr-defined]
        clean_entries = sections.setdefault(section, [])
        for index, entry in enumerate(entries):
            clean = checker.check_entry(section, index, entry, fields)
            if clean is not None and isinstance(clean.get("id"), str):
                id_lines[str(clean["id"])] = checker.line_of(entry)
                clean_entries.append(clean)
    return sections, checker.problems, id_lines


# --------------------------------------------------------------------------------------------------
# Building the knowledge base


def build_knowledge_base(shipped: list[str], user: list[str]) -> tuple[KnowledgeBase, list[str]]:
    """Validate every file, merge the user's entries over the shipped ones, check cross-references.

    Returns (knowledge base, problems). The knowledge base is only meaningful when problems is empty.
    """
    kb, problems, _blobs = _build(shipped, user)
    return kb, problems


def _build(
    shipped: list[str], user: list[str], base: KnowledgeBase | None = None
) -> tuple[KnowledgeBase, list[str], dict[str, object]]:
    """Validate and compile. With `base` (the shipped data, already compiled and checked when the
    wheel was built), only the user's files are read from YAML."""
    from ms_ref import search
    from ms_ref.compile import compile_blobs

    problems: list[str] = []
    entries: dict[str, dict[str, object]] = {}
    where: dict[str, str] = {}
    kinds = {section: kind for section, (kind, _fields) in models.SECTIONS.items()}
    overrides: list[list[str]] = []
    user_ids: dict[str, str] = {}
    if base is not None:
        folder = os.path.dirname(shipped[0])
        entries = base.all_entries()
        base_where: dict[str, str] = base.meta["where"]  # type: ignore[assignment]
        where = {i: os.path.join(folder, base_where.get(i, "?")) for i in entries}
    for path in [*(shipped if base is None else []), *user]:
        sections, found, id_lines = validate_file(path)
        problems.extend(found)
        for section, items in sections.items():
            for item in items:
                entry_id = str(item["id"])
                location = f"{path}:{id_lines.get(entry_id, 0)}"
                entry = {"kind": kinds[section], **item}
                if path in user:
                    if entry_id in user_ids:
                        problems.append(
                            f"{location}: {section}[{entry_id}]: id also defined at {user_ids[entry_id]}"
                        )
                        continue
                    user_ids[entry_id] = location
                    if entry_id in entries:
                        old_kind = entries[entry_id]["kind"]
                        if old_kind != entry["kind"]:
                            problems.append(
                                f"{location}: {section}[{entry_id}]: overrides a shipped {old_kind} "
                                f"with a {entry['kind']}; an override must be of the same kind"
                            )
                            continue
                        overrides.append([entry_id, path])
                elif entry_id in entries:
                    problems.append(f"{location}: {section}[{entry_id}]: duplicate id; first defined at {where[entry_id]}")
                    continue
                entries[entry_id] = entry
                where[entry_id] = location
    for family in models.FAMILY_IDS:
        if shipped and family not in entries:
            problems.append(f"{shipped[0]}: families: the {family!r} family is missing")
    problems.extend(_check_references(entries, where))
    names, name_problems = search.build_name_index(entries, where)
    problems.extend(name_problems)
    relative = {i: os.path.basename(location) for i, location in where.items() if not location.startswith(tuple(user))}
    fresh = set(user_ids) if base is not None else None
    blobs = compile_blobs(entries, names, overrides, relative, base, fresh)
    return memory_store(blobs), problems, blobs


_REFERENCES = (
    # (kind, field, kinds it may point at)
    ("treatment", "family", ("family",)),
    ("treatment", "acts_on", ("step",)),
    ("treatment", "related", ("term", "treatment", "step")),
    ("term", "related", ("term", "treatment", "step")),
    ("step", "terms", ("term",)),
)


def _check_references(entries: dict[str, dict[str, object]], where: dict[str, str]) -> list[str]:
    problems = []
    for entry_id, entry in entries.items():
        for kind, field, targets in _REFERENCES:
            if entry["kind"] != kind or field not in entry:
                continue
            value = entry[field]
            for ref in value if isinstance(value, list) else [value]:
                target = entries.get(str(ref))
                if target is None or target["kind"] not in targets:
                    wanted = " or ".join(targets)
                    problems.append(
                        f"{where[entry_id]}: {kind}s[{entry_id}].{field}: {ref!r} is not a known {wanted} id"
                    )
                elif ref == entry_id:
                    problems.append(f"{where[entry_id]}: {kind}s[{entry_id}].{field}: refers to itself")
    return problems


# --------------------------------------------------------------------------------------------------
# Cache


def _fingerprint(files: list[str]) -> tuple[object, ...]:
    stamp: list[object] = [__version__, CACHE_FORMAT, tuple(sys.version_info[:2])]
    for path in files:
        try:
            info = os.stat(path)
            stamp.append((path, info.st_size, info.st_mtime_ns))
        except OSError:
            stamp.append((path, -1, -1))
    return tuple(stamp)


def cache_path(files: list[str]) -> str:
    """The cache file for this set of source files (one per data folder and user folder)."""
    import zlib

    tag = zlib.crc32("\0".join(files).encode("utf-8", "surrogateescape"))
    return os.path.join(resources.cache_dir(), f"kb-{tag:08x}.bin")


def source_files() -> tuple[list[str], list[str]]:
    """The shipped (or MSREF_DATA_DIR) files and the user's files, in load order."""
    folder = resources.data_dir()
    shipped = [os.path.join(folder, name) for name in resources.KB_FILES]
    return shipped, resources.user_files(resources.user_dir())


PREBUILT = "kb.bin"


def _content_stamp(files: list[str]) -> tuple[object, ...]:
    """What the prebuilt store is checked against: the data files' names and contents, not their paths."""
    import zlib

    stamp: list[object] = [__version__, CACHE_FORMAT]
    for path in files:
        with open(path, "rb") as handle:
            stamp.append((os.path.basename(path), zlib.crc32(handle.read())))
    return tuple(stamp)


def prebuild(folder: str, target: str) -> None:
    """Compile the knowledge base in `folder` into `target`, for shipping in the wheel.

    Raises DataError if the data is invalid, so a wheel never ships invalid data.
    """
    shipped = [os.path.join(folder, name) for name in resources.KB_FILES]
    _kb, problems, blobs = _build(shipped, [])
    if problems:
        raise DataError(problems)
    write_store(target, _content_stamp(shipped), blobs)


def _prebuilt(shipped: list[str]) -> KnowledgeBase | None:
    path = os.path.join(os.path.dirname(shipped[0]), PREBUILT)
    if not os.path.isfile(path):
        return None
    try:
        return open_store(path, _content_stamp(shipped))
    except OSError:
        return None


def load_knowledge_base(use_cache: bool = True) -> KnowledgeBase:
    """The validated knowledge base, from the cache when it is fresh. Raises DataError when invalid.

    On a miss, the store prebuilt into the wheel stands in for parsing the shipped YAML, if it was
    built from the same contents; only the user's own files are then read.
    """
    shipped, user = source_files()
    files = [*shipped, *user]
    stamp = _fingerprint(files)
    path = cache_path(files)
    if use_cache:
        kb = open_store(path, stamp)
        if kb is not None:
            return kb
        base = _prebuilt(shipped)
        if base is not None and not user and restamp(os.path.join(os.path.dirname(shipped[0]), PREBUILT), path, stamp):
            kb = open_store(path, stamp)
            if kb is not None:
                return kb
    else:
        base = None
    try:
        kb, problems, blobs = _build(shipped, user, base)
    except CacheCorrupt:
        kb, problems, blobs = _build(shipped, user)
    if problems:
        raise DataError(problems)
    write_store(path, stamp, blobs)
    return kb


def answer(build: object) -> object:
    """`build(kb)` on the cached knowledge base; if a piece of the cache turns out unreadable, rebuild
    the cache and answer again (nothing has been printed by then: views are built before rendering)."""
    try:
        return build(load_knowledge_base())  # type: ignore[operator]
    except CacheCorrupt:
        return build(load_knowledge_base(use_cache=False))  # type: ignore[operator]
