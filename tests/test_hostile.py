"""Bad input, part 2: output files are never lost or emptied, nothing from outside reaches a terminal as an
escape, fields cannot break out of their place in Markdown or Mermaid, standard error closed or full changes
nothing, and none of the odd inputs below ends in a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, msref_env, write

ESC = "\x1b"


def msref(*args: str, stdin: int | None = subprocess.DEVNULL, stderr: int = subprocess.PIPE,
          **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ms_ref", *args],
        stdin=stdin,
        capture_output=stderr == subprocess.PIPE,
        stdout=None if stderr == subprocess.PIPE else subprocess.PIPE,
        stderr=None if stderr == subprocess.PIPE else stderr,
        text=True,
        env=msref_env(**env),
        timeout=60,
    )


# 1. Writing files ----------------------------------------------------------------------------------


def test_an_existing_file_is_never_replaced_without_force(run, tmp_path: Path) -> None:
    sheet = write(tmp_path / "visit.md", "my own notes\n")
    result = run("prepare", "ocrelizumab", "-o", str(sheet))
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert sheet.read_text(encoding="utf-8") == "my own notes\n"
    result = run("prepare", "ocrelizumab", "-o", str(sheet), "--force")
    assert result.code == 0 and sheet.read_text(encoding="utf-8").startswith("# Clinic visit")


def test_a_failed_run_leaves_no_file_and_keeps_the_old_one(run, tmp_path: Path) -> None:
    sheet = write(tmp_path / "visit.md", "keep me\n")
    result = run("prepare", "no-such-drug", "-o", str(sheet), "--force")
    assert result.code != 0
    assert sheet.read_text(encoding="utf-8") == "keep me\n"
    fresh = tmp_path / "new.md"
    assert run("prepare", "no-such-drug", "-o", str(fresh)).code != 0
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visit.md"], "no temporary file left behind"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("sheet.pdf", None), ("sheet.docx", None), ("sheet.md", "html"), ("sheet.html", "json"), ("sheet.json", "plain")],
)
def test_an_extension_that_does_not_match_the_format_is_refused(name: str, fmt: str | None, run, tmp_path: Path) -> None:
    args = ["prepare", "ocrelizumab", "-o", str(tmp_path / name)] + (["--format", fmt] if fmt else [])
    result = run(*args)
    assert result.code == 2 and result.out == ""
    assert not (tmp_path / name).exists()


def test_dash_is_standard_output_and_the_extension_picks_the_format(run, tmp_path: Path) -> None:
    result = run("prepare", "ocrelizumab", "-o", "-")
    assert result.code == 0 and result.out.startswith("Clinic visit") and not Path("-").exists()
    assert run("prepare", "ocrelizumab", "-o", str(tmp_path / "v.html")).code == 0
    assert (tmp_path / "v.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


def test_a_device_or_folder_is_never_a_target(run, tmp_path: Path) -> None:
    result = run("prepare", "ocrelizumab", "-o", "/dev/null", "--force", "--format", "plain")
    assert result.code == 2 and "not a regular file" in result.err
    result = run("prepare", "ocrelizumab", "-o", str(tmp_path), "--force")
    assert result.code == 2


def test_a_full_disk_keeps_the_old_sheet(tmp_path: Path) -> None:
    """The sheet is written to a temporary file first: when writing fails, the old file is untouched."""
    sheet = write(tmp_path / "visit.md", "the old sheet\n")
    code = (
        "import sys, builtins; from ms_ref import outfile\n"
        "real = outfile.os.replace\n"
        "def boom(*a, **k): raise OSError(28, 'No space left on device')\n"
        "outfile.os.replace = boom\n"
        "from ms_ref.main import main\n"
        f"sys.exit(main(['prepare', 'ocrelizumab', '-o', {str(sheet)!r}, '--force']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=msref_env(), timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert sheet.read_text(encoding="utf-8") == "the old sheet\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visit.md"]


# 2. Escape sequences from outside ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "x\x1b]52;c;aGVsbG8=\x07y"],
        ["annotate", "/tmp/no\x1b[31mfile\x07.txt"],
        ["prepare", "ocrelizumab", "-o", "/tmp/x\x1b]0;title\x07.pdf"],
        ["treatments", "--type", "\x1b[2J"],
        ["search", "\x9b31m"],
    ],
)
def test_no_escape_byte_from_outside_reaches_stderr_or_stdout(args: list[str], run) -> None:
    result = run(*args)
    assert "\x1b" not in result.err and "\x07" not in result.err and "\x9b" not in result.err
    assert "\x1b" not in result.out and "\x07" not in result.out


def test_a_user_file_name_and_key_with_escapes_are_shown_harmlessly(run, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mine"
    write(folder / "bad\x1b[31mname.yaml", "terms:\n- id: x\n  \"evil\\e]52;c;x\\a\": 1\n")
    monkeypatch.setenv("MSREF_USER_DIR", str(folder))
    for args in (["validate"], ["explain", "demyelination"]):
        result = run(*args)
        assert ESC not in result.err and "\x07" not in result.err and ESC not in result.out, args
        shown = result.err + result.out
        assert "\\x1b" in shown or "\\e" in shown or "\\u001b" in shown or "U+001B" in shown, args


# 3. Fields that try to break out -------------------------------------------------------------------


HOSTILE_TERM = """\
terms:
- id: hostile
  name: "Hostile ``` name %%{init: {'theme':'dark'}}%% end"
  category: general
  summary: "```\\n# heading\\n![img](https://evil.example/x.png)"
  details: "~~~ fence then <script>alert(1)</script> and [link](javascript:alert(1))"
  sources:
  - title: "A title]\\n# Injected heading"
    url: https://example.org/a
  reviewed: 2026-01-01
