"""Styled output for a terminal (`--format rich`, and `auto` on a terminal): colour, bold, text wrapped
at spaces and hyphens, tables drawn to the terminal's width, and clickable links.

Written with ANSI sequences directly rather than with Rich: importing rich.console and rich.table
costs about five times Python's own start-up on this kind of machine, which alone would break the
start-up targets (benchmarks/startup.py). The look follows Rich's defaults (bold cyan titles, dim
subtitles, a rule under table headers). NO_COLOR, FORCE_COLOR, TERM=dumb and COLUMNS are honoured;
links are OSC 8 hyperlinks where colour is on (MSREF_HYPERLINKS=0 or 1 decides otherwise).

Words are never cut in the middle: a line breaks at a space, or after a hyphen; an address is never
split (a long one runs past the edge, whole, so it can still be clicked or copied). A table too wide
for the screen is laid out stacked, one row after another.
"""

from __future__ import annotations

import os

from ms_ref.render.safe import one_line, safe
from ms_ref.spec import NOTICE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

    from ms_ref.types import Bullets, Cell, Chart, Fields, Heading, LinkList, Note, Para, Table, Title, View

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
    "mark": "2",
    "code": "36",
    "match": "1;4",
}
# The narrowest a table column may get before the table is laid out stacked instead.
MIN_COLUMN = 12


def colour_enabled(stream: object) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _hyperlinks(colour: bool) -> bool:
    choice = os.environ.get("MSREF_HYPERLINKS", "")
    if choice in ("0", "1"):
        return choice == "1"
    return colour and os.environ.get("TERM", "") not in ("linux", "dumb")


