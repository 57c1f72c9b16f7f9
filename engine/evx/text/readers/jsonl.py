"""JSON Lines collections: one document per line, an object with an id and a text field.

Lines are read one at a time (memory stays flat whatever the file's size); a blank line is
passed over; a line that is not JSON, not an object or has no text is a ``D005`` document
at ``file:line``, and the lines after it are read as usual.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import IO

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

__all__ = ["read_jsonl"]


def read_jsonl(
    name: str, open_stream: Callable[[], IO[bytes]], options: ReadOptions
) -> Iterator[InputDocument]:
    """The documents of a JSON Lines stream, in line order."""
    try:
        raw = open_stream()
    except OSError as exc:
        yield failing_read(name, exc)
        return
    number = 0
    with raw:
        # bad bytes survive decoding as lone surrogates, so that one line fails, not the file
        lines = io.TextIOWrapper(
            raw, encoding=stream_encoding(options.encoding), errors="surrogateescape"
        )
        try:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield _document(line, f"{name}:{number}", options)
        except Exception as exc:  # a damaged compressed stream, a read error
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            yield failing(name, f"cannot read past line {number}: {reason}", "D004")
        finally:
            lines.detach()  # the raw stream is closed by `with`, once


def _document(line: str, where: str, options: ReadOptions) -> InputDocument:
    bad = undecoded_at(line)
    if bad >= 0:
        if not options.replace:
            return failing(
                where,
                f"not valid {display_encoding(options.encoding)} "
                f"at character {bad + 1} of the line "
                "(--encoding names the file's encoding; --on-decode-error replace keeps it)",
                "D001",
            )
        line = replace_undecoded(line)
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return failing(where, f"not valid JSON: {exc.msg} at column {exc.colno}", "D005")
    except RecursionError:
        return failing(where, "not valid JSON here: nested too deeply", "D005")
    return from_row(row, where, options)
