"""Where records go: one sink per output format, fed one document's records at a time.

A record is the plain data of the output contract (``Event.to_dict()``), so records made
in worker processes cross to the writing process as they are. :data:`FORMATS` maps each
format name to its :class:`Format`: whether it writes bytes or text, and the sink class.
A new output format is a sink module here and its entry in :data:`FORMATS`.

- ``jsonl`` (:mod:`.jsonlines`): the contract itself, one object per line;
- ``csv`` (:mod:`.delimited`): one row per record, nested values flattened
  (``fields.count``);
- ``parquet`` (:mod:`.parquet`): one row per record, typed struct columns from the
  declarations (the ``parquet`` extra);
- ``html`` (:mod:`.html`): one self-contained page drawing the records on their documents'
  texts (what ``evx view`` writes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import IO, Any

import attrs

from evx.records.sinks.base import DocumentText, Layout, Record, RulePlace, Sink
from evx.records.sinks.delimited import CsvSink
from evx.records.sinks.html import HtmlSink
from evx.records.sinks.jsonlines import JsonLinesSink
from evx.records.sinks.parquet import ParquetSink

__all__ = [
    "FORMATS",
    "CsvSink",
    "DocumentText",
    "Format",
    "HtmlSink",
    "JsonLinesSink",
    "Layout",
    "ParquetSink",
    "Record",
    "RulePlace",
    "Sink",
]


@attrs.frozen
class Format:
    """An output format: its name, whether its sink writes bytes (else text), its sink,
    whether a sink can go on writing after what an earlier one wrote (resumable), and
    whether it draws a page of the documents (``page``: its sink is given each document's
    text with its records, which carry their provenance, and writes the page when it is
    closed)."""

    name: str
    binary: bool
    sink: Callable[..., Sink]  # (stream, layout, *, append=False)
    description: str
    resumable: bool = True
    page: bool = False

    def open(self, stream: IO[Any], layout: Layout | None = None, *, append: bool = False) -> Sink:
        """A sink writing to ``stream`` (binary or text, as :attr:`binary` says); with
        ``append``, after records an earlier sink of this format wrote there (a CSV
        header is not written again)."""
        if append and not self.resumable:
            raise ValueError(f"a {self.name} output cannot be continued")
        return self.sink(stream, layout, append=append)


FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        "jsonl": Format("jsonl", False, JsonLinesSink, "JSON Lines, one record per line"),
        "csv": Format("csv", False, CsvSink, "CSV, one row per record, fields flattened"),
        "parquet": Format(
            "parquet", True, ParquetSink, "Parquet, typed struct columns", resumable=False
        ),
        "html": Format(
            "html",
            False,
            HtmlSink,
            "one self-contained HTML page of the documents and their records (as evx view)",
            resumable=False,
            page=True,
        ),
    }
)
"""Output formats by name."""
