"""msref on a real pseudo-terminal: the quiz waits for keys, long output is paged, lines fit the screen, links
stay whole and clickable. These drive the installed entry point in a child process whose standard input and
output are a pty, as a person's terminal would be; main() with a fake stream cannot show any of this."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import REAL_DATA, msref_env

ESC = "\x1b"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


class Terminal:
    """msref running on a pty of a given size; read what it shows, type keys, collect its exit status."""

    def __init__(self, args: list[str], columns: int = 80, rows: int = 24, **env: str) -> None:
        self.master, slave = pty.openpty()
        fcntl_size = struct.pack("HHHH", rows, columns, 0, 0)
        import fcntl

        fcntl.ioctl(slave, termios.TIOCSWINSZ, fcntl_size)
        environment = msref_env(MSREF_DATA_DIR=str(REAL_DATA), TERM="xterm-256color", **env)
        environment.pop("COLUMNS", None)
        environment.pop("LINES", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ms_ref", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = ""

    def read(self, until: str | None = None, timeout: float = 20.0) -> str:
        """Read what the program shows, until `until` appears (or it exits, or time runs out)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until is not None and until in self.output:
                break
            ready, _w, _x = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk.decode("utf-8", "replace")
            elif self.process.poll() is not None and until is None:
                break
        return self.output

    def quiet_for(self, seconds: float) -> bool:
        """True when the program printed nothing more for `seconds` (it is waiting)."""
        before = len(self.output)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.read(timeout=0.1)
        return len(self.output) == before

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 20.0) -> int:
        self.read(timeout=timeout)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            os.close(self.master)


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


def test_quiz_waits_for_each_answer_and_accepts_capitals() -> None:
    term = Terminal(["quiz", "-n", "3", "--seed", "4"])
    term.read(until="Your answer")
    assert term.quiet_for(0.6), "the quiz went on without an answer"
    assert "Question 2" not in term.output and "You scored" not in term.output
    term.type("x\r")
    term.read(until="Please type a, b, c or d")
    term.type("B\r")
    term.read(until="Question 2")
    term.type("s\r")
    term.read(until="Question 3")
    term.type("c\r")
    assert term.finish() == 0
    shown = plain(term.output)
    assert "You scored" in shown and "Traceback" not in shown


def test_quiz_ctrl_c_exits_130_and_ctrl_d_ends_with_the_score() -> None:
    term = Terminal(["quiz", "-n", "3", "--seed", "2"])
    term.read(until="Your answer")
    term.quiet_for(0.3)  # waiting in its read, as when a person presses Ctrl-C
    os.killpg(term.process.pid, signal.SIGINT)
    assert term.finish() == 130
    assert "Traceback" not in term.output
    term = Terminal(["quiz", "-n", "3", "--seed", "2"])
    term.read(until="Your answer")
    term.quiet_for(0.3)  # the quiz is waiting for a key
    term.type("\x04")
    assert term.finish() == 0
    assert "Traceback" not in term.output


@pytest.mark.parametrize("columns", [80, 120])
def test_lines_fit_the_terminal_and_urls_stay_whole(columns: int) -> None:
    term = Terminal(["explain", "natalizumab", "--no-pager"], columns=columns, rows=40)
    assert term.finish() == 0
    shown = plain(term.output)
    assert ESC in term.output, "a terminal gets colour"
    for line in shown.split("\n"):  # a URL longer than the screen is kept whole, on a line of its own
        assert len(line) <= columns or re.fullmatch(r"\s*(\d+\.|-)?\s*https?://\S+", line), line
    import json

    done = subprocess.run(
        [sys.executable, "-m", "ms_ref", "sources", "natalizumab", "--json"],
        capture_output=True, text=True, env=msref_env(MSREF_DATA_DIR=str(REAL_DATA)), timeout=60, check=True,
    )
    cited = {source["url"] for source in json.loads(done.stdout)["sources"]}
    urls = re.findall(r"https?://\S+", shown)
    assert urls
    for url in urls:  # a URL on screen is a whole URL of the entry, never cut at the edge of the screen
        assert url.rstrip(".,;)") in cited or any(c.startswith(url) and len(c) == len(url) for c in cited), url


