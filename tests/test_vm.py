"""The pattern VM: work is bounded by states × tokens whatever the pattern (counted, not timed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import evx
from evx.match.context import DocContext
from evx.match.vm import Run

Compile = Callable[..., evx.RuleSet]

WIRE = [
    "Israel",
    "and",
    "Hamas",
    "are",
    "making",
    "progress",
    "toward",
    "a",
    "deal",
    "that",
    "aims",
    "to",
    "bring",
    "about",
    "a",
    "cease-fire",
    "and",
    "free",
    "hostages",
    "held",
    "in",
    "the",
    "war-ravaged",
    "Gaza",
    "Strip",
    "according",
    "to",
    "two",
    "officials",
    "with",
    "direct",
    "knowledge",
    "of",
    "the",
    "talks",
]

BLOWUP = (
    "event Blow { x: str? }\n"
    'rule nested -> Blow { match: ( ([]* []+)* []{0,5} ( [!punct]+ | []*? )* )+ "zzzneverzzz" }\n'
)


def _sentence(n: int) -> evx.Document:
    words = (WIRE * (n // len(WIRE) + 1))[:n]
    return evx.Document.from_tokens(words, sentence_starts=[0])


@pytest.mark.parametrize("n", [500, 1000, 2000])
def test_nested_stars_around_a_missing_literal_do_linear_work(
    compile_rules: Compile, n: int
) -> None:
    """A pattern built to make a backtracking matcher explode solves each (state, position) once."""
    rules = compile_rules(BLOWUP)
    prog = rules.compiled.rules[0].program
    doc = _sentence(n)
    run = Run(DocContext(doc), 0, n, 0, n)
    assert run.search(prog) == []
    memo, _why = run.memos[id(prog)]
    assert len(memo) <= prog.size * (n + 1)


def test_prefilter_skips_sentences_without_the_required_literal(compile_rules: Compile) -> None:
    """A rule whose literal never occurs is not run at all (no match attempts recorded)."""
    rules = compile_rules(BLOWUP)
    annotation = rules.annotate(_sentence(3000))
    assert annotation.raw_counts == {"test.rules:nested": 0}
    assert annotation.hits["Blow"] == []


def test_preferred_match_is_independent_of_other_starts(compile_rules: Compile) -> None:
    """Memoised states shared between start positions do not change any start's match."""
    rules = compile_rules(
        "event E { a: str? }\n"
        "rule r -> E { match: a:([lemma=official] []*? [lemma=say]) }\n"
        "event F { a: str?  overlap: all }\n"
        "rule f -> F { match: a:([] []*? [lemma=say]) }\n"
    )
    text = "One official in Cairo and another official in Doha said talks said more."
    doc = evx.Document.from_text(text)
    prog = rules.compiled.rules[1].program
    shared = Run(DocContext(doc), 0, len(doc), 0, len(doc))
    together = [m.end for m in shared.search(prog)]
    alone = []
    for i in range(len(doc)):
        found = Run(DocContext(doc), 0, len(doc), 0, len(doc)).match_at(prog, i)
        if found is not None:
            alone.append(found.end)
    assert together == alone
