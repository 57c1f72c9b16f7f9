"""Turn a spaCy `Doc` into an evx Document, keeping spaCy's tokens, sentences and annotations.

Needs the `spacy` extra. Works with any pipeline, including `spacy.blank("en")` (no model
download): columns spaCy did not annotate are simply not passed on, and a rule that tests
one of them fails that document with a clear D003 error. The Doc's entities and span
groups come along as outside mentions, which rules read as `@Label` once they declare
`external mention Label`. The pipeline component built on this is
:mod:`evx.integrations.spacy_component`; evx's own tokenizer and sentence splitter for
spaCy pipelines are in :mod:`evx.integrations.spacy_tokens`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Final

from evx.text.document import Document, DocumentMeta
from evx.text.header import Header, parse_header
from evx.text.sentences import MAX_SENTENCE_TOKENS
from evx.text.tokenizer import INVISIBLE

__all__ = ["column_getter", "from_spacy", "header_meta", "spacy_mentions", "word_tokens"]

# spaCy annotation flag -> (evx column, how to read it from a token)
_ANNOTATED: tuple[tuple[str, str, Callable[[Any], object]], ...] = (
    ("POS", "pos", lambda t: t.pos_),
    ("TAG", "tag", lambda t: t.tag_),
    ("DEP", "dep", lambda t: t.dep_),
    ("ENT_IOB", "ent", lambda t: t.ent_type_),
    ("ENT_IOB", "ent_type", lambda t: t.ent_type_),
    ("ENT_IOB", "ent_iob", lambda t: t.ent_iob_),
    ("MORPH", "morph", lambda t: str(t.morph)),
)

Columns = Iterable[str] | Mapping[str, Callable[[Any], object]]
"""Further token columns: names (``token._.name`` if that extension exists, else the
token attribute ``name``, such as ``is_stop``), or names mapped to a function of a token."""


def column_getter(name: str) -> Callable[[Any], object]:
    """How to read column ``name`` from a spaCy token: its ``._.name`` extension if one is
    registered, else its attribute ``name`` (``is_stop``, ``like_num``, ``ent_kb_id_``)."""
    from spacy.tokens import Token

    if Token.has_extension(name):
        return lambda token: getattr(token._, name)
    if not hasattr(Token, name):
        raise ValueError(
            f"from_spacy: a spaCy Token has no attribute or extension {name!r} "
            f"(register it with Token.set_extension({name!r}, default=...))"
        )
    return lambda token: getattr(token, name)


def spacy_mentions(
    doc: Any, span_keys: Collection[str] | None = None, exclude: Collection[str] = ()
) -> list[tuple[str, int, int]]:
    """The Doc's entities and the spans of its span groups as ``(label, start, end)``
    token ranges: every group, or those named in ``span_keys``, less those in ``exclude``
    (spans without a label are left out)."""
    found: list[tuple[str, int, int]] = [(e.label_, e.start, e.end) for e in doc.ents]
    for key, group in doc.spans.items():
        if key in exclude or (span_keys is not None and key not in span_keys):
            continue
        found.extend((span.label_, span.start, span.end) for span in group if span.label_)
    return [m for m in found if m[0] and m[1] < m[2]]


def word_tokens(doc: Any, header: Header | None = None) -> list[Any]:
    """The Doc's tokens that are words for the rules: not whitespace (the blank line
    between paragraphs) or invisible characters only (a zero-width space), which evx never
    makes tokens of, and, given a ``header``, not inside its date header or dateline."""
    spans = header.spans if header is not None else ()
    starts = [s for s, _e in spans]
    kept: list[Any] = []
    for token in doc:
        if token.is_space or not _VISIBLE.search(token.text):
            continue
        at = bisect_right(starts, token.idx) - 1
        if at >= 0 and token.idx < spans[at][1]:
            continue
        kept.append(token)
    return kept


def header_meta(header: Header) -> DocumentMeta:
    """The metadata evx's own reading gives a text with this header (date, place, agency)."""
    return DocumentMeta(header.date, header.place, header.agency, header.body_start, header.spans)