"""


def test_hostile_user_fields_are_refused_by_validation(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mine"
    write(folder / "hostile.yaml", HOSTILE_TERM)
    monkeypatch.setenv("MSREF_USER_DIR", str(folder))
    result = run("validate")
    assert result.code == 3
    text = result.out + result.err
    assert "control character" in text or "line break" in text or "single line" in text


PRINTABLE_HOSTILE = """\
terms:
- id: demyelination
  name: "Demyelination ``` %%{init: {'theme':'dark'}}%% \\"] --> x"
  category: pathology
  summary: "``` # heading ![img](https://evil.example/x.png) ~~~"
  details: "</script><script>alert(1)</script> [link](javascript:alert(1))"
  sources:
  - title: "A title] (x) # injected"
    url: https://example.org/a
  reviewed: 2026-01-01
cascade:
- id: activation
  name: "Activation %%{init: {'theme':'forest'}}%% \\"] --> n_x[\\"owned"
  summary: s.
  details: d.
  terms: []
  sources:
  - {title: t, url: "https://example.org/b"}
  reviewed: 2026-01-01
"""


def test_renderers_neutralise_fences_and_directives_that_validation_allows(run, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Printable text can still try to open a code block, a heading, an image or a Mermaid directive: the
    renderers escape it (defence in depth, after validation)."""
    folder = tmp_path / "mine"
    write(folder / "hostile.yaml", PRINTABLE_HOSTILE)
    monkeypatch.setenv("MSREF_USER_DIR", str(folder))
    markdown = run("explain", "demyelination", "--format", "markdown").out
    lines = markdown.split("\n")
    assert lines[0].startswith("# Demyelination")
    assert not any(line.lstrip().startswith(("```", "~~~")) for line in lines)
    assert "![img](https://evil.example" not in markdown
    import re

    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(javascript:", markdown), "a live javascript: link"
    assert not any(line.startswith(("# injected", "# heading")) for line in lines)
    chart = run("immune", "--format", "mermaid").out
    assert chart.startswith("flowchart TD")
    assert "%%{" not in chart and "%%" not in chart
    assert "n_x[" not in chart
    html = run("compare", "ocrelizumab", "natalizumab", "--format", "html").out
    assert "<script>alert" not in html


# 6. Standard error closed or full -------------------------------------------------------------------


@pytest.mark.parametrize("args, code", [(["explain", "demylination"], 0), (["explain", "zzqx"], 1),
                                        (["treatments", "--type", "pills"], 2)])
def test_stderr_closed_or_full_changes_neither_answer_nor_exit_code(args: list[str], code: int) -> None:
    env = msref_env(MSREF_DATA_DIR=str(FIXTURES))
    normal = subprocess.run([sys.executable, "-m", "ms_ref", *args], capture_output=True, text=True, env=env, timeout=60)
    assert normal.returncode == code
    for target in ("closed", "/dev/full"):
        if target == "closed":
            script = f"import os, sys; os.close(2); from ms_ref.main import main; sys.exit(main({args!r}))"
            done = subprocess.run([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, timeout=60)
        else:
            with open("/dev/full", "w") as full:
                done = subprocess.run([sys.executable, "-m", "ms_ref", *args], stdout=subprocess.PIPE, stderr=full,
                                      text=True, env=env, timeout=60)
        assert done.returncode == code, target
        assert done.stdout == normal.stdout, target


# 7. Tracebacks ------------------------------------------------------------------------------------


def test_quiz_with_standard_input_closed() -> None:
    env = msref_env(MSREF_DATA_DIR=str(FIXTURES))
    script = "import os, sys; os.close(0); from ms_ref.main import main; sys.exit(main(['quiz', '-n', '2']))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 2)


@pytest.mark.parametrize("args", [["random"], ["quiz", "--no-input"], ["random", "--kind", "term"], ["symptoms"]])
def test_a_valid_knowledge_base_without_terms_or_treatments(args: list[str], run, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    folder = tmp_path / "kb"
    treatments = yaml.safe_load((FIXTURES / "treatments.yaml").read_text(encoding="utf-8"))
    glossary = yaml.safe_load((FIXTURES / "glossary.yaml").read_text(encoding="utf-8"))
    treatments["treatments"] = []
    glossary["terms"] = []
    for step in glossary.get("cascade", []):
        step["terms"] = []
    for family in treatments["families"]:
        family.pop("related", None)
    write(folder / "treatments.yaml", yaml.safe_dump(treatments, sort_keys=False))
    write(folder / "glossary.yaml", yaml.safe_dump(glossary, sort_keys=False))
    monkeypatch.setenv("MSREF_DATA_DIR", str(folder))
    result = run(*args)
    assert "Traceback" not in result.err
    assert result.code in (0, 1, 3)


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "-1", "0", ""])
def test_odd_numbers_are_usage_errors(value: str, run) -> None:
    result = run("quiz", "-n", value, "--no-input")
    assert result.code == 2 and "Traceback" not in result.err
    assert ESC not in result.err


@pytest.mark.parametrize("columns", ["²", "٣", "-5", "abc", "99999999"])
def test_odd_terminal_sizes_are_ignored(columns: str) -> None:
    for args in (["explain", "demyelination"], ["--help"], ["explain", "--help"]):
        done = msref(*args, COLUMNS=columns, LINES=columns, MSREF_DATA_DIR=str(FIXTURES))
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)


def test_help_into_a_reader_that_stops_early() -> None:
    for args in (["--help"], ["explain", "--help"], ["treatments"]):
        pipeline = subprocess.run(
            f"{sys.executable} -m ms_ref {' '.join(args)} | head -c 10",
            shell=True, capture_output=True, text=True, env=msref_env(MSREF_DATA_DIR=str(FIXTURES)), timeout=60,
            executable="/bin/bash",
        )
        assert "Traceback" not in pipeline.stderr and "Broken pipe" not in pipeline.stderr
        status = subprocess.run(
            f"set -o pipefail; {sys.executable} -m ms_ref {' '.join(args)} | head -c 10 >/dev/null",
            shell=True, env=msref_env(MSREF_DATA_DIR=str(FIXTURES)), timeout=60, executable="/bin/bash",
        )
        assert status.returncode == 0, args


def test_a_cache_file_truncated_while_another_run_reads_it(private_cache: Path, run) -> None:
    """A store cut short under a running reader: the reader's answers stay right or it rebuilds; never a
    traceback."""
    from ms_ref.store import load_knowledge_base

    assert run("explain", "demyelination").code == 0
    kb = load_knowledge_base()
    stores = [p for p in private_cache.rglob("*") if p.is_file()]
    assert stores
    for store in stores:
        with open(store, "r+b") as handle:
            handle.truncate(max(store.stat().st_size // 3, 17))
    try:
        kb.entry("demyelination")
    except Exception as exc:
        assert exc.__class__.__name__ in ("CacheCorrupt", "DataError"), exc
    result = run("explain", "demyelination")
    assert result.code == 0 and result.out.startswith("Demyelination")
    assert os.environ.get("XDG_CACHE_HOME")
