"""Checking one knowledge-base file against the knowledge model (ms_ref.spec).

Every problem is reported at once, each naming the file, the line, the entry and the key path. Valid
entries come back normalised (dates as ISO text, text stripped, `route` always a list).
"""

from __future__ import annotations

import datetime
import os

from ms_ref import spec
from ms_ref.ingest.citations import url_problem
from ms_ref.ingest.yamlread import LineTable, read_bytes, read_yaml

_INVALID = object()
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Terminal control characters, direction overrides and lone surrogates have no place in reference text:
# escape sequences hidden in data must not reach a reader's terminal.
_CONTROL = frozenset(
    chr(c)
    for c in (
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        0x2028,
        0x2029,
        0xFEFF,
    )
)
# Only these fields may hold line breaks (paragraphs); every other text is one line.
MULTILINE_FIELDS = frozenset(("details", "description"))


class Checked:
    """The valid entries of one file by section, each with the line it starts on, and the problems."""

    def __init__(
        self,
        sections: dict[str, list[tuple[dict[str, object], int]]] | None = None,
        problems: list[str] | None = None,
    ) -> None:
        self.sections: dict[str, list[tuple[dict[str, object], int]]] = sections if sections is not None else {}
        self.problems: list[str] = problems if problems is not None else []


class _Checker:
    """Walks one file's data against the field specs, collecting problems and normalising values."""

    def __init__(self, path: str, lines: LineTable, today: str) -> None:
        self.path = path
        self.lines = lines
        self.today = today
        self.problems: list[str] = []
        self.section = ""
        self.section_list: list[object] = []

    def line_of(self, container: object, key: object = None) -> int:
        found = self.lines.get(id(container))
        if found is None:
            return 0
        start, keys = found
        if key is None:
            return start
        if isinstance(keys, dict):
            return keys.get(key, start)
        if isinstance(key, int) and 0 <= key < len(keys):
            return keys[key]
        return start

    def report(self, line: int, where: str, message: str) -> None:
        location = f"{self.path}:{line}" if line else self.path
        self.problems.append(f"{location}: {where}: {message}")

    def check_entry(self, index: int, entry: object, fields: dict[str, spec.FieldSpec]) -> dict[str, object] | None:
        label = f"{self.section}[{index}]"
        if not isinstance(entry, dict):
            self.report(self.line_of(self.section_list, index), label, _expected("a mapping", entry))
            return None
        entry_id = entry.get("id")
        if isinstance(entry_id, str) and entry_id:
            label = f"{self.section}[{_show_key(entry_id)}]"
        clean: dict[str, object] = {}
        for key in entry:
            if key not in fields:
                near = _closest(str(key), list(fields))
                hint = f" (did you mean {near!r}?)" if near else ""
                self.report(self.line_of(entry, key), f"{label}.{_show_key(key)}", f"unknown key{hint}")
        for key, (kind, required) in fields.items():
            if key not in entry:
                if required:
                    self.report(self.line_of(entry), label, f"missing required key {key!r}")
                continue
            value = self.check(entry[key], kind, entry, key, f"{label}.{key}", key in MULTILINE_FIELDS)
            if value is not _INVALID:
                clean[key] = value
        if isinstance(clean.get("route"), str):
            clean["route"] = [clean["route"]]
        if "sources" in clean and not clean["sources"]:
            self.report(self.line_of(entry, "sources"), f"{label}.sources", "is empty; cite at least one source")
        reviewed = clean.get("reviewed")
        if isinstance(reviewed, str) and reviewed > self.today:
            self.report(
                self.line_of(entry, "reviewed"),
                f"{label}.reviewed",
                f"{reviewed} is in the future; give the date the entry was checked",
            )
        self.check_citations(entry, label)
        return clean

    def check_citations(self, entry: dict[object, object], label: str) -> None:
        """Source ids are unique within an entry, and each safety field names the sources supporting it."""
        ids: list[str] = []
        sources = entry.get("sources")
        if isinstance(sources, list):
            for index, source in enumerate(sources):
                if isinstance(source, dict) and isinstance(source.get("id"), str):
                    if source["id"] in ids:
                        self.report(
                            self.line_of(source, "id"),
                            f"{label}.sources[{index}].id",
                            f"{source['id']!r} names two sources of this entry",
                        )
                    ids.append(source["id"])
        provenance = entry.get("provenance")
        if isinstance(provenance, dict):
            for name, refs in provenance.items():
                where = f"{label}.provenance.{_show_key(name)}"
                if name in spec.PROVENANCE_FIELDS and name not in entry:
                    self.report(
                        self.line_of(provenance, name), where, f"names sources for {name!r}, which the entry lacks"
                    )
                if not isinstance(refs, list):
                    continue
                if not refs:
                    self.report(self.line_of(provenance, name), where, "is empty; name the sources that support it")
                for position, ref in enumerate(refs):
                    if isinstance(ref, str) and ref not in ids:
                        known = ", ".join(ids) or "none: give each source an id"
                        self.report(
                            self.line_of(refs, position),
                            f"{where}[{position}]",
                            f"{ref!r} is not the id of one of this entry's sources (ids: {known})",
                        )
        if self.section != "treatments":
            return
        for name in spec.PROVENANCE_FIELDS:
            if name in entry and not (isinstance(provenance, dict) and provenance.get(name)):
                self.report(
                    self.line_of(entry, name),
                    f"{label}.{name}",
                    f"no supporting source: add provenance.{name} with the ids of the sources that say it",
                )

    def check(
        self, value: object, kind: spec.Kind, parent: object, key: object, where: str, multiline: bool = False
    ) -> object:
        line = self.line_of(parent, key)
        if isinstance(kind, str):
            return self.check_scalar(value, kind, line, where, multiline)
        shape = kind[0]
        if shape == "enum":
            choices: tuple[str, ...] = kind[1]  # type: ignore[assignment]
            if isinstance(value, str) and value in choices:
                return value
            self.report(line, where, f"{_show(value)} is not one of: {', '.join(choices)}")
            return _INVALID
        if shape == "nullable":
            return None if value is None else self.check(value, kind[1], parent, key, where, multiline)  # type: ignore[arg-type]
        if shape == "one-or-list":
            if isinstance(value, list):
                return self.check(value, ("list", kind[1]), parent, key, where)
            return self.check(value, kind[1], parent, key, where)  # type: ignore[arg-type]
        if shape == "list":
            if not isinstance(value, list):
                self.report(line, where, _expected("a list", value))
                return _INVALID
            items = [
                self.check(item, kind[1], value, index, f"{where}[{index}]")  # type: ignore[arg-type]
                for index, item in enumerate(value)
            ]
            return items if all(item is not _INVALID for item in items) else _INVALID
        return self.check_record(value, kind[1], line, where)  # type: ignore[arg-type]

    def check_record(self, value: object, fields: dict[str, spec.FieldSpec], line: int, where: str) -> object:
        if not isinstance(value, dict):
            self.report(line, where, _expected("a mapping", value))
            return _INVALID
        record: dict[str, object] = {}
        ok = True
        for sub in value:
            if sub not in fields:
                self.report(self.line_of(value, sub), f"{where}.{_show_key(sub)}", "unknown key")
                ok = False
        for sub, (sub_kind, required) in fields.items():
            if sub not in value:
                if required:
                    self.report(self.line_of(value), where, f"missing required key {sub!r}")
                    ok = False
                continue
            checked = self.check(value[sub], sub_kind, value, sub, f"{where}.{sub}")
            if checked is _INVALID:
                ok = False
            else:
                record[sub] = checked
        return record if ok else _INVALID

    def check_scalar(self, value: object, kind: str, line: int, where: str, multiline: bool) -> object:
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
            self.report(line, where, f"{_show(value)} is not an id (lowercase letters, digits and hyphens)")
            return _INVALID
        if kind == "url":
            problem = url_problem(value)
            if problem:
                self.report(line, where, f"{_show(value)} {problem}; write the page's plain address")
                return _INVALID
        bad = _control_character(value, multiline)
        if bad is not None:
            what = "a line break or tab" if bad in "\n\r\t" else f"the control character U+{ord(bad):04X}"
            self.report(line, where, f"contains {what}; write plain text on one line")
            return _INVALID
        return value.strip()


