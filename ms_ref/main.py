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
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
