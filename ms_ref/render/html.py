"""A self-contained, printable HTML page: one file, styles inline, no scripts, fonts or images fetched.

Made for `msref prepare --format html -o sheet.html`: it prints on A4 (or Letter) with nothing cut
off, tables wrap long words instead of overflowing, and links print with their addresses.
"""

from __future__ import annotations

from ms_ref.models import NOTICE
from ms_ref.render import safe

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
@media screen { body { padding: 12mm; } }
"""


def _escape(value: object) -> str:
    return (safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _value(value: object) -> str:
    if isinstance(value, list):
        if len(value) == 1:
            return _escape(value[0])
        return "<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in value) + "</ul>"
    return _escape(value)


def document(view: dict[str, object]) -> str:
    body: list[str] = []
    title = "msref"
    for block in view["doc"]:  # type: ignore[attr-defined]
        kind = block[0]
        if kind == "title":
            title = safe(block[1])
            body.append(f"<h1>{_escape(block[1])}</h1>")
            if block[2]:
                body.append(f'<p class="subtitle">{_escape(block[2])}</p>')
        elif kind == "heading":
            body.append(f"<h2>{_escape(block[1])}</h2>")
        elif kind == "para":
            body.append(f"<p>{_escape(block[1])}</p>")
        elif kind == "note":
            body.append(f'<p class="note"><strong>Note:</strong> {_escape(block[1])}</p>')
        elif kind == "fields":
            items = []
            for label, value in block[1]:
                css = ' class="warning"' if label == "US boxed warning" and value != "none" else ""
                items.append(f"<dt>{_escape(label)}</dt><dd{css}>{_value(value)}</dd>")
            body.append("<dl>" + "".join(items) + "</dl>")
        elif kind == "bullets":
            body.append("<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in block[1]) + "</ul>")
        elif kind == "links":
            body.append('<ul class="links">' + "".join(
                f'<li>{_escape(t)}<br><a class="url" href="{_escape(u)}">{_escape(u)}</a></li>' for t, u in block[1]
            ) + "</ul>")
        elif kind in ("table", "matrix", "chart"):
            head = "".join(f"<th>{_escape(h)}</th>" for h in block[1])
            rows = []
            for row in block[2]:
                cells = []
                for index, cell in enumerate(row):
                    css = ' class="label"' if kind == "matrix" and index == 0 else ""
                    cells.append(f"<td{css}>{_value(cell)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif kind == "space":
            body.append('<div class="ruled"></div>' * int(block[1]))
    body.append(f'<p class="notice">{_escape(NOTICE)}</p>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write(view: dict[str, object], out: object) -> None:
    out.write(document(view))  # type: ignore[attr-defined]
