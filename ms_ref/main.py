"""The `msref` entry point: one place that turns outcomes into exit codes."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run msref; returns the exit code."""
    try:
        from ms_ref.cli import run

        code = run(argv)
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
