"""Plain text for pipes and files: no ANSI codes, no box drawing, no hard wraps."""

from __future__ import annotations

from ms_ref.render.safe import safe
from ms_ref.spec import NOTICE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

    from ms_ref.types import Bullets, Cell, Chart, Fields, Heading, LinkList, Note, Para, Table, Title, View


def value(cell: Cell) -> str:
    if isinstance(cell, list):
        return "; ".join(safe(item) for item in cell)
    return safe(cell)


def mark(numbers: list[int]) -> str:
    """Footnote marks: the numbers of the sources that support a field."""
    return "".join(f"[{n}]" for n in numbers)


class _Lines(list[str]):
    def gap(self) -> None:
        if self and self[-1] != "":
            self.append("")


def _title(out: _Lines, block: Title) -> None:
    out.gap()
    out.append(safe(block["text"]))
    if block["subtitle"]:
        out.append(safe(block["subtitle"]))
    out.append("")


def _heading(out: _Lines, block: Heading) -> None:
    out.gap()
    text = safe(block["text"])
    out.extend([text, "-" * len(text)])


def _para(out: _Lines, block: Para) -> None:
    out.extend([safe(block["text"]), ""])


def _note(out: _Lines, block: Note) -> None:
    out.gap()
    out.extend([f"Note: {safe(block['text'])}", ""])


def _fields(out: _Lines, block: Fields) -> None:
    for item in block["items"]:
        out.append(
            f"{safe(item['label'])}{' ' + mark(item['marks']) if item.get('marks') else ''}: {value(item['value'])}"
        )
    out.append("")


def _bullets(out: _Lines, block: Bullets) -> None:
    out.extend(f"- {safe(item)}" for item in block["items"])
    out.append("")


def _links(out: _Lines, block: LinkList) -> None:
    for link in block["items"]:
        number = f"[{link['number']}] " if "number" in link else ""
        out.append(f"- {number}{safe(link['title'])}: {safe(link['url'])}")
    out.append("")


def _table(out: _Lines, block: Table) -> None:
    if block["type"] == "matrix":
        # Side by side does not survive a pipe: one field at a time, each entry on its own line.
        names = block["headers"][1:]
        for row in block["rows"]:
            out.append(value(row[0]))
            out.extend(f"- {safe(name)}: {value(cell)}" for name, cell in zip(names, row[1:]))
            out.append("")
        return
    out.extend(table(block["headers"], block["rows"]))
    out.append("")


def _chart(out: _Lines, block: Chart) -> None:
    bars = block["bars"]
    widest = max((len(items) for _label, items in bars), default=0)
    out.extend(
        f"{safe(label)}  {('#' * len(items)).ljust(widest)}  {'; '.join(safe(i) for i in items)}"
        for label, items in bars
    )
    out.append("")


def _skip(out: _Lines, block: object) -> None:
    """Blocks plain text does not show: a diagram, ruled lines to write on, a person's text written back."""


# Block type -> how it is drawn. Each function takes its own block type.
_DRAW: dict[str, Callable[[_Lines, Any], None]] = {
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


def table(headers: list[str], rows: list[list[Cell]]) -> list[str]:
    cells = [[safe(h) for h in headers], *[[value(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    text = []
    for index, row in enumerate(cells):
        # The last column is not padded, so no line ends in spaces.
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        text.append("  ".join(padded).rstrip())
        if index == 0:
            text.append("  ".join("-" * w for w in widths))
    return text


def lines(view: View, notice: bool = True) -> list[str]:
    out = _Lines()
    for block in view["doc"]:
        _DRAW[block["type"]](out, block)
    if notice:
        out.gap()
        out.append(NOTICE)
    while out and out[-1] == "":
        out.pop()
    return list(out)


def write(view: View, out: TextIO) -> None:
    out.write("\n".join(lines(view)) + "\n")
