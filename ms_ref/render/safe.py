"""Making outside text harmless to show: the one function every renderer and message goes through.

Data, file names, paths and arguments can hold control characters; written raw, an escape sequence
could recolour a terminal, rewrite its title or set the clipboard (OSC 52). They are shown as visible
escapes instead (`\\x1b`), on standard output and standard error alike. Newlines and tabs stay where
text may span lines; `one_line` folds them too.
"""

from __future__ import annotations

_UNSAFE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        0x2028,
        0x2029,
        0xFEFF,
    ]
    if code not in (0x0A, 0x09)
}
_UNSAFE_LINE = {**_UNSAFE, 0x0A: " ", 0x09: " "}


def safe(text: object) -> str:
    """Text with control characters, direction overrides and lone surrogates made visible."""
    value = str(text)
    if value.isprintable():  # nearly all text: skip the translation
        return value
    value = value.translate(_UNSAFE)
    if any("\ud800" <= char <= "\udfff" for char in value):
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def one_line(text: object) -> str:
    """safe(), with line breaks and tabs read as spaces: for messages and single-line fields."""
    value = str(text)
    if value.isprintable():
        return value
    return safe(value.translate(_UNSAFE_LINE))
