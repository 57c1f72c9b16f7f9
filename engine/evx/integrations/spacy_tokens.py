"""evx's own tokens and sentences in a spaCy pipeline: `evx.Tokenizer.v1`, `evx_sentences`.

The rule packs are written against evx's tokenizer (`cease-fire` and `six-week` are one
token, `U.S.` keeps its period) and its sentence rules; spaCy's tokenizer and
sentencizer split otherwise, so the same rules find other records on spaCy's tokens. With
both pieces in a pipeline, the evx component sees exactly the tokens and sentences
``evx run`` reads, and gives the same records::

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "evx.Tokenizer.v1"}}})
    nlp.add_pipe("evx_sentences")
    nlp.add_pipe("evx", config={"rules": "rules/"})

(or ``nlp.tokenizer = EvxTokenizer(nlp.vocab)``; in a config file, ``[nlp.tokenizer]
@tokenizers = "evx.Tokenizer.v1"``). spaCy finds both through the ``spacy_tokenizers``
and ``spacy_factories`` entry points. The tokenizer makes a token of every evx token,
header and dateline included, and of the whitespace between them as spaCy does (one space
becomes ``whitespace_``, anything more a whitespace token), so ``doc.text`` is the text
exactly; ``evx_sentences`` sets ``is_sent_start`` where evx's sentences begin, splitting
the body without the date header and dateline as evx does (a leading header is a
sentence of its own), on the tokens of any tokenizer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from evx.integrations.spacy import word_tokens
from evx.text.header import parse_header
from evx.text.sentences import split_sentences
from evx.text.tokenizer import tokenize

__all__ = ["EvxSentences", "EvxTokenizer", "create_tokenizer", "make_sentences", "words_of"]


def words_of(text: str) -> tuple[list[str], list[bool]]:
    """The words and spaces of spaCy's ``Doc(vocab, words, spaces)`` for evx's tokens of
    ``text``: every evx token (the header's too, tokenized apart from the body as evx
    does), a space after it when one follows, and any other whitespace as a token."""
    header = parse_header(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end in header.spans:
        spans += tokenize(text, pos, start)
        spans += tokenize(text, start, end)
        pos = end
    spans += tokenize(text, pos)
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in spans:
        _gap(text[pos:start], words, spaces)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    _gap(text[pos:], words, spaces)
    return words, spaces


def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    """The characters between two tokens: a space after the word before, and the rest
    (whitespace and invisible characters) as one token."""
    if gap.startswith(" ") and words and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


class EvxTokenizer:
    """A spaCy tokenizer that splits as evx does (:func:`words_of`)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_of(text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """One Doc per text, as spaCy's tokenizer's ``pipe``."""
        for text in texts:
            yield self(text)

    # evx's tokenizer has no settings: a saved pipeline stores nothing for it, and the
    # config (`@tokenizers = "evx.Tokenizer.v1"`) makes it again
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> EvxTokenizer:
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EvxTokenizer:
        return self


def create_tokenizer() -> Callable[[Language], EvxTokenizer]:
    """What spaCy calls for ``@tokenizers = "evx.Tokenizer.v1"`` (found through the
    ``spacy_tokenizers`` entry point, or registered here once this module is imported)."""

    def make(nlp: Language) -> EvxTokenizer:
        return EvxTokenizer(nlp.vocab)

    return make


registry.tokenizers.register("evx.Tokenizer.v1", func=create_tokenizer)


class EvxSentences:
    """Sets ``is_sent_start`` on every token where evx's sentence rules put the starts."""

    def __init__(self, header: bool = True) -> None:
        self.header = header

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found = parse_header(text) if self.header else None
        words = word_tokens(doc, found)
        starts = {
            words[lo].i
            for lo, _hi in split_sentences(
                text,
                [t.idx for t in words],
                [t.idx + len(t.text) for t in words],
                [t.text for t in words],
            )
        }
        for token in doc:
            token.is_sent_start = token.i == 0 or token.i in starts
        return doc


@Language.factory(
    "evx_sentences",
    default_config={"header": True},
    assigns=["token.is_sent_start"],
)
def make_sentences(nlp: Language, name: str, header: bool) -> EvxSentences:
    """The factory spaCy calls for ``nlp.add_pipe("evx_sentences")``: ``header`` reads a
    leading date header and dateline as evx does (a sentence of their own)."""
    return EvxSentences(header)
