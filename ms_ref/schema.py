"""Publish the knowledge model (models.py) as JSON Schema, for editors that validate YAML as it is typed.

    python -m ms_ref.schema          # rewrite data/schema/*.schema.json
    python -m ms_ref.schema --check  # exit 1 if the published files are out of date

The files are referenced from the YAML by the yaml-language-server convention:
    # yaml-language-server: $schema=./schema/treatments.schema.json
"""

from __future__ import annotations

import json
import os
import sys

from ms_ref import models

_SCALARS: dict[str, dict[str, object]] = {
    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    "text": {"type": "string", "minLength": 1, "pattern": "\\S"},
    "url": {"type": "string", "pattern": "^https?://\\S+$"},
    "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
    # YAML reads 2026-11-25 as a date; editors see it as a string in that form.
    "date": {
        "anyOf": [
            {"type": "string", "pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$"},
            {"type": "integer", "minimum": 1900, "maximum": 2100},
        ]
    },
}


def _schema(spec: object) -> dict[str, object]:
    if isinstance(spec, str):
        return dict(_SCALARS[spec])
    kind = spec[0]  # type: ignore[index]
    if kind == "enum":
        return {"enum": list(spec[1])}  # type: ignore[index]
    if kind == "nullable":
        return {"anyOf": [_schema(spec[1]), {"type": "null"}]}  # type: ignore[index]
    if kind == "list":
        return {"type": "array", "items": _schema(spec[1])}  # type: ignore[index]
    if kind == "one-or-list":
        inner = _schema(spec[1])  # type: ignore[index]
        return {"anyOf": [inner, {"type": "array", "items": inner, "minItems": 1}]}
    if kind == "record":
        return _object(spec[1])  # type: ignore[index]
    raise ValueError(f"unknown field spec {spec!r}")


def _object(fields: dict[str, tuple[object, bool]], descriptions: dict[str, str] | None = None) -> dict[str, object]:
    properties = {}
    for name, (spec, _required) in fields.items():
        prop = _schema(spec)
        if descriptions and name in descriptions:
            prop["description"] = descriptions[name]
        properties[name] = prop
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, (_spec, required) in fields.items() if required],
        "properties": properties,
    }


def file_schema(sections: tuple[str, ...], title: str) -> dict[str, object]:
    """The JSON Schema of a knowledge-base file holding `sections`."""
    properties: dict[str, object] = {"schema_version": {"const": models.SCHEMA_VERSION}}
    for section in sections:
        _kind, fields = models.SECTIONS[section]
        properties[section] = {"type": "array", "items": _object(fields, models.LABELS)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "An msref knowledge-base file. Educational content; every entry cites sources and a review date.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


SCHEMAS = {
    "treatments.schema.json": file_schema(("families", "treatments"), "msref treatments"),
    "glossary.schema.json": file_schema(("terms", "cascade"), "msref glossary"),
    "entries.schema.json": file_schema(tuple(models.SECTIONS), "msref user entries"),
}


def dumps(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "schema")
    stale = []
    for name, schema in SCHEMAS.items():
        path = os.path.join(root, name)
        text = dumps(schema)
        try:
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if current != text:
            stale.append(path)
            if "--check" not in argv:
                os.makedirs(root, exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
    if "--check" in argv and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
