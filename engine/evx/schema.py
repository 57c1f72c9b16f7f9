"""Field types and schemas of the records rules produce (events and mention values)."""

from __future__ import annotations

from typing import Any

import attrs

from evx.errors import SourcePos


@attrs.frozen
class FieldType:
    """A checked field type: int, str, bool, enum (with members) or list of an element type."""

    kind: str  # "int", "str", "bool", "enum", "list"
    optional: bool = False
    members: tuple[str, ...] = ()
    elem: FieldType | None = None
    enum_name: str | None = None

    def describe(self) -> str:
        """The type as a rule author writes it."""
        if self.kind == "list":
            assert self.elem is not None
            base = f"list[{self.elem.describe()}]"
        elif self.kind == "enum":
            base = self.enum_name or "enum { " + ", ".join(self.members) + " }"
        else:
            base = self.kind
        return base + ("?" if self.optional else "")

    def accepts(self, value: object) -> bool:
        """Whether a runtime value fits this type."""
        if value is None:
            return self.optional or self.kind == "list"
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.kind == "str":
            return isinstance(value, str)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "enum":
            return isinstance(value, str) and value in self.members
        if self.kind == "list":
            assert self.elem is not None
            return isinstance(value, list | tuple) and all(self.elem.accepts(v) for v in value)
        return False

    def json_schema(self) -> dict[str, Any]:
        """This type as a JSON Schema fragment."""
        out: dict[str, Any]
        if self.kind == "int":
            out = {"type": "integer"}
        elif self.kind == "str":
            out = {"type": "string"}
        elif self.kind == "bool":
            out = {"type": "boolean"}
        elif self.kind == "enum":
            out = {"enum": list(self.members)}
        else:
            assert self.elem is not None
            out = {"type": "array", "items": self.elem.json_schema()}
        if self.optional:
            return {"anyOf": [out, {"type": "null"}]}
        return out


STR = FieldType("str")
INT = FieldType("int")
BOOL = FieldType("bool")


@attrs.frozen
class Schema:
    """A label's record shape: an event type's fields, or a mention's value type."""

    name: str
    is_event: bool
    fields: tuple[tuple[str, FieldType], ...]
    pos: SourcePos
    overlap: str = "longest"
    merge: str | None = None

    def field(self, name: str) -> FieldType | None:
        for field_name, field_type in self.fields:
            if field_name == name:
                return field_type
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of one output record of this type (the JSON Lines contract)."""
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
            "title": self.name,
            "type": "object",
            "properties": {
                "type": {"const": self.name},
                "doc": {"type": "string"},
                "rule": {"type": "string"},
                "start": {"type": "integer"},
                "end": {"type": "integer"},
                "text": {"type": "string"},
                "sentence": {"type": "string"},
                "fields": {
                    "type": "object",
                    "properties": {name: t.json_schema() for name, t in self.fields},
                    "required": list(self.field_names),
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
