"""Named exit codes, the errors that carry them, and the one way messages reach standard error.

Kept free of heavy imports (no enum, no typing) because every run loads it.
"""

from __future__ import annotations

import sys

from ms_ref.render.safe import one_line


class ExitCode:
    """Exit codes msref promises to scripts."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    BAD_DATA = 3
    INTERRUPTED = 130


class MsrefError(Exception):
    """An expected failure: a message for stderr and an exit code, never a traceback."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hints: list[str] | None = None, command: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hints = hints or []
        self.command = command


class NotFoundError(MsrefError):
    """The query matched nothing confidently; `hints` holds suggestions."""

    exit_code = ExitCode.NOT_FOUND


class UsageError(MsrefError):
    """The command line asked for something that cannot be (unknown family, bad combination)."""

    exit_code = ExitCode.USAGE


class DataError(MsrefError):
    """A knowledge-base file is missing, unreadable or invalid; `problems` lists every finding."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"the knowledge base has {count} {noun}", hints=problems)
        self.problems = problems


def say(message: str, prefix: str = "msref: ") -> None:
    """One line on standard error, with anything unprintable made visible. Never fails: the answer and
    the exit code must not depend on whether a message could be written (stderr closed or full)."""
    try:
        stream = sys.stderr
        if stream is None:
            return
        line = f"{prefix}{one_line(message)}"
        if len(line) > 40 and stream.isatty():  # a person reads it: wrapped between words, not mid-word
            line = _wrapped(line, len(prefix) + len(message) - len(message.lstrip(" ")), stream)
        stream.write(f"{line}\n")
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _wrapped(line: str, indent: int, stream: object) -> str:
    """`line` wrapped to the terminal's width, its later lines indented under the first's text."""
    from ms_ref.render.terminal import cell_width, width_of

    width = width_of(stream)
    if cell_width(line) <= width or width < 30:
        return line
    import textwrap

    return textwrap.fill(line, width=width, subsequent_indent=" " * (indent + 2), break_on_hyphens=False,
                         break_long_words=False)


def try_help(command: str | None) -> str:
    return f"Try 'msref {command} --help' for help." if command else "Try 'msref --help' for help."


def report(exc: MsrefError, command: str | None = None) -> int:
    """An expected failure on standard error; returns its exit code."""
    say(f"error: {exc.message}")
    for hint in exc.hints:
        say(hint, prefix="  ")
    if isinstance(exc, UsageError):
        say(try_help(exc.command or command), prefix="")
    return exc.exit_code
