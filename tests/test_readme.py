"""The README stays honest: its command outputs are real, and every command is documented.

`pytest --update-golden` rewrites the outputs in README's ```console blocks. A block ending in a line
"..." shows only the first lines of the output (20 when first filled in).
"""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.S)
DEFAULT_HEAD = 20


def _expected(output: str) -> tuple[list[str], bool]:
    lines = output.rstrip("\n").split("\n") if output.strip() else []
    truncated = bool(lines) and lines[-1] == "..."
    return (lines[:-1] if truncated else lines), truncated


def test_readme_outputs_are_real(run, real_data, request: pytest.FixtureRequest) -> None:
    text = README.read_text(encoding="utf-8")
    update = request.config.getoption("--update-golden")
    pieces, last, failures = [], 0, []
    for match in BLOCK.finditer(text):
        command = match["command"]
        args = shlex.split(command)
        assert args[0] == "msref", command
        result = run(*args[1:])
        assert result.code == 0, (command, result)
        actual = result.out.rstrip("\n").split("\n")
        expected, truncated = _expected(match["output"])
        if update:
            if truncated:
                keep = len(expected) or DEFAULT_HEAD
                shown = actual[:keep] + (["..."] if len(actual) > keep else [])
            else:
                shown = actual
            pieces.append(text[last : match.start()])
            pieces.append(f"```console\n$ {command}\n" + "\n".join(shown) + "\n```")
            last = match.end()
        elif (actual[: len(expected)] if truncated else actual) != expected or (truncated and not expected):
            failures.append(command)
    if update:
        pieces.append(text[last:])
        README.write_text("".join(pieces), encoding="utf-8")
    assert not failures, f"README output out of date for: {failures} (run pytest --update-golden)"


def test_every_command_is_in_the_readme_and_has_help(run) -> None:
    from ms_ref.cli import app

    text = README.read_text(encoding="utf-8")
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert len(names) >= 9
    for name in names:
        assert f"msref {name}" in text, name
        result = run(name, "--help")
        assert result.code == 0 and "Usage" in result.out, name


def test_readme_states_the_notice() -> None:
    assert "not medical advice" in README.read_text(encoding="utf-8")
