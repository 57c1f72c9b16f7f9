"""What every reader shares: the document it yields, the options it obeys, what it counts.

A reader turns one input (a file, or standard input) into :class:`InputDocument`\\ s, lazily:
a text file is read only when its document is asked for, a collection row by row. A
document that cannot be had (an unreadable file, a bad row) is still yielded, in its place,
and raises :class:`~evx.errors.DocumentError` when read, so that the caller reports it and
goes on with the others.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from evx.errors import DocumentError
from evx.text.decoding import decode, display_encoding
from evx.text.document import Document
from evx.text.pieces import MAX_DOCUMENT_CHARS
from evx.text.sentences import MAX_SENTENCE_TOKENS

__all__ = [
    "DEFAULT_GLOBS",
    "DecodePolicy",
    "InputDocument",
    "ReadOptions",
    "ReadStats",
    "display_encoding",
    "failing",
    "failing_read",
    "from_row",
    "jsonable",
    "load_document",
    "load_documents",
    "replace_undecoded",
    "stream_encoding",
    "undecoded_at",
    "unreadable",
]

DecodePolicy = Literal["fail", "replace", "skip"]
"""``--on-decode-error``: fail the document (D001), put U+FFFD for bad bytes, or skip it."""

DEFAULT_GLOBS: Final = ("*.txt", "*.txt.gz", "*.txt.zst")
"""The files a directory contributes when no ``--glob`` is given: plain text, maybe
compressed. Collections in a directory are read only when a glob asks for them (a
directory of articles often holds JSON Lines that are not documents, such as gold)."""

Payload = bytes | str
"""What a document reads as: bytes still to decode (a text file) or text (a row)."""


@attrs.frozen
class ReadOptions:
    """How inputs are found and read; the defaults are those of ``evx run``."""

    globs: tuple[str, ...] = DEFAULT_GLOBS
    id_field: str = "id"
    text_field: str = "text"
    encoding: str = "utf-8"  # a codec name, see evx.text.decoding.canonical_encoding
    on_decode_error: DecodePolicy = "fail"
    input_format: str = "auto"  # auto (by suffix), text, jsonl, csv or parquet

    @property
    def replace(self) -> bool:
        """Whether undecodable bytes become U+FFFD."""
        return self.on_decode_error == "replace"


@attrs.frozen
class InputDocument:
    """A document to process: its id, a way to read it, and its metadata.

    ``read()`` gives bytes (a text file, decoded later under the run's policy) or text (a
    collection row), or raises :class:`DocumentError` (or ``OSError``) for a document
    that cannot be had. ``meta`` holds a row's other columns, as JSON-ready values.
    """

    id: str
    read: Callable[[], Payload]
    meta: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.define
class ReadStats:
    """What reading counted, for the run's summary."""

    skipped_files: int = 0  # files in directories that no glob chose
    directories: int = 0


def unreadable(doc_id: str, exc: BaseException) -> DocumentError:
    """D004: the document's bytes could not be read (the system's reason when it gives
    one: "No such file or directory", else the error itself)."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return DocumentError(doc_id, f"cannot read: {reason}", "D004")


def failing_read(doc_id: str, exc: BaseException) -> InputDocument:
    """A document in its place whose reading raises :func:`unreadable`."""
    error = unreadable(doc_id, exc)
    return failing(error.doc, error.message, error.code)


def failing(doc_id: str, message: str, code: str) -> InputDocument:
    """A document in its place whose reading raises ``DocumentError(doc_id, message, code)``."""
    error = DocumentError(doc_id, message, code)

    def read() -> Payload:
        raise error

    return InputDocument(doc_id, read)


_ESCAPED: Final = re.compile("[\udc80-\udcff]")


def undecoded_at(text: str) -> int:
    """Where the first undecodable byte sits in text decoded with ``surrogateescape``
    (a character index), or -1 when every byte decoded."""
    found = _ESCAPED.search(text)
    return found.start() if found else -1


def replace_undecoded(text: str) -> str:
    """Text decoded with ``surrogateescape``, each undecodable byte made U+FFFD."""
    return _ESCAPED.sub("\ufffd", text)


def jsonable(value: Any) -> Any:
    """A metadata value as JSON can hold it: dates as ISO text, decimals and bytes as text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def stream_encoding(encoding: str) -> str:
    """The codec to read a collection stream with: UTF-8 drops a leading byte-order mark."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def from_row(row: Any, where: str, options: ReadOptions) -> InputDocument:
    """The document of one collection row (a mapping of column to value) found at
    ``where`` (``docs.jsonl:12``): its id from ``options.id_field`` (``where`` when it has
    none), its text from ``options.text_field``, every other column as metadata. A row
    that is not a mapping, or whose text is missing or not text, is a ``D005`` document.
    """
    if not isinstance(row, Mapping):
        return failing(
            where, f"a row must be an object with a text field, not {_kind(row)}", "D005"
        )
    raw_id = row.get(options.id_field)
    doc_id = where if raw_id is None or raw_id == "" else str(raw_id)
    about = "" if doc_id == where else f"row {options.id_field}={doc_id!r}: "
    if options.text_field not in row:
        fields = ", ".join(map(str, row)) or "none"
        return failing(
            where,
            f"{about}no {options.text_field!r} field (fields: {fields}); "
            "--text-field names the one holding the text",
            "D005",
        )
    text = row[options.text_field]
    if not isinstance(text, str | bytes):
        return failing(
            where, f"{about}the {options.text_field!r} field is {_kind(text)}, not text", "D005"
        )
    meta = {
        str(k): jsonable(v)
        for k, v in row.items()
        if k not in (options.id_field, options.text_field)
    }
    return InputDocument(doc_id, lambda: text, meta)


def load_document(
    payload: Payload,
    doc_id: str,
    options: ReadOptions | None = None,
    *,
    max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
) -> Document:
    """The Document of what an :class:`InputDocument` read: text as it is, bytes decoded
    under ``options`` (DocumentError D001/D002 when they do not decode)."""
    if isinstance(payload, str):
        return Document.from_text(payload, doc_id, max_sentence_tokens=max_sentence_tokens)
    options = options or ReadOptions()
    return Document.from_bytes(
        payload,
        doc_id,
        max_sentence_tokens=max_sentence_tokens,
        encoding=options.encoding,
        replace=options.replace,
    )


def load_documents(
    payload: Payload,
    doc_id: str,
    options: ReadOptions | None = None,
    *,
    max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
    max_document_chars: int | None = MAX_DOCUMENT_CHARS,
) -> Iterator[Document]:
    """As :func:`load_document`, but a text longer than ``max_document_chars`` comes as
    one Document per piece, one at a time (:meth:`Document.pieces_of`)."""
    if isinstance(payload, str):
        text = payload
    else:
        options = options or ReadOptions()
        text = decode(payload, doc_id, options.encoding, replace=options.replace)
    yield from Document.pieces_of(
        text, doc_id, max_sentence_tokens=max_sentence_tokens, max_chars=max_document_chars
    )
