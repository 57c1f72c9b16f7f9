"""The event record: typed fields plus provenance, as in the JSON Lines contract.

Each event type declared in the rules gets its own frozen attrs class for its fields
(``HostageReleaseFields`` with ``count``, ``mode``, ...); an ``Event`` carries one of
those plus where it came from: document, rule, character span, matched text, evidence
sentence and the span of every argument.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import attrs

from evx.check.schema import FieldType, Schema


@attrs.frozen(slots=True)
class Arg:
    """Where an argument of a record sits in the document: character offsets and text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@attrs.frozen(slots=True)
class Fields:
    """Base of the generated per-type field classes."""

    type_name: ClassVar[str] = ""
    schema: ClassVar[Schema | None] = None  # the declaration the class was made from
    signature: ClassVar[str] = ""  # of a generated class: the declaration it was made from

    def __reduce__(self) -> tuple[Any, ...]:
        # the classes are made at run time, so pickle cannot find them by name: an
        # instance travels as its schema and values, and the class is made again (once
        # per schema and process: see make_fields_class)
        assert self.schema is not None
        return (_rebuild_fields, (self.schema, attrs.astuple(self, recurse=False)))

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain JSON-ready values, in declaration order."""
        out: dict[str, Any] = {}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            out[field.name] = list(value) if isinstance(value, tuple) else value
        return out


ArgValue = Arg | tuple[Arg, ...]

HOW: tuple[str, ...] = ("stated", "defaulted", "inherited")
"""How a field got its value: stated by the record's own rule (a capture or a `set:`),
defaulted (a classifier's `otherwise`), or inherited from another record of its story."""


@attrs.frozen(slots=True)
class FieldSource:
    """Where a field's value came from: how, the rule that gave it and the character span
    of what gave it (the capture; for a `set:` or a default, the span of that rule's
    record)."""

    how: str
    rule: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"how": self.how, "rule": self.rule, "start": self.start, "end": self.end}


@attrs.frozen(slots=True)
class Mention:
    """One statement of a story: a record's span, text and rule (``evx run --stories``)."""

    start: int
    end: int
    text: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule": self.rule}


