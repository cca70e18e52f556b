"""Shared test set-up: a pinned environment, one compiled store per knowledge base for the whole session,
and a helper that runs msref's real entry point."""

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


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session: each knowledge base is compiled once, then read from its store.

    Sharing is safe because a store is keyed on the files' paths and contents and on msref's code."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def pinned_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, session_cache: Path) -> Path:
    """Every test runs on the small fixture knowledge base, with an empty user dir and the session's cache."""
    for name in ("MSREF_FORMAT", "FORCE_COLOR", "NO_COLOR", "MSREF_USER_DIR", "CLICOLOR_FORCE", "MSREF_PAGER",
                 "PAGER", "MSREF_HYPERLINKS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MSREF_DATA_DIR", str(FIXTURES))
    monkeypatch.setenv("XDG_CACHE_HOME", str(session_cache))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    return tmp_path


@pytest.fixture
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache folder of this test's own, for tests that damage or count cache files."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "msref"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out[:300]!r}, err={self.err[:300]!r})"


class Pipe(io.StringIO):
    """stdout as a pipe: not a terminal."""

    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run `msref ARGS` through ms_ref.main.main, the console script's target, capturing the streams.
    With typer=True the quick path is skipped, so the Typer app parses the command line."""

    def invoke(*args: str, typer: bool = False) -> Result:
        from ms_ref.main import main

        out, err = Pipe(), Pipe()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main(list(args), quick=not typer)
        return Result(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point msref at the shipped knowledge base instead of the fixture."""
    monkeypatch.setenv("MSREF_DATA_DIR", str(REAL_DATA))
    return REAL_DATA


@pytest.fixture(scope="session")
def real_kb():
    """The shipped knowledge base, compiled once for the session."""
    from ms_ref.ingest import build

    built = build([str(REAL_DATA / "treatments.yaml"), str(REAL_DATA / "glossary.yaml")], [])
    assert built.problems == []
    return built.kb


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


def msref_env(**extra: str) -> dict[str, str]:
    """The environment for running msref in a subprocess: the test's own, plus `extra`."""
    return {**os.environ, **extra}


os.environ.setdefault("PYTHONHASHSEED", "0")
