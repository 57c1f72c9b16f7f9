"""`evx run --spacy PIPELINE`: documents tokenized and annotated by a spaCy pipeline.

``PIPELINE`` is what ``spacy.load`` takes (an installed package such as
``en_core_web_sm``, or the path of a saved pipeline), or ``blank:LANG`` for
``spacy.blank(LANG)`` with a sentencizer. The date header and dateline are read as evx
reads them (their text is blanked before spaCy sees it, so offsets stay the file's) and
give the document its date. Each process loads the pipeline once, on first use, so worker
processes (``--jobs``) load their own.
"""

from __future__ import annotations

import argparse
import functools
from typing import TYPE_CHECKING, Any

from evx.text.decoding import decode
from evx.text.document import Document, DocumentMeta
from evx.text.header import parse_header
from evx.text.readers import Payload, ReadOptions

if TYPE_CHECKING:
    from evx.text.sources import DocumentReader

__all__ = [
    "add_spacy_option",
    "load_pipeline",
    "pipeline_problem",
    "spacy_document",
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
    """What makes each Document of ``evx run --spacy PIPELINE`` (picklable, for workers)."""
    return functools.partial(spacy_document, pipeline=pipeline)


def spacy_document(
    payload: Payload,
    doc_id: str,
    options: ReadOptions,
    max_sentence_tokens: int | None,
    *,
    pipeline: str,
) -> Document:
    """The document of one input, decoded as evx decodes it and read by the pipeline."""
    from evx.integrations.spacy import from_spacy

    if isinstance(payload, bytes):
        text = decode(payload, doc_id, options.encoding, replace=options.replace)
    else:
        text = payload
    header = parse_header(text)
    for start, end in header.spans:  # keep the offsets, drop the header's words
        blank = "".join(c if c in "\r\n" else " " for c in text[start:end])
        text = text[:start] + blank + text[end:]
    meta = DocumentMeta(header.date, header.place, header.agency)
    return from_spacy(load_pipeline(pipeline)(text), doc_id, meta=meta)
