"""What users install: the wheel holds the code and the data, and its entry point answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ms_ref import paths
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("msref-*.whl")
    return built


def test_wheel_holds_code_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("ms_ref/__init__.py", "ms_ref/cli.py", "ms_ref/render/terminal.py",
                   "ms_ref/data/treatments.yaml", "ms_ref/data/glossary.yaml",
                   "ms_ref/data/schema/treatments.schema.json", "ms_ref/data/schema/glossary.schema.json",
                   "ms_ref/data/kb.bin", "msref-0.1.0.data/scripts/msref"):
        assert needed in names, needed
    script = zipfile.ZipFile(wheel).read("msref-0.1.0.data/scripts/msref").decode()
    assert script.startswith("#!python\n") and "import re" not in script
    assert not any(name.startswith(("tests/", "data/")) for name in names)


def test_installed_wheel_answers_from_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSREF_")}
    env["PYTHONPATH"] = str(target)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    code = (
        "import sys, ms_ref.main as m, ms_ref.paths as p, ms_ref.store as s;"
        "assert m.__file__.startswith(sys.argv[1]), m.__file__;"
        "assert p.data_source() == 'packaged', p.data_dir();"
        "shipped = s.Sources().shipped;"
        "assert s._prebuilt(shipped, s.content_stamp(shipped)) is not None;"
        "sys.exit(m.main(['explain', 'demyelination', '--format', 'json']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "demyelination"


def test_xdg_paths_agree_with_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    platformdirs = pytest.importorskip("platformdirs")
    if sys.platform in ("darwin", "win32"):
        pytest.skip("platformdirs decides directly on this platform")
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "MSREF_USER_DIR"):
        monkeypatch.delenv(variable, raising=False)
    assert paths.cache_dir() == platformdirs.user_cache_dir("msref", appauthor=False)
    assert paths.user_dir() == platformdirs.user_data_dir("msref", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    assert paths.cache_dir() == platformdirs.user_cache_dir("msref", appauthor=False)
    assert paths.user_dir() == platformdirs.user_data_dir("msref", appauthor=False)
