"""Readers: the documents named on a command line, whatever holds them.

One module per input format behind one function, :func:`read_inputs`, which yields
:class:`InputDocument`\\ s lazily, in order:

- a path ``-`` is standard input (one text, or a collection with ``input_format``);
- a directory is walked recursively, in sorted order; its files that ``globs`` choose
  are read by their format, the others are counted in :class:`ReadStats`; a directory
  where none is chosen is a ``D006`` document (so a mistyped path cannot pass for an
  empty corpus);
- a file is read by its format: ``.jsonl``/``.ndjson`` (:mod:`.jsonl`), ``.csv``
  (:mod:`.csvfile`) and ``.parquet`` (:mod:`.parquet`) are collections of one document
  per row; anything else is one text document (:mod:`.plain`). A ``.gz`` or ``.zst``
  suffix is decompressed first (:mod:`.streams`).

A new input format is a module with a ``read_<format>(name, open_stream, options)``
generator and its suffix in :data:`SUFFIXES`.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from evx.text.readers.base import (
    DEFAULT_GLOBS,
    DecodePolicy,
    InputDocument,
    Payload,
    ReadOptions,
    ReadStats,
    failing,
    load_document,
    load_documents,
    unreadable,
)
from evx.text.readers.csvfile import read_csv
from evx.text.readers.jsonl import read_jsonl
from evx.text.readers.parquet import count_rows, read_parquet
from evx.text.readers.plain import read_plain, read_stdin
from evx.text.readers.streams import COMPRESSION_SUFFIXES, inner_suffix, open_binary

__all__ = [
    "DEFAULT_GLOBS",
    "INPUT_FORMATS",
    "SUFFIXES",
    "DecodePolicy",
    "InputDocument",
    "Payload",
    "ReadOptions",
    "ReadStats",
    "count_documents",
    "load_document",
    "load_documents",
    "read_inputs",
    "unreadable",
]

SUFFIXES: Final = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
"""Collection formats by file suffix (under any compression suffix); other files are text."""

INPUT_FORMATS: Final = ("auto", "text", "jsonl", "csv", "parquet")
"""What ``--input-format`` accepts: ``auto`` reads each file by its suffix (stdin as text)."""

_COUNT_LINES_UP_TO: Final = 256 << 20  # counting a JSON Lines file's lines costs a read


PathLike = str | os.PathLike[str]


def read_inputs(
    paths: Iterable[PathLike], options: ReadOptions | None = None, stats: ReadStats | None = None
) -> Iterator[InputDocument]:
    """The documents of every input, in order (see the module's docstring)."""
    options = options or ReadOptions()
    stats = stats if stats is not None else ReadStats()
    for raw in paths:
        arg = os.fspath(raw)
        if arg == "-":
            yield from _stdin(options)
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _directory(arg, path, options, stats)
        else:
            yield from _file(arg, path, options)


def format_of(name: str, options: ReadOptions) -> str:
    """The format a file is read in: the one asked for, else the one its suffix names."""
    if options.input_format != "auto":
        return options.input_format
    return SUFFIXES.get(inner_suffix(name), "text")


def _file(name: str, path: Path, options: ReadOptions) -> Iterator[InputDocument]:
    kind = format_of(name, options)
    if kind == "text":
        yield from read_plain(name, path, options)
    elif kind == "jsonl":
        yield from read_jsonl(name, lambda: open_binary(path), options)
    elif kind == "csv":
        yield from read_csv(name, lambda: open_binary(path), options)
    else:
        plain = path.suffix.lower() not in COMPRESSION_SUFFIXES
        yield from read_parquet(name, lambda: open_binary(path), options, seekable=plain)


def _stdin(options: ReadOptions) -> Iterator[InputDocument]:
    kind = options.input_format
    if kind in ("auto", "text"):
        yield from read_stdin(options)
        return
    stream = os.fdopen(os.dup(sys.stdin.fileno()), "rb") if _has_fileno() else sys.stdin.buffer
    if kind == "jsonl":
        yield from read_jsonl("-", lambda: stream, options)
    elif kind == "csv":
        yield from read_csv("-", lambda: stream, options)
    else:
        yield from read_parquet("-", lambda: stream, options, seekable=False)


def _has_fileno() -> bool:
    try:
        sys.stdin.fileno()
    except (OSError, ValueError, AttributeError):
        return False
    return True


def _chosen(relative: str, globs: tuple[str, ...]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative if "/" in g else name, g) for g in globs)


def _directory(
    name: str, path: Path, options: ReadOptions, stats: ReadStats
) -> Iterator[InputDocument]:
    stats.directories += 1
    found = 0
    chosen = 0
    for file in sorted(path.rglob("*")):
        if not file.is_file():
            continue
        found += 1
        relative = file.relative_to(path).as_posix()
        if not _chosen(relative, options.globs):
            stats.skipped_files += 1
            continue
        chosen += 1
        yield from _file(file.as_posix(), file, options)
    if not chosen:
        what = f"none of its {found} files" if found else "it holds no files; none"
        yield failing(
            name,
            f"no documents here: {what} matches {' '.join(options.globs)} "
            "(--glob chooses which files to read)",
            "D006",
        )


def count_documents(paths: Iterable[PathLike], options: ReadOptions | None = None) -> int | None:
    """How many documents :func:`read_inputs` will yield, when it can be known cheaply
    (text files, Parquet footers, plain JSON Lines under 256 MiB); None otherwise."""
    options = options or ReadOptions()
    total = 0
    for raw in paths:
        arg = os.fspath(raw)
        if arg == "-":
            if options.input_format not in ("auto", "text"):
                return None
            total += 1
            continue
        path = Path(arg)
        if path.is_dir():
            files = [
                f
                for f in sorted(path.rglob("*"))
                if f.is_file() and _chosen(f.relative_to(path).as_posix(), options.globs)
            ]
            if not files:
                total += 1  # the D006 document
        else:
            files = [path]
        for file in files:
            n = _count(file, options)
            if n is None:
                return None
            total += n
    return total


def _count(path: Path, options: ReadOptions) -> int | None:
    kind = format_of(path.as_posix(), options)
    if kind == "text":
        return 1
    if path.suffix.lower() in COMPRESSION_SUFFIXES or kind == "csv":
        return None  # rows cannot be told from lines without reading them
    if kind == "parquet":
        return count_rows(path.as_posix())
    with contextlib.suppress(OSError):
        if path.stat().st_size <= _COUNT_LINES_UP_TO:
            with path.open("rb") as stream:
                return sum(1 for line in stream if line.strip())
    return None
