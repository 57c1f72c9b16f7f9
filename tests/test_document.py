"""Tests for evx.text.document (with evx.text.header and evx.text.attributes): building, columns, decoding."""

from __future__ import annotations

import copy
import datetime
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from evx.errors import DocumentError
from evx.text.document import Document, DocumentMeta
from evx.text.header import parse_header

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parent / "data" / "document"
UPDATE = os.environ.get("EVX_UPDATE_GOLDEN") == "1"


def seed(k: int) -> Document:
    path = SEEDS[k]
    return Document.from_bytes(path.read_bytes(), str(path))


def check_invariants(doc: Document) -> None:
    """The structural promises every Document keeps."""
    n = len(doc)
    assert len(doc.starts) == len(doc.ends) == len(doc.words) == n
    assert len(doc.lower) == len(doc.lemma) == len(doc.shape) == len(doc.sentence_of) == n
    prev_end = 0
    for i in range(n):
        s, e = doc.starts[i], doc.ends[i]
        assert prev_end <= s < e <= len(doc.text)
        assert doc.text[s:e] == doc.words[i]
        prev_end = e
    expected_start = 0
    for k, (a, b) in enumerate(doc.sentences):
        assert a == expected_start and a < b
        assert all(doc.sentence_of[i] == k for i in range(a, b))
        expected_start = b
    assert expected_start == n


# -- header and metadata ----------------------------------------------------------------


def test_seed_000_header_becomes_metadata() -> None:
    """Seed 000's " date 2025-01-13 CAIRO (AP) —" header is metadata; the first token is U.S."""
    doc = seed(0)
    assert doc.meta.date == datetime.date(2025, 1, 13)
    assert (doc.meta.place, doc.meta.agency) == ("CAIRO", "AP")
    assert doc.words[0] == "U.S."
    assert doc.meta.body_start == doc.starts[0] == doc.text.index("U.S.")
    assert doc.meta.header_spans == ((0, doc.meta.body_start),)


def test_seed_001_dateline_after_headline_is_skipped() -> None:
    """In seed 001 the headline stays a sentence and the dateline words are not tokens."""
    doc = seed(1)
    assert (doc.meta.date, doc.meta.place, doc.meta.agency) == (None, "CAIRO", "AP")
    assert doc.meta.body_start == 0
    first = doc.span_text(*doc.sentences[0])
    assert first.endswith("hostage release talks, officials say")
    second = doc.sentences[1]
    assert doc.words[second[0] : second[0] + 3] == ("Israel", "and", "Hamas")
    (skip,) = doc.meta.header_spans
    assert doc.text[skip[0] : skip[1]] == "CAIRO (AP) — "
    assert doc.starts[second[0]] == skip[1]
    assert not any(skip[0] <= s < skip[1] for s in doc.starts)


@pytest.mark.parametrize(
    "text,place,agency,first",
    [
        ("JERUSALEM (Reuters) - Israel said on Monday it would send envoys.", "JERUSALEM",
         "Reuters", "Israel"),
        ("KHAN YOUNIS, Gaza Strip (AP) — Palestinians fled the city.", "KHAN YOUNIS", "AP",
         "Palestinians"),
        ("FERGUSON, Mo. (AP) -- Protesters gathered again Sunday.", "FERGUSON", "AP",
         "Protesters"),
        ("DEIR AL-BALAH (AFP) – Strikes hit the camp overnight.", "DEIR AL-BALAH", "AFP",
         "Strikes"),
        ("\n\nTEL AVIV (AP) —\nThousands rallied.", "TEL AVIV", "AP", "Thousands"),
    ],
)  # fmt: skip
def test_dateline_forms(text: str, place: str, agency: str, first: str) -> None:
    """Datelines with a region, other agencies and other dashes become place and agency."""
    doc = Document.from_text(text)
    assert (doc.meta.place, doc.meta.agency) == (place, agency)
    assert doc.words[0] == first
    assert doc.meta.body_start == doc.starts[0]


@pytest.mark.parametrize(
    "text",
    [
        "Hamas (the militant group) — which rules Gaza — rejected the terms.",
        "The U.N. (United Nations) — long a mediator — stayed silent.",
        "Officials said Hamas (AP) had agreed — but later denied it.",
        "NATO (the North Atlantic Treaty Organization alliance) — said nothing.",
    ],
)
def test_ordinary_sentences_with_parentheses_are_not_datelines(text: str) -> None:
    """A sentence that merely contains parentheses and a dash keeps all its words."""
    doc = Document.from_text(text)
    assert doc.meta == DocumentMeta()
    assert doc.span_text(0, len(doc)) == text


