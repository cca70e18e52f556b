"""Publish the knowledge model (spec.py) as JSON Schema, for editors that validate YAML as it is typed.

    python -m ms_ref.ingest.schema          # rewrite data/schema/*.schema.json
    python -m ms_ref.ingest.schema --check  # exit 1 if the published files are out of date

The files are referenced from the YAML by the yaml-language-server convention:
    # yaml-language-server: $schema=./schema/treatments.schema.json
"""

from __future__ import annotations

import json
import os
import sys

from ms_ref import spec

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


def _schema(kind: spec.Kind) -> dict[str, object]:
    if isinstance(kind, str):
        return dict(_SCALARS[kind])
    shape, inner = kind
    if shape == "enum":
        return {"enum": list(inner)}  # type: ignore[call-overload]
    if shape == "nullable":
        return {"anyOf": [_schema(inner), {"type": "null"}]}  # type: ignore[arg-type]
    if shape == "list":
        return {"type": "array", "items": _schema(inner)}  # type: ignore[arg-type]
    if shape == "one-or-list":
        item = _schema(inner)  # type: ignore[arg-type]
        return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}
    if shape == "record":
        return _object(inner)  # type: ignore[arg-type]
    raise ValueError(f"unknown field spec {kind!r}")


def _object(fields: dict[str, spec.FieldSpec], descriptions: dict[str, str] | None = None) -> dict[str, object]:
    properties = {}
    for name, (kind, _required) in fields.items():
        prop = _schema(kind)
        if descriptions and name in descriptions:
            prop["description"] = descriptions[name]
        if name == "sources":
            prop["minItems"] = 1
        properties[name] = prop
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, (_spec, required) in fields.items() if required],
        "properties": properties,
    }


def file_schema(sections: tuple[str, ...], title: str) -> dict[str, object]:
    """The JSON Schema of a knowledge-base file holding `sections`."""
    properties: dict[str, object] = {"schema_version": {"const": spec.DATA_VERSION}}
    for section in sections:
        _kind, fields = spec.SECTIONS[section]
        properties[section] = {"type": "array", "items": _object(fields, spec.LABELS)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": (
            "An msref knowledge-base file. Educational content; every entry cites sources and a review date."
        ),
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


SCHEMAS = {
    "treatments.schema.json": file_schema(("families", "treatments"), "msref treatments"),
    "glossary.schema.json": file_schema(("terms", "cascade"), "msref glossary"),
    "entries.schema.json": file_schema(tuple(spec.SECTIONS), "msref user entries"),
}


def dumps(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "data", "schema")
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
