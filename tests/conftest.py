"""Shared test set-up: a pinned environment and a helper that runs msref's real entry point."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
REAL_DATA = ROOT / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from current output.")


@pytest.fixture(autouse=True)
def pinned_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test runs on the small fixture knowledge base, with its own empty cache and user dir."""
    for name in ("MSREF_FORMAT", "FORCE_COLOR", "NO_COLOR", "MSREF_USER_DIR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MSREF_DATA_DIR", str(FIXTURES))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    return tmp_path


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out[:300]!r}, err={self.err[:300]!r})"


class _Pipe(io.StringIO):
    """stdout as a pipe: not a terminal."""

    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Run `msref ARGS` through ms_ref.main.main, the console script's target, capturing the streams."""

    def invoke(*args: str) -> Result:
        from ms_ref.main import main

        out, err = _Pipe(), _Pipe()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main(list(args))
        return Result(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point msref at the shipped knowledge base instead of the fixture."""
    monkeypatch.setenv("MSREF_DATA_DIR", str(REAL_DATA))
    return REAL_DATA


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def kb_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture knowledge base, used as MSREF_DATA_DIR."""
    folder = tmp_path / "kb"
    folder.mkdir()
    for name in ("treatments.yaml", "glossary.yaml"):
        (folder / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("MSREF_DATA_DIR", str(folder))
    return folder


os.environ.setdefault("PYTHONHASHSEED", "0")