def test_date_header_alone_and_impossible_dates() -> None:
    """A date header without a dateline still sets the date; an impossible date gives None."""
    doc = Document.from_text("date 2024-02-29\nIsrael and Hamas are making progress.")
    assert doc.meta.date == datetime.date(2024, 2, 29)
    assert doc.meta.place is None
    assert doc.words[0] == "Israel"
    bad = parse_header("date 2025-02-30 CAIRO (AP) — Talks resumed.")
    assert bad.date is None and bad.place == "CAIRO"


def test_date_header_then_headline_then_dateline() -> None:
    """A date header, a headline and a dateline paragraph: both header parts are skipped."""
    text = "date 2025-01-13\nTalks make progress\n\nCAIRO (AP) — Mediators met on Monday."
    doc = Document.from_text(text)
    assert (doc.meta.date, doc.meta.place, doc.meta.agency) == (
        datetime.date(2025, 1, 13), "CAIRO", "AP")  # fmt: skip
    assert doc.meta.body_start == text.index("Talks")
    assert [doc.span_text(a, b) for a, b in doc.sentences] == [
        "Talks make progress", "Mediators met on Monday."]  # fmt: skip


def test_dateline_deep_in_the_body_is_ignored() -> None:
    """Only the first few paragraphs are searched for a dateline."""
    paragraphs = [f"Paragraph {k} says the talks continue." for k in range(10)]
    text = "\n\n".join([*paragraphs, "CAIRO (AP) — Late dateline text."])
    assert Document.from_text(text).meta.place is None


# -- columns -----------------------------------------------------------------------------


def test_lower_folds_curly_quotes() -> None:
    """The lower column lower-cases and folds ’ ‘ “ ” to straight quotes."""
    doc = Document.from_text("“We’ve had a breakthrough,” Israel’s envoy said.")
    assert doc.lower == ('"', "we've", "had", "a", "breakthrough", ",", '"', "israel", "'s",
                         "envoy", "said", ".")  # fmt: skip


@pytest.mark.parametrize(
    "word,lemma",
    [("freed", "free"), ("spoke", "speak"), ("officials", "official"), ("held", "hold"),
     ("Hostages", "hostage"), ("killed", "kill"), ("Gaza", "gaza"), ("28,000", "28,000")],
)  # fmt: skip
def test_lemmas(word: str, lemma: str) -> None:
    """Lemmas come from simplemma on the lower form and are lower-case."""
    doc = Document.from_text(f"Then {word} again")
    assert doc.lemma[1] == lemma


@pytest.mark.parametrize(
    "word,shape",
    [("28,000", "dd,ddd"), ("Netanyahu", "Xxxxx"), ("U.S.", "X.X."), ("cease-fire", "xxxx-xxxx"),
     ("70", "dd"), ("McGurk", "XxXxxx"), ("2023", "dddd")],
)  # fmt: skip
def test_shapes(word: str, shape: str) -> None:
    """Shapes are spaCy-style: X/x/d, other characters kept, runs cut to four."""
    doc = Document.from_text(f"Then {word} again")
    assert doc.shape[1] == shape


def test_flag_columns() -> None:
    """The boolean flag columns classify wire-copy tokens as documented."""
    doc = Document.from_text(
        "More than 28,000 people , 1.4 million , 70 % three dozen U.S. Netanyahu NATO — 2023 "
        "hostages"
    )
    by_word = {name: dict(zip(doc.words, doc.column(name), strict=True)) for name in
               ("punct", "num", "digit", "alpha", "title", "upper")}  # fmt: skip
    assert [w for w, v in by_word["punct"].items() if v] == [",", "%", "—"]
    assert [w for w, v in by_word["num"].items() if v] == [
        "28,000", "1.4", "million", "70", "three", "dozen", "2023"]  # fmt: skip
    assert [w for w, v in by_word["digit"].items() if v] == ["70", "2023"]
    assert not by_word["alpha"]["U.S."] and by_word["alpha"]["hostages"]
    assert [w for w, v in by_word["title"].items() if v] == ["More", "Netanyahu"]
    assert [w for w, v in by_word["upper"].items() if v] == ["U.S.", "NATO"]


def test_flag_columns_are_cached() -> None:
    """A flag column is computed once per document and then returned as is."""
    doc = Document.from_text("Three officials spoke.")
    assert doc.column("num") is doc.column("num")


def test_column_names() -> None:
    """column() knows the string columns, flags and extras, and raises KeyError otherwise."""
    doc = Document.from_tokens(["Hamas", "agreed"], pos=["PROPN", "VERB"])
    assert doc.column("text") == ("Hamas", "agreed")
    assert doc.column("lower") == ("hamas", "agreed")
    assert doc.column("lemma") == ("hamas", "agree")
    assert doc.column("shape") == ("Xxxxx", "xxxx")
    assert doc.column("pos") == ("PROPN", "VERB")
    for name in ("text", "lower", "lemma", "shape", "punct", "num", "digit", "alpha", "title",
                 "upper", "pos"):  # fmt: skip
        assert doc.has_column(name)
    assert not doc.has_column("ent")
    with pytest.raises(KeyError):
        doc.column("ent")


