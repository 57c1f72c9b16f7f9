"""evx's tokenizer and sentences in a spaCy pipeline: `evx.Tokenizer.v1` and `evx_sentences`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx

spacy = pytest.importorskip("spacy")

from evx.integrations.spacy import from_spacy  # noqa: E402
from evx.integrations.spacy_tokens import EvxTokenizer, words_of  # noqa: E402
from evx.text.tokenizer import tokenize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "evx.Tokenizer.v1"}}}


_PIPELINES: dict[bool, Any] = {}


def _evx_nlp(sentences: bool = True) -> Any:
    """A blank English pipeline with evx's tokenizer (and sentences), made once."""
    if sentences not in _PIPELINES:
        nlp = spacy.blank("en", config=CONFIG)
        if sentences:
            nlp.add_pipe("evx_sentences")
        _PIPELINES[sentences] = nlp
    return _PIPELINES[sentences]


def _words(doc: Any) -> list[tuple[int, str]]:
    """The Doc's tokens that are not whitespace, with their offsets."""
    return [(t.idx, t.text) for t in doc if not t.is_space]


def _evx_words(text: str) -> list[tuple[int, str]]:
    """evx's own tokens of the text, the header's words included (tokenized apart, as evx does)."""
    doc = evx.Document.from_text(text)
    found = list(zip(doc.starts, doc.words, strict=True))
    for start, end in doc.meta.header_spans:
        found += [(s, text[s:e]) for s, e in tokenize(text, start, end)]
    return sorted(found)


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_the_seeds_tokenize_as_evx_tokenizes(path: Path) -> None:
    """On every seed the Doc's words are evx's, at evx's offsets, and `doc.text` is the file's text."""
    text = path.read_text(encoding="utf-8")
    doc = _evx_nlp(sentences=False)(text)
    assert doc.text == text
    assert _words(doc) == _evx_words(text)
    assert "cease-fire" in [t.text for t in doc] or "ceasefire" in text


_TEXT = st.lists(
    st.sampled_from(
        [*"ab A.,-'’“”\n\t", "\u200b", "\u00ad", "\u2029", "  ", "U.S.", "six-week", "28,000"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_TEXT, _TEXT.map(lambda t: "date 2025-01-13 CAIRO (AP) — " + t)))
def test_any_text_comes_back_exactly_with_evx_tokens(text: str) -> None:
    """Spaces, line breaks, tabs and invisible characters between tokens: `doc.text` is the
    text, `whitespace_` is one space at most, and the words are evx's."""
    words, spaces = words_of(text)
    doc = spacy.tokens.Doc(_evx_nlp().vocab, words=words, spaces=spaces)
    assert doc.text == text
    assert all(t.whitespace_ in ("", " ") for t in doc)
    evx_words = _evx_words(text)
    kept = [(t.idx, t.text) for t in doc if t.text.strip("\u200b\u00ad\u2029 \n\t")]
    assert kept == evx_words
    # and the Document the evx component makes of it has exactly evx's body tokens
    body = evx.Document.from_text(text)
    made = from_spacy(_evx_nlp()(text), header=True)
    assert (made.words, made.starts, made.sentences) == (body.words, body.starts, body.sentences)


def test_assigning_the_tokenizer_works_too() -> None:
    """`nlp.tokenizer = EvxTokenizer(nlp.vocab)` on any pipeline, and its `pipe`."""
    nlp = spacy.blank("en")
    assert [t.text for t in nlp("a six-week cease-fire")] == [
        "a",
        "six",
        "-",
        "week",
        "cease",
        "-",
        "fire",
    ]
    nlp.tokenizer = EvxTokenizer(nlp.vocab)
    assert [t.text for t in nlp("a six-week cease-fire")] == ["a", "six-week", "cease-fire"]
    assert [len(d) for d in nlp.tokenizer.pipe(["U.S. officials", "Jan. 19"])] == [2, 2]


def test_spacy_finds_both_through_their_entry_points() -> None:
    """In a fresh interpreter that never imports evx, the config names the tokenizer and
    `add_pipe` the sentence component."""
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en', config={'nlp': {'tokenizer': {'@tokenizers': 'evx.Tokenizer.v1'}}})\n"
        "nlp.add_pipe('evx_sentences')\n"
        "doc = nlp('The six-week truce held.\\nGaza officials said the U.S. envoy would return.')\n"
        "print([t.text for t in doc][:5], [s.text for s in doc.sents])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == (
        "['The', 'six-week', 'truce', 'held', '.'] ['The six-week truce held.\\n', "
        "'Gaza officials said the U.S. envoy would return.']"
    )


def test_a_saved_pipeline_loads_with_the_evx_tokenizer(tmp_path: Path) -> None:
    """`nlp.to_disk` / `spacy.load`: the config brings the tokenizer back, with nothing stored for it."""
    _evx_nlp().to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert isinstance(again.tokenizer, EvxTokenizer) and again.pipe_names == ["evx_sentences"]
    text = SEEDS[0].read_text(encoding="utf-8")
    assert _words(again(text)) == _words(_evx_nlp()(text))
    assert again.tokenizer.from_bytes(again.tokenizer.to_bytes()) is again.tokenizer


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_evx_sentences_are_the_sentences_evx_splits(path: Path) -> None:
    """On the seeds, the Doc's sentences (whitespace and the header aside) are evx's own."""
    text = path.read_text(encoding="utf-8")
    doc = _evx_nlp()(text)
    own = evx.Document.from_text(text)
    body = {s for s, _w in zip(own.starts, own.words, strict=True)}
    got = []
    for sent in doc.sents:
        words = [t.text for t in sent if t.idx in body and not t.is_space]
        if words:
            got.append(words)
    assert got == [list(own.words[lo:hi]) for lo, hi in own.sentences]


def test_evx_sentences_work_on_spacys_own_tokens() -> None:
    """With spaCy's tokenizer, the component still applies evx's rules: a headline without
    a full stop stands alone, `U.S. President` does not end a sentence, a title never does."""
    nlp = spacy.blank("en")
    nlp.add_pipe("evx_sentences")
    text = (
        "Hostages freed in Gaza\n"
        "U.S. President Joe Biden said Gen. Herzi Halevi met the envoy. The talks resume."
    )
    sents = [s.text.strip() for s in nlp(text).sents]
    assert sents == [
        "Hostages freed in Gaza",
        "U.S. President Joe Biden said Gen. Herzi Halevi met the envoy.",
        "The talks resume.",
    ]
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    assert len(list(sentencizer(text).sents)) != len(sents)  # what evx_sentences is for


def test_the_header_makes_a_sentence_of_its_own() -> None:
    """`date ... CAIRO (AP) —` is tokenized (the text must come back) but kept out of the body's sentences."""
    text = "date 2025-01-13 CAIRO (AP) — Hamas freed three hostages on Monday."
    doc = _evx_nlp()(text)
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["date 2025-01-13 CAIRO (AP) —", "Hamas freed three hostages on Monday."]
    made = from_spacy(doc, header=True)
    assert made.words[0] == "Hamas" and str(made.meta.date) == "2025-01-13"
    assert made.meta.place == "CAIRO" and made.meta.agency == "AP"
    plain = spacy.blank("en", config=CONFIG)
    plain.add_pipe("evx_sentences", config={"header": False})
    assert len(list(plain(text).sents)) == 1