def width_of(stream: object) -> int:
    """The terminal's width: COLUMNS when it is a plain number, else the terminal's own size, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and 0 < int(columns) < 10_000:
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


def _is_address(word: str) -> bool:
    return "://" in word or word.startswith("www.")


def _pieces(word: str, width: int) -> list[str]:
    """A word too long for a line, in pieces that break after its hyphens; an address stays whole."""
    if _is_address(word) or cell_width(word) <= width:
        return [word]
    parts = word.split("-")
    pieces = [part + "-" for part in parts[:-1]] + [parts[-1]]
    out: list[str] = []
    for piece in pieces:
        if out and cell_width(out[-1] + piece) <= width:
            out[-1] += piece
        elif cell_width(piece) > width:
            # No hyphen to break at: cut it, as a last resort (a wide character string, say).
            while cell_width(piece) > width:
                cut = ""
                for char in piece:
                    if cell_width(cut + char) > width and cut:
                        break
                    cut += char
                out.append(cut)
                piece = piece[len(cut) :]
            if piece:
                out.append(piece)
        else:
            out.append(piece)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to `width` columns, at spaces and after hyphens; addresses are never split."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            for piece in _pieces(word, width):
                size = cell_width(piece)
                joiner = "" if line.endswith("-") and line and piece is not word else " "
                if line and used + len(joiner) + size > width:
                    # Try breaking the word after one of its hyphens to fill the line.
                    lines.append(line)
                    line, used = piece, size
                    continue
                if line:
                    line, used = line + joiner + piece, used + len(joiner) + size
                else:
                    line, used = piece, size
        lines.append(line)
    return lines


class _Writer:
    def __init__(self, out: object) -> None:
        self.colour = colour_enabled(out)
        self.links = _hyperlinks(self.colour)
        self.width = width_of(out)
        self.lines: list[str] = []

    def style(self, text: str, name: str) -> str:
        if not self.colour or not text:
            return text
        return f"\x1b[{STYLES[name]}m{text}{_RESET}"

    def link(self, text: str, url: str) -> str:
        if not self.links:
            return text
        return f"\x1b]8;;{one_line(url)}\x1b\\{text}\x1b]8;;\x1b\\"

    def rich(self, text: str) -> str:
        """Inline code (between backticks) drawn as code, without the backticks."""
        if "`" not in text:
            return text
        parts = text.split("`")
        if len(parts) % 2 == 0:  # an odd backtick: leave the text as it is
            return text
        return "".join(self.style(part, "code") if index % 2 else part for index, part in enumerate(parts))

    def marked(self, text: str, words: list[str]) -> str:
        """`text` with the words a search matched (and longer words they start) drawn as matches. A plain
        scan rather than a regular expression: importing `re` would cost every terminal search 5 ms."""
        if not self.colour or not words:
            return self.rich(text)
        lowered, pieces, at, index = text.casefold(), [], 0, 0
        starts = tuple(word.casefold() for word in words if word)
        while index < len(text):
            if (index == 0 or not lowered[index - 1].isalnum()) and lowered.startswith(starts, index):
                end = index
                while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                    end += 1
                if end > index:
                    pieces += [text[at:index], self.style(text[index:end], "match")]
                    at = index = end
                    continue
            index += 1
        pieces.append(text[at:])
        return "".join(pieces)

    def block(self, text: str, name: str = "", indent: int = 0) -> None:
        for line in wrap(text, self.width - indent):
            self.lines.append(" " * indent + (self.style(line, name) if name else self.rich(line)))

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def _joined(items: list[str], width: int) -> str | None:
    """A short list as one comma-separated line, when it fits."""
    text = ", ".join(safe(item) for item in items)
    return text if cell_width(text) <= width and not any("," in item or ";" in item for item in items) else None


def _cell_lines(value: Cell, width: int) -> list[str]:
    if isinstance(value, list):
        if len(value) == 1:
            return wrap(safe(value[0]), width)
        joined = _joined(value, width)
        if joined is not None:
            return [joined]
        lines = []
        for item in value:
            wrapped = wrap(safe(item), max(width - 2, 1))
            lines.extend(["• " + wrapped[0], *["  " + rest for rest in wrapped[1:]]])
        return lines or [""]
    return wrap(safe(value), width)


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _title(w: _Writer, block: Title) -> None:
    w.blank()
    w.block(safe(block["text"]), "title")
    if block["subtitle"]:
        w.block(safe(block["subtitle"]), "subtitle")
    w.lines.append("")


def _heading(w: _Writer, block: Heading) -> None:
    w.blank()
    w.block(safe(block["text"]), "heading")


def _para(w: _Writer, block: Para) -> None:
    w.block(safe(block["text"]))
    w.lines.append("")


def _note(w: _Writer, block: Note) -> None:
    w.blank()
    wrapped = wrap("Note: " + safe(block["text"]), w.width)
    w.lines.append(w.style("Note:", "note") + w.rich(wrapped[0][5:]))
    w.lines.extend(w.rich(line) for line in wrapped[1:])
    w.lines.append("")


def _fields(w: _Writer, block: Fields) -> None:
    items = block["items"]
    labels = [safe(item["label"]) + (" " + _marks(item["marks"]) if item.get("marks") else "") for item in items]
    label_width = min(max((cell_width(label) for label in labels), default=0), 24)
    value_width = w.width - label_width - 2
    for label, item in zip(labels, items):
        style = "warning" if item.get("warning") else ""
        if value_width < 24:  # too narrow for two columns: label above value
            w.lines.extend(w.style(line, "label") for line in wrap(label, w.width))
            for line in _cell_lines(item["value"], w.width - 2):
                w.lines.append("  " + (w.style(line, style) if style else w.rich(line)))
            continue
        label_lines = wrap(label, label_width)
        value_lines = _cell_lines(item["value"], value_width)
        for index in range(max(len(label_lines), len(value_lines))):
            left = label_lines[index] if index < len(label_lines) else ""
            right = value_lines[index] if index < len(value_lines) else ""
            pad = " " * (label_width - cell_width(left) + 2)
            name, _space, marks = left.partition(" [")
            shown = w.style(name, "label") + (w.style(" [" + marks, "mark") if _space else "")
            right = w.style(right, style) if style else w.marked(right, item.get("highlight", []))
            w.lines.append((shown + pad + right).rstrip())
    w.lines.append("")


def _bullets(w: _Writer, block: Bullets) -> None:
    for item in block["items"]:
        wrapped = wrap(safe(item), w.width - 2)
        w.lines.extend(["• " + w.rich(wrapped[0]), *["  " + w.rich(rest) for rest in wrapped[1:]]])
    w.lines.append("")


def _links(w: _Writer, block: LinkList) -> None:
    for link in block["items"]:
        number = f"[{link['number']}] " if "number" in link else ""
        wrapped = wrap(number + safe(link["title"]), w.width - 2)
        w.lines.extend(["• " + wrapped[0], *["  " + rest for rest in wrapped[1:]]])
        url = one_line(link["url"])
        w.lines.append("  " + w.link(w.style(url, "url"), link["url"]))
    w.lines.append("")


def _column_widths(headers: list[str], rows: list[list[Cell]], available: int) -> list[int] | None:
    """Widths that fit `available` columns without breaking a word, or None when none do."""
    columns = len(headers)
    natural = [cell_width(safe(h)) for h in headers]
    longest_word = [max((cell_width(word) for word in safe(h).split()), default=1) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            items = cell if isinstance(cell, list) else [cell]
            natural[index] = max(natural[index], cell_width(", ".join(safe(i) for i in items)))
            for item in items:
                for word in safe(item).split():
                    size = cell_width(word) if _is_address(word) else max(cell_width(p) for p in word.split("-"))
                    longest_word[index] = max(longest_word[index], size)
    space = available - 2 * (columns - 1)
    floor = [max(min(natural[i], MIN_COLUMN), longest_word[i]) for i in range(columns)]
    if sum(floor) > space:
        return None
    widths = natural[:]
    while sum(widths) > space:
        # Take a column from the widest one that can still give.
        candidates = [i for i in range(columns) if widths[i] > floor[i]]
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= max(1, min(widths[widest] - floor[widest], (sum(widths) - space + columns - 1) // columns))
    return widths


def _table(w: _Writer, block: Table | Chart) -> None:
    headers, rows = block["headers"], block["rows"]
    label_column = block["type"] == "matrix"
    widths = _column_widths(headers, rows, w.width)
    if widths is None:
        _stacked(w, headers, rows, label_column)
        return
    columns = len(headers)

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
    w.lines.append("")


def _stacked(w: _Writer, headers: list[str], rows: list[list[Cell]], label_column: bool) -> None:
    """A table too wide for the screen: each row as a small block of "header: value" lines."""
    for row in rows:
        if label_column:  # compare: the field, then each treatment's value
            w.block(safe(row[0] if isinstance(row[0], str) else "; ".join(row[0])), "heading")
            pairs = list(zip(headers[1:], row[1:]))
        else:
            first = row[0] if isinstance(row[0], str) else "; ".join(row[0])
            w.block(safe(first), "label")
            pairs = list(zip(headers[1:], row[1:]))
        for header, cell in pairs:
            lines = _cell_lines(cell, max(w.width - 4, 1))
            prefix = f"{safe(header)}: " if header else ""
            if lines and cell_width(prefix + lines[0]) + 2 <= w.width and len(lines) == 1:
                w.lines.append("  " + w.style(prefix, "mark") + lines[0])
            else:
                w.lines.append("  " + w.style(prefix.rstrip(), "mark"))
                w.lines.extend("    " + line for line in lines)
        w.lines.append("")


def _chart(w: _Writer, block: Chart) -> None:
    bars = block["bars"]
    widest = max((len(items) for _label, items in bars), default=0)
    for label, items in bars:
        bar = "█" * len(items)
        prefix = f"{safe(label)}  {w.style(bar, 'title')}{' ' * (widest - len(items))}  "
        indent = cell_width(safe(label)) + widest + 4
        wrapped = wrap("; ".join(safe(i) for i in items), max(w.width - indent, 10))
        w.lines.append(prefix + wrapped[0])
        w.lines.extend(" " * indent + rest for rest in wrapped[1:])
    w.lines.append("")


def _skip(w: _Writer, block: object) -> None:
    """A diagram (Markdown and HTML draw it), ruled lines to write on (paper only), a person's text written
    back (Markdown only)."""


# Block type -> how it is drawn. Each function takes its own block type.
_DRAW: dict[str, Callable[[_Writer, Any], None]] = {
    "title": _title,
    "heading": _heading,
    "para": _para,
    "note": _note,
    "fields": _fields,
    "bullets": _bullets,
    "links": _links,
    "table": _table,
    "matrix": _table,
    "chart": _chart,
    "diagram": _skip,
    "space": _skip,
    "annotated": _skip,
}


def lines(view: View, out: object) -> list[str]:
    w = _Writer(out)
    for block in view["doc"]:
        _DRAW[block["type"]](w, block)
    w.blank()
    w.block(NOTICE, "notice")
    return w.lines


def write(view: View, out: TextIO) -> None:
    out.write("\n".join(lines(view, out)) + "\n")
