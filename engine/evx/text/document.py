"""The document stage: text in, tokens with offsets, sentences and token attributes out.

A :class:`Document` is built once per input text and then only read. It keeps one tuple
per attribute ("column") so the matcher indexes plain tuples by token number; the string
columns are computed at construction, the boolean flag columns on first request.

Build one with :meth:`Document.from_text`, :meth:`Document.from_bytes` (decoding and
rejecting bad input with a :class:`~evx.errors.DocumentError`) or
:meth:`Document.from_tokens` (for callers with their own tokenizer, such as spaCy).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import attrs

from evx.text.attributes import FLAGS, LEMMAS, LOWER, SHAPES, STRING_ATTRIBUTES, flag_column
from evx.text.decoding import decode
from evx.text.header import Header, parse_header
from evx.text.pieces import MAX_DOCUMENT_CHARS, piece_bounds
from evx.text.sentences import (
    MAX_SENTENCE_TOKENS,
    cut_long,
    ranges_from_starts,
    sentence_of,
    split_sentences,
)
from evx.text.tokenizer import tokenize

__all__ = ["Document", "DocumentMeta"]

_STRING_COLUMNS: Final = frozenset(STRING_ATTRIBUTES)
_RESERVED_COLUMNS: Final = _STRING_COLUMNS | frozenset(FLAGS)


@attrs.frozen(slots=True)
class DocumentMeta:
    """Metadata read from a document's header and dateline.

    ``header_spans`` lists the character spans recognised as header or dateline text and
    therefore not tokenized (``body_start`` is the end of the one that opens the document,
    if any).
    """

    date: datetime.date | None = None
    place: str | None = None
    agency: str | None = None
    body_start: int = 0
    header_spans: tuple[tuple[int, int], ...] = ()
    long_sentences: tuple[tuple[int, int], ...] = ()  # token ranges cut at the sentence limit
    sentence_limit: int | None = None  # the limit they were cut at
    # for one piece of a document too long to read whole (evx.text.pieces): its character
    # bounds, the number of pieces and the length limit they were cut at
    piece: tuple[int, int] | None = None
    pieces: int = 1
    document_limit: int | None = None


class Document:
    """A tokenized text: per-token columns, sentences and metadata, immutable once built.

    Every offset indexes into :attr:`text`: ``text[starts[i]:ends[i]] == words[i]``.
    Use the ``from_*`` class methods rather than the constructor.
    """

    __slots__ = (
        "_flags",
        "ends",
        "extra",
        "id",
        "lemma",
        "lemmas_computed",
        "lower",
        "meta",
        "sentence_of",
        "sentences",
        "shape",
        "starts",
        "text",
        "words",
    )

    id: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    lower: tuple[str, ...]
    lemma: tuple[str, ...]
    lemmas_computed: bool
    shape: tuple[str, ...]
    sentences: tuple[tuple[int, int], ...]
    sentence_of: tuple[int, ...]
    meta: DocumentMeta
    extra: Mapping[str, tuple[str, ...]]
    _flags: dict[str, tuple[bool, ...]]

    def __init__(
        self,
        *,
        doc_id: str,
        text: str,
        starts: Sequence[int],
        ends: Sequence[int],
        words: Sequence[str],
        sentences: Sequence[tuple[int, int]],
        meta: DocumentMeta,
        lemma: Sequence[str] | None = None,
        extra: Mapping[str, Sequence[str]] | None = None,
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
    ) -> None:
        words = tuple(words)
        sentences, cut = cut_long(sentences, max_sentence_tokens)
        if cut:
            meta = attrs.evolve(meta, long_sentences=tuple(cut), sentence_limit=max_sentence_tokens)
        lower = tuple(map(LOWER.__getitem__, words))
        computed = lemma is None
        if lemma is None:
            lemma = tuple(map(LEMMAS.__getitem__, lower))
        else:
            lemma = tuple(map(str.lower, lemma))
        sentences = tuple(sentences)
        columns = {name: tuple(values) for name, values in (extra or {}).items()}
        init = object.__setattr__
        init(self, "id", doc_id)
        init(self, "text", text)
        init(self, "starts", tuple(starts))
        init(self, "ends", tuple(ends))
        init(self, "words", words)
        init(self, "lower", lower)
        init(self, "lemma", lemma)
        # True when the lemmas are evx's own, a function of each word (so are all columns
        # but the extra ones): what depends on the columns can be cached by word
        init(self, "lemmas_computed", computed)
        init(self, "shape", tuple(map(SHAPES.__getitem__, words)))
        init(self, "sentences", sentences)
        init(self, "sentence_of", tuple(sentence_of(sentences)))
        init(self, "meta", meta)
        init(self, "extra", MappingProxyType(columns))
        init(self, "_flags", {})

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_text(
        cls,
        text: str,
        doc_id: str = "<text>",
        *,
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
        piece: tuple[int, int] | None = None,
        pieces: int = 1,
        document_limit: int | None = None,
    ) -> Document:
        """Tokenize ``text``, split it into sentences and read its header; never raises.

        A leading ``date YYYY-MM-DD`` header and a ``PLACE (AGENCY) —`` dateline become
        :attr:`meta` and are left out of the tokens; offsets still index the full text.
        A sentence longer than ``max_sentence_tokens`` is cut into pieces that long
        (None: never), and :attr:`warnings` says so. With ``piece=(start, end)`` only
        those characters are tokenized: one of ``pieces`` pieces of a text longer than
        ``document_limit`` (see :func:`Document.pieces_of`).
        """
        lo, hi = piece if piece is not None else (0, len(text))
        header = parse_header(text) if lo == 0 else Header()
        if header.spans:
            spans: list[tuple[int, int]] = []
            pos = 0
            for skip_start, skip_end in header.spans:
                spans += tokenize(text, pos, min(skip_start, hi))
                pos = min(skip_end, hi)
            spans += tokenize(text, pos, hi)
        else:
            spans = tokenize(text, lo, hi)
        if spans:
            starts, ends = zip(*spans, strict=True)
        else:
            starts = ends = ()
        words = [text[s:e] for s, e in spans]
        meta = DocumentMeta(
            header.date,
            header.place,
            header.agency,
            header.body_start,
            header.spans,
            piece=piece,
            pieces=pieces,
            document_limit=document_limit,
        )
        return cls(
            doc_id=doc_id,
            text=text,
            starts=starts,
            ends=ends,
            words=words,
            sentences=split_sentences(text, starts, ends, words),
            meta=meta,
            max_sentence_tokens=max_sentence_tokens,
        )

    @classmethod
    def pieces_of(
        cls,
        text: str,
        doc_id: str = "<text>",
        *,
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
        max_chars: int | None = MAX_DOCUMENT_CHARS,
    ) -> Iterator[Document]:
        """The Document of ``text``, or, when it is longer than ``max_chars`` (None: no
        limit), one Document per piece of it (:mod:`evx.text.pieces`), made one at a time
        so that only one piece's tokens are in memory; the first says so in its warnings."""
        bounds = piece_bounds(text, max_chars)
        if len(bounds) == 1:
            yield cls.from_text(text, doc_id, max_sentence_tokens=max_sentence_tokens)
            return
        for piece in bounds:
            yield cls.from_text(
                text,
                doc_id,
                max_sentence_tokens=max_sentence_tokens,
                piece=piece,
                pieces=len(bounds),
                document_limit=max_chars,
            )

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        doc_id: str,
        *,
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
        encoding: str = "utf-8",
        replace: bool = False,
    ) -> Document:
        """Decode ``data`` (UTF-8 by default, a leading byte-order mark dropped) and build
        the document.

        Raises :class:`DocumentError` with code ``D001`` when the bytes do not decode in
        ``encoding`` (the message names the first bad byte; ``replace=True`` puts U+FFFD
        there instead) and ``D002`` when they contain NUL bytes (binary data); no other
        exception for any content of ``data``. See :mod:`evx.text.decoding`.
        """
        text = decode(data, doc_id, encoding, replace=replace)
        return cls.from_text(text, doc_id, max_sentence_tokens=max_sentence_tokens)

    @classmethod
    def from_tokens(
        cls,
        words: Sequence[str],
        *,
        spaces: Sequence[bool] | None = None,
        sentence_starts: Sequence[int] | None = None,
        lemma: Sequence[str] | None = None,
        doc_id: str = "<tokens>",
        max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
        **extra: Sequence[str],
    ) -> Document:
        """Build a document from a caller's tokens (spaCy, Stanza, another extractor).

        The text is rebuilt from ``words``, with one space after each word whose
        ``spaces`` entry is true (default: after every word). ``sentence_starts`` are the
        token indices where sentences begin (``0`` implied); without it the sentence rules
        of :meth:`from_text` apply. ``lemma`` replaces the simplemma lemmas (lower-cased).
        Any other keyword (``pos=``, ``tag=``, ``ent=``, ``dep=``, ...) becomes an extra
        column. A column whose length differs from ``len(words)``, an empty word or a
        sentence start outside the tokens raises ``ValueError``.
        """
        words = tuple(words)
        n = len(words)
        for i, word in enumerate(words):
            if not word:
                raise ValueError(f"from_tokens: word {i} is empty; every token needs text")
        if spaces is None:
            spaces = (True,) * n
        _check_length("spaces", spaces, n)
        if lemma is not None:
            _check_length("lemma", lemma, n)
        for name, values in extra.items():
            if name in _RESERVED_COLUMNS:
                raise ValueError(
                    f"from_tokens: {name!r} is a built-in column and cannot be supplied; "
                    "pass lemmas as lemma=, other annotations under another name"
                )
            _check_length(name, values, n)
        starts: list[int] = []
        ends: list[int] = []
        pieces: list[str] = []
        pos = 0
        for word, space in zip(words, spaces, strict=True):
            starts.append(pos)
            pos += len(word)
            ends.append(pos)
            pieces.append(word)
            if space:
                pieces.append(" ")
                pos += 1
        text = "".join(pieces)
        if sentence_starts is None:
            sentences = split_sentences(text, starts, ends, words)
        else:
            sentences = ranges_from_starts(sentence_starts, n)
        return cls(
            doc_id=doc_id,
            text=text,
            starts=starts,
            ends=ends,
            words=words,
            sentences=sentences,
            meta=DocumentMeta(),
            lemma=lemma,
            extra=extra,
            max_sentence_tokens=max_sentence_tokens,
        )

    # -- reading -------------------------------------------------------------------------

    @property
    def warnings(self) -> tuple[str, ...]:
        """What was done to this document that its reader should know (a sentence cut at
        the sentence limit), one coded message each."""
        meta = self.meta
        limit = meta.sentence_limit
        out = [
            f"W101 a sentence of {e - s:,} tokens (tokens {s:,}-{e:,}) was cut into pieces "
            f"of at most {limit:,} tokens, which no match crosses (--max-sentence-tokens)"
            for s, e in meta.long_sentences
        ]
        if meta.piece is not None and meta.piece[0] == 0 and meta.document_limit is not None:
            out.insert(
                0,
                f"W102 a document of {len(self.text):,} characters, longer than "
                f"{meta.document_limit:,}, was read in {meta.pieces} pieces cut at "
                "paragraph, sentence or space bounds, which no match, story or document() "
                "window crosses (--max-document-chars)",
            )
        return tuple(out)

    def __len__(self) -> int:
        """The number of tokens."""
        return len(self.words)

    def column(self, name: str) -> Sequence[str] | Sequence[bool]:
        """The per-token values of attribute ``name``.

        ``text`` (the words), ``lower``, ``lemma``, ``shape``, any extra column, or a
        boolean flag: ``punct``, ``num``, ``digit``, ``alpha``, ``title``, ``upper``.
        Unknown names raise ``KeyError``.
        """
        if name == "text":
            return self.words
        if name == "lower":
            return self.lower
        if name == "lemma":
            return self.lemma
        if name == "shape":
            return self.shape
        flags = self._flags.get(name)
        if flags is not None:
            return flags
        if name in FLAGS:
            flags = flag_column(name, self.words)
            self._flags[name] = flags
            return flags
        return self.extra[name]

    def has_column(self, name: str) -> bool:
        """True when :meth:`column` knows ``name``."""
        return name in _STRING_COLUMNS or name in FLAGS or name in self.extra

    def char_span(self, tok_start: int, tok_end: int) -> tuple[int, int]:
        """Character offsets of tokens ``[tok_start, tok_end)``: first start to last end.

        An empty token range gives an empty span where token ``tok_start`` begins.
        """
        n = len(self.words)
        if not 0 <= tok_start <= tok_end <= n:
            raise IndexError(f"token range [{tok_start}, {tok_end}) outside 0..{n}")
        if tok_start == tok_end:
            pos = self.starts[tok_start] if tok_start < n else len(self.text)
            return pos, pos
        return self.starts[tok_start], self.ends[tok_end - 1]

    def span_text(self, tok_start: int, tok_end: int) -> str:
        """The document text from the start of token ``tok_start`` to the end of token
        ``tok_end - 1``, with the original spacing between them."""
        start, end = self.char_span(tok_start, tok_end)
        return self.text[start:end]

    def sentence_char_span(self, k: int) -> tuple[int, int]:
        """Character offsets of sentence ``k``."""
        start, end = self.sentences[k]
        return self.starts[start], self.ends[end - 1]

    # -- plumbing ------------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Document is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Document is immutable; cannot delete {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in self.__slots__}
        state["extra"] = dict(self.extra)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "extra", MappingProxyType(state["extra"]))

    def __repr__(self) -> str:
        return f"<Document {self.id!r}: {len(self.words)} tokens, {len(self.sentences)} sentences>"


def _check_length(name: str, values: Sequence[Any], n: int) -> None:
    """Raise ``ValueError`` unless a caller-supplied column has one entry per word."""
    if len(values) != n:
        raise ValueError(f"from_tokens: {name} has {len(values)} entries but there are {n} words")
