"""JSON Lines: one record per line, exactly as ``Event.to_json`` writes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from evx.records.events import json_line
from evx.records.sinks.base import Layout, Record

__all__ = ["JsonLinesSink"]


class JsonLinesSink:
    """JSON Lines: one object per line, non-ASCII text kept as is, flushed per document."""

    def __init__(self, stream: IO[str], layout: Layout | None = None) -> None:
        self.stream = stream

    def write(self, records: Sequence[Record]) -> None:
        self.stream.write("".join(json_line(r) + "\n" for r in records))
        self.stream.flush()  # a reader of a pipe sees each document as soon as it is done

    def close(self) -> None:
        self.stream.flush()
