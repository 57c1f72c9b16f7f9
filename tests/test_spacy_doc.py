"""The spaCy adapter: a spaCy Doc's tokens, sentences and annotations reach the rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import evx

spacy = pytest.importorskip("spacy")

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
