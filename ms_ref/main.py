"""The `msref` entry point, and the one place where failures become exit codes and messages.

Well-formed commands are answered by ms_ref.quick without building the Typer app; everything else goes
to ms_ref.cli. Whichever path ran, expected failures (msref's own errors, Click's usage errors, Ctrl-C,
a closed pipe) end here, as one line on standard error and a named exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys

from ms_ref.errors import ExitCode, MsrefError, report, say, try_help


def main(argv: list[str] | None = None, *, quick: bool = True) -> int:
    """Run msref; returns the exit code. quick=False skips the quick path (tests hold the two equal)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:  # started with standard output closed (`msref ... >&-`)
        say("error: standard output is closed; nowhere to write the answer")
        return ExitCode.NOT_FOUND
    _tidy_environment()
    command = next((a for a in args if not a.startswith("-")), None)
    try:
        code = None
        if quick:
            from ms_ref.quick import run as run_quick

            code = run_quick(args)
        if code is None:
            from ms_ref.cli import run

            _named_shell(args)
            code = run(args)
        sys.stdout.flush()
        return code
    except MsrefError as exc:
        return report(exc, command)
    except KeyboardInterrupt:
        say("interrupted", prefix="\n")
        return ExitCode.INTERRUPTED
    except SystemExit as exc:  # Typer's completion ends with sys.exit
        _flush()
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else ExitCode.USAGE)
    except BrokenPipeError:
        # The reader went away (`msref treatments | head -1`): stop quietly.
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:
        if exc.errno is None or getattr(exc, "filename", None):
            raise
        # Standard output failed (a full disk, a closed descriptor): say so once, no traceback.
        _silence_stdout()
        say(f"error: cannot write the answer: {exc.strerror or exc}")
        return ExitCode.NOT_FOUND
    except Exception as exc:
        code = _click_failure(exc, command)
        if code is None:
            raise
        return code


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _named_shell(args: list[str]) -> None:
    """`msref --install-completion zsh` installs zsh's completion whatever shell runs it. Typer takes a
    shell name only when its shell detection is off, so it is turned off when a name is given."""
    for index, arg in enumerate(args):
        name, _equals, value = arg.partition("=")
        if name in ("--install-completion", "--show-completion"):
            value = value or (args[index + 1] if index + 1 < len(args) else "")
            if value in SHELLS:
                os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
            return


def _tidy_environment() -> None:
    """Make streams and settings safe before anything reads them."""
    # Text the terminal's encoding cannot show (an emoji on a Latin-1 terminal, undecodable bytes in an
    # argument) is written as a visible escape rather than crashing.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    # A width or height that is not a plain number (COLUMNS=²) is ignored, here and by Rich's help.
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.isascii() and value.isdigit() and 0 < int(value) < 10_000):
            del os.environ[name]


def _click_failure(exc: Exception, command: str | None) -> int | None:
    """Typer's Exit and Abort, and Click's usage errors, as msref's own messages and exit codes; None for
    anything else. Only reached on the Typer path, so the modules are already loaded."""
    typer_exceptions = sys.modules.get("typer.exceptions")
    click_exceptions = sys.modules.get("typer._click.exceptions")
    if typer_exceptions is None or click_exceptions is None:
        return None
    if isinstance(exc, typer_exceptions.Exit):
        return int(exc.exit_code)
    if isinstance(exc, typer_exceptions.Abort):
        say("interrupted", prefix="\n")
        return ExitCode.INTERRUPTED
    if isinstance(exc, click_exceptions.NoArgsIsHelpError):
        try:  # `msref` alone: the help, on standard error, as a usage error
            sys.stderr.write(exc.format_message() + "\n")
        except (OSError, ValueError, AttributeError):
            pass
        return ExitCode.USAGE
    if isinstance(exc, click_exceptions.ClickException):
        ctx = getattr(exc, "ctx", None)
        path = str(getattr(ctx, "command_path", "") or "")
        name = path.split(" ", 1)[1] if " " in path else None
        say(f"error: {exc.format_message().replace('Value error, ', '')}")
        if isinstance(exc, click_exceptions.UsageError):
            say(try_help(name), prefix="")
            return ExitCode.USAGE
        return int(exc.exit_code) or ExitCode.USAGE
    return None


def _flush() -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
