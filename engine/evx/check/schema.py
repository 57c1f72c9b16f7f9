"""Field types and schemas: the shape the checker gives each event type and mention value."""

from __future__ import annotations

import attrs

from evx.errors import SourcePos


@attrs.frozen
class FieldType:
    """A checked field type: int, str, bool, enum (with members) or list of an element type."""

    kind: str  # "int", "str", "bool", "enum", "list"; "error" for a type already reported
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
        if self.kind == "error":
            return True
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


STR = FieldType("str")
ERROR = FieldType("error", optional=True)
"""The type of a field whose declared type was reported (E105): it fits anything, so the
field's uses are not reported again as follow-on errors."""
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
    story: tuple[str, ...] | None = None  # the fields that tell this type's events apart
    inherit: tuple[str, ...] = ()  # the fields a record takes from its story
    external: bool = False  # a mention the document supplies (`external mention Name`)

    def field(self, name: str) -> FieldType | None:
        for field_name, field_type in self.fields:
            if field_name == name:
                return field_type
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)


def fits(source: FieldType, target: FieldType) -> bool:
    """Whether a value of type `source` can fill a field of type `target`.

    Enums fit an enum with at least their members; anything with text fits a str field;
    a type already reported as wrong fits anything (no follow-on errors).
    """
    if "error" in (source.kind, target.kind):
        return True
    if target.kind == source.kind == "enum":
        return set(source.members) <= set(target.members)
    if target.kind == "str":
        return source.kind in ("str", "int", "enum")
    return source.kind == target.kind
