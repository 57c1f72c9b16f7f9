"""The spaCy adapter: a spaCy Doc's tokens, sentences and annotations reach the rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx

spacy = pytest.importorskip("spacy")

from spacy.tokens import Span  # noqa: E402

from evx.integrations.spacy import from_spacy  # noqa: E402

TEXT = (
    "Egypt's foreign minister said Hamas freed three hostages on Monday. "
    "A senior official said more releases were expected."
)


def test_blank_pipeline_tokens_and_sentences_come_through() -> None:
    """spaCy's own tokens and its sentencizer's boundaries become the Document's."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    sdoc = nlp(TEXT)
    doc = from_spacy(sdoc, doc_id="wire-7")
    assert list(doc.words) == [t.text for t in sdoc]
    assert [doc.span_text(a, b) for a, b in doc.sentences] == [s.text for s in sdoc.sents]
    assert doc.text == sdoc.text
    assert not doc.has_column("pos")


def test_rules_run_on_spacy_tokens_and_annotations(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """Rules match over spaCy tokens, and annotated columns such as `pos` can be tested."""
    rules = compile_rules(
        "event Release { count: str?  who: str? }\n"
        "rule r -> Release { match: who:[pos=PROPN] [lemma=free] count:[num] }\n"
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    sdoc = nlp(TEXT)
    for token in sdoc:
        token.pos_ = "PROPN" if token.text in ("Egypt", "Hamas") else "X"
    (event,) = rules.extract(from_spacy(sdoc))
    assert (event.fields.who, event.text) == ("Hamas", "Hamas freed three")
    assert TEXT[event.start : event.end] == event.text


def test_whitespace_tokens_are_left_out_and_paragraphs_end_sentences() -> None:
    """spaCy's "\\n\\n" tokens are not words for the rules; a blank line ends a sentence; offsets stay spaCy's."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "Hamas frees three hostages\n\nIsrael said  the   deal holds.\n"
    sdoc = nlp(text)
    assert any(t.is_space for t in sdoc)
    doc = from_spacy(sdoc)
    assert doc.text == text and not any(w.isspace() for w in doc.words)
    assert [doc.span_text(a, b) for a, b in doc.sentences] == [
        "Hamas frees three hostages",
        "Israel said  the   deal holds.",
    ]
    for i, word in enumerate(doc.words):
        assert text[doc.starts[i] : doc.ends[i]] == word


def test_from_tokens_keeps_a_given_text_and_offsets() -> None:
    """With text= and offsets=, the document keeps the caller's text; words must sit where they say."""
    doc = evx.Document.from_tokens(["Hamas", "agreed"], text="Hamas\n  agreed", offsets=[0, 8])
    assert doc.text == "Hamas\n  agreed" and doc.char_span(0, 2) == (0, 14)
    with pytest.raises(ValueError, match="word 1"):
        evx.Document.from_tokens(["Hamas", "agreed"], text="Hamas agreed", offsets=[0, 7])
    with pytest.raises(ValueError, match="together"):
        evx.Document.from_tokens(["Hamas"], text="Hamas")


_NLP: list[Any] = []


@settings(max_examples=80, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab. \n-,'A\u2019")), max_size=60),
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 5)), max_size=4),
)
def test_any_text_through_spacy_keeps_the_invariants(
    text: str, ents: list[tuple[int, int]]
) -> None:
    """Whatever the text and its span groups, the Document has spaCy's text, words at their offsets, and mentions inside it."""
    if not _NLP:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _NLP.append(nlp)
    sdoc = _NLP[0](text)
    sdoc.spans["found"] = [
        Span(sdoc, s, min(s + w, len(sdoc)), label="X") for s, w in ents if s < len(sdoc)
    ]
    doc = from_spacy(sdoc)
    assert doc.text == sdoc.text
    assert all(doc.text[s:e] == w for s, e, w in zip(doc.starts, doc.ends, doc.words, strict=True))
    assert [t for a, b in doc.sentences for t in range(a, b)] == list(range(len(doc)))
    assert all(0 <= s < e <= len(doc) for _, s, e, _ in doc.mentions)
