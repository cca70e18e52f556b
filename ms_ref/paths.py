"""Where msref's data lives: the knowledge base, the user's own entries and the cache.

Knowledge base: MSREF_DATA_DIR, else the copy packaged in the wheel (ms_ref/data), else the checkout's
data/ (an editable install does not see ms_ref/data). User entries: MSREF_USER_DIR, else the XDG data dir.
Cache: the XDG cache dir.

On XDG platforms the directories are worked out here from the environment, because importing
platformdirs costs about twice Python's own start-up and every run needs the cache path; elsewhere
(macOS, Windows) platformdirs decides. A test holds the two to the same answer on Linux.
"""

from __future__ import annotations

import os
import sys

APP = "msref"
KB_FILES = ("treatments.yaml", "glossary.yaml")

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _locate_data() -> tuple[str, str]:
    """(folder, where it came from): MSREF_DATA_DIR, the packaged copy, or the checkout's data/."""
    override = os.environ.get("MSREF_DATA_DIR")
    if override:
        return os.path.abspath(os.path.expanduser(override)), "MSREF_DATA_DIR"
    packaged = os.path.join(_PACKAGE_DIR, "data")
    if os.path.isfile(os.path.join(packaged, KB_FILES[0])):
        return packaged, "packaged"
    return os.path.join(os.path.dirname(_PACKAGE_DIR), "data"), "checkout"


def data_dir() -> str:
    """The folder holding treatments.yaml and glossary.yaml."""
    return _locate_data()[0]


def data_source() -> str:
    """Where data_dir() came from, for `msref paths`."""
    return _locate_data()[1]


def schema_dir() -> str:
    """The published JSON Schemas, beside the shipped data."""
    packaged = os.path.join(_PACKAGE_DIR, "data", "schema")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(_PACKAGE_DIR), "data", "schema")


def _xdg(variable: str, fallback: str) -> str | None:
    if sys.platform in ("darwin", "win32", "cygwin"):
        return None
    value = os.environ.get(variable, "").strip()
    # The XDG spec says relative paths are invalid and must be ignored.
    if not value or not os.path.isabs(value):
        value = os.path.join(os.path.expanduser("~"), fallback)
    return os.path.join(value, APP)


def user_dir() -> str:
    """The folder of the user's own entries (*.yaml), which add to or override shipped ones."""
    override = os.environ.get("MSREF_USER_DIR")
    if override:
        return os.path.abspath(os.path.expanduser(override))
    path = _xdg("XDG_DATA_HOME", os.path.join(".local", "share"))
    if path is None:
        import platformdirs

        path = platformdirs.user_data_dir(APP, appauthor=False)
    return path


def cache_dir() -> str:
    """The folder of msref's cache of the parsed knowledge base."""
    path = _xdg("XDG_CACHE_HOME", ".cache")
    if path is None:
        import platformdirs

        path = platformdirs.user_cache_dir(APP, appauthor=False)
    return path


def user_files(folder: str) -> tuple[list[str], list[str]]:
    """The user's entry files in `folder` (*.yaml and *.yml in any case), sorted so that overrides apply in
    a stable order, and the problems that kept any of them from being read. A missing folder holds none."""
    if not os.path.lexists(folder):
        return [], []
    if not os.path.isdir(folder):
        if os.path.islink(folder) and not os.path.exists(folder):
            what = "a link that leads nowhere (a missing target or a loop)"
        else:
            what = "a file, not a folder"
        return [], [f"{folder}: is {what}; put your entry files in a folder there (or set MSREF_USER_DIR)"]
    try:
        names = os.listdir(folder)
    except OSError as exc:
        return [], [f"{folder}: cannot read your entries folder: {exc.strerror or exc}"]
    files = [
        os.path.join(folder, name)
        for name in sorted(names)
        if name.casefold().endswith((".yaml", ".yml")) and not name.startswith(".")
    ]
    return files, []
