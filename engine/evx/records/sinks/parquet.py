"""Parquet: one row per record, typed columns from the declarations (pyarrow).

Needs the ``parquet`` extra. The columns are the record's scalar keys (``start`` and
``end`` int64, the others strings); ``fields``, a struct with a child per field name any
output label declares, typed as ``evx schema`` types it (int → int64, str and enums →
string, bool → bool, ``list[T]`` → list of T), null where a record's type has no such
field; ``args``, a map from capture name to its spans (a list of struct<start, end, text>;
one span is a list of one); with ``--stories``, ``mentions`` (a list of struct<start, end,
text, rule>: a story's statements); with ``--provenance``, ``provenance`` (a map from
field name to struct<how, rule, start, end>); and, with metadata, ``meta`` (JSON text). A
field name two types declare with different types holds JSON text. Each field carries its
declared types in the field metadata (``evx.type``), and the file carries the JSON Schema
of the records (``evx.schema``), so a reader can tell enums and optionality. Rows are
written a row group at a time, so memory stays flat.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Sequence
from typing import IO, Any, Final

from evx.check.schema import FieldType
from evx.records.jsonschema import records_schema
from evx.records.sinks.base import BASE_COLUMNS, DocumentText, Layout, Record, clean_text, json_text

__all__ = ["NEEDS_EXTRA", "ParquetSink", "RowMaker", "arrow_schema"]

NEEDS_EXTRA: Final = "Parquet output needs the parquet extra: pip install 'evx[parquet]'"
ROW_GROUP: Final = 10_000

_STRINGS: Final = frozenset({"type", "doc", "rule", "text", "sentence"})


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError:
        raise ImportError(NEEDS_EXTRA) from None


def _arrow_type(pa: Any, ftype: FieldType) -> Any:
    if ftype.kind == "int":
        return pa.int64()
    if ftype.kind == "bool":
        return pa.bool_()
    if ftype.kind == "list":
        assert ftype.elem is not None
        return pa.list_(_arrow_type(pa, ftype.elem))
    return pa.string()  # str and enums


def _field_types(layout: Layout) -> list[tuple[str, Any, bool, str]]:
    """(name, arrow type, held as JSON text, declared types) of each field name."""
    pa = _pyarrow()
    out = []
    for name, declared in layout.fields:
        types = {_arrow_type(pa, ftype) for _, ftype in declared}
        described = "; ".join(f"{label}: {ftype.describe()}" for label, ftype in declared)
        if len(types) == 1:
            out.append((name, types.pop(), False, described))
        else:
            out.append((name, pa.string(), True, described))
    return out


def arrow_schema(layout: Layout) -> Any:
    """The ``pyarrow.Schema`` of a run's Parquet file."""
    pa = _pyarrow()
    columns = [
        pa.field(key, pa.string() if key in _STRINGS else pa.int64(), nullable=False)
        for key in BASE_COLUMNS
    ]
    children = [
        pa.field(name, arrow_type, metadata={"evx.type": described, "evx.json": str(as_json)})
        for name, arrow_type, as_json, described in _field_types(layout)
    ]
    if children:  # Parquet cannot hold a struct without children
        columns.append(pa.field("fields", pa.struct(children)))
    span = pa.struct(
        [
            pa.field("start", pa.int64(), nullable=False),
            pa.field("end", pa.int64(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
        ]
    )
    columns.append(pa.field("args", pa.map_(pa.string(), pa.list_(span))))
    if layout.stories:
        mention = pa.struct([*span, pa.field("rule", pa.string(), nullable=False)])
        columns.append(pa.field("mentions", pa.list_(mention)))
    if layout.provenance:
        source = pa.struct(
            [
                pa.field("how", pa.string(), nullable=False),
                pa.field("rule", pa.string(), nullable=False),
                pa.field("start", pa.int64(), nullable=False),
                pa.field("end", pa.int64(), nullable=False),
            ]
        )
        columns.append(pa.field("provenance", pa.map_(pa.string(), source)))
    if layout.meta:
        columns.append(pa.field("meta", pa.string()))
    schema_json = json.dumps(records_schema(layout.schemas), ensure_ascii=False)
    return pa.schema(columns, metadata={"evx.schema": schema_json})


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


class RowMaker:
    """Turns records into rows of :func:`arrow_schema` (``pyarrow.Table.from_pylist``)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._fields = _field_types(layout)
        self._known = {name for name, *_ in self._fields}

    def __call__(self, record: Record) -> dict[str, Any]:
        row: dict[str, Any] = {key: _clean(record[key]) for key in BASE_COLUMNS}
        fields = record["fields"]
        unknown = set(fields) - self._known
        if unknown:
            raise ValueError(
                f"ParquetSink: fields {sorted(unknown)} are not in the layout; "
                "give the Layout the schemas of every label written"
            )
        if self._fields:
            row["fields"] = {
                name: _field_value(fields.get(name), as_json)
                for name, _type, as_json, _ in self._fields
            }
        row["args"] = [
            (name, [_span(s) for s in (spans if isinstance(spans, list) else [spans])])
            for name, spans in record["args"].items()
        ]
        if self.layout.stories:
            row["mentions"] = [{**_span(m), "rule": m["rule"]} for m in record.get("mentions", ())]
        if self.layout.provenance:
            row["provenance"] = list(record.get("provenance", {}).items())
        if self.layout.meta:
            row["meta"] = json_text(record.get("meta", {}))
        return row


class ParquetSink:
    """Parquet through ``pyarrow.parquet.ParquetWriter``, a row group per 10,000 records."""

    def __init__(
        self, stream: IO[bytes], layout: Layout | None = None, *, append: bool = False
    ) -> None:
        if append:
            raise ValueError("a Parquet file cannot be continued (its footer ends it)")
        self.layout = layout or Layout()
        self._pa = _pyarrow()
        pq = importlib.import_module("pyarrow.parquet")
        self.schema = arrow_schema(self.layout)
        self._row = RowMaker(self.layout)
        self._rows: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(stream, self.schema, compression="zstd")

    def write(self, records: Sequence[Record], document: DocumentText | None = None) -> None:
        self._rows.extend(map(self._row, records))
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=self.schema)
            self._writer.write_table(table)
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def _span(span: dict[str, Any]) -> dict[str, Any]:
    return {"start": span["start"], "end": span["end"], "text": clean_text(span["text"])}


def _field_value(value: Any, as_json: bool) -> Any:
    if value is None:
        return None
    return json_text(value) if as_json else _clean(value)
