"""Named exit codes and the errors that carry them.

Kept free of imports (no enum) because every run loads it.
"""

from __future__ import annotations


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

    def __init__(self, message: str, hints: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hints = hints or []


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
