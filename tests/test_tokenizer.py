"""Tests for evx.text.tokenizer: the tokenization decisions, exact offsets, and the fast path."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from evx.text import tokenizer
from evx.text.tokenizer import tokenize

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))

# Characters the tokenizer skips besides whitespace: invisible format characters.
INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenize(text)]


# Each product decision, as (text, expected tokens). Sentences read like the seed copy.
DECISIONS = {
    "hyphenated words stay whole": (
        "The U.S.-drafted cease-fire plan sets a six-week, 42-day pause in the Israel-Hamas "
        "war, President-elect Trump said of the hostage-prisoner deal meant to de-escalate "
        "fighting in Gaza's second-largest city.",
        [
            "The", "U.S.-drafted", "cease-fire", "plan", "sets", "a", "six-week", ",",
            "42-day", "pause", "in", "the", "Israel-Hamas", "war", ",", "President-elect",
            "Trump", "said", "of", "the", "hostage-prisoner", "deal", "meant", "to",
            "de-escalate", "fighting", "in", "Gaza", "'s", "second-largest", "city", ".",
        ],
    ),
    "numbers with separators stay whole, symbols split": (
        "More than 28,000 people were killed, the toll reached 28,473 and 1.4 million fled; "
        "70% of 2.3 million people lost homes since 2023, a $5 meal now costs more.",
        [
            "More", "than", "28,000", "people", "were", "killed", ",", "the", "toll",
            "reached", "28,473", "and", "1.4", "million", "fled", ";", "70", "%", "of",
            "2.3", "million", "people", "lost", "homes", "since", "2023", ",", "a", "$",
            "5", "meal", "now", "costs", "more", ".",
        ],
    ),
    "abbreviations keep their period": (
        "U.S. and U.N. envoys met Jan. 20, Feb. 3, Aug. 9, Sept. 1, Oct. 7, Nov. 5 and "
        "Dec. 1 with Mr. Smith, Mrs. Cohen, Ms. Levy, Dr. Abu, Gen. Halevi, Lt. Col. Sgt. "
        "Sen. Rep. Gov. Prof. St. Jr. Sr. Inc. Corp. Co. No. 2 vs. etc. Donald J. Trump.",
        [
            "U.S.", "and", "U.N.", "envoys", "met", "Jan.", "20", ",", "Feb.", "3", ",",
            "Aug.", "9", ",", "Sept.", "1", ",", "Oct.", "7", ",", "Nov.", "5", "and",
            "Dec.", "1", "with", "Mr.", "Smith", ",", "Mrs.", "Cohen", ",", "Ms.", "Levy",
            ",", "Dr.", "Abu", ",", "Gen.", "Halevi", ",", "Lt.", "Col.", "Sgt.", "Sen.",
            "Rep.", "Gov.", "Prof.", "St.", "Jr.", "Sr.", "Inc.", "Corp.", "Co.", "No.", "2",
            "vs.", "etc.", "Donald", "J.", "Trump", ".",
        ],
    ),
    "a sentence-final period is its own token": (
        "Officials said Monday. Talks resumed in Cairo.",
        ["Officials", "said", "Monday", ".", "Talks", "resumed", "in", "Cairo", "."],
    ),
    "words that look like abbreviations only keep the period before a number": (
        "He said no. No. 2 official said No. The march began Mar. 3 but ended in Mar.",
        [
            "He", "said", "no", ".", "No.", "2", "official", "said", "No", ".", "The",
            "march", "began", "Mar.", "3", "but", "ended", "in", "Mar", ".",
        ],
    ),
    "contractions stay whole with either apostrophe": (
        "It won't stop; he hasn't, they weren't, it wasn't, we don't, can't, we're, it'll, "
        "won’t, we’re, doesn’t.",
        [
            "It", "won't", "stop", ";", "he", "hasn't", ",", "they", "weren't", ",", "it",
            "wasn't", ",", "we", "don't", ",", "can't", ",", "we're", ",", "it'll", ",",
            "won’t", ",", "we’re", ",", "doesn’t", ".",
        ],
    ),
    "possessives split off": (
        "Israel’s offensive, Hamas’ attack, Gaza's police and the hardliners' anger.",
        [
            "Israel", "’s", "offensive", ",", "Hamas", "’", "attack", ",", "Gaza", "'s",
            "police", "and", "the", "hardliners", "'", "anger", ".",
        ],
    ),
    "quotes, dashes and brackets are tokens": (
        "“We are very, very close,” he said — troops—an arrangement – (including "
        "[senior] militants): ‘total victory’ … or \"not\"...",
        [
            "“", "We", "are", "very", ",", "very", "close", ",", "”", "he", "said", "—",
            "troops", "—", "an", "arrangement", "–", "(", "including", "[", "senior", "]",
            "militants", ")", ":", "‘", "total", "victory", "’", "…", "or", '"', "not", '"',
            "...",
        ],
    ),
    "whitespace of every kind separates and is never part of a token": (
        "Talks\r\nresumed\u00a0in\tCairo\u2009on\u3000Tuesday \n\n Hamas\u2028said",
        ["Talks", "resumed", "in", "Cairo", "on", "Tuesday", "Hamas", "said"],
    ),
    "urls, e-mail addresses, domains, hashtags and handles stay whole": (
        "Read https://apnews.com/article/israel-hamas-war-a1b2. or www.nbcnews.com, "
        "e-mail tips@ap.org, see NBCNews.com #Gaza @AP",
        [
            "Read", "https://apnews.com/article/israel-hamas-war-a1b2", ".", "or",
            "www.nbcnews.com", ",", "e-mail", "tips@ap.org", ",", "see", "NBCNews.com",
            "#Gaza", "@AP",
        ],
    ),
    "hyphenated titles after an abbreviation stay whole": (
        "Gov.-elect Josh Stein met Sen. Chris Coons at 10:30 a.m. on No. 10 Downing St.",
        [
            "Gov.-elect", "Josh", "Stein", "met", "Sen.", "Chris", "Coons", "at", "10:30",
            "a.m.", "on", "No.", "10", "Downing", "St.",
        ],
    ),
    "marks, emoji modifiers and joiners stay with their character": (
        "Jose\u0301 Ba\u0301ez said \u0627\u064e\u0644\u0652 \U0001f44d\U0001f3fd "
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1fa\U0001f1f8 ok",
        [
            "Jose\u0301", "Ba\u0301ez", "said", "\u0627\u064e\u0644\u0652",
            "\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "\U0001f1fa\U0001f1f8", "ok",
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize("text,expected", DECISIONS.values(), ids=list(DECISIONS))
def test_tokenization_decisions(text: str, expected: list[str]) -> None:
    """Each product decision about token boundaries holds on wire-style sentences."""
    assert words(text) == expected


def test_seed_sentence_with_em_dash_splits_around_it() -> None:
    """The unspaced em dash in seed 002 ("troops—an arrangement") is a token of its own."""
    text = SEEDS[2].read_text(encoding="utf-8")
    ws = words(text)
    k = ws.index("troops")
    assert ws[k : k + 4] == ["troops", "—", "an", "arrangement"]


def test_tokenize_range_offsets_index_the_whole_text() -> None:
    """tokenize(text, start, end) returns offsets into text and never crosses the range."""
    text = "CAIRO (AP) — U.S. and Arab mediators made progress."
    start = text.index("U.S.")
    end = text.index(" made")
    spans = tokenize(text, start, end)
    assert [text[s:e] for s, e in spans] == ["U.S.", "and", "Arab", "mediators"]
    assert all(start <= s < e <= end for s, e in spans)
    assert tokenize(text, 5, 5) == []


def test_rule_literals_tokenize_like_documents() -> None:
    """A rule's string literal splits the same way as the same words in a document."""
    literal = "Hamas’ cease-fire"
    assert [literal[s:e] for s, e in tokenize(literal)] == ["Hamas", "’", "cease-fire"]


