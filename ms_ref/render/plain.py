"""Plain text for pipes and files: no ANSI codes, no box drawing, no hard wraps."""

from __future__ import annotations

from ms_ref.models import NOTICE
from ms_ref.render import safe


def _value(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(safe(item) for item in value)
    return safe(value)


def lines(view: dict[str, object], notice: bool = True) -> list[str]:
    out: list[str] = []

    def gap() -> None:
        if out and out[-1] != "":
            out.append("")

    for block in view["doc"]:  # type: ignore[attr-defined]
        kind = block[0]
        if kind == "title":
            gap()
            out.append(safe(block[1]))
            if block[2]:
                out.append(safe(block[2]))
            out.append("")
        elif kind == "heading":
            gap()
            out.append(safe(block[1]))
            out.append("-" * len(safe(block[1])))
        elif kind == "para":
            out.append(safe(block[1]))
            out.append("")
        elif kind == "note":
            gap()
            out.append(f"Note: {safe(block[1])}")
            out.append("")
        elif kind == "fields":
            for label, value in block[1]:
                out.append(f"{safe(label)}: {_value(value)}")
            out.append("")
        elif kind == "bullets":
            out.extend(f"- {safe(item)}" for item in block[1])
            out.append("")
        elif kind == "links":
            out.extend(f"- {safe(title)}: {safe(url)}" for title, url in block[1])
            out.append("")
        elif kind == "table":
            out.extend(_table(block[1], block[2]))
            out.append("")
        elif kind == "chart":
            out.extend(_chart(block[3], "#"))
            out.append("")
        elif kind == "matrix":
            # Side by side does not survive a pipe: one field at a time, each entry on its own line.
            names = block[1][1:]
            for row in block[2]:
                out.append(safe(row[0]))
                out.extend(f"- {safe(name)}: {_value(cell)}" for name, cell in zip(names, row[1:]))
                out.append("")
    if notice:
        gap()
        out.append(NOTICE)
    while out and out[-1] == "":
        out.pop()
    return out


def _chart(bars: list[tuple[str, list[str]]], mark: str) -> list[str]:
    """A bar per year, one mark per item, then the items."""
    widest = max((len(items) for _label, items in bars), default=0)
    return [f"{safe(label)}  {(mark * len(items)).ljust(widest)}  {'; '.join(safe(i) for i in items)}"
            for label, items in bars]


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    cells = [[safe(h) for h in headers], *[[_value(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    text = []
    for index, row in enumerate(cells):
        # The last column is not padded, so no line ends in spaces.
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        text.append("  ".join(padded).rstrip())
        if index == 0:
            text.append("  ".join("-" * w for w in widths))
    return text


def write(view: dict[str, object], out: object) -> None:
    out.write("\n".join(lines(view)) + "\n")  # type: ignore[attr-defined]
