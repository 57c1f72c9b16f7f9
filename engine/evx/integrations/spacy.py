"""Turn a spaCy `Doc` into an evx Document, keeping spaCy's tokens, sentences and annotations.

Needs the `spacy` extra. Works with any pipeline, including `spacy.blank("en")` (no model
download): columns spaCy did not annotate are simply not passed on, and a rule that tests
one of them fails that document with a clear D003 error.
"""

from __future__ import annotations

from typing import Any

from evx.text.document import Document


def from_spacy(doc: Any, doc_id: str = "<spacy>") -> Document:
    """An evx Document with spaCy's tokens and, when annotated, sentences, lemmas and tags.

    ``pos``, ``tag``, ``dep`` and ``ent`` (entity type, "" outside entities) become extra
    columns rules can test (`[pos=PROPN]`, `[ent=GPE]`).
    """
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    extra: dict[str, Any] = {}  # columns spaCy annotated, passed on by name
    if doc.has_annotation("POS"):
        extra["pos"] = [t.pos_ for t in doc]
    if doc.has_annotation("TAG"):
        extra["tag"] = [t.tag_ for t in doc]
    if doc.has_annotation("DEP"):
        extra["dep"] = [t.dep_ for t in doc]
    if doc.has_annotation("ENT_IOB"):
        extra["ent"] = [t.ent_type_ for t in doc]
    lemma = [t.lemma_ for t in doc] if doc.has_annotation("LEMMA") else None
    starts = None
    if doc.has_annotation("SENT_START"):
        starts = [sent.start for sent in doc.sents]
    return Document.from_tokens(
        words, spaces=spaces, sentence_starts=starts, lemma=lemma, doc_id=doc_id, **extra
    )
