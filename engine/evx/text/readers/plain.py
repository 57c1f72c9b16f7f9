"""Plain text files, one document each (gzip or Zstandard compressed, or not), and stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from evx.text.readers.base import InputDocument, Payload, ReadOptions
from evx.text.readers.streams import read_bytes

__all__ = ["read_plain", "read_stdin"]


def read_plain(name: str, path: Path, options: ReadOptions) -> Iterator[InputDocument]:
    """The one document of a text file, named as given; its bytes are read (and
    decompressed) only when the document is read, and decoded by the caller."""

    def read() -> Payload:
        return read_bytes(path)

    yield InputDocument(name, read)


def read_stdin(options: ReadOptions) -> Iterator[InputDocument]:
    """Standard input as one text document, ``-``."""
    yield InputDocument("-", sys.stdin.buffer.read)
