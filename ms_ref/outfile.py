"""Writing an answer to a file (`msref prepare -o FILE`) without ever losing what was there.

Everything is checked before the target is touched: the format must suit the file's extension, an
existing file is replaced only with --force and only if it is a regular file. The answer is rendered
into a temporary file in the same folder and renamed into place only when it is complete and on disk,
so a failed run (a bad format, a full disk, Ctrl-C) leaves the old file as it was and no empty file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from ms_ref.errors import MsrefError, UsageError
from ms_ref.render import EXTENSIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.types import View


@dataclass
class Target:
    path: str
    fmt: str
    mode: int | None  # the existing file's permissions, kept on replacement


def plan(path: str, fmt: str, force: bool) -> Target:
    """The file to write and its format, or UsageError before anything is written."""
    if not path or path != path.strip() or any(c in path for c in "\0\n\r"):
        raise UsageError(f"{path!r} is not a usable file name", command="prepare")
    extension = os.path.splitext(path)[1].lower()
    by_extension = EXTENSIONS.get(extension)
    if fmt == "auto":
        if by_extension is None:
            known = ", ".join(sorted(EXTENSIONS))
            raise UsageError(
                f"cannot tell the format from {path!r}; name a file ending in one of {known}, or give --format",
                command="prepare",
            )
        fmt = by_extension
    elif fmt in ("md", "text", "txt"):
        fmt = {"md": "markdown"}.get(fmt, "plain")
    if fmt == "rich":
        raise UsageError(
            "the rich format is for terminals; write a file as markdown, html, json or plain", command="prepare"
        )
    if extension and by_extension is not None and by_extension != fmt:
        raise UsageError(
            f"{path!r} names a {by_extension} file but the format is {fmt}; "
            f"give a file ending that matches, or --format {by_extension}",
            command="prepare",
        )
    if extension and by_extension is None:
        raise UsageError(
            f"msref does not write {extension} files; write {fmt} to a file ending in {_ending(fmt)}", command="prepare"
        )
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"the folder of {path!r} does not exist", command="prepare")
    mode = None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError(
                f"{path!r} is a link to nothing; msref will not write through it", command="prepare"
            ) from None
    except OSError as exc:
        raise MsrefError(f"cannot use {path!r}: {exc.strerror or exc}") from exc
    else:
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{path!r} exists and is not a regular file; msref only replaces files", command="prepare")
        if not force:
            raise UsageError(f"{path!r} already exists; add --force to replace it", command="prepare")
        mode = stat.S_IMODE(info.st_mode)
    return Target(os.path.realpath(path) if os.path.islink(path) else path, fmt, mode)


def _ending(fmt: str) -> str:
    return next((ext for ext, name in EXTENSIONS.items() if name == fmt), ".txt")


def write(view: View, target: Target) -> None:
    """Render `view` into a temporary file beside the target, then rename it into place."""
    import tempfile

    from ms_ref.render import render

    folder = os.path.dirname(os.path.abspath(target.path))
    try:
        handle, temp = tempfile.mkstemp(prefix=".msref-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise MsrefError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            render(view, target.fmt, stream)
            stream.flush()
            os.fsync(stream.fileno())
        if target.mode is not None:
            os.chmod(temp, target.mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target.path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise MsrefError(f"cannot write {target.path}: {exc.strerror or exc}; nothing was changed") from exc
        raise