@attrs.frozen(slots=True)
class Event:
    """One extracted record: its type, typed fields and provenance."""

    type: str
    doc: str
    rule: str
    start: int
    end: int
    text: str
    sentence: str
    fields: Fields
    args: Mapping[str, ArgValue]
    # rules whose records were merged into this one (`merge:`); `rule` is the first of them.
    # Kept for explanation and example tests; not part of the JSON Lines contract.
    merged: tuple[str, ...] = ()
    # where each field with a value got it (absent for null and empty fields); in the JSON
    # Lines output only on request (`evx run --provenance`)
    provenance: Mapping[str, FieldSource] = attrs.field(factory=dict)
    # a story record's statements, in document order (`--stories`; empty otherwise)
    mentions: tuple[Mention, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule this record rests on: `rule`, then the rules merged into it."""
        return (self.rule, *(r for r in self.merged if r != self.rule))

    def to_dict(self, *, provenance: bool = False) -> dict[str, Any]:
        """The record as in the output contract (key order included); a story record adds
        its `mentions`, and ``provenance=True`` where each field's value came from."""
        out = {
            "type": self.type,
            "doc": self.doc,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "sentence": self.sentence,
            "fields": self.fields.to_dict(),
            "args": {
                name: [a.to_dict() for a in arg] if isinstance(arg, tuple) else arg.to_dict()
                for name, arg in self.args.items()
            },
        }
        if self.mentions:
            out["mentions"] = [m.to_dict() for m in self.mentions]
        if provenance:
            out["provenance"] = {name: s.to_dict() for name, s in self.provenance.items()}
        return out

    def to_json(self, *, provenance: bool = False) -> str:
        """One line of JSON Lines."""
        return json_line(self.to_dict(provenance=provenance))

    @classmethod
    def from_dict(
        cls, record: Mapping[str, Any], fields: Callable[..., Fields], merged: tuple[str, ...] = ()
    ) -> Event:
        """An Event again from its record (the form records cross processes in), its
        fields made by ``fields`` (the type's fields class); ``merged`` is not part of
        the record."""
        values = {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in record["fields"].items()
        }
        args: dict[str, ArgValue] = {
            name: tuple(Arg(**a) for a in value) if isinstance(value, list) else Arg(**value)
            for name, value in record["args"].items()
        }
        return cls(
            type=record["type"],
            doc=record["doc"],
            rule=record["rule"],
            start=record["start"],
            end=record["end"],
            text=record["text"],
            sentence=record["sentence"],
            fields=fields(**values),
            args=args,
            merged=merged,
            provenance={
                name: FieldSource(**source) for name, source in record.get("provenance", {}).items()
            },
            mentions=tuple(Mention(**m) for m in record.get("mentions", ())),
        )


def json_line(record: Mapping[str, Any]) -> str:
    """A record as one line of JSON: non-ASCII text as it is, except a lone surrogate (text
    from the API can hold one; UTF-8 cannot), which forces \\u escapes for that record."""
    line = json.dumps(record, ensure_ascii=False)
    if line.isascii():
        return line
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(record, ensure_ascii=True)
    return line


def _python_type(ftype: FieldType) -> Any:
    base: Any
    if ftype.kind == "int":
        base = int
    elif ftype.kind == "bool":
        base = bool
    elif ftype.kind == "list":
        base = tuple
    else:
        base = str
    return base | None if ftype.optional else base


def _rebuild_fields(schema: Schema, values: tuple[Any, ...]) -> Fields:
    """A pickled Fields instance, rebuilt (see :meth:`Fields.__reduce__`)."""
    return make_fields_class(schema)(**dict(zip(schema.field_names, values, strict=True)))


_REGISTERED: dict[str, type[Fields]] = {}

_F = TypeVar("_F", bound=type[Fields])


def register_fields(cls: _F) -> _F:
    """Make ``cls`` the fields class of its event type (``cls.type_name``) from now on, when
    its ``signature`` is that of the declaration: the decorator of the classes `evx
    codegen` writes, so records are instances of classes a static checker knows. Import
    the generated module before loading the rules."""
    _REGISTERED[cls.type_name] = cls
    make_fields_class.cache_clear()
    return cls


def schema_signature(schema: Schema) -> str:
    """The fields of a declaration as one string: names, kinds, members, optionality."""

    def describe(ftype: FieldType) -> str:
        inner = describe(ftype.elem) if ftype.elem is not None else ""
        members = "|".join(ftype.members)
        return f"{ftype.kind}[{inner}{members}]{'?' if ftype.optional else ''}"

    return "; ".join(f"{name}: {describe(ftype)}" for name, ftype in schema.fields)


@functools.cache
def make_fields_class(schema: Schema) -> type[Fields]:
    """An attrs class whose attributes are the schema's fields, typed; one per schema, so
    records of equal declarations compare equal, pickled or not. A class registered for
    the type (:func:`register_fields`) is used instead when it fits the declaration."""
    registered = _REGISTERED.get(schema.name)
    if registered is not None:
        if registered.signature == schema_signature(schema):
            registered.schema = schema
            return registered
        warnings.warn(
            f"the generated class {registered.__qualname__} no longer fits the declaration of "
            f"{schema.name} ({schema.pos}): run `evx codegen` again",
            stacklevel=2,
        )
    attributes = {
        name: attrs.field(type=_python_type(ftype), default=None if ftype.kind != "list" else ())
        for name, ftype in schema.fields
    }
    cls: type[Fields] = attrs.make_class(
        f"{schema.name}Fields", attributes, bases=(Fields,), frozen=True, slots=True
    )
    cls.type_name = schema.name
    cls.schema = schema
    return cls
