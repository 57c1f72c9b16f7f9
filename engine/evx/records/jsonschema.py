"""The JSON Schema of the output records (the JSON Lines contract), derived from the schemas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from evx.check.schema import FieldType, Schema


def field_schema(ftype: FieldType) -> dict[str, Any]:
    """One field type as a JSON Schema fragment."""
    out: dict[str, Any]
    if ftype.kind == "int":
        out = {"type": "integer"}
    elif ftype.kind == "str":
        out = {"type": "string"}
    elif ftype.kind == "bool":
        out = {"type": "boolean"}
    elif ftype.kind == "enum":
        out = {"enum": list(ftype.members)}
    else:
        assert ftype.elem is not None
        out = {"type": "array", "items": field_schema(ftype.elem)}
    if ftype.optional:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def record_schema(schema: Schema) -> dict[str, Any]:
    """The JSON Schema of one output record of an event type."""
    span = {
        "type": "object",
        "properties": {
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "text": {"type": "string"},
        },
        "required": ["start", "end", "text"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": schema.name,
        "type": "object",
        "properties": {
            "type": {"const": schema.name},
            "doc": {"type": "string"},
            "rule": {"type": "string"},
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "text": {"type": "string"},
            "sentence": {"type": "string"},
            "fields": {
                "type": "object",
                "properties": {name: field_schema(t) for name, t in schema.fields},
                "required": list(schema.field_names),
                "additionalProperties": False,
            },
            "args": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [span, {"type": "array", "items": span}],
                },
            },
        },
        "required": [
            "type",
            "doc",
            "rule",
            "start",
            "end",
            "text",
            "sentence",
            "fields",
            "args",
        ],
    }


def records_schema(schemas: Iterable[Schema]) -> dict[str, Any]:
    """The schema of a JSON Lines file of records: one of the event types' records."""
    events = [s for s in schemas if s.is_event]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "oneOf": [{"$ref": f"#/$defs/{s.name}"} for s in events],
        "$defs": {s.name: record_schema(s) for s in events},
    }
