"""Parquet collections: one document per row, read a batch of rows at a time (pyarrow).

Needs the ``parquet`` extra. The text column may be a string column or a binary one (then
decoded under the run's policy); every other column becomes metadata, with its values as
JSON can hold them (dates as ISO text). A file pyarrow cannot open is one ``D004``
document; a row whose text is missing is a ``D005`` document at ``file:row``.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Iterator
from typing import IO, Any, Final

from evx.errors import DocumentError
from evx.text.decoding import decode
from evx.text.readers.base import InputDocument, ReadOptions, failing, failing_read, from_row

__all__ = ["count_rows", "read_parquet"]

BATCH_ROWS: Final = 256
NEEDS_EXTRA: Final = "a Parquet collection needs the parquet extra: pip install 'evx[parquet]'"


def _parquet() -> Any:
    return importlib.import_module("pyarrow.parquet")


def _source(name: str, open_stream: Callable[[], IO[bytes]], seekable: bool) -> Any:
    if seekable:
        return name
    # Parquet keeps its index at the end: a compressed file or a pipe is read whole first
    with open_stream() as stream:
        return io.BytesIO(stream.read())


def read_parquet(
    name: str, open_stream: Callable[[], IO[bytes]], options: ReadOptions, *, seekable: bool
) -> Iterator[InputDocument]:
    """The documents of a Parquet file, in row order; ``seekable`` when ``name`` is a
    plain file pyarrow can open itself."""
    try:
        pq = _parquet()
    except ImportError:
        yield failing(name, NEEDS_EXTRA, "D004")
        return
    try:
        file = pq.ParquetFile(_source(name, open_stream, seekable))
    except OSError as exc:
        yield failing_read(name, exc)
        return
    except Exception as exc:  # pyarrow's ArrowInvalid and kin: not a Parquet file
        yield failing(name, f"cannot read as Parquet: {exc}", "D004")
        return
    columns = file.schema_arrow.names
    if options.text_field not in columns:
        yield failing(
            name,
            f"no {options.text_field!r} column (columns: {', '.join(columns) or 'none'}); "
            "--text-field names the one holding the text",
            "D005",
        )
        return
    number = 0
    try:
        for batch in file.iter_batches(batch_size=BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                yield _document(row, f"{name}:{number}", options)
    except Exception as exc:  # a damaged row group
        yield failing(name, f"cannot read past row {number}: {exc}", "D004")


def _document(row: dict[str, Any], where: str, options: ReadOptions) -> InputDocument:
    text = row.get(options.text_field)
    if isinstance(text, bytes):  # a binary column: decoded here, under the run's policy
        try:
            row = {
                **row,
                options.text_field: decode(text, where, options.encoding, replace=options.replace),
            }
        except DocumentError as exc:
            return failing(where, exc.message, exc.code)
    return from_row(row, where, options)


def count_rows(name: str) -> int | None:
    """The number of rows of a plain Parquet file from its footer, or None when it
    cannot be known cheaply."""
    try:
        return int(_parquet().ParquetFile(name).metadata.num_rows)
    except Exception:
        return None
