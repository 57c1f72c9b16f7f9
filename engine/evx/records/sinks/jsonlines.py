"""JSON Lines: one record per line, exactly as ``Event.to_json`` writes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from evx.records.events import json_line
from evx.records.sinks.base import DocumentText, Layout, Record

__all__ = ["JsonLinesSink"]


class JsonLinesSink:
    """JSON Lines: one object per line, non-ASCII text kept as is, flushed per document."""

    def __init__(
        self, stream: IO[str], layout: Layout | None = None, *, append: bool = False
    ) -> None:
        self.stream = stream

    def write(self, records: Sequence[Record], document: DocumentText | None = None) -> None:
        # line by line, not joined: a document's records can quote its long sentences
        # thousands of times, and one joined string would hold all of those copies
        write = self.stream.write
        for record in records:
            write(json_line(record))
            write("\n")
        self.stream.flush()  # a reader of a pipe sees each document as soon as it is done

    def close(self) -> None:
        self.stream.flush()
