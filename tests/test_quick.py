"""The quick path (ms_ref.quick) is derived from the Typer app and answers exactly as the Typer path does,
and the hot commands import nothing beyond the standard library once the store is built."""

from __future__ import annotations

import inspect
import os
import pprint
import subprocess
import sys

import pytest

from ms_ref import actions, cli, commands, quick

CASES = [
    ["explain", "demyelination"],
    ["explain", "Ocrevus"],
    ["explain", "demyelinaton"],
    ["explain", "interferon"],
    ["explain", "zzzzqqq"],
    ["explain", ""],
    ["explain", "--", "-x"],
    ["explain", "blood", "brain", "barrier"],
    ["explain", "[bold red]x\x1b[31m"],
    ["sources", "Tysabri"],
    ["compare", "ocrelizumab", "natalizumab"],
    ["compare", "ocrelizumab"],
    ["compare", "ocrelizumab", "Ocrevus", "natalizumab"],
    ["compare", "ocrelizumab", "myelin"],
    ["treatments"],
    ["treatments", "--type", "dmt"],
    ["treatments", "-t", "stem_cell", "--route", "infusion"],
    ["treatments", "--type=pills"],
    ["treatments", "--for", "spms", "--status", "approved"],
    ["search", "myelin"],
    ["search", "liver", "injury"],
    ["search", "liver", "--kind", "term", "-n", "3"],
    ["search", "qqqqxxxx"],
    ["glossary", "--category", "pathology"],
    ["glossary", "-c", "astrology"],
    ["immune"],
    ["timeline", "--agency", "FDA"],
    ["random", "--seed", "3"],
    ["quiz", "--seed", "2", "--no-input"],
    ["prepare", "ocrelizumab"],
    ["paths"],
]
FORMATS = [[], ["--format", "plain"], ["--format", "markdown"], ["--json"], ["-f", "rich"], ["--format=JSON"],
           ["-f", "md"]]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: " ".join(f) or "auto")
@pytest.mark.parametrize("argv", CASES, ids=lambda a: " ".join(a) or "-")
def test_quick_path_matches_typer(argv: list[str], fmt: list[str], run) -> None:
    args = [*argv, *fmt] if "--" not in argv else [argv[0], *fmt, *argv[1:]]
    assert quick.parse(args) is not None, f"quick path declined {args}"
    fast, slow = run(*args), run(*args, typer=True)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)


@pytest.mark.parametrize(
    "argv",
    [["explain", "--help"], ["explain"], ["treatments", "--typo", "x"], ["search", "x", "-n", "0"],
     ["search", "x", "-n", "²"], ["explain", "x", "--format", "xml"], ["explain", "x", "--format", "html"],
     ["--version"], ["treatments", "-tdmt"], ["treatments", "--ty", "dmt"], ["compare"], [], ["nonsense"],
     ["explain", "x", "--json=1"]],
    ids=lambda a: " ".join(a) or "-",
)
def test_quick_path_declines_what_typer_should_answer(argv: list[str], run) -> None:
    assert quick.parse(argv) is None
    result = run(*argv)
    assert "Traceback" not in result.err
    assert result.code in (0, 2), result


def test_the_command_table_is_generated_from_the_typer_app() -> None:
    """ms_ref/commands.py is stale: run `python -m ms_ref.cli --write-table`."""
    assert cli.command_table() == commands.COMMANDS, pprint.pformat(cli.command_table())


def test_every_command_has_an_action_taking_its_parameters() -> None:
    for name, command in commands.COMMANDS.items():
        action = getattr(actions, command["action"])
        assert list(inspect.signature(action).parameters) == [p["name"] for p in command["params"]], name


def test_invalid_msref_format_is_a_usage_error_naming_it(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSREF_FORMAT", "xml")
    result = run("explain", "myelin")
    assert result.code == 2 and "MSREF_FORMAT" in result.err and result.out == ""
    monkeypatch.setenv("MSREF_FORMAT", "mermaid")  # a format, but not one explain writes: the default applies
    assert run("explain", "myelin").code == 0


def _complete(run, monkeypatch: pytest.MonkeyPatch, shell: str, line: str, typer: bool) -> tuple[int, str, str]:
    monkeypatch.setenv("_MSREF_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        words = line.split() if not line.endswith(" ") else [*line.split(), ""]
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    result = run(typer=typer)
    return result.code, result.out, result.err


COMPLETIONS = ["msref explain ", "msref explain d", "msref explain demy", "msref explain Oc", "msref explain ocre",
               "msref explain T", "msref explain pml", "msref explain zz", "msref explain 9", "msref sources h",
               "msref compare ocrelizumab ", "msref compare ocrelizumab na", "msref compare my",
               "msref treatments --type ", "msref treatments --type s", "msref treatments --for ",
               "msref treatments --route o", "msref treatments --status ", "msref glossary --category s",
               "msref search --kind t", "msref explain x --format m", "msref immune --format m"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line", COMPLETIONS)
def test_completion_matches_typer(shell: str, line: str, run, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _complete(run, monkeypatch, shell, line, typer=False)
    slow = _complete(run, monkeypatch, shell, line, typer=True)
    assert fast == slow


def test_completion_offers_values_names_and_lower_case_brands(run, monkeypatch: pytest.MonkeyPatch) -> None:
    _code, out, _err = _complete(run, monkeypatch, "bash", "msref treatments --type ", typer=False)
    assert out.split() == ["dmt", "symptomatic", "rehabilitation", "stem-cell", "complementary"]
    _code, out, _err = _complete(run, monkeypatch, "bash", "msref explain ocre", typer=False)
    assert "ocrevus" in out.split() and "ocrelizumab" in out.split()
    _code, out, _err = _complete(run, monkeypatch, "bash", "msref compare my", typer=False)
    assert "myelin" not in out.split()  # compare takes treatments only


HEAVY = ("typer", "rich", "yaml", "pydantic", "click", "rapidfuzz", "re", "json", "typing", "platformdirs")


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["explain", "demyelination"], {}),
        (["explain", "blood", "brain", "barrier"], {}),
        (["treatments", "--type", "dmt"], {}),
        (["search", "myelin"], {}),
        (["compare", "ocrelizumab", "natalizumab"], {}),
        (["glossary"], {}),
        ([], {"_MSREF_COMPLETE": "complete_bash", "COMP_WORDS": "msref explain demy", "COMP_CWORD": "2"}),
        ([], {"_MSREF_COMPLETE": "complete_bash", "COMP_WORDS": "msref treatments --type ", "COMP_CWORD": "3"}),
    ],
    ids=["explain", "explain-words", "treatments", "search", "compare", "glossary", "complete", "complete-value"],
)
def test_hot_commands_import_nothing_heavy_on_a_warm_cache(argv: list[str], env: dict[str, str]) -> None:
    environment = {**os.environ, **env}
    code = (
        "import sys, io; from ms_ref.main import main;"
        "sys.stdout = io.StringIO(); code = main(sys.argv[1:]); out = sys.stdout.getvalue(); sys.stdout = sys.__stdout__;"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules);"
        "print(repr((code, heavy, len(out))))"
    )
    subprocess.run([sys.executable, "-c", code, *argv], env=environment, capture_output=True, check=True)  # warm
    done = subprocess.run([sys.executable, "-c", code, *argv], env=environment, capture_output=True, text=True,
                          check=True)
    exit_code, heavy, size = eval(done.stdout)
    assert exit_code == 0 and size > 0, done.stderr
    assert heavy == [], f"{argv or env}: imported {heavy}"