def test_seeds_cover_every_visible_character() -> None:
    """On the seeds, every non-whitespace character belongs to exactly one token."""
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        covered = [False] * len(text)
        for s, e in tokenize(text):
            for k in range(s, e):
                assert not covered[k]
                covered[k] = True
        missing = [c for c, hit in zip(text, covered, strict=True) if not hit and not c.isspace()]
        assert missing == [], path.name


def test_marks_table_holds_only_combining_marks() -> None:
    """Every character in the embedded combining-mark table is a Unicode mark (M*)."""
    table = tokenizer._MARKS
    chars: list[str] = []
    k = 0
    while k < len(table):
        if k + 2 < len(table) and table[k + 1] == "-":
            chars.extend(chr(c) for c in range(ord(table[k]), ord(table[k + 2]) + 1))
            k += 3
        else:
            chars.append(table[k])
            k += 1
    wrong = [c for c in chars if unicodedata.category(c)[0] != "M"]
    assert wrong == []
    # And the common ones are in: acute accent, Arabic fatha, Devanagari vowel sign AA.
    assert {"\u0301", "\u064e", "\u093e"} <= set(chars)


# Fragments of wire copy and awkward characters, so generated text hits every branch.
FRAGMENTS = [
    "U.S.", "U.S.-drafted", "Jan.", "No.", "No. 2", "Mar.", "J.", "Mr.", "a.m.", "Ph.D.",
    "Gov.-elect", "cease-fire", "28,000", "1.4", "70%", "$5", "won't", "we’re", "Israel’s",
    "Hamas’", "Gaza's", "'s", "’", "“", "”", "—", "–", "-", "--", "...", "…", ".", ",", "?",
    "!", "(", ")", "https://ap.org/x.", "http", "www", ":", "@", "a@b.co", "x.com", "#tag",
    "@AP", " ", "  ", "\n",
    "\r\n", "\n\n", "\u00a0", "\t", "\u200b", "\u200d", "\u00ad", "\u0301", "\u064e",
    "\U0001f44d", "\U0001f3fd", "\U0001f1fa", "\ufe0f", "\ud800", "é", "İ", "_", "a", "1",
]  # fmt: skip
wire_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
any_text = st.text(st.characters(blacklist_categories=()), max_size=200)
texts = st.one_of(any_text, wire_text, st.tuples(any_text, wire_text).map("".join))


