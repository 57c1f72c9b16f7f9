"""`evx run --spacy PIPELINE`: documents tokenized and annotated by a spaCy pipeline.

``PIPELINE`` is what ``spacy.load`` takes (an installed package such as
``en_core_web_sm``, or the path of a saved pipeline, say one with evx's tokenizer and
sentences, which gives exactly the records of a plain run), or ``blank:LANG`` for
``spacy.blank(LANG)`` with a sentencizer. The date header and dateline are read as evx
reads them (their text is blanked before spaCy sees it, so offsets stay the file's) and
give the document its date. The limits of a plain run hold: a text longer than
``--max-document-chars`` goes through the pipeline in pieces (W102), a sentence longer
than ``--max-sentence-tokens`` is cut (W101). Each process loads the pipeline once, on
first use, so worker processes (``--jobs``) load their own.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from evx.text.decoding import decode
from evx.text.document import Document, DocumentMeta
from evx.text.header import parse_header
from evx.text.pieces import piece_bounds
from evx.text.readers import Payload, ReadOptions

if TYPE_CHECKING:
    from evx.text.sources import DocumentReader

__all__ = [
    "add_spacy_option",
    "load_pipeline",
    "pipeline_problem",
    "spacy_documents",
    "spacy_reader",
]


def add_spacy_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--spacy PIPELINE`` to a subcommand."""
    parser.add_argument(
        "--spacy",
        metavar="PIPELINE",
        help="tokenize and annotate with a spaCy pipeline: an installed package or path "
        "(spacy.load), or blank:LANG (needs the spacy extra)",
    )


@functools.cache
def load_pipeline(name: str) -> Any:
    """The spaCy pipeline called ``name``, loaded once per process."""
    import spacy

    if name.startswith("blank:"):
        nlp = spacy.blank(name.removeprefix("blank:"))
        nlp.add_pipe("sentencizer")
        return nlp
    return spacy.load(name)


def pipeline_problem(name: str) -> str | None:
    """Why the pipeline cannot be loaded, or None when it can (load it now, in the parent,
    so a bad name is one clear message and not an error per document)."""
    try:
        load_pipeline(name)
    except ImportError:
        return "--spacy needs spaCy: pip install 'evx[spacy]'"
    except (OSError, ValueError, KeyError) as exc:  # spaCy's "can't find model" is an OSError
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"--spacy {name}: cannot load the pipeline ({first})"
    return None


def spacy_reader(pipeline: str) -> DocumentReader:
    """What makes the Documents of ``evx run --spacy PIPELINE`` (picklable, for workers)."""
    return functools.partial(spacy_documents, pipeline=pipeline)


def spacy_documents(
    payload: Payload,
    doc_id: str,
    options: ReadOptions,
    *,
    max_sentence_tokens: int | None,
    max_document_chars: int | None,
    pipeline: str,
) -> Iterator[Document]:
    """The Documents of one input, decoded as evx decodes it and read by the pipeline: one,
    or one per piece when the text is longer than ``max_document_chars``, as evx cuts it
    (each piece read by the pipeline on its own, made when asked for)."""
    from evx.integrations.spacy import from_spacy, header_meta

    if isinstance(payload, bytes):
        text = payload_text = decode(payload, doc_id, options.encoding, replace=options.replace)
    else:
        text = payload_text = payload
    header = parse_header(text)
    for start, end in header.spans:  # keep the offsets, drop the header's words
        blank = "".join(c if c in "\r\n" else " " for c in text[start:end])
        text = text[:start] + blank + text[end:]
    nlp = load_pipeline(pipeline)
    bounds = piece_bounds(text, max_document_chars)
    for lo, hi in bounds:
        meta = header_meta(header) if lo == 0 else DocumentMeta()  # as Document.from_text
        if len(bounds) > 1:
            meta = attrs.evolve(
                meta, piece=(lo, hi), pieces=len(bounds), document_limit=max_document_chars
            )
        yield from_spacy(
            nlp(text[lo:hi]),
            doc_id,
            meta=meta,
            max_sentence_tokens=max_sentence_tokens,
            within=(payload_text, lo),
        )
