"""A self-contained, printable HTML page: one file, styles inline, no scripts, fonts or images fetched.

Made for `msref prepare --format html -o sheet.html`: it prints on A4 (or Letter) with nothing cut
off, tables wrap long words instead of overflowing, and links print with their addresses.
"""

from __future__ import annotations

from ms_ref.render.safe import safe
from ms_ref.spec import NOTICE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

    from ms_ref.types import (
        Bullets,
        Cell,
        Chart,
        Diagram,
        Fields,
        Heading,
        LinkList,
        Note,
        Para,
        Space,
        Table,
        Title,
        View,
    )

_STYLE = """
@page { size: A4; margin: 14mm 13mm; }
* { box-sizing: border-box; }
html { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; }
body { margin: 0 auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 15pt; margin: 0 0 2pt; color: #124e78; }
h2 { font-size: 11.5pt; margin: 10pt 0 3pt; border-bottom: 1px solid #9bb5cc; color: #124e78; }
p { margin: 3pt 0; }
.subtitle { color: #555; margin-bottom: 6pt; }
.note { border-left: 3pt solid #d9a400; background: #fff8e1; padding: 3pt 6pt; margin: 5pt 0; }
.notice { margin-top: 10pt; font-size: 8.5pt; color: #444; font-style: italic; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 6pt; }
th, td { border: 1px solid #b8c7d6; padding: 2pt 4pt; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; word-break: break-word; }
th { background: #e8f0f7; }
td.label { font-weight: 600; background: #f4f7fa; width: 17%; }
ul { margin: 2pt 0 4pt; padding-left: 14pt; }
li { margin: 1pt 0; overflow-wrap: anywhere; }
dl { margin: 2pt 0; }
dt { font-weight: 600; }
dd { margin: 0 0 3pt 12pt; overflow-wrap: anywhere; }
.url { color: #124e78; font-size: 7.5pt; overflow-wrap: anywhere; }
ul.links { font-size: 8pt; }
.ruled { height: 7mm; border-bottom: 1px solid #9aa; }
.warning { color: #8b0000; font-weight: 600; }
h2, h1 { break-after: avoid; page-break-after: avoid; }
tr, li, dd { break-inside: avoid; page-break-inside: avoid; }
figure.cascade { margin: 4pt 0 8pt; }
.cascade ol { list-style: none; margin: 0; padding: 0; }
.cascade li { display: flex; gap: 6pt; align-items: flex-start; break-inside: avoid; page-break-inside: avoid; }
.cascade li + li { margin-top: 10pt; position: relative; }
.cascade li + li::before { content: "\\2193"; position: absolute; top: -11pt; left: 24mm; color: #5b8bd0; }
.cascade .step { flex: 0 0 52mm; border: 1px solid #5b8bd0; background: #eef6ff; border-radius: 3pt; padding: 2pt 5pt; }
.cascade .num { font-weight: 700; color: #124e78; }
.cascade .acting { flex: 1; }
.cascade .chip { display: inline-block; border: 1px solid #b8c7d6; border-radius: 8pt; padding: 0 4pt;
                 margin: 1pt 2pt; font-size: 8pt; }
.cascade .none, figcaption { color: #555; font-size: 8pt; }
sup a { text-decoration: none; color: #124e78; }
ol.links { font-size: 8pt; padding-left: 16pt; }
@media screen { body { padding: 12mm; } }
"""


def _escape(value: object) -> str:
    return safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _value(cell: Cell) -> str:
    if isinstance(cell, list):
        if len(cell) == 1:
            return _escape(cell[0])
        return "<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in cell) + "</ul>"
    return _escape(cell)


def _marks(numbers: list[int]) -> str:
    return "".join(f'<sup><a href="#source-{n}">[{n}]</a></sup>' for n in numbers)


class _Page:
    def __init__(self) -> None:
        self.body: list[str] = []
        self.title = "msref"


