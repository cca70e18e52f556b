"""Styled output for a terminal (`--format rich`, and `auto` on a terminal): colour, bold, wrapped text
and tables drawn to the terminal's width.

Written with ANSI sequences directly rather than with Rich: importing rich.console and rich.table
costs about five times Python's own start-up on this kind of machine, which alone would break the
start-up targets (benchmarks/startup.py). The look follows Rich's defaults (bold cyan titles, dim
subtitles, a rule under table headers). Rich still renders msref's --help and usage errors, through
Typer. NO_COLOR, FORCE_COLOR, TERM=dumb and COLUMNS are honoured.
"""

from __future__ import annotations

import os

from ms_ref.models import NOTICE
from ms_ref.render import safe

_RESET = "\x1b[0m"
STYLES = {
    "title": "1;36",
    "subtitle": "2",
    "heading": "1",
    "label": "1",
    "warning": "1;31",
    "note": "1;33",
    "url": "4;34",
    "notice": "2;3",
    "header": "1",
}


def _colour_enabled(stream: object) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _width(stream: object) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return 80


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal: East Asian wide characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to `width` columns; words longer than a line are cut."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            size = cell_width(word)
            while size > width:  # a URL or a long word: cut it
                if line:
                    lines.append(line)
                    line, used = "", 0
                cut, taken = "", 0
                for char in word:
                    char_size = cell_width(char)
                    if taken + char_size > width and cut:
                        break
                    cut, taken = cut + char, taken + char_size
                lines.append(cut)
                word = word[len(cut):]
                size = cell_width(word)
            if not word:
                continue
            if line and used + 1 + size > width:
                lines.append(line)
                line, used = "", 0
            line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, out: object) -> None:
        self.out = out
        self.colour = _colour_enabled(out)
        self.width = _width(out)
        self.lines: list[str] = []

    def style(self, text: str, name: str) -> str:
        if not self.colour or not text:
            return text
        return f"\x1b[{STYLES[name]}m{text}{_RESET}"

    def block(self, text: str, name: str = "", indent: int = 0) -> None:
        for line in wrap(text, self.width - indent):
            self.lines.append(" " * indent + (self.style(line, name) if name else line))

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def _cell_lines(value: object, width: int) -> list[str]:
    if isinstance(value, list):
        if len(value) == 1:
            return wrap(safe(value[0]), width)
        lines = []
        for item in value:
            wrapped = wrap(safe(item), max(width - 2, 1))
            lines.extend(["• " + wrapped[0], *["  " + rest for rest in wrapped[1:]]])
        return lines or [""]
    return wrap(safe(value), width)


def _fields(w: _Writer, fields: list[tuple[str, object]]) -> None:
    label_width = min(max((cell_width(safe(label)) for label, _v in fields), default=0), 24)
    value_width = w.width - label_width - 2
    if value_width < 20:  # too narrow for two columns: label above value
        for label, value in fields:
            w.block(safe(label), "label")
            for line in _cell_lines(value, w.width - 2):
                w.lines.append("  " + line)
        return
    for label, value in fields:
        style = "warning" if label == "US boxed warning" and value != "none" else ""
        label_lines = wrap(safe(label), label_width)
        value_lines = _cell_lines(value, value_width)
        for index in range(max(len(label_lines), len(value_lines))):
            left = label_lines[index] if index < len(label_lines) else ""
            right = value_lines[index] if index < len(value_lines) else ""
            pad = " " * (label_width - cell_width(left) + 2)
            right = w.style(right, style) if style else right
            w.lines.append((w.style(left, "label") + pad + right).rstrip())


def _table(w: _Writer, headers: list[str], rows: list[list[object]], label_column: bool) -> None:
    columns = len(headers)
    natural = [cell_width(safe(h)) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            longest = max((cell_width(line) for line in _cell_lines(cell, 10_000)), default=0)
            natural[index] = max(natural[index], longest)
    available = max(w.width - 2 * (columns - 1), columns)
    widths = natural[:]
    while sum(widths) > available and max(widths) > 1:
        widest = widths.index(max(widths))
        widths[widest] -= max(1, (sum(widths) - available) // columns)
        widths[widest] = max(widths[widest], 1)

    def emit(cells: list[list[str]], styles: list[str]) -> None:
        for index in range(max(len(c) for c in cells)):
            parts = []
            for column, lines in enumerate(cells):
                text = lines[index] if index < len(lines) else ""
                pad = " " * (widths[column] - cell_width(text))
                parts.append((w.style(text, styles[column]) if styles[column] else text) + pad)
            w.lines.append("  ".join(parts).rstrip())

    emit([wrap(safe(h), widths[i]) for i, h in enumerate(headers)], ["header"] * columns)
    w.lines.append("─" * min(sum(widths) + 2 * (columns - 1), w.width))
    for row in rows:
        styles = ["label" if label_column and i == 0 else "" for i in range(columns)]
        emit([_cell_lines(cell, widths[i]) for i, cell in enumerate(row)], styles)


def lines(view: dict[str, object], out: object) -> list[str]:
    w = _Writer(out)
    for block in view["doc"]:  # type: ignore[attr-defined]
        kind = block[0]
        if kind == "title":
            w.blank()
            w.block(safe(block[1]), "title")
            if block[2]:
                w.block(safe(block[2]), "subtitle")
            w.lines.append("")
        elif kind == "heading":
            w.blank()
            w.block(safe(block[1]), "heading")
        elif kind == "para":
            w.block(safe(block[1]))
            w.lines.append("")
        elif kind == "note":
            w.blank()
            text = safe(block[1])
            wrapped = wrap("Note: " + text, w.width)
            first = wrapped[0]
            w.lines.append(w.style("Note:", "note") + first[5:])
            w.lines.extend(wrapped[1:])
            w.lines.append("")
        elif kind == "fields":
            _fields(w, block[1])
            w.lines.append("")
        elif kind == "bullets":
            for item in block[1]:
                wrapped = wrap(safe(item), w.width - 2)
                w.lines.extend(["• " + wrapped[0], *["  " + rest for rest in wrapped[1:]]])
            w.lines.append("")
        elif kind == "links":
            for title, url in block[1]:
                wrapped = wrap(safe(title), w.width - 2)
                w.lines.extend(["• " + wrapped[0], *["  " + rest for rest in wrapped[1:]]])
                for part in wrap(safe(url), w.width - 2):
                    w.lines.append("  " + w.style(part, "url"))
            w.lines.append("")
        elif kind in ("table", "matrix"):
            _table(w, block[1], block[2], kind == "matrix")
            w.lines.append("")
        elif kind == "chart":
            widest = max((len(items) for _label, items in block[3]), default=0)
            for label, items in block[3]:
                bar = "█" * len(items)
                prefix = f"{safe(label)}  {w.style(bar, 'title')}{' ' * (widest - len(items))}  "
                indent = cell_width(safe(label)) + widest + 4
                wrapped = wrap("; ".join(safe(i) for i in items), max(w.width - indent, 10))
                w.lines.append(prefix + wrapped[0])
                w.lines.extend(" " * indent + rest for rest in wrapped[1:])
            w.lines.append("")
    w.blank()
    w.block(NOTICE, "notice")
    return w.lines


def write(view: dict[str, object], out: object) -> None:
    out.write("\n".join(lines(view, out)) + "\n")  # type: ignore[attr-defined]
