"""CSV: one row per record, nested values flattened into named columns.

The columns are the record's scalar keys, then ``fields.<name>`` for every field any
output label declares (empty where a record's type has no such field), then ``args`` (the
argument spans, as JSON text), then, when the run asks for them, ``mentions`` (a story's
statements), ``provenance`` (where each field came from) and ``meta`` (a document's
metadata), each as JSON text. A cell is empty
for null, ``true``/``false`` for a boolean, JSON text for a list (``["Egypt", "Qatar"]``),
the value itself otherwise. Quoting is RFC 4180 (csv.QUOTE_MINIMAL).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO, Any

from evx.records.sinks.base import BASE_COLUMNS, DocumentText, Layout, Record, clean_text, json_text

__all__ = ["CsvSink", "csv_columns"]


def csv_columns(layout: Layout) -> list[str]:
    """The header of a run's CSV file."""
    columns = [*BASE_COLUMNS, *(f"fields.{name}" for name, _ in layout.fields), "args"]
    if layout.stories:
        columns.append("mentions")
    if layout.provenance:
        columns.append("provenance")
    return [*columns, "meta"] if layout.meta else columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float):
        return str(value)
    return json_text(value)


class CsvSink:
    """CSV with a header row; each document's rows flushed together."""

    def __init__(
        self, stream: IO[str], layout: Layout | None = None, *, append: bool = False
    ) -> None:
        self.stream = stream
        self.layout = layout or Layout()
        self.columns = csv_columns(self.layout)
        self._fields = [name for name, _ in self.layout.fields]
        self._known = set(self._fields)
        # lineterminator "\n": the file reads the same on every platform (csv reads both)
        self._writer = csv.writer(stream, lineterminator="\n")
        if not append:  # after an earlier sink's rows, the header is written already
            self._writer.writerow(self.columns)

    def write(self, records: Sequence[Record], document: DocumentText | None = None) -> None:
        rows = []
        for record in records:
            fields = record["fields"]
            unknown = set(fields) - self._known
            if unknown:
                raise ValueError(
                    f"CsvSink: fields {sorted(unknown)} are not in the layout; "
                    "give the Layout the schemas of every label written"
                )
            row = [_cell(record[key]) for key in BASE_COLUMNS]
            row += [_cell(fields.get(name)) for name in self._fields]
            row.append(json_text(record["args"]))
            if self.layout.stories:
                row.append(json_text(record.get("mentions", [])))
            if self.layout.provenance:
                row.append(json_text(record.get("provenance", {})))
            if self.layout.meta:
                row.append(json_text(record.get("meta", {})))
            rows.append(row)
        self._writer.writerows(rows)
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()
