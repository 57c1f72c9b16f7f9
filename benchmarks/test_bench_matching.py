"""pytest-benchmark suites over the matching core, with spaCy's matchers as peers.

Run with ``pytest benchmarks/ --benchmark-only``; results print as one table per group.
Inputs are the shared 100k-token corpus and 10/100/1,000-pattern sets (see ``conftest``).
Every benchmark times one pass over its input with ``benchmark.pedantic`` and a fixed,
modest number of rounds, after one warm-up round (evx and spaCy both memoise per-word
data; the warm-up keeps first-pass costs out of the figures). The linear-time runs need no
warm-up: each starts from fresh VM memos.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

import evx
from bench_inputs import DEFAULT_SIZES, CorpusDoc
from workloads import (
    LINEAR_SIZES,
    PATHOLOGICAL_RULES,
    SpacyHelpers,
    evx_annotate,
    evx_extract,
    evx_tokenize,
    load_rules_text,
    pathological_program,
    pathological_sentence,
    phrase_matcher,
    spacy_match,
    spacy_matcher,
    spacy_tokenize,
    vm_search,
    wire_words,
)

if TYPE_CHECKING:
    from pytest_benchmark.fixture import BenchmarkFixture
    from spacy.language import Language
    from spacy.tokens import Doc

pytest.importorskip(
    "pytest_benchmark", reason="pytest-benchmark is not installed (pip install -e '.[bench]')"
)

# rounds per pass size: spaCy's Matcher takes about 10 s a pass with 1,000 patterns
ROUNDS = {10: 5, 100: 5, 1000: 3}
TOKENIZE_ROUNDS = 5
LINEAR_ROUNDS = 5
E2E_ROUNDS = 3

Patterns = dict[int, list[dict[str, Any]]]
T = TypeVar("T")


def _timed(
    benchmark: BenchmarkFixture,
    fn: Callable[..., T],
    *args: object,
    rounds: int,
    warmup: int = 1,
) -> T:
    """Time ``fn(*args)``: ``rounds`` rounds of one call each, after ``warmup`` untimed ones."""
    result: T = benchmark.pedantic(  # type: ignore[no-untyped-call]
        fn, args=args, rounds=rounds, iterations=1, warmup_rounds=warmup
    )
    return result


def _tokens(corpus: list[CorpusDoc]) -> int:
    return sum(d.ntok for d in corpus)


# ---------------------------------------------------------------- 1. tokenization


def test_tokenize_evx(benchmark: BenchmarkFixture, corpus: list[CorpusDoc]) -> None:
    """evx's Document.from_text: tokens, sentences, header, lower/lemma/shape columns."""
    benchmark.group = "tokenize: 100k-token corpus"
    docs = _timed(benchmark, evx_tokenize, corpus, rounds=TOKENIZE_ROUNDS)
    benchmark.extra_info.update(
        spacy_tokens=_tokens(corpus), evx_tokens=sum(len(d) for d in docs), docs=len(docs)
    )


def test_tokenize_spacy(
    benchmark: BenchmarkFixture, nlp: Language, corpus: list[CorpusDoc]
) -> None:
    """The peer: spaCy's blank English tokenizer (make_doc, no pipeline components)."""
    benchmark.group = "tokenize: 100k-token corpus"
    docs = _timed(benchmark, spacy_tokenize, nlp, corpus, rounds=TOKENIZE_ROUNDS)
    benchmark.extra_info.update(spacy_tokens=sum(len(d) for d in docs), docs=len(docs))


# ---------------------------------------------------------------- 2. matching


@pytest.mark.parametrize("n", DEFAULT_SIZES)
def test_match_evx(
    benchmark: BenchmarkFixture,
    n: int,
    evx_rulesets: dict[int, evx.RuleSet],
    evx_docs: list[evx.Document],
) -> None:
    """evx's matcher (RuleSet.annotate: prefilter, VM, overlap policy) on pre-tokenized docs."""
    benchmark.group = f"match: {n} rules"
    kept = _timed(benchmark, evx_annotate, evx_rulesets[n], evx_docs, rounds=ROUNDS[n])
    benchmark.extra_info.update(rules=n, matches=kept)


