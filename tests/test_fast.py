"""The quick path (ms_ref.fast) and the Typer path (ms_ref.cli) give byte-identical answers, and the
quick path imports none of the heavy libraries once the cache is warm."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from ms_ref import cli, fast

CASES = [
    ["explain", "demyelination"],
    ["explain", "Ocrevus"],
    ["explain", "demyelinaton"],
    ["explain", "interferon"],
    ["explain", "zzzzqqq"],
    ["explain", ""],
    ["explain", "--", "-x"],
    ["explain", "[bold red]x\x1b[31m"],
    ["sources", "Tysabri"],
    ["compare", "ocrelizumab", "natalizumab"],
    ["compare", "ocrelizumab"],
    ["compare", "ocrelizumab", "myelin"],
    ["treatments"],
    ["treatments", "--type", "dmt"],
    ["treatments", "-t", "stem_cell", "--route", "infusion"],
    ["treatments", "--type=pills"],
    ["treatments", "--for", "ppms", "--status", "approved"],
    ["search", "myelin"],
    ["search", "liver", "--kind", "term", "-n", "3"],
    ["search", "qqqqxxxx"],
    ["glossary", "--category", "pathology"],
    ["glossary", "-c", "astrology"],
    ["immune"],
]
FORMATS = [[], ["--format", "plain"], ["--format", "markdown"], ["--json"], ["-f", "rich"], ["--format=JSON"]]


class _Stream(io.StringIO):
    def isatty(self) -> bool:
        return False


def _capture(function, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[object, str, str]:
    out, err = _Stream(), _Stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        code = function(argv)
    except SystemExit as exc:  # Typer's completion exits
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: " ".join(f) or "auto")
@pytest.mark.parametrize("argv", CASES, ids=lambda a: " ".join(a) or "-")
def test_quick_path_matches_typer(argv: list[str], fmt: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = [*argv, *fmt] if "--" not in argv else [argv[0], *fmt, *argv[1:]]
    quick = _capture(fast.run, args, monkeypatch)
    assert quick[0] is not None, f"quick path declined {args}"
    slow = _capture(cli.run, args, monkeypatch)
    assert quick == slow


@pytest.mark.parametrize(
    "argv",
    [["explain", "--help"], ["explain"], ["explain", "a", "b"], ["treatments", "--typo", "x"], ["search", "x", "-n", "0"],
     ["explain", "x", "--format", "xml"], ["--version"], ["paths"], ["validate"], ["treatments", "-tdmt"], []],
    ids=lambda a: " ".join(a) or "-",
)
def test_quick_path_declines_what_typer_should_answer(argv: list[str]) -> None:
    assert fast.run(argv) is None


def test_invalid_msref_format_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSREF_FORMAT", "xml")
    assert fast.run(["explain", "myelin"]) is None


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("typed", ["", "d", "demy", "Oc", "ocre", "T", "pml", "zz", "9", "h"])
@pytest.mark.parametrize("command", ["explain", "compare ocrelizumab", "sources"])
def test_completion_matches_typer(shell: str, typed: str, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    line = f"msref {command} {typed}"
    monkeypatch.setenv("_MSREF_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        words = line.split() if typed else [*line.split(), ""]
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line if typed else line.rstrip() + " ")
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    quick = _capture(lambda argv: fast.run(argv), [], monkeypatch)
    assert quick[0] is not None
    slow = _capture(cli.run, [], monkeypatch)
    assert quick == slow


HEAVY = ("typer", "rich", "yaml", "pydantic", "click", "rapidfuzz", "re", "json", "typing")


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["explain", "demyelination"], {}),
        (["treatments", "--type", "dmt"], {}),
        (["search", "myelin"], {}),
        (["compare", "ocrelizumab", "natalizumab"], {}),
        ([], {"_MSREF_COMPLETE": "complete_bash", "COMP_WORDS": "msref explain demy", "COMP_CWORD": "2"}),
    ],
    ids=["explain", "treatments", "search", "compare", "completion"],
)
def test_hot_commands_import_nothing_heavy_on_a_warm_cache(argv: list[str], env: dict[str, str], tmp_path) -> None:
    environment = {**os.environ, **env}
    code = (
        "import sys, io; from ms_ref.main import main;"
        "sys.stdout = io.StringIO(); code = main(sys.argv[1:]); out = sys.stdout.getvalue(); sys.stdout = sys.__stdout__;"
        f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules);"
        "print(repr((code, heavy, len(out))))"
    )
    subprocess.run([sys.executable, "-c", code, *argv], env=environment, capture_output=True, check=True)  # warm
    done = subprocess.run([sys.executable, "-c", code, *argv], env=environment, capture_output=True, text=True, check=True)
    exit_code, heavy, size = eval(done.stdout)  # noqa: S307 - our own repr
    assert exit_code == 0 and size > 0, done.stderr
    assert heavy == [], f"{argv or env}: imported {heavy}"


def test_json_from_both_paths_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = _capture(fast.run, ["treatments", "--json"], monkeypatch)
    assert code == 0 and json.loads(out)["treatments"]
