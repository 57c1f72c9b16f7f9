"""Where records go: one sink class per output format, fed one document's records at a time.

A record is the plain data of the output contract (``Event.to_dict()``), so records made
in worker processes cross to the writing process as they are. :data:`FORMATS` maps each
format name to its sink; a new output format is a new sink class registered there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import IO, Any, Protocol

from evx.records.events import json_line

Record = dict[str, Any]
"""One output record: the keys and values of the JSON Lines contract, in contract order."""


class Sink(Protocol):
    """Receives the records of each document in input order, then is closed once."""

    def write(self, records: Sequence[Record]) -> None:
        """Write the records of one document (possibly none)."""
        ...

    def close(self) -> None:
        """Finish the output; the stream itself stays the caller's to close."""
        ...


class JsonLinesSink:
    """JSON Lines: one object per line, non-ASCII text kept as is, flushed per document."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, records: Sequence[Record]) -> None:
        self.stream.write("".join(json_line(r) + "\n" for r in records))
        self.stream.flush()  # a reader of a pipe sees each document as soon as it is done

    def close(self) -> None:
        self.stream.flush()


FORMATS: Mapping[str, Callable[[IO[str]], Sink]] = MappingProxyType({"jsonl": JsonLinesSink})
"""Output formats by name."""
