"""What the benchmarks time, shared by the pytest-benchmark suites and ``compare.py``.

Each workload is built outside the timed part (documents tokenized, rules compiled,
matchers filled) and then run by a small function that returns a count, so a benchmark
times exactly one pass of one engine and a reader can check that the engines did the work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import evx
from bench_inputs import CorpusDoc, load_shared_module, shared_dir
from translate import translate

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    from evx.match.automaton import Program

__all__ = [
    "LINEAR_SIZES",
    "PATHOLOGICAL_PATTERN",
    "PATHOLOGICAL_RULES",
    "SpacyHelpers",
    "evx_annotate",
    "evx_extract",
    "evx_ruleset",
    "evx_tokenize",
    "load_rules_text",
    "pathological_program",
    "pathological_sentence",
    "phrase_matcher",
    "spacy_match",
    "spacy_matcher",
    "spacy_nlp",
    "spacy_tokenize",
    "vm_search",
    "wire_words",
]

PATHOLOGICAL_PATTERN: Final = '( ([]* []+)* []{0,5} ( [!punct]+ | []*? )* )+ "zzzneverzzz"'
"""Nested stars and gaps around a literal that never occurs: exponential for a backtracker."""

PATHOLOGICAL_RULES: Final = (
    f"event Blow {{ overlap: all }}\nrule nested -> Blow {{ match: {PATHOLOGICAL_PATTERN} }}\n"
)
"""A rule file with the pathological pattern as its one rule."""

LINEAR_SIZES: Final = (1000, 2000, 4000, 5000)
"""Sentence lengths (tokens) the pathological pattern is run on."""

Patterns = Sequence[Mapping[str, Any]]


# ---------------------------------------------------------------- evx


def load_rules_text(text: str, directory: Path, name: str) -> evx.RuleSet:
    """Write rule text to ``directory/name`` and load it (evx loads rules from files)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return evx.load(path)


def evx_ruleset(patterns: Patterns, directory: Path) -> evx.RuleSet:
    """The translated rules of a pattern set, loaded and compiled."""
    return load_rules_text(translate(patterns), directory, f"bench_{len(patterns)}.rules")


def evx_tokenize(corpus: Sequence[CorpusDoc]) -> list[evx.Document]:
    """Tokenize, split and annotate (lower, lemma, shape) every corpus text."""
    return [evx.Document.from_text(d.text, str(d.id)) for d in corpus]


def evx_annotate(rules: evx.RuleSet, docs: Sequence[evx.Document]) -> int:
    """Run the matcher only (prefilter, VM, overlap policy) over pre-tokenized documents."""
    kept = 0
    for doc in docs:
        for hits in rules.annotate(doc).hits.values():
            kept += len(hits)
    return kept


def evx_extract(rules: evx.RuleSet, inputs: Sequence[evx.Document] | Sequence[str]) -> int:
    """The whole pipeline after loading: match, build typed records (and tokenize texts)."""
    return sum(len(rules.extract(item)) for item in inputs)


def wire_words() -> list[str]:
    """The tokens of the shared seed articles, in order: realistic wire-copy words."""
    words: list[str] = []
    for path in sorted((shared_dir() / "seeds").glob("*.txt")):
        words.extend(evx.Document.from_text(path.read_text(encoding="utf-8")).words)
    if not words:
        raise RuntimeError(f"no seed articles under {shared_dir() / 'seeds'}")
    return words


def pathological_sentence(n: int, words: Sequence[str]) -> evx.Document:
    """One sentence of exactly ``n`` tokens, cycling through ``words``."""
    cycled = [words[i % len(words)] for i in range(n)]
    return evx.Document.from_tokens(cycled, sentence_starts=[0], doc_id=f"sentence-{n}")


def pathological_program(rules: evx.RuleSet) -> Program:
    """The compiled program of the one rule in :data:`PATHOLOGICAL_RULES`."""
    (rule,) = rules.compiled.rules
    return rule.program


def vm_search(prog: Program, doc: evx.Document) -> int:
    """Search the whole document as one region straight through the VM (no prefilter).

    A fresh :class:`Run` each time, so every pass starts with empty memos. Returns the
    number of (state, position) pairs solved: the work done, bounded by states x tokens.
    """
    # imported here, not at the top: the VM is an internal of the matching core, and the
    # other workloads (and benchmarks/peers.py) only use evx's public API
    from evx.match.context import DocContext
    from evx.match.vm import Run

    n = len(doc)
    run = Run(DocContext(doc), 0, n, 0, n)
    if run.search(prog):
        raise AssertionError("the pathological pattern matched: its literal must never occur")
    return len(run.memos[id(prog)][0])


# ---------------------------------------------------------------- spaCy


def spacy_nlp() -> Language:
    """spaCy's blank English pipeline: the tokenizer alone, nothing downloaded."""
    import spacy

    return spacy.blank("en")


def spacy_tokenize(nlp: Language, corpus: Sequence[CorpusDoc]) -> list[Doc]:
    """spaCy's tokenization of every corpus text (``make_doc``: no pipeline components)."""
    return [nlp.make_doc(d.text) for d in corpus]


class SpacyHelpers:
    """The shared generator's spaCy translators (``to_spacy``, ``is_literal``)."""

    def __init__(self) -> None:
        module = load_shared_module("patterns")
        self.to_spacy: Callable[[Mapping[str, Any]], list[dict[str, Any]]] = module.to_spacy
        self.is_literal: Callable[[Mapping[str, Any]], bool] = module.is_literal


def spacy_matcher(
    nlp: Language, patterns: Patterns, helpers: SpacyHelpers, greedy: str | None = None
) -> Matcher:
    """spaCy's token ``Matcher`` with every pattern, keyed by pattern id.

    ``greedy`` is passed to ``Matcher.add`` for every pattern: None (the default) reports
    every match of every length, ``"LONGEST"`` only the longest non-overlapping ones.
    """
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    for p in patterns:
        matcher.add(str(p["id"]), [helpers.to_spacy(p)], greedy=greedy)
    return matcher


def phrase_matcher(nlp: Language, patterns: Patterns, helpers: SpacyHelpers) -> PhraseMatcher:
    """spaCy's ``PhraseMatcher`` on lower-cased text with the literal patterns only.

    Each phrase is built from the pattern's own tokens, so it matches exactly the token
    sequences the ``Matcher`` pattern ``[{"LOWER": w}, ...]`` matches.
    """
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for p in patterns:
        if helpers.is_literal(p):
            words = [str(t["lower"]) for t in p["tokens"]]
            matcher.add(str(p["id"]), [Doc(nlp.vocab, words=words)])
    return matcher


def spacy_match(matcher: Matcher | PhraseMatcher, docs: Sequence[Doc]) -> int:
    """Run a spaCy matcher over pre-made docs; the number of (id, start, end) matches."""
    return sum(len(matcher(doc)) for doc in docs)
