"""JSON: the view's data with schema_version first. No notice: JSON is for scripts."""

from __future__ import annotations

import json

from ms_ref.models import SCHEMA_VERSION


def dumps(view: dict[str, object]) -> str:
    data = view["data"]
    if callable(data):  # computed only when JSON asks for it (it may read many entries)
        data = data()
    payload = {"schema_version": SCHEMA_VERSION, **data}  # type: ignore[dict-item]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def write(view: dict[str, object], out: object) -> None:
    out.write(dumps(view))  # type: ignore[attr-defined]