def test_messages_wrap_between_words_on_a_terminal_and_stay_one_line_when_piped() -> None:
    term = Terminal(["explain", "incontinence"], columns=60)
    assert term.finish() == 1
    shown = plain(term.output)
    lines = [line for line in shown.split("\n") if line.strip()]
    assert all(len(line) <= 60 for line in lines), lines
    assert "cannot control" in shown.replace("\n    ", " ")  # the meaning reads whole, not cut mid-word
    assert any(line.startswith("    ") and not line.strip().startswith("msref") for line in lines)  # indented
    piped = subprocess.run([sys.executable, "-m", "ms_ref", "explain", "incontinence"], capture_output=True,
                           text=True, env=msref_env(MSREF_DATA_DIR=str(REAL_DATA), COLUMNS="60"), timeout=60)
    assert piped.returncode == 1
    assert any(len(line) > 60 for line in piped.stderr.splitlines())  # a log keeps one line per message


def _vocabulary(*args: str) -> set[str]:
    """Every word of the same answer in Markdown, whose table cells are never wrapped: a word on the terminal
    outside this set was cut in two."""
    done = subprocess.run(
        [sys.executable, "-m", "ms_ref", *args, "--format", "markdown"],
        capture_output=True,
        text=True,
        env=msref_env(MSREF_DATA_DIR=str(REAL_DATA)),
        timeout=60,
        check=True,
    )
    return set(re.findall(r"[A-Za-z]+", done.stdout))


def test_table_cells_wrap_between_words_at_80_columns() -> None:
    names = ["ocrelizumab", "natalizumab", "fingolimod"]
    term = Terminal(["compare", *names, "--no-pager"], columns=80, rows=40)
    assert term.finish() == 0
    shown = plain(term.output)
    known = _vocabulary("compare", *names)
    for line in shown.split("\n"):
        assert len(line) <= 80 or re.fullmatch(r"\s*(\d+\.|-)?\s*https?://\S+", line), line
        if "http" in line:
            continue
        for word in re.findall(r"[A-Za-z]{3,}", line):
            assert word in known or word.capitalize() in known or word.lower() in known, (word, line)


def test_more_treatments_than_fit_are_stacked() -> None:
    names = ["ocrelizumab", "natalizumab", "fingolimod", "cladribine", "teriflunomide"]
    term = Terminal(["compare", *names, "--no-pager"], columns=80, rows=40)
    assert term.finish() == 0
    shown = plain(term.output)
    assert "\n  Ocrelizumab: " in shown and "\n  Teriflunomide: " in shown
    assert not any(all(n.capitalize() in line for n in names) for line in shown.split("\n"))


def test_links_are_clickable_when_asked(tmp_path: Path) -> None:
    term = Terminal(["explain", "demyelination", "--no-pager"], columns=120, rows=60, MSREF_HYPERLINKS="1")
    assert term.finish() == 0
    assert "\x1b]8;;https://" in term.output


def _pager_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    record = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > '{record}'\n", encoding="utf-8")
    pager.chmod(0o755)
    return {"MSREF_PAGER": str(pager)}, record


def test_long_output_goes_through_the_pager_short_output_does_not(tmp_path: Path) -> None:
    env, record = _pager_env(tmp_path)
    term = Terminal(["explain", "ocrelizumab"], rows=24, **env)
    assert term.finish() == 0
    assert record.is_file() and "Ocrelizumab" in record.read_text(encoding="utf-8")
    record.unlink()
    term = Terminal(["explain", "ocrelizumab", "--no-pager"], rows=24, **env)
    assert term.finish() == 0
    assert not record.exists() and "Ocrelizumab" in plain(term.output)
    term = Terminal(["explain", "demyelination"], rows=200, **env)
    assert term.finish() == 0
    assert not record.exists(), "output shorter than the screen is not paged"


def test_never_paged_when_piped(tmp_path: Path) -> None:
    env, record = _pager_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ms_ref", "explain", "ocrelizumab"],
        capture_output=True,
        text=True,
        env=msref_env(MSREF_DATA_DIR=str(REAL_DATA), **env),
        timeout=60,
    )
    assert done.returncode == 0 and not record.exists()
    assert ESC not in done.stdout


def test_help_on_a_terminal_has_no_internal_metavars() -> None:
    for command in ("explain", "quiz", "annotate"):
        term = Terminal([command, "--help"], columns=100, rows=60)
        assert term.finish() == 0
        shown = plain(term.output)
        assert "<bool>" not in shown and "BOOLEAN" not in shown and "Traceback" not in shown, command
        assert "not medical advice" in shown or command != "explain"
