"""GitHub-flavoured Markdown that pastes cleanly into notes: it passes markdownlint's default rules
(line length aside), and renders on GitHub and in Obsidian. With wiki=True, names of other entries
become [[wiki-links]]."""

from __future__ import annotations

from ms_ref.models import NOTICE
from ms_ref.render import safe

# Characters that would start Markdown or HTML syntax inside running text; in table cells "|" too.
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>"})
_CELL_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})
_WIKI_UNSAFE = str.maketrans({c: " " for c in "[]|#^"})


def text(value: object, table: bool = False, wiki: bool = False) -> str:
    """Data text escaped for Markdown, on one line."""
    if wiki and type(value).__name__ == "Ref":
        name = " ".join(safe(value).translate(_WIKI_UNSAFE).split())
        return f"[[{name}]]"
    escaped = safe(value).translate(_CELL_ESCAPES if table else _ESCAPES)
    escaped = " ".join(escaped.split())
    # A leading "#", "+", "-", ">" or "=" would turn running text into a heading, list, quote or rule.
    if escaped[:1] in ("#", "+", "-", ">", "="):
        escaped = "\\" + escaped
    elif escaped[:1].isdigit() and ". " in escaped[:6]:  # "1. " would start an ordered list
        number, _dot, rest = escaped.partition(".")
        if number.isdigit():
            escaped = f"{number}\\.{rest}"
    return escaped


def _value(value: object, table: bool = False, wiki: bool = False) -> str:
    if isinstance(value, list):
        return "; ".join(text(item, table, wiki) for item in value)
    return text(value, table, wiki)


def _link(title: str, url: str) -> str:
    # Angle brackets would end a <...> destination early: percent-encode them, then wrap the address
    # in <...> when a space or parenthesis would otherwise end it.
    url = safe(url).replace("<", "%3C").replace(">", "%3E")
    target = f"<{url}>" if any(c in url for c in " ()") else url
    return f"[{text(title)}]({target})"


def lines(view: dict[str, object], notice: bool = True, wiki: bool = False) -> list[str]:
    out: list[str] = []
    level = 1
    for block in view["doc"]:  # type: ignore[attr-defined]
        kind = block[0]
        if kind == "title":
            out += [f"# {text(block[1])}", ""]
            if block[2]:
                out += [text(block[2]), ""]
            level = 2
        elif kind == "heading":
            out += [f"{'#' * level} {text(block[1])}", ""]
        elif kind == "para":
            out += [text(block[1]), ""]
        elif kind == "note":
            out += [f"> **Note:** {text(block[1])}", ""]
        elif kind == "fields":
            for label, value in block[1]:
                out.append(f"- **{text(label)}:** {_value(value, wiki=wiki)}")
            out.append("")
        elif kind == "bullets":
            out += [f"- {text(item, wiki=wiki)}" for item in block[1]] + [""]
        elif kind == "links":
            out += [f"- {_link(title, url)}" for title, url in block[1]] + [""]
        elif kind in ("table", "matrix", "chart"):
            headers, rows = block[1], block[2]
            # markdownlint's table rules want one space either side of every pipe, so no cell is empty.
            out.append("| " + " | ".join(text(h, True) or "-" for h in headers) + " |")
            out.append("|" + "|".join(" --- " for _ in headers) + "|")
            out += ["| " + " | ".join(_value(c, True, wiki) or "-" for c in row) + " |" for row in rows]
            out.append("")
        elif kind == "diagram":
            out += ["```mermaid", *safe(block[1]).split("\n"), "```", ""]
    if notice:
        out += [f"*{text(NOTICE)}*", ""]
    while out and out[-1] == "":
        out.pop()
    return out


def write(view: dict[str, object], out: object, wiki: bool = False) -> None:
    out.write("\n".join(lines(view, wiki=wiki)) + "\n")  # type: ignore[attr-defined]
