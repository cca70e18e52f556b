"""One renderer per output format; `render` picks it. A new format touches only this package."""

from __future__ import annotations

import os
import sys

FORMATS = ("auto", "rich", "plain", "markdown", "json", "html", "mermaid")
# What `auto` means when writing to a file (-o): chosen by the file's extension.
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".html": "html", ".htm": "html",
              ".mmd": "mermaid", ".txt": "plain"}

# Control characters (C0, DEL, C1) and bidirectional overrides must never reach a terminal from
# data or queries: they are shown as visible escapes instead. Newlines and tabs stay.
_UNSAFE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]
    if code not in (0x0A, 0x09)
}


def safe(text: object) -> str:
    """Text with control characters and direction overrides made visible."""
    text = str(text)
    # Nearly all text is printable (no control, format or surrogate characters): skip the translation.
    return text if text.isprintable() else text.translate(_UNSAFE)


def resolve_format(fmt: str, stream: object = None) -> str:
    """Turn `auto` into rich (a terminal that can show it) or plain (a pipe, a file, TERM=dumb)."""
    if fmt != "auto":
        return fmt
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    if os.environ.get("TERM") == "dumb" or not (isatty and isatty()):
        return "plain"
    return "rich"


def render(view: dict[str, object], fmt: str, stream: object = None, wiki: bool = False) -> None:
    """Write `view` to `stream` (stdout by default) in the chosen format."""
    out = stream or sys.stdout
    fmt = resolve_format(fmt, out)
    if fmt == "mermaid":
        if "mermaid" not in view:
            from ms_ref.errors import UsageError

            raise UsageError("the mermaid format draws the immune cascade: use it with `msref immune`")
        out.write(str(view["mermaid"]) + "\n")  # type: ignore[attr-defined]
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
