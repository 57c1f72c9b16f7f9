"""What every sink shares: the record, the sink protocol, and the column layout of tables.

Tables (CSV, Parquet) need their columns before the first record: :class:`Layout` derives
them from the schemas of the labels a run can output, so they are the same whatever
the documents, and ``fields`` holds, once, every field name any event type declares.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Final, Protocol

import attrs

from evx.check.schema import FieldType, Schema

__all__ = [
    "BASE_COLUMNS",
    "DocumentText",
    "Layout",
    "Record",
    "RulePlace",
    "Sink",
    "clean_text",
    "json_text",
]

Record = dict[str, Any]
"""One output record: the keys and values of the JSON Lines contract, in contract order
(plus ``meta``, a document's metadata, when the run asks for it)."""

BASE_COLUMNS: Final = ("type", "doc", "rule", "start", "end", "text", "sentence")
"""The scalar keys of a record, in contract order: the first columns of every table."""


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


@attrs.frozen
class DocumentText:
    """What a page of the run (HTML) shows of a document beside its records: its id, its
    text (empty when it failed), the error that stopped it, and for each record the rules
    merged into it (not part of the records' contract)."""

    doc_id: str
    text: str
    error: str | None = None
    merged: tuple[tuple[str, ...], ...] = ()


class Sink(Protocol):
    """Receives the records of each document in input order, then is closed once."""

    def write(self, records: Sequence[Record], document: DocumentText | None = None) -> None:
        """Write the records of one document (possibly none); ``document`` is given to
        the sinks of formats that draw documents (``Format.page``), and ignored by the
        others."""
        ...

    def close(self) -> None:
        """Finish the output; the stream itself stays the caller's to close."""
        ...


@attrs.frozen
class RulePlace:
    """One rule of the run as a page's summary names it: its file (as records name it),
    its name, the label it produces and the line it is written at."""

    file: str
    name: str
    label: str
    line: int

    @property
    def qualified_name(self) -> str:
        """`file:rule`, as records name their rule."""
        return f"{self.file}:{self.name}"


@attrs.frozen
class Layout:
    """The shape of the records a run writes: the schemas of the labels it outputs (its
    event types, and its mentions with ``--mentions``), and whether records carry
    ``meta``, a story's ``mentions`` (``--stories``) and ``provenance``; ``rules`` are the
    rules of the run, in the order they were read (a page lists them)."""

    schemas: tuple[Schema, ...] = ()
    meta: bool = False
    stories: bool = False
    provenance: bool = False
    rules: tuple[RulePlace, ...] = ()

    @property
    def fields(self) -> tuple[tuple[str, tuple[tuple[str, FieldType], ...]], ...]:
        """Every field name, in order of first declaration, with the (label, type) of
        each declaration of it."""
        seen: dict[str, list[tuple[str, FieldType]]] = {}
        for schema in self.schemas:
            for name, ftype in schema.fields:
                seen.setdefault(name, []).append((schema.name, ftype))
        return tuple((name, tuple(types)) for name, types in seen.items())


def clean_text(text: str) -> str:
    """Text any UTF-8 writer accepts: a lone surrogate (API text can hold one) becomes
    U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def json_text(value: Any) -> str:
    """A value as compact JSON text, non-ASCII kept (for table cells holding lists,
    argument spans or metadata)."""
    return clean_text(json.dumps(value, ensure_ascii=False))