@settings(max_examples=600, deadline=None)
@given(texts)
@example("Donald J. Trump’s U.S.-drafted cease-fire—28,000\r\n\u00a0people\u0301")
@example("\u200d\u0301 \ufeff x\u200d")
def test_offsets_are_exact_on_any_text(text: str) -> None:
    """On any text, tokens are non-empty, ordered, non-overlapping, whitespace-free and
    together cover every character that is not whitespace or an invisible format mark."""
    spans = tokenize(text)
    prev_end = 0
    covered = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        piece = text[s:e]
        assert not any(c.isspace() for c in piece)
        prev_end = e
        covered += e - s
    gaps = [c for c in text if c.isspace() or c in INVISIBLE]
    # Invisible joiners inside a token are covered; so coverage is at least the rest.
    assert covered >= len(text) - len(gaps)


_GENERAL = re.compile(tokenizer._GENERAL)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_fast_path_changes_nothing(text: str) -> None:
    """The fast-path alternatives give exactly the spans of the general pattern alone."""
    assert tokenize(text) == [m.span() for m in _GENERAL.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 250), st.integers(0, 250))
def test_tokenize_range_stays_inside(text: str, a: int, b: int) -> None:
    """tokenize over a range only returns tokens inside that range."""
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert all(start <= s < e <= end for s, e in tokenize(text, start, end))


def test_long_dotted_run_is_linear() -> None:
    """A long "a.a.a..." run (no spaces) tokenizes quickly: no quadratic backtracking."""
    import time

    text = "a." * 50_000
    t = time.perf_counter()
    tokenize(text)
    assert time.perf_counter() - t < 2.0
