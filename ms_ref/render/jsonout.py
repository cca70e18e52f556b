"""JSON: the view's data with schema_version first. No notice: JSON is for scripts."""

from __future__ import annotations

import json

from ms_ref.spec import SCHEMA_VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ms_ref.types import View


def dumps(view: View) -> str:
    data = view["data"]
    if callable(data):  # computed only when JSON asks for it (it may read many entries)
        data = data()
    return json.dumps({"schema_version": SCHEMA_VERSION, **data}, ensure_ascii=False, indent=2) + "\n"


def write(view: View, out: TextIO) -> None:
    out.write(dumps(view))