def _control_character(text: str, multiline: bool) -> str | None:
    if text.isascii() and text.isprintable():
        return None
    for char in text:
        if char in _CONTROL and not (multiline and char in "\n\t"):
            return char
        if "\ud800" <= char <= "\udfff":
            return char
    return None


def _is_id(value: str) -> bool:
    return (
        bool(value)
        and set(value) <= _ID_CHARS
        and not value.startswith("-")
        and not value.endswith("-")
        and "--" not in value
    )


def _iso_date(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return str(value)
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    numbers = [int(part) for part in parts]
    try:
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
    """A value quoted in a message: short, with control characters escaped by repr."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _show_key(key: object) -> str:
    """A key or id inside a key path, with anything unprintable escaped."""
    text = str(key)
    return text if text.isprintable() and len(text) <= 60 else repr(text)[:60]


def _expected(what: str, value: object) -> str:
    return f"expected {what}, got {_show(value)}"


def _closest(word: str, choices: list[str]) -> str | None:
    import difflib  # only for a mistake: importing it costs a user's rebuild about 6 ms

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return found[0] if found else None


# Files already checked in this process, by content (a long-running process, such as the test suite, reads
# the same shipped files again and again): (path, size, crc32, today) -> the result, packed.
_CHECKED: dict[tuple[str, int, int, str], bytes] = {}


def validate_file(path: str, today: str | None = None) -> Checked:
    """Read and check one knowledge-base file."""
    import marshal
    import zlib

    today = today or datetime.date.today().isoformat()
    raw, unreadable = read_bytes(path)
    if raw is None:
        return Checked(problems=unreadable)
    key = (os.path.realpath(path), len(raw), zlib.crc32(raw), today)
    if key in _CHECKED:
        sections, problems = marshal.loads(_CHECKED[key])
        return Checked(sections, problems)
    result = _validate_file(path, today, raw)
    try:
        _CHECKED[key] = marshal.dumps((result.sections, result.problems))
    except ValueError:  # a value marshal cannot pack: check it again next time
        pass
    return result


def _validate_file(path: str, today: str, raw: bytes) -> Checked:
    data, lines, problems = read_yaml(path, raw)
    result = Checked(problems=list(problems))
    if data is None:
        return result
    checker = _Checker(path, lines, today)
    if not isinstance(data, dict):
        checker.report(checker.line_of(data), "top level", _expected("a mapping of sections", data))
        result.problems.extend(checker.problems)
        return result
    for key in data:
        if key not in spec.FILE_KEYS:
            allowed = ", ".join(spec.FILE_KEYS)
            checker.report(checker.line_of(data, key), _show_key(key), f"unknown section; expected one of {allowed}")
    version = data.get("schema_version", spec.DATA_VERSION)
    if version != spec.DATA_VERSION:
        checker.report(
            checker.line_of(data, "schema_version"),
            "schema_version",
            f"this msref reads schema_version {spec.DATA_VERSION}, got {_show(version)}",
        )
    for section, (_kind, fields) in spec.SECTIONS.items():
        if section not in data:
            continue
        entries = data[section]
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            checker.report(checker.line_of(data, section), section, _expected("a list of entries", entries))
            continue
        checker.section_list = entries
        checker.section = section
        found = result.sections.setdefault(section, [])
        for index, entry in enumerate(entries):
            clean = checker.check_entry(index, entry, fields)
            if clean is not None and isinstance(clean.get("id"), str):
                found.append((clean, checker.line_of(entry)))
    result.problems.extend(checker.problems)
    return result