def _title(page: _Page, block: Title) -> None:
    page.title = safe(block["text"])
    page.body.append(f"<h1>{_escape(block['text'])}</h1>")
    if block["subtitle"]:
        page.body.append(f'<p class="subtitle">{_escape(block["subtitle"])}</p>')


def _heading(page: _Page, block: Heading) -> None:
    page.body.append(f"<h2>{_escape(block['text'])}</h2>")


def _para(page: _Page, block: Para) -> None:
    page.body.append(f"<p>{_escape(block['text'])}</p>")


def _note(page: _Page, block: Note) -> None:
    page.body.append(f'<p class="note"><strong>Note:</strong> {_escape(block["text"])}</p>')


def _fields(page: _Page, block: Fields) -> None:
    items = []
    for item in block["items"]:
        css = ' class="warning"' if item.get("warning") else ""
        items.append(
            f"<dt>{_escape(item['label'])}{_marks(item.get('marks', []))}</dt><dd{css}>{_value(item['value'])}</dd>"
        )
    page.body.append("<dl>" + "".join(items) + "</dl>")


def _bullets(page: _Page, block: Bullets) -> None:
    page.body.append("<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in block["items"]) + "</ul>")


def _links(page: _Page, block: LinkList) -> None:
    numbered = any("number" in link for link in block["items"])
    items = []
    for link in block["items"]:
        anchor = f' id="source-{link["number"]}"' if "number" in link else ""
        items.append(
            f"<li{anchor}>{_escape(link['title'])}<br>"
            f'<a class="url" href="{_escape(link["url"])}">{_escape(link["url"])}</a></li>'
        )
    tag = "ol" if numbered else "ul"
    page.body.append(f'<{tag} class="links">' + "".join(items) + f"</{tag}>")


def _table(page: _Page, block: Table | Chart) -> None:
    head = "".join(f"<th>{_escape(h)}</th>" for h in block["headers"])
    rows = []
    for row in block["rows"]:
        cells = []
        for index, cell in enumerate(row):
            css = ' class="label"' if block["type"] == "matrix" and index == 0 else ""
            cells.append(f"<td{css}>{_value(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    page.body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _diagram(page: _Page, block: Diagram) -> None:
    """The immune cascade drawn with HTML and CSS (no script): a column of numbered steps joined by
    arrows, each with the treatments that act there beside it."""
    steps = []
    for position, step in enumerate(block["steps"], 1):
        acting = "".join(f'<span class="chip">{_escape(name)}</span>' for _id, name in step["treatments"])
        steps.append(
            f'<li><div class="step"><span class="num">{position}</span> {_escape(step["name"])}</div>'
            f'<div class="acting">{acting or "<span class=none>no treatment in the knowledge base</span>"}'
            "</div></li>"
        )
    page.body.append(
        '<figure class="cascade" aria-label="The immune cascade in MS, step by step">'
        f"<ol>{''.join(steps)}</ol><figcaption>Steps of the immune cascade (left) and the "
        "treatments that act at each (right).</figcaption></figure>"
    )


def _skip(page: _Page, block: object) -> None:
    """A person's text written back: Markdown only (`msref annotate --inline`)."""


def _space(page: _Page, block: Space) -> None:
    page.body.append('<div class="ruled"></div>' * block["lines"])


# Block type -> how it is drawn. Each function takes its own block type.
_DRAW: dict[str, Callable[[_Page, Any], None]] = {
    "title": _title,
    "heading": _heading,
    "para": _para,
    "note": _note,
    "fields": _fields,
    "bullets": _bullets,
    "links": _links,
    "table": _table,
    "matrix": _table,
    "chart": _table,
    "diagram": _diagram,
    "space": _space,
    "annotated": _skip,
}


def document(view: View) -> str:
    page = _Page()
    for block in view["doc"]:
        _DRAW[block["type"]](page, block)
    page.body.append(f'<p class="notice">{_escape(NOTICE)}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(page.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(page.body)
        + "\n</body>\n</html>\n"
    )


def write(view: View, out: TextIO) -> None:
    out.write(document(view))
