"""GitHub-flavoured Markdown that pastes cleanly into notes: it passes markdownlint's default rules
(line length aside), and renders on GitHub and in Obsidian. With wiki=True, names of other entries
become [[wiki-links]]. Fields supported by sources carry footnotes ([^n]) to those sources.

Every piece of data is escaped so that it stays text: no field can start a heading, a list, a quote, a
code fence, a link or an image, or close the Mermaid block around the cascade.
"""

from __future__ import annotations

from ms_ref.render import mermaid
from ms_ref.render.safe import one_line, safe
from ms_ref.spec import NOTICE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

    from ms_ref.types import (
        Annotated,
        Bullets,
        Cell,
        Chart,
        Diagram,
        Fields,
        Heading,
        LinkList,
        Note,
        Para,
        Table,
        Title,
        View,
    )

# Characters that would start Markdown or HTML syntax inside running text; in table cells "|" too.
_SYNTAX = "\\`*_[]<>~!"
_ESCAPES = str.maketrans({c: "\\" + c for c in _SYNTAX})
_CELL_ESCAPES = str.maketrans({c: "\\" + c for c in _SYNTAX + "|"})
_WIKI_UNSAFE = str.maketrans(dict.fromkeys("[]|#^", " "))
# Characters that cannot stand raw in a link destination.
_URL_ESCAPES = str.maketrans({"<": "%3C", ">": "%3E", " ": "%20", "\\": "%5C", "`": "%60"})


def text(value: object, table: bool = False, wiki: bool = False) -> str:
    """Data text escaped for Markdown, on one line."""
    if wiki and type(value).__name__ == "Ref":
        name = " ".join(one_line(value).translate(_WIKI_UNSAFE).split())
        return f"[[{name}]]"
    escaped = " ".join(one_line(value).translate(_CELL_ESCAPES if table else _ESCAPES).split())
    # A leading "#", "+", "-", ">", "=" or "|" would turn running text into a heading, list, quote, rule or table.
    if escaped[:1] in ("#", "+", "-", ">", "=", "|"):
        escaped = "\\" + escaped
    elif escaped[:1].isdigit():  # "1. " or "1) " would start an ordered list
        number = escaped.split(".", 1)[0].split(")", 1)[0]
        if number.isdigit() and escaped[len(number) : len(number) + 1] in (".", ")"):
            escaped = f"{number}\\{escaped[len(number) :]}"
    return escaped


text_ = text  # the escaping function, for functions with a local named `text`


def _value(cell: Cell, table: bool = False, wiki: bool = False) -> str:
    if isinstance(cell, list):
        return "; ".join(text(item, table, wiki) for item in cell)
    return text(cell, table, wiki)


def _link(title: str, url: str) -> str:
    # Angle brackets would end a <...> destination early: percent-encode them, then wrap the address in
    # <...> when a parenthesis would otherwise end it.
    address = one_line(url).translate(_URL_ESCAPES)
    target = f"<{address}>" if any(c in address for c in "()") else address
    return f"[{text(title)}]({target})"


class _Doc:
    def __init__(self, wiki: bool) -> None:
        self.lines: list[str] = []
        self.level = 1
        self.wiki = wiki
        self.footnotes: dict[int, str] = {}  # source number -> its definition

    def mark(self, numbers: list[int]) -> str:
        return "".join(f"[^{n}]" for n in numbers)


def _title(doc: _Doc, block: Title) -> None:
    doc.lines += [f"# {text(block['text'])}", ""]
    if block["subtitle"]:
        doc.lines += [text(block["subtitle"]), ""]
    doc.level = 2


def _heading(doc: _Doc, block: Heading) -> None:
    doc.lines += [f"{'#' * doc.level} {text(block['text'])}", ""]


def _para(doc: _Doc, block: Para) -> None:
    doc.lines += [text(block["text"]), ""]


def _note(doc: _Doc, block: Note) -> None:
    doc.lines += [f"> **Note:** {text(block['text'])}", ""]


