"""Rich output for a terminal: the only module that imports rich.

All data goes in as rich.text.Text, never as markup, so a '[bold]' in a query or an entry is shown as
typed. Rich honours NO_COLOR, FORCE_COLOR and the terminal width by itself.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ms_ref.models import NOTICE
from ms_ref.render import safe


def _text(value: object, style: str = "") -> Text:
    if isinstance(value, list):
        return Text("\n".join(f"• {safe(item)}" for item in value) if len(value) > 1 else safe(value[0]) if value else "", style=style)
    return Text(safe(value), style=style)


def write(view: dict[str, object], out: object) -> None:
    console = Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=False)  # type: ignore[arg-type]
    for block in view["doc"]:  # type: ignore[attr-defined]
        kind = block[0]
        if kind == "title":
            console.print(Text(safe(block[1]), style="bold cyan"))
            if block[2]:
                console.print(Text(safe(block[2]), style="dim"))
            console.print()
        elif kind == "heading":
            console.print(Text(safe(block[1]), style="bold"))
        elif kind == "para":
            console.print(_text(block[1]))
            console.print()
        elif kind == "note":
            console.print(Text.assemble(("Note: ", "bold yellow"), safe(block[1])))
            console.print()
        elif kind == "fields":
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column(overflow="fold")
            for label, value in block[1]:
                style = "bold red" if label == "US boxed warning" and value != "none" else ""
                grid.add_row(Text(safe(label)), _text(value, style))
            console.print(grid)
            console.print()
        elif kind == "bullets":
            for item in block[1]:
                console.print(Text(f"• {safe(item)}"))
            console.print()
        elif kind == "links":
            for title, url in block[1]:
                line = Text("• ")
                line.append(safe(title))
                line.append("\n  ")
                line.append(safe(url), style="blue underline")
                console.print(line)
            console.print()
        elif kind in ("table", "matrix"):
            table = Table(box=box.SIMPLE_HEAD, show_lines=False, header_style="bold")
            for header in block[1]:
                table.add_column(Text(safe(header)), overflow="fold")
            for row in block[2]:
                table.add_row(*[_text(cell) for cell in row])
            console.print(table)
    console.print(Text(NOTICE, style="dim italic"))
