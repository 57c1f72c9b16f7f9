"""Tests for evx.text.sentences: the sentence-boundary decisions and the seed golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evx.text.document import Document
from evx.text.sentences import ranges_from_starts, sentence_of, split_sentences
from evx.text.tokenizer import tokenize

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parent / "data" / "document"
# Set EVX_UPDATE_GOLDEN=1 to rewrite the golden files from the current code (then review
# the diff before committing it).
UPDATE = os.environ.get("EVX_UPDATE_GOLDEN") == "1"


def sentences(text: str) -> list[str]:
    spans = tokenize(text)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    words = [text[s:e] for s, e in spans]
    return [text[starts[a] : ends[b - 1]] for a, b in split_sentences(text, starts, ends, words)]


# Each sentence decision, as (text, expected sentences).
DECISIONS = {
    "period, then a capital": (
        "Officials said Monday. Three officials acknowledged progress.",
        ["Officials said Monday.", "Three officials acknowledged progress."],
    ),
    "question and exclamation marks, then a capital or digit": (
        "Is a deal close? Officials think so! 28,000 people have died.",
        ["Is a deal close?", "Officials think so!", "28,000 people have died."],
    ),
    "a period before a lower-case word is not an end": (
        "The toll rose to 74. according to officials.",
        ["The toll rose to 74. according to officials."],
    ),
    "a period without a space after is not an end": (
        "It was published on NBCNews.com and Gaza.Then nothing.",
        ["It was published on NBCNews.com and Gaza.Then nothing."],
    ),
    "a quotation with an attribution after it is one sentence": (
        "“We are very, very close,” he said. “Yet being very close still means we’re far.”",
        ["“We are very, very close,” he said.", "“Yet being very close still means we’re far.”"],
    ),
    "a sentence ends after the closing quote": (
        "It called the talks “not done until everything’s done.” But he was hopeful.",
        ["It called the talks “not done until everything’s done.”", "But he was hopeful."],
    ),
    "an opening quote starts a new sentence": (
        "The official said so. “Now we’re on to the implementation steps.”",
        ["The official said so.", "“Now we’re on to the implementation steps.”"],
    ),
    "a quoted question with an attribution stays one sentence": (
        "“Is there a deal?” Biden asked. “Not yet!” the official said. “Soon?” No answer.",
        ["“Is there a deal?” Biden asked.", "“Not yet!” the official said.", "“Soon?”",
         "No answer."],
    ),
    "titles never end a sentence": (
        "The talks involved Gen. Herzi Halevi and Mr. Witkoff. They lasted hours.",
        ["The talks involved Gen. Herzi Halevi and Mr. Witkoff.", "They lasted hours."],
    ),
    "a single initial does not end a sentence": (
        "President-elect Donald J. Trump has warned of consequences. The talks continue.",
        ["President-elect Donald J. Trump has warned of consequences.", "The talks continue."],
    ),
    "an initial before a sentence opener ends a sentence": (
        "The bunker dates from World War I. The army sealed it after 1948.",
        ["The bunker dates from World War I.", "The army sealed it after 1948."],
    ),
    "a month before a number does not end a sentence": (
        "Hamas attacked on Oct. 7, 2023. The war began then. He spoke by Jan. 20.",
        ["Hamas attacked on Oct. 7, 2023.", "The war began then.", "He spoke by Jan. 20."],
    ),
    "an acronym before a name does not end a sentence": (
        "U.S. President Joe Biden spoke with the U.N. Security Council on Sunday.",
        ["U.S. President Joe Biden spoke with the U.N. Security Council on Sunday."],
    ),
    "an acronym before a sentence opener ends a sentence": (
        "Mediators included Qatar and the U.S. The talks resumed in Cairo. It was late.",
        ["Mediators included Qatar and the U.S.", "The talks resumed in Cairo.",
         "It was late."],
    ),
    "an acronym before a quote of a new sentence ends it": (
        "He flew back to the U.S. “We are close,” he said.",
        ["He flew back to the U.S.", "“We are close,” he said."],
    ),
    "company suffixes end a sentence only before an opener": (
        "It hired Acme Corp. Lawyers objected. It hired Acme Inc. The deal closed.",
        ["It hired Acme Corp. Lawyers objected.", "It hired Acme Inc.", "The deal closed."],
    ),
    "an ellipsis before a capital ends a sentence": (
        "The talks stalled… Mediators tried again... Then they stopped.",
        ["The talks stalled…", "Mediators tried again...", "Then they stopped."],
    ),
    "a blank line always ends a sentence": (
        "Months of negotiations have repeatedly stalled\n\nthe Biden administration tried",
        ["Months of negotiations have repeatedly stalled", "the Biden administration tried"],
    ),
    "a single line break before a capital ends a sentence": (
        "Palestinians and families of the hostages hope for a deal\nJust one brief ceasefire",
        ["Palestinians and families of the hostages hope for a deal", "Just one brief ceasefire"],
    ),
    "a hard-wrapped line continues the sentence": (
        "Israel and Hamas are making progress\ntoward a deal, officials said.\r\nIt was late.",
        ["Israel and Hamas are making progress\ntoward a deal, officials said.", "It was late."],
    ),
    "crlf blank lines are paragraph breaks": (
        "Source link\r\n\r\nabout the author",
        ["Source link", "about the author"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("text,expected", DECISIONS.values(), ids=list(DECISIONS))
def test_sentence_decisions(text: str, expected: list[str]) -> None:
    """Each product decision about sentence ends holds on wire-style text."""
    assert sentences(text) == expected


def golden_text(doc: Document) -> str:
    """The golden rendering: the metadata line, then one sentence per line."""
    meta = doc.meta
    head = (
        f"# date={meta.date} place={meta.place} agency={meta.agency} "
        f"body_start={meta.body_start} header_spans={list(meta.header_spans)}"
    )
    lines = [doc.span_text(a, b).replace("\n", "\\n") for a, b in doc.sentences]
    return "\n".join([head, *lines]) + "\n"


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_sentences_match_golden(path: Path) -> None:
    """The sentence split and header metadata of each seed match its reviewed golden file."""
    doc = Document.from_bytes(path.read_bytes(), str(path))
    golden = GOLDEN / f"{path.stem}.sentences.txt"
    actual = golden_text(doc)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_ranges_from_starts_normalises() -> None:
    """Sentence starts may be unordered, repeated and omit 0; ranges come out sorted."""
    assert ranges_from_starts([5, 2, 5], 8) == [(0, 2), (2, 5), (5, 8)]
    assert ranges_from_starts([], 3) == [(0, 3)]
    assert ranges_from_starts([], 0) == []
    assert ranges_from_starts([0], 0) == []


@pytest.mark.parametrize("bad", [[-1], [8], [0, 3, 9]])
def test_ranges_from_starts_rejects_out_of_range(bad: list[int]) -> None:
    """A sentence start outside the tokens is a ValueError that names it."""
    with pytest.raises(ValueError, match="outside the token range"):
        ranges_from_starts(bad, 8)


def test_sentence_of_maps_tokens() -> None:
    """sentence_of gives each token the index of the sentence holding it."""
    assert sentence_of([(0, 2), (2, 5)]) == [0, 0, 1, 1, 1]


BOUNDARY_PRONE = ["Hamas", "said", "U.S.", ".", "?", "”", "“", "J.", "\n", "\n\n", "Oct.", "7",
                  "The", "the", " ", "…"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BOUNDARY_PRONE), max_size=60))
def test_sentences_partition_tokens(pieces: list[str]) -> None:
    """On any mix of boundary-prone pieces, sentences cover all tokens in order, none empty."""
    text = " ".join(pieces)
    spans = tokenize(text)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    words = [text[s:e] for s, e in spans]
    ranges = split_sentences(text, starts, ends, words)
    flat = [i for a, b in ranges for i in range(a, b)]
    assert flat == list(range(len(words)))
    assert all(a < b for a, b in ranges)
