"""`evx codegen`: write the typed fields classes of a rule set's event types as Python source.

The classes evx makes at run time are invisible to a static checker, so ``event.fields.count``
is an error under ``mypy --strict``. The module written here declares the same classes
(frozen attrs, typed: ``count: int | None``, an enum as a ``Literal``, a list as a tuple)
and registers them (:func:`evx.records.events.register_fields`): imported before the rules
are loaded, records are instances of these classes, and ``isinstance(event.fields,
HostageReleaseFields)`` narrows the type for the checker and at run time alike.
"""

from __future__ import annotations

from evx.check.schema import FieldType, Schema
from evx.records.events import schema_signature
from evx.ruleset import RuleSet

__all__ = ["fields_module"]


def _annotation(ftype: FieldType) -> str:
    if ftype.kind == "list":
        assert ftype.elem is not None
        return f"tuple[{_annotation(ftype.elem)}, ...]"
    if ftype.kind == "enum":
        base = "Literal[" + ", ".join(repr(m) for m in ftype.members) + "]"
    else:
        base = {"int": "int", "bool": "bool"}.get(ftype.kind, "str")
    return f"{base} | None" if ftype.optional else base


def _field_line(name: str, ftype: FieldType) -> str:
    annotation = _annotation(ftype)
    if ftype.kind == "list":
        return f"    {name}: {annotation} = ()"
    if ftype.optional:
        return f"    {name}: {annotation} = None"
    return f"    {name}: {annotation}"


def _class(schema: Schema) -> list[str]:
    lines = [
        "",
        "",
        "@register_fields",
        "@attrs.frozen(slots=True, kw_only=True)",
        f"class {schema.name}Fields(Fields):",
        f'    """The fields of {schema.name} ({schema.pos.file}:{schema.pos.line})."""',
        "",
        f"    type_name: ClassVar[str] = {schema.name!r}",
        f"    signature: ClassVar[str] = {schema_signature(schema)!r}",
        "",
    ]
    lines.extend(_field_line(name, ftype) for name, ftype in schema.fields)
    return lines


def fields_module(rules: RuleSet, source: str = "the rules") -> str:
    """The text of a Python module declaring and registering a typed fields class for
    each event type of ``rules`` (``source`` says where they came from, in its docstring)."""
    schemas = [rules.compiled.schemas[name] for name in rules.event_types]
    lines = [
        f'"""Typed fields of the event types of {source}: written by `evx codegen`, do not edit.',
        "",
        "Import this module before loading the rules; then `isinstance(event.fields,",
        'XFields)` narrows `event.fields` for a static checker and at run time alike."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import ClassVar, Literal",
        "",
        "import attrs",
        "",
        "from evx.records.events import Fields, register_fields",
        "",
        "__all__ = [" + ", ".join(repr(f"{s.name}Fields") for s in schemas) + "]",
    ]
    for schema in schemas:
        lines.extend(_class(schema))
    if not any("Literal[" in line for line in lines[8:]):
        lines[7] = "from typing import ClassVar"
    return "\n".join(lines) + "\n"
