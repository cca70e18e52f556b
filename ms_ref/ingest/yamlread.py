"""Reading one knowledge-base file: safe YAML, with the line of every key and item kept for messages.

Only plain YAML is read: no tags that build Python objects, no anchors, aliases or merge keys (they
would let a small file expand into a huge one), no absurd nesting, no file over 8 MB, UTF-8 only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import yaml

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40

# id(container) -> (line of the container, {key: line} for a mapping or [line, ...] for a list)
LineTable = dict[int, tuple[int, "dict[object, int] | list[int]"]]

_MERGE = "tag:yaml.org,2002:merge"


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when present
    """A safe loader that records the line of every mapping key and sequence item."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: LineTable = {}
        self.duplicates: list[tuple[int, str]] = []

    def construct_yaml_map(self, node: yaml.MappingNode) -> Iterator[dict[object, object]]:
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

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Iterator[list[object]]:
        data: list[object] = []
        yield data
        data.extend(self.construct_object(item, deep=True) for item in node.value)
        self.lines[id(data)] = (node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value])


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)


def _check_node_graph(root: yaml.Node, path: str) -> list[str]:
    """Refuse aliases, merge keys and absurd nesting before anything is constructed."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            return [f"{path}:{line}: YAML anchors and aliases are not allowed in knowledge-base files"]
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return [f"{path}:{line}: nesting deeper than {MAX_DEPTH} levels"]
        if node.tag == _MERGE:
            return [f"{path}:{line}: YAML merge keys (<<) are not supported; write each key out in full"]
        if isinstance(node.value, list):
            for item in node.value:
                if isinstance(item, tuple):
                    stack.append((item[0], depth + 1))
                    stack.append((item[1], depth + 1))
                else:
                    stack.append((item, depth + 1))
    return []


def _failing_line(loader: _LineLoader, root: yaml.Node) -> int:
    """The line of the first scalar that cannot be constructed on its own."""
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node.value, list):
            for item in reversed(node.value):
                stack.extend(reversed(item) if isinstance(item, tuple) else [item])
            continue
        try:
            loader.construct_object(node, deep=True)
        except Exception:
            return int(node.start_mark.line) + 1
    return 0


def read_bytes(path: str) -> tuple[bytes | None, list[str]]:
    """A knowledge-base file's bytes, or None and why not: never a folder, pipe or device, never past the
    size limit."""
    try:
        if os.path.exists(path) and not os.path.isfile(path):
            kind = "a folder" if os.path.isdir(path) else "not a regular file (a device, pipe or socket)"
            return None, [f"{path}: is {kind}, not a YAML file"]
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            return None, [f"{path}: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"]
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # a file growing while it is read stops here too
    except FileNotFoundError:
        return None, [f"{path}: file not found"]
    except OSError as exc:
        return None, [f"{path}: cannot read: {exc.strerror or exc}"]
    if len(raw) > MAX_FILE_BYTES:
        return None, [f"{path}: file is over {MAX_FILE_BYTES:,} bytes, the limit"]
    return raw, []


def read_yaml(path: str, raw: bytes | None = None) -> tuple[object, LineTable, list[str]]:
    """Parse one YAML file safely (its bytes, when already read). Returns (data, line table, problems);
    data is None when unreadable."""
    problems: list[str] = []
    if raw is None:
        raw, problems = read_bytes(path)
    if raw is None:
        return None, {}, problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, {}, [f"{path}:{line}: not UTF-8 text (byte {exc.start})"]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, {}, [f"{path}:{line}: contains NUL bytes; not a YAML text file"]
    loader = _LineLoader(text)
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
        where = f":{mark.line + 1}" if mark else ""
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "could not determine a constructor" in reason:
            reason = "unsupported YAML tag (only plain YAML is read; no Python objects)"
        return None, {}, [f"{path}{where}: not valid YAML: {reason}"]
    except yaml.YAMLError as exc:
        return None, {}, [f"{path}: not valid YAML: {exc}"]
    except RecursionError:
        return None, {}, [f"{path}: nesting too deep to read"]
    finally:
        loader.dispose()
    duplicates = [f"{path}:{line}: key {key!r} appears twice in one mapping" for line, key in loader.duplicates]
    return data, loader.lines, duplicates


def content_bytes(path: str) -> bytes:
    """A data file's bytes, for content stamps (no parsing)."""
    with open(path, "rb") as handle:
        return handle.read()
