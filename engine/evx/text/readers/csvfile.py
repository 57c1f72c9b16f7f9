"""CSV collections: a header row, then one document per row.

The header names the columns; ``--id-field`` and ``--text-field`` choose two of them and the
others become metadata (text, as CSV holds it). A row whose cells do not match the header,
or that does not decode, is a ``D005`` (or ``D001``) document at ``file:line``; the rows
after it are read as usual. Quoted cells may hold newlines and commas (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import IO, Final

from evx.text.readers.base import (
    InputDocument,
    ReadOptions,
    display_encoding,
    failing,
    failing_read,
    from_row,
    replace_undecoded,
    stream_encoding,
    undecoded_at,
)

__all__ = ["read_csv"]

_FIELD_LIMIT: Final = 1 << 30  # an article is one cell: csv's default limit is 128 KiB


def read_csv(
    name: str, open_stream: Callable[[], IO[bytes]], options: ReadOptions
) -> Iterator[InputDocument]:
    """The documents of a CSV stream, in row order."""
    try:
        raw = open_stream()
    except OSError as exc:
        yield failing_read(name, exc)
        return
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)  # process-wide, and only ever raised
    with raw:
        text = io.TextIOWrapper(
            raw, encoding=stream_encoding(options.encoding), errors="surrogateescape", newline=""
        )
        try:
            yield from _rows(name, csv.reader(text), options)
        except Exception as exc:  # a damaged compressed stream, a read error
            yield failing_read(name, exc)
        finally:
            text.detach()


def _rows(name: str, reader: Iterator[list[str]], options: ReadOptions) -> Iterator[InputDocument]:
    line_num = getattr(reader, "line_num", 0)
    try:
        header = next(reader)
    except StopIteration:
        return  # an empty file: no documents
    except csv.Error as exc:
        yield failing(f"{name}:1", f"not valid CSV in the header: {exc}", "D005")
        return
    if undecoded_at("".join(header)) >= 0:
        header = [replace_undecoded(cell) for cell in header]
    if options.text_field not in header:
        yield failing(
            name,
            f"no {options.text_field!r} column (columns: {', '.join(header) or 'none'}); "
            "--text-field names the one holding the text",
            "D005",
        )
        return
    while True:
        start = line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line_num = getattr(reader, "line_num", start)
            yield failing(f"{name}:{start}", f"not valid CSV: {exc}", "D005")
            continue
        line_num = getattr(reader, "line_num", start)
        if not cells:
            continue  # a blank line
        where = f"{name}:{start}"
        if len(cells) != len(header):
            yield failing(
                where,
                f"the row has {len(cells)} cells but the header {len(header)} "
                "(quote cells that hold commas)",
                "D005",
            )
            continue
        bad = next((i for i, cell in enumerate(cells) if undecoded_at(cell) >= 0), -1)
        if bad >= 0:
            if not options.replace:
                yield failing(
                    where,
                    f"not valid {display_encoding(options.encoding)} in column {header[bad]!r} "
                    "(--encoding names the file's encoding; --on-decode-error replace keeps it)",
                    "D001",
                )
                continue
            cells = [replace_undecoded(cell) for cell in cells]
        yield from_row(dict(zip(header, cells, strict=True)), where, options)
