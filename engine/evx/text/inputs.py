"""The documents named on a command line: files as given, directories recursed, `-` for stdin."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import attrs

TEXT_SUFFIXES = (".txt",)

PathLike = str | os.PathLike[str]


@attrs.frozen
class InputDocument:
    """A document to process: its id (the path as given) and a way to read its bytes."""

    id: str
    read: Callable[[], bytes]


def expand_inputs(
    paths: Iterable[PathLike], suffixes: tuple[str, ...] = TEXT_SUFFIXES
) -> Iterator[InputDocument]:
    """Documents named by paths: files as given, directories recursed (sorted), `-` is stdin."""
    for raw in paths:
        text = os.fspath(raw)
        if text == "-":
            yield InputDocument("-", sys.stdin.buffer.read)
            continue
        path = Path(text)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix in suffixes:
                    yield InputDocument(found.as_posix(), _reader(found))
        else:
            yield InputDocument(text, _reader(path))


def _reader(path: Path) -> Callable[[], bytes]:
    """Read a regular file; a FIFO or a device would block or never end, so it is refused
    with an OSError that names why (the document fails, the others go on)."""

    def read() -> bytes:
        if not stat.S_ISREG(path.stat().st_mode):
            raise OSError(0, "not a regular file (a FIFO, device or socket); use - for a pipe")
        return path.read_bytes()

    return read
