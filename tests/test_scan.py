"""The scanner and the fast paths find exactly what the VM finds when it is tried at every token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import evx
from evx.match import ends
from evx.match.compiler import CompiledRuleSet
from evx.match.context import DocContext, LabelTable
from evx.match.matcher import Hit, resolve_overlaps
from evx.match.scope import MatchScope
from evx.match.supplied import external_tables
from evx.match.vm import Match, Run

WORDS = ["a", "b", "c", "free", "freed", ","]

_leaf = st.sampled_from(
    [
        '"a"',
        '"b"',
        '"c" "a"',
        "[lower=a]",
        "[lower in {b, c}]",
        "[!lower=a]",
        "[lemma=free]",
        "[punct]",
        "[!punct]",
        "[]",
        "[lower=/^[ab]$/]",
        "lex",
        '{ a, "b c" }',
        "@M",
        "[@M]",
        "[!@M & lower=a]",
        "[@M | punct]",
    ]
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, inner).map(lambda t: f"{t[0]} {t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} | {t[1]})"),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{1,2}", "{0,2}?", "*?", "+?"])).map(
            lambda t: f"({t[0]}){t[1]}"
        ),
        st.tuples(st.sampled_from(["x", "y"]), inner).map(lambda t: f"{t[0]}:({t[1]})"),
        st.tuples(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!"]), inner).map(
            lambda t: f"{t[0]} {t[1]})"
        ),
        st.sampled_from(["^", "$"]).flatmap(lambda a: inner.map(lambda i: f"{a} {i}")),
    )


PATTERNS = st.recursive(_leaf, _extend, max_leaves=6)


def _rules_text(mention: str, patterns: list[str], policy: str) -> str:
    lines = [
        'lexicon lex = { a, "b c", "c free b", freed }',
        f"mention M {{ match: {mention}  overlap: {policy} }}",
        f"event E {{ x: str?  y: str?  overlap: {policy} }}",
    ]
    lines += [f"rule r{i} -> E {{ match: {p} }}" for i, p in enumerate(patterns)]
    return "\n".join(lines) + "\n"


def _reference(compiled: CompiledRuleSet, doc: evx.Document) -> dict[str, list[Any]]:
    """The matcher without scanner or fast paths: every rule tried at every token."""
    ctx = DocContext(doc)
    ctx.labels.update(external_tables(compiled, doc))
    out: dict[str, list[Any]] = {}
    for label, rule_ids in compiled.stages:
        found: list[Hit] = []
        for rule_id in rule_ids:
            rule = compiled.rules[rule_id]
            for sentence, (lo, hi) in enumerate(doc.sentences):
                for match in Run(ctx, lo, hi, lo, hi).search(rule.program):
                    scope = MatchScope(ctx, rule, match, (lo, hi))
                    if rule.where is not None and not rule.where(scope):
                        continue
                    found.append(Hit(rule, sentence, match))
        kept = resolve_overlaps(found, compiled.schemas[label].overlap)
        ctx.labels[label] = LabelTable.build([(h.start, h.end, None) for h in kept])
        out[label] = [(h.rule.name, h.start, h.end, h.match.captures) for h in kept]
    return out


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mention=st.sampled_from(['"a"', "[lower in {b, c}] [lower=a]?", '"free" | "c"', "lex"]),
    patterns=st.lists(PATTERNS, min_size=1, max_size=3),
    policy=st.sampled_from(["longest", "each", "first"]),
    sentences=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=9), max_size=3),
)
def test_scanner_finds_what_the_vm_finds_everywhere(
    compile_rules: Callable[..., evx.RuleSet],
    mention: str,
    patterns: list[str],
    policy: str,
    sentences: list[list[str]],
) -> None:
    """Random patterns (lexicons, labels, tests that read labels, lookarounds, lazy
    repeats) on random sentences."""
    try:
        rules = compile_rules(_rules_text(mention, patterns, policy))
    except evx.RuleCheckError:
        assume(False)  # a pattern that can match nothing at all, say
        raise
    words = [w for s in sentences for w in s] or ["a"]
    starts, at = [], 0
    for s in sentences:
        starts.append(at)
        at += len(s)
    doc = evx.Document.from_tokens(words, sentence_starts=[p for p in starts if p < len(words)])
    annotation = rules.annotate(doc)
    got = {
        label: [(h.rule.name, h.start, h.end, h.match.captures) for h in hits]
        for label, hits in annotation.hits.items()
    }
    assert got == _reference(rules.compiled, doc)


@given(
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.integers(0, 2)), max_size=40)
)
def test_longest_overlap_sweep_equals_pairwise_comparison(
    spans: list[tuple[int, int, int]],
) -> None:
    """Sorting and sweeping keeps the same hits as comparing each with every kept span."""

    class _Rule:
        def __init__(self, order: int) -> None:
            self.checked = type("C", (), {"order": order})()
            self.order = order

    hits = [Hit(_Rule(o), 0, Match(s, s + w, ())) for s, w, o in spans]  # type: ignore[arg-type]
    by_length = sorted(
        sorted(hits, key=lambda h: (h.start, -h.end, h.rule.checked.order)),
        key=lambda h: (-(h.end - h.start), h.start, h.rule.checked.order),
    )
    taken: list[tuple[int, int]] = []
    expected: list[Hit] = []
    for hit in by_length:
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        taken.append((hit.start, hit.end))
        expected.append(hit)
    expected.sort(key=lambda h: (h.start, h.end))
    assert resolve_overlaps(hits, "longest") == expected


_plain_leaf = st.sampled_from(
    [
        '"a"',
        '"b"',
        "[lower in {b, c}]",
        "[!lower=a]",
        "[lemma=free]",
        "[punct]",
        "[]",
        "[@P]",
        "[@P & !punct]",
    ]
)


def _plain_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, inner).map(lambda t: f"{t[0]} {t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} | {t[1]})"),
        st.tuples(inner, st.sampled_from(["?", "*", "+", "{1,2}", "{0,2}?", "*?", "+?", "??"])).map(
            lambda t: f"({t[0]}){t[1]}"
        ),
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pattern=st.recursive(_plain_leaf, _plain_extend, max_leaves=7),
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    walk=st.sampled_from([2, 48]),
    spans=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 4)), max_size=4),
)
def test_plain_rules_end_where_the_vm_prefers(
    compile_rules: Callable[..., evx.RuleSet],
    monkeypatch: pytest.MonkeyPatch,
    pattern: str,
    words: list[str],
    walk: int,
    spans: list[tuple[int, int]],
) -> None:
    """Greedy, lazy and alternative choices: the leftmost-first DFA ends where backtracking
    does, and hands long walks (made short here) to the VM without changing the result;
    a test that reads an outside label (`[@P]`) stays plain."""
    monkeypatch.setattr(ends, "MAX_WALK", walk)
    try:
        rules = compile_rules(
            f"external mention P\nevent E {{ overlap: each }}\nrule r -> E {{ match: {pattern} }}\n"
        )
    except evx.RuleCheckError:
        assume(False)
        raise
    (rule,) = rules.compiled.rules
    assume(rule.ends is not None or rule.fixed)
    n = len(words)
    mentions = [("P", s, min(s + w, n)) for s, w in spans if s < n]
    doc = evx.Document.from_tokens(words, sentence_starts=[0], mentions=mentions)
    got = [(h.start, h.end) for h in rules.annotate(doc).hits["E"]]
    expected = _reference(rules.compiled, doc)["E"]
    assert got == [(s, e) for _name, s, e, _captures in expected]


LABELLED_WHERE = """
mention Side { match: { israel, hamas } }
event Deal { }
rule deal -> Deal { match: x:"truce" where: sentence(x) has @Side }
rule deal2 -> Deal { match: x:"accord" where: sentence(x) has @Side }
"""


def test_a_labelled_condition_scans_only_the_sentences_it_is_asked_about(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """`where: sentence(x) has @Side` is asked in the sentences `truce` occurs in: the
    scan for `@Side` looks at those, not at the whole document; the same pattern written
    twice is one program, scanned for once."""
    rules = compile_rules(LABELLED_WHERE)
    assert len(rules.compiled.conditions.labelled) == 1  # two `has @Side`, one program
    filler = " ".join(["Israel and Hamas met on Monday."] * 40)
    text = f"{filler} The truce held, Israel said. {filler} An accord was near."
    annotation = rules.annotate(text)
    assert [h.rule.name for h in annotation.hits["Deal"]] == ["deal"]
    conditions = annotation.ctx.conditions
    [per_sentence] = conditions._labelled.values()
    assert sorted(per_sentence) == [40, 81]  # the two sentences of `truce` and `accord`
