"""Long answers on a terminal go through a pager, as git and man do; short ones are printed.

The pager is MSREF_PAGER, else PAGER, else `less`; less gets LESS=FRX unless LESS is set (quit when the
text fits on one screen, keep colours, leave the text on screen). A pager that cannot start means the
text is printed instead. Never used when standard output is not a terminal, or with --no-pager.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.types import View


class _Terminal:
    """A text buffer that answers like the terminal it stands for (width, colour)."""

    def __init__(self, stream: object) -> None:
        self.parts: list[str] = []
        self._stream = stream

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()  # type: ignore[attr-defined, no-any-return]

    def flush(self) -> None:
        pass


def _which(program: str) -> bool:
    """Whether `program` can be run (shutil.which without importing shutil, which costs every run 5 ms)."""
    if os.sep in program:
        return os.path.isfile(program) and os.access(program, os.X_OK)
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return True
    return False


def _command() -> str | None:
    chosen = os.environ.get("MSREF_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER")
    if chosen is None:
        chosen = "less" if _which("less") else ""
    chosen = chosen.strip()
    if chosen in ("", "cat"):
        return None
    import shlex

    try:
        program = shlex.split(chosen)[0]
    except (ValueError, IndexError):
        return None
    return chosen if _which(program) else None


def show(view: View, fmt: str, wiki: bool) -> None:
    from ms_ref.render import render

    buffer = _Terminal(sys.stdout)
    render(view, fmt, buffer, wiki=wiki)  # type: ignore[arg-type]
    text = "".join(buffer.parts)
    try:
        rows = os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError):
        rows = 24
    lines = os.environ.get("LINES", "")
    if lines.isascii() and lines.isdigit() and int(lines) > 0:
        rows = int(lines)
    command = _command() if text.count("\n") >= rows else None  # a short answer needs no pager at all
    if command is None:
        sys.stdout.write(text)
        return
    _page(text, command)


def _page(text: str, command: str) -> None:
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager while it runs
    try:
        try:
            process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
        except OSError:
            sys.stdout.write(text)
            return
        assert process.stdin is not None
        try:
            process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the reader quit the pager before reading everything
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