@pytest.mark.parametrize("n", DEFAULT_SIZES)
def test_match_spacy_matcher(
    benchmark: BenchmarkFixture,
    n: int,
    nlp: Language,
    pattern_sets: Patterns,
    spacy_helpers: SpacyHelpers,
    spacy_docs: list[Doc],
) -> None:
    """The peer: spaCy's token Matcher with every pattern, on pre-made docs."""
    benchmark.group = f"match: {n} rules"
    matcher = spacy_matcher(nlp, pattern_sets[n], spacy_helpers)
    found = _timed(benchmark, spacy_match, matcher, spacy_docs, rounds=ROUNDS[n])
    benchmark.extra_info.update(rules=n, matches=found)


@pytest.mark.parametrize("n", DEFAULT_SIZES)
def test_match_spacy_phrasematcher(
    benchmark: BenchmarkFixture,
    n: int,
    nlp: Language,
    pattern_sets: Patterns,
    spacy_helpers: SpacyHelpers,
    spacy_docs: list[Doc],
) -> None:
    """The indexed peer: spaCy's PhraseMatcher (LOWER) with the literal patterns only."""
    benchmark.group = f"match: {n} rules"
    matcher = phrase_matcher(nlp, pattern_sets[n], spacy_helpers)
    found = _timed(benchmark, spacy_match, matcher, spacy_docs, rounds=ROUNDS[n])
    benchmark.extra_info.update(rules=n, literal_rules=len(matcher), matches=found)


# ---------------------------------------------------------------- 3. linear time


@pytest.fixture(scope="module")
def pathological(tmp_path_factory: pytest.TempPathFactory) -> evx.RuleSet:
    """The nested-star rule around a literal that never occurs."""
    return load_rules_text(PATHOLOGICAL_RULES, tmp_path_factory.mktemp("blow"), "blow.rules")


@pytest.fixture(scope="module")
def words() -> list[str]:
    """Wire-copy words from the shared seed articles."""
    return wire_words()


def _sentence(n: int, words: list[str]) -> evx.Document:
    doc = pathological_sentence(n, words)
    doc.column("punct")  # flag columns are computed on first use: keep that out of the timing
    return doc


@pytest.mark.parametrize("n", LINEAR_SIZES)
def test_pathological_vm(
    benchmark: BenchmarkFixture, n: int, pathological: evx.RuleSet, words: list[str]
) -> None:
    """The VM straight on one n-token sentence: time should grow linearly with n."""
    benchmark.group = "linear time: nested stars around a missing literal"
    prog = pathological_program(pathological)
    doc = _sentence(n, words)
    solved = _timed(benchmark, vm_search, prog, doc, rounds=LINEAR_ROUNDS, warmup=0)
    benchmark.extra_info.update(tokens=n, states=prog.size, pairs_solved=solved)
    assert solved <= prog.size * (n + 1)


def test_pathological_prefiltered(
    benchmark: BenchmarkFixture, pathological: evx.RuleSet, words: list[str]
) -> None:
    """The normal annotate path on the longest sentence: the prefilter skips it outright."""
    benchmark.group = "linear time: nested stars around a missing literal"
    n = max(LINEAR_SIZES)
    doc = _sentence(n, words)
    annotation = _timed(benchmark, pathological.annotate, doc, rounds=LINEAR_ROUNDS, warmup=0)
    benchmark.extra_info.update(tokens=n)
    assert annotation.raw_counts == {"blow.rules:nested": 0}


# ---------------------------------------------------------------- 4. end to end


def test_extract_shipped_rules_documents(
    benchmark: BenchmarkFixture, shipped_rules: evx.RuleSet, evx_docs: list[evx.Document]
) -> None:
    """RuleSet.extract with the shipped rule packs on pre-tokenized documents."""
    benchmark.group = "end-to-end: shipped rules over the corpus"
    events = _timed(benchmark, evx_extract, shipped_rules, evx_docs, rounds=E2E_ROUNDS)
    benchmark.extra_info.update(rules=len(shipped_rules.rule_names), events=events)


def test_extract_shipped_rules_texts(
    benchmark: BenchmarkFixture, shipped_rules: evx.RuleSet, corpus: list[CorpusDoc]
) -> None:
    """RuleSet.extract with the shipped rule packs on raw texts (tokenization included)."""
    benchmark.group = "end-to-end: shipped rules over the corpus"
    texts = [d.text for d in corpus]
    events = _timed(benchmark, evx_extract, shipped_rules, texts, rounds=E2E_ROUNDS)
    benchmark.extra_info.update(rules=len(shipped_rules.rule_names), events=events)