def test_token_golden_seed_000() -> None:
    """Seed 000's tokens, offsets, lower forms, shapes and sentences match the golden file."""
    doc = seed(0)
    rows = [
        f"{doc.starts[i]}\t{doc.ends[i]}\t{doc.words[i]}\t{doc.lower[i]}\t{doc.shape[i]}\t"
        f"{doc.sentence_of[i]}"
        for i in range(len(doc))
    ]
    actual = "start\tend\tword\tlower\tshape\tsentence\n" + "\n".join(rows) + "\n"
    golden = GOLDEN / f"{SEEDS[0].stem}.tokens.tsv"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


# -- spans -------------------------------------------------------------------------------


def test_spans() -> None:
    """Token ranges map to character spans and text with the original spacing."""
    doc = Document.from_text("Talks   resumed in Cairo. Hamas agreed.")
    assert doc.span_text(0, 2) == "Talks   resumed"
    assert doc.char_span(0, 2) == (0, 15)
    assert doc.char_span(2, 2) == (16, 16)
    assert doc.char_span(len(doc), len(doc)) == (len(doc.text), len(doc.text))
    assert doc.sentence_char_span(1) == (26, 39)
    with pytest.raises(IndexError):
        doc.char_span(3, 2)
    with pytest.raises(IndexError):
        doc.span_text(0, len(doc) + 1)


def test_every_seed_keeps_the_invariants() -> None:
    """All seeds decode and satisfy the offset, column and sentence invariants."""
    for k in range(len(SEEDS)):
        check_invariants(seed(k))


# -- from_bytes --------------------------------------------------------------------------


def test_from_bytes_drops_bom_before_offsets() -> None:
    """A leading UTF-8 BOM is dropped, so offsets count from the first real character."""
    doc = Document.from_bytes("\ufeffHamas agreed.".encode(), "a.txt")
    assert doc.text == "Hamas agreed."
    assert doc.starts[0] == 0


def test_from_bytes_invalid_utf8() -> None:
    """Invalid UTF-8 is DocumentError D001 naming the first bad byte (BOM included)."""
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"\xef\xbb\xbfCairo \xff talks", "bad.txt")
    assert info.value.code == "D001"
    assert info.value.doc == "bad.txt"
    assert "not valid UTF-8" in info.value.message and "at byte 9" in info.value.message


def test_from_bytes_binary() -> None:
    """Bytes with a NUL are DocumentError D002."""
    with pytest.raises(DocumentError) as info:
        Document.from_bytes(b"PK\x03\x04\x00\x00binary", "x.zip")
    assert info.value.code == "D002"


def test_from_bytes_utf16_says_so() -> None:
    """UTF-16 input is D001 with a hint to re-encode, not a NUL-byte complaint."""
    with pytest.raises(DocumentError) as info:
        Document.from_bytes("Hamas agreed.".encode("utf-16"), "u16.txt")
    assert info.value.code == "D001" and "UTF-16" in info.value.message


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
@example(b"\xed\xa0\x80")  # an encoded surrogate
@example(b"\xef\xbb\xbf")
def test_from_bytes_any_bytes(data: bytes) -> None:
    """Arbitrary bytes give a Document or a DocumentError, nothing else."""
    try:
        doc = Document.from_bytes(data, "fuzz")
    except DocumentError as err:
        assert err.code in {"D001", "D002"}
    else:
        check_invariants(doc)


# -- from_text on anything ---------------------------------------------------------------

