"""What one extraction reads (text, bytes, a Document, a file's path), made into a Document.

:func:`document_of` is what ``RuleSet.extract`` and ``annotate`` do with their argument;
:class:`DocumentReader` is the shape of a function that makes Documents in place of evx's own
reading in a batch (``RuleSet.outcomes(read=...)``, as ``evx run --spacy`` does).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Protocol

from evx.text.document import Document
from evx.text.readers import Payload, ReadOptions, unreadable

__all__ = ["DocumentReader", "Source", "document_of"]

Source = str | bytes | Document | os.PathLike[str]
"""What one extraction reads: text, UTF-8 bytes, a Document, or the path of a file."""


class DocumentReader(Protocol):
    """Makes the Documents of what an input read in place of evx's own reading
    (:func:`~evx.text.readers.load_documents`, which has this shape): one Document, or
    one per piece of a text longer than ``max_document_chars``; picklable, for workers."""

    def __call__(
        self,
        payload: Payload,
        doc_id: str,
        options: ReadOptions,
        *,
        max_sentence_tokens: int | None,
        max_document_chars: int | None,
    ) -> Iterable[Document]: ...


def document_of(source: Source, doc_id: str = "<text>") -> Document:
    """A Document from text, bytes, a Document (returned as is) or the path of a UTF-8 file
    (named by its path unless ``doc_id`` is given).

    Raises ``TypeError`` for anything else, and :class:`DocumentError` for a file that
    cannot be read (D004) or decoded (D001, D002).
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, bytes):
        return Document.from_bytes(source, doc_id)
    if isinstance(source, str):
        return Document.from_text(source, doc_id)
    if isinstance(source, os.PathLike):
        name = os.fspath(source) if doc_id == "<text>" else doc_id
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise unreadable(name, exc) from None
        return Document.from_bytes(data, name)
    kind = type(source).__name__
    raise TypeError(f"extract() takes text, bytes, an evx.Document or a file path, not {kind}")