def from_spacy(
    doc: Any,
    doc_id: str = "<spacy>",
    *,
    columns: Columns = (),
    mentions: bool = True,
    span_keys: Collection[str] | None = None,
    exclude_span_keys: Collection[str] = (),
    meta: DocumentMeta | None = None,
    header: bool = False,
    max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
    within: tuple[str, int] | None = None,
) -> Document:
    """An evx Document with spaCy's tokens and, when annotated, sentences, lemmas and tags.

    ``pos``, ``tag``, ``dep``, ``ent``/``ent_type`` (entity type, "" outside entities),
    ``ent_iob`` and ``morph`` become columns rules can test (`[pos=PROPN]`,
    `[ent_type=GPE]`, `[morph=/Number=Plur/]`) when the pipeline set them; spaCy's lemmas
    replace evx's. ``columns`` adds any other token attribute (see :data:`Columns`); a
    built-in flag name (``punct``, ``alpha``, ``num``, ...) there replaces evx's own.
    With ``mentions`` (the default), the entities and the span groups (``span_keys``, or
    all but ``exclude_span_keys``) become outside mentions. ``meta`` is the document's
    date, place and agency, if the caller knows them.

    With ``header``, a leading ``date`` header and ``PLACE (AGENCY) —`` dateline are read
    as :meth:`Document.from_text` reads them: their tokens are left out, and they give the
    metadata (unless ``meta`` is given). Sentences longer than ``max_sentence_tokens``
    are cut as evx cuts them (warning W101). ``within=(text, offset)`` says the Doc is the
    part of ``text`` that starts at ``offset`` (a piece of a long document): the Document
    keeps the whole text, and its offsets index it.
    """
    head = parse_header(doc.text) if header else None
    if head is not None and meta is None:
        meta = header_meta(head)
    # the text and offsets are kept, so records still index `doc.text` (or `within`'s text)
    tokens = word_tokens(doc, head)
    kept = {t.i for t in tokens}
    index = _kept_index(doc, kept)
    extra: dict[str, Any] = {}  # columns spaCy annotated, passed on by name
    for flag, name, get in _ANNOTATED:
        if doc.has_annotation(flag):
            extra[name] = [get(t) for t in tokens]
    getters = (
        dict(columns)
        if isinstance(columns, Mapping)
        else {name: column_getter(name) for name in columns}
    )
    for name, get in getters.items():
        extra[name] = [get(t) for t in tokens]
    if doc.has_annotation("DEP"):  # the parse, for `path:` clauses
        extra["head"] = [
            index[t.head.i] if index[t.head.i] < len(tokens) else k for k, t in enumerate(tokens)
        ]
    lemma = [t.lemma_ for t in tokens] if doc.has_annotation("LEMMA") else None
    starts = None
    if doc.has_annotation("SENT_START"):
        # spaCy's sentences, and a paragraph break always ends one (as evx's own rules say)
        found = {index[sent.start] for sent in doc.sents}
        found.update(
            k
            for k in range(1, len(tokens))
            if _BLANK_LINE.search(doc.text, tokens[k - 1].idx, tokens[k].idx)
        )
        starts = sorted(k for k in found if k < len(tokens))
    spans: list[tuple[str, int, int]] = []
    if mentions:
        for label, start, end in spacy_mentions(doc, span_keys, exclude_span_keys):
            if index[start] < index[end]:
                spans.append((label, index[start], index[end]))
    text, offset = within if within is not None else (doc.text, 0)
    return Document.from_tokens(
        [t.text for t in tokens],
        text=text,
        offsets=[offset + t.idx for t in tokens],
        sentence_starts=starts,
        lemma=lemma,
        mentions=spans,
        doc_id=doc_id,
        meta=meta,
        max_sentence_tokens=max_sentence_tokens,
        **extra,
    )


_BLANK_LINE: Final = re.compile(r"\n[^\S\n]*\n")
_VISIBLE: Final = re.compile(rf"[^\s{INVISIBLE}]")


def _kept_index(doc: Any, kept: Collection[int]) -> list[int]:
    """For each spaCy token position (and the end), the evx token at or after it
    (``kept``: the positions of the tokens that are evx tokens)."""
    index: list[int] = []
    count = 0
    for token in doc:
        index.append(count)
        if token.i in kept:
            count += 1
    index.append(count)
    return index