FRAGMENTS = [
    " date 2025-01-13 ", "CAIRO (AP) — ", "JERUSALEM (Reuters) - ", "U.S.", "Jan.", "J.",
    "Oct. 7", "cease-fire", "28,000", "won't", "Israel’s", "Hamas’", "“", "”", ".", "?", "…",
    " ", "\n", "\n\n", "\r\n", "\u00a0", "\u200b", "\u0301", "\U0001f44d", "\ud800", "é",
    "Talks", "the", "said", "(", ")", "—",
]  # fmt: skip
texts = st.one_of(
    st.text(st.characters(blacklist_categories=()), max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(texts)
@example(" date 2025-01-13 CAIRO (AP) — ")
@example("\ud800 date")
def test_from_text_never_raises_and_keeps_invariants(text: str) -> None:
    """from_text accepts any str and keeps the offset, column and sentence invariants."""
    doc = Document.from_text(text)
    check_invariants(doc)
    for s, e in doc.meta.header_spans:
        assert not any(s <= st_ < e for st_ in doc.starts)


# -- from_tokens -------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(len(SEEDS)))
def test_from_tokens_round_trips_seeds(k: int) -> None:
    """Rebuilding a seed from its words, spacing and sentence starts gives the same document."""
    doc = seed(k)
    n = len(doc)
    spaces = [i + 1 < n and doc.ends[i] < doc.starts[i + 1] for i in range(n)]
    again = Document.from_tokens(
        doc.words, spaces=spaces, sentence_starts=[a for a, _ in doc.sentences]
    )
    check_invariants(again)
    assert again.words == doc.words
    assert again.sentences == doc.sentences
    assert again.lemma == doc.lemma and again.shape == doc.shape


def test_from_tokens_without_sentence_starts_uses_the_rules() -> None:
    """Without sentence_starts, from_tokens splits sentences like from_text does."""
    words = ["“", "We", "are", "close", ",", "”", "he", "said", ".", "U.S.", "officials",
             "agreed", "."]  # fmt: skip
    doc = Document.from_tokens(words, spaces=[False, True, True, False, False, True, True,
                                              False, True, True, True, False, False])  # fmt: skip
    assert doc.text == "“We are close,” he said. U.S. officials agreed."
    assert doc.sentences == ((0, 9), (9, 13))


def test_from_tokens_extra_columns_and_lemmas() -> None:
    """Extra keyword columns are kept; a supplied lemma column is used lower-cased."""
    doc = Document.from_tokens(
        ["Hamas", "freed", "hostages"],
        lemma=["Hamas", "free", "hostage"],
        pos=["PROPN", "VERB", "NOUN"],
        ent=["ORG", "", ""],
        doc_id="spacy-1",
    )
    assert doc.id == "spacy-1"
    assert doc.text == "Hamas freed hostages "
    assert doc.lemma == ("hamas", "free", "hostage")
    assert doc.extra["ent"] == ("ORG", "", "")
    assert doc.sentences == ((0, 3),)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"spaces": [True]}, "spaces has 1 entries but there are 2 words"),
        ({"lemma": ["a", "b", "c"]}, "lemma has 3 entries"),
        ({"pos": ["X"]}, "pos has 1 entries"),
        ({"shape": ["Xx", "x"]}, "built-in column"),
        ({"sentence_starts": [2]}, "outside the token range"),
    ],
)
def test_from_tokens_rejects_mismatched_columns(kwargs: dict[str, object], message: str) -> None:
    """Columns of the wrong length, reserved names and bad sentence starts are ValueErrors."""
    with pytest.raises(ValueError, match=message):
        Document.from_tokens(["Hamas", "agreed"], **kwargs)  # type: ignore[arg-type]


def test_from_tokens_rejects_empty_words() -> None:
    """Every token needs text."""
    with pytest.raises(ValueError, match="word 1 is empty"):
        Document.from_tokens(["Hamas", ""])


def test_empty_documents() -> None:
    """Empty and whitespace-only input gives a document with no tokens and no sentences."""
    for doc in (Document.from_text(""), Document.from_text(" \n\t"), Document.from_tokens([])):
        assert len(doc) == 0 and doc.sentences == () and doc.column("punct") == ()


# -- immutability and pickling -----------------------------------------------------------


def test_documents_are_immutable() -> None:
    """Attributes cannot be set or deleted, and extras are a read-only mapping."""
    doc = Document.from_tokens(["Hamas"], pos=["PROPN"])
    with pytest.raises(AttributeError):
        doc.text = "x"
    with pytest.raises(AttributeError):
        del doc.words
    with pytest.raises(TypeError):
        doc.extra["pos"] = ("X",)  # type: ignore[index]


def test_documents_pickle_and_copy() -> None:
    """A document survives pickling (for worker processes) and copying."""
    doc = seed(0)
    doc.column("num")
    for again in (pickle.loads(pickle.dumps(doc)), copy.deepcopy(doc)):
        assert again.words == doc.words and again.meta == doc.meta
        assert again.sentences == doc.sentences and again.column("num") == doc.column("num")


def test_a_sentence_over_the_limit_is_cut_and_the_cut_reported() -> None:
    """Pieces of at most the limit, a W101 warning naming the sentence; None never cuts."""
    words = ["Hamas", "freed", "hostages", ","] * 3000  # 12,000 tokens, no sentence end
    doc = Document.from_tokens(words, sentence_starts=[0], max_sentence_tokens=5000)
    assert doc.sentences == ((0, 5000), (5000, 10000), (10000, 12000))
    assert doc.meta.long_sentences == ((0, 12000),)
    (warning,) = doc.warnings
    assert warning.startswith("W101 a sentence of 12,000 tokens")
    whole = Document.from_tokens(words, sentence_starts=[0], max_sentence_tokens=None)
    assert whole.sentences == ((0, 12000),) and whole.warnings == ()
    short = Document.from_text("Hamas freed three hostages. Israel freed 90 prisoners.")
    assert short.warnings == () and len(short.sentences) == 2