def _fields(doc: _Doc, block: Fields) -> None:
    for item in block["items"]:
        marks = doc.mark(item.get("marks", []))
        value = _value(item["value"], wiki=doc.wiki)
        if item.get("highlight"):
            value = _emphasise(value, item["highlight"])
        doc.lines.append(f"- **{text(item['label'])}:**{marks} {value}")
    doc.lines.append("")


def _emphasise(value: str, words: list[str]) -> str:
    """The words a search matched in bold (already-escaped Markdown text: only whole words are wrapped)."""
    import re

    pattern = re.compile(r"(?<![\w*\\])(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda m: f"**{m.group(0)}**", value)


def _bullets(doc: _Doc, block: Bullets) -> None:
    doc.lines += [f"- {text(item, wiki=doc.wiki)}" for item in block["items"]] + [""]


def _links(doc: _Doc, block: LinkList) -> None:
    for link in block["items"]:
        if "number" in link:
            doc.footnotes.setdefault(link["number"], _link(link["title"], link["url"]))
            doc.lines.append(f"{link['number']}. {_link(link['title'], link['url'])}")
        else:
            doc.lines.append(f"- {_link(link['title'], link['url'])}")
    doc.lines.append("")


def _table(doc: _Doc, block: Table | Chart) -> None:
    # markdownlint's table rules want one space either side of every pipe, so no cell is empty.
    doc.lines.append("| " + " | ".join(text(h, True) or "-" for h in block["headers"]) + " |")
    doc.lines.append("|" + "|".join(" --- " for _ in block["headers"]) + "|")
    doc.lines += ["| " + " | ".join(_value(c, True, doc.wiki) or "-" for c in row) + " |" for row in block["rows"]]
    doc.lines.append("")


def _diagram(doc: _Doc, block: Diagram) -> None:
    doc.lines += ["```mermaid", *mermaid.flowchart(block["steps"]).split("\n"), "```", ""]


def _annotated(doc: _Doc, block: Annotated) -> None:
    """The person's own text as it was, with the first use of each term linked to a footnote that explains
    it (or, with wiki links, to the note of that name). Only control characters are changed."""
    text, pieces, at = block["text"], [], 0
    for number, term in enumerate(block["terms"], 1):
        pieces.append(safe(text[at : term["start"]]))
        written = safe(text[term["start"] : term["end"]])
        if doc.wiki:
            name = " ".join(one_line(term["name"]).translate(_WIKI_UNSAFE).split())
            pieces.append(f"[[{name}|{written.replace('|', ' ').replace(']', ' ')}]]")
        else:
            pieces.append(f"{written}[^{number}]")
        at = term["end"]
    pieces.append(safe(text[at:]))
    doc.lines += "".join(pieces).rstrip("\n").split("\n") + [""]
    if not doc.wiki:
        for number, term in enumerate(block["terms"], 1):
            doc.lines.append(
                f"[^{number}]: **{text_(term['name'])}**: {text_(term['summary'])} (`msref explain {term['id']}`)"
            )
        doc.lines.append("")


def _skip(doc: _Doc, block: object) -> None:
    """Ruled lines to write on: paper only."""


# Block type -> how it is drawn. Each function takes its own block type.
_DRAW: dict[str, Callable[[_Doc, Any], None]] = {
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
    "space": _skip,
    "annotated": _annotated,
}


def lines(view: View, notice: bool = True, wiki: bool = False) -> list[str]:
    doc = _Doc(wiki)
    for block in view["doc"]:
        _DRAW[block["type"]](doc, block)
    used = sorted(
        {int(part.split("]")[0]) for line in doc.lines for part in line.split("[^")[1:] if part.split("]")[0].isdigit()}
    )
    notes = [f"[^{number}]: {doc.footnotes[number]}" for number in used if number in doc.footnotes]
    if notes:
        doc.lines += [*notes, ""]
    if notice:
        doc.lines += [f"*{text(NOTICE)}*", ""]
    while doc.lines and doc.lines[-1] == "":
        doc.lines.pop()
    return doc.lines


def write(view: View, out: TextIO, wiki: bool = False) -> None:
    out.write("\n".join(lines(view, wiki=wiki)) + "\n")
