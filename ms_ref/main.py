"""The `msref` entry point: one place that turns outcomes into exit codes.

Simple read-only commands are answered by ms_ref.fast without building the Typer app; everything
else goes to ms_ref.cli.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run msref; returns the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:  # started with standard output closed (`msref ... >&-`)
        if sys.stderr is not None:
            sys.stderr.write("msref: error: standard output is closed; nowhere to write the answer\n")
        return 1
    # Text the terminal's encoding cannot show (an emoji on a Latin-1 terminal, undecodable bytes in an
    # argument) is written as a visible escape rather than crashing.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    try:
        from ms_ref.fast import run as run_fast

        code = run_fast(args)
        if code is None:
            from ms_ref.cli import run

            code = run(args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`msref treatments | head -1`): stop quietly.
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.errno is None or getattr(exc, "filename", None):
            raise
        # Standard output failed (a full disk, a closed descriptor): say so once, no traceback.
        _silence_stdout()
        sys.stderr.write(f"msref: error: cannot write the answer: {exc.strerror or exc}\n")
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
