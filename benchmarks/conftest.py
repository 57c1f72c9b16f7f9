"""Session fixtures for the benchmarks: the shared corpus and pattern sets, built once.

The inputs come from the shared deterministic generators (see ``bench_inputs``), run with
the current interpreter and cached under ``build/bench/``. Everything that needs spaCy
(the generators and the peer matchers) is skipped, with the reason, when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import evx
from bench_inputs import (
    DEFAULT_SIZES,
    DEFAULT_TOKENS,
    REPO,
    CorpusDoc,
    corpus_file,
    load_corpus,
    patterns_file,
    spacy_missing_reason,
)
from translate import load_patterns
from workloads import SpacyHelpers, evx_ruleset, evx_tokenize, spacy_nlp, spacy_tokenize

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@pytest.fixture(scope="session")
def spacy_ready() -> None:
    """Skip whatever needs spaCy when it is not installed."""
    reason = spacy_missing_reason()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus(spacy_ready: None) -> list[CorpusDoc]:
    """The shared news corpus of about 100,000 tokens (spaCy blank-English count)."""
    return load_corpus(corpus_file(DEFAULT_TOKENS))


@pytest.fixture(scope="session")
def pattern_sets(spacy_ready: None) -> dict[int, list[dict[str, Any]]]:
    """The shared nested pattern sets of 10, 100 and 1,000 patterns, by size."""
    return {n: load_patterns(patterns_file(n, DEFAULT_SIZES)) for n in DEFAULT_SIZES}


@pytest.fixture(scope="session")
def evx_docs(corpus: list[CorpusDoc]) -> list[evx.Document]:
    """The corpus tokenized by evx, once, outside any timed part."""
    return evx_tokenize(corpus)


@pytest.fixture(scope="session")
def evx_rulesets(
    pattern_sets: dict[int, list[dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory
) -> dict[int, evx.RuleSet]:
    """Each pattern set translated to evx rules, loaded and compiled."""
    directory = tmp_path_factory.mktemp("bench-rules")
    return {n: evx_ruleset(patterns, directory) for n, patterns in pattern_sets.items()}


@pytest.fixture(scope="session")
def nlp(spacy_ready: None) -> Language:
    """spaCy's blank English pipeline (tokenizer only)."""
    return spacy_nlp()


@pytest.fixture(scope="session")
def spacy_docs(nlp: Language, corpus: list[CorpusDoc]) -> list[Doc]:
    """The corpus tokenized by spaCy, once, outside any timed part."""
    return spacy_tokenize(nlp, corpus)


@pytest.fixture(scope="session")
def spacy_helpers(spacy_ready: None) -> SpacyHelpers:
    """The shared generator's translators to spaCy patterns."""
    return SpacyHelpers()


@pytest.fixture(scope="session")
def shipped_rules() -> evx.RuleSet:
    """The rule packs shipped in the repository's ``rules/`` folder (skipped if unusable)."""
    rules_dir: Path = REPO / "rules"
    if not any(rules_dir.rglob("*.rules")):
        pytest.skip(f"no shipped rule files under {rules_dir}")
    try:
        rules = evx.load(rules_dir)
    except evx.EvxError as exc:
        pytest.skip(f"the shipped rules in {rules_dir} do not load: {exc}")
    if not rules.rule_names:
        pytest.skip(f"the shipped rules in {rules_dir} define no rules")
    return rules
