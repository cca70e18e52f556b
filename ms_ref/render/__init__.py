"""One renderer per output format; `render` picks it. A new format touches only this package.

Every renderer takes a view (ms_ref.types.View) and a text stream, and dispatches on block types.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ms_ref.types import View

FORMATS = ("auto", "rich", "plain", "markdown", "json", "html", "mermaid")
# Other names people type for a format.
FORMAT_ALIASES = {"md": "markdown", "text": "plain", "txt": "plain", "terminal": "rich"}
# What `auto` means when writing to a file (-o): chosen by the file's extension.
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".mmd": "mermaid",
    ".txt": "plain",
}


def resolve_format(fmt: str, stream: object = None) -> str:
    """Turn `auto` into rich (a terminal that can show it) or plain (a pipe, a file, TERM=dumb)."""
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt != "auto":
        return fmt
    isatty = getattr(stream or sys.stdout, "isatty", None)
    if os.environ.get("TERM") == "dumb" or not (isatty and isatty()):
        return "plain"
    return "rich"


def render(view: View, fmt: str, stream: TextIO | None = None, wiki: bool = False) -> None:
    """Write `view` to `stream` (stdout by default) in the chosen format."""
    out = stream or sys.stdout
    fmt = resolve_format(fmt, out)
    if fmt == "mermaid":
        from ms_ref.render import mermaid

        mermaid.write(view, out)
    elif fmt == "html":
        from ms_ref.render import html

        html.write(view, out)
    elif fmt == "json":
        from ms_ref.render import jsonout

        jsonout.write(view, out)
    elif fmt == "markdown":
        from ms_ref.render import markdown

        markdown.write(view, out, wiki=wiki)
    elif fmt == "rich":
        from ms_ref.render import terminal

        terminal.write(view, out)
    else:
        from ms_ref.render import plain

        plain.write(view, out)
