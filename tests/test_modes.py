"""Match modes: which matches of a label are kept, with the meanings users of the peers know."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import evx

# ---------------------------------------------------------------- on wire copy

TEXT = "Hamas freed three Israeli hostages and Israel freed 90 Palestinian prisoners on Monday."


def _spans(rules: evx.RuleSet, text: str, label: str = "E") -> list[str]:
    doc = evx.Document.from_text(text)
    return [doc.span_text(h.start, h.end) for h in rules.annotate(doc).hits[label]]


def _rules(compile_rules: Callable[..., evx.RuleSet], mode: str, match: str) -> evx.RuleSet:
    return compile_rules(f"event E {{ overlap: {mode} }}\nrule r -> E {{ match: {match} }}\n")


GAP = '"freed" [!punct]{0,3} [lemma in { hostage, prisoner }]'


def test_all_reports_every_span_any_path_matches(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """`all` is spaCy's Matcher default: every distinct span, by every path."""
    rules = _rules(compile_rules, "all", GAP)
    assert _spans(rules, TEXT) == [
        "freed three Israeli hostages",
        "freed 90 Palestinian prisoners",
    ]
    rules = _rules(
        compile_rules,
        "all",
        "[lower in { israeli, palestinian }]? [lemma in { hostage, prisoner }]",
    )
    assert _spans(rules, TEXT) == [
        "Israeli hostages",
        "hostages",
        "Palestinian prisoners",
        "prisoners",
    ]


def test_each_reports_the_preferred_match_of_every_start(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """`each`: at every start the match the pattern prefers, overlapping or not."""
    rules = _rules(compile_rules, "each", '[!punct]{1,2}? "freed"')
    # a start inside another start's match still reports its own
    assert _spans(rules, TEXT) == ["Hamas freed", "and Israel freed", "Israel freed"]


def test_longest_keeps_the_longest_of_overlapping_matches(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """`longest`, the default: greedy longest non-overlapping, as spaCy's greedy="LONGEST"."""
    rules = _rules(
        compile_rules,
        "longest",
        "[lower in { israeli, palestinian }]? [lemma in { hostage, prisoner }]",
    )
    assert _spans(rules, TEXT) == ["Israeli hostages", "Palestinian prisoners"]
    rules = compile_rules("event E { }\nrule r -> E { match: [lemma in { hostage, prisoner }] }\n")
    assert _spans(rules, TEXT) == ["hostages", "prisoners"]


def test_leftmost_keeps_the_leftmost_then_longest(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """`leftmost`, as spaCy's greedy="FIRST": the earliest start wins, then the longest there."""
    rules = compile_rules(
        "event E { overlap: leftmost }\n"
        'rule a -> E { match: "three" "Israeli" }\n'
        'rule b -> E { match: "Israeli" "hostages" "and" "Israel" }\n'
    )
    assert _spans(rules, TEXT) == ["three Israeli"]
    rules = compile_rules(
        "event E { overlap: longest }\n"
        'rule a -> E { match: "three" "Israeli" }\n'
        'rule b -> E { match: "Israeli" "hostages" "and" "Israel" }\n'
    )
    assert _spans(rules, TEXT) == ["Israeli hostages and Israel"]


def test_first_scans_left_to_right_and_resumes_after_each_match(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """`first`, as a regex engine's find loop (Odin, TokensRegex): no match inside a match."""
    rules = _rules(compile_rules, "first", "[!punct] [!punct]")
    assert _spans(rules, "Hamas freed three hostages on Monday.") == [
        "Hamas freed",
        "three hostages",
        "on Monday",
    ]
    rules = _rules(compile_rules, "each", "[!punct] [!punct]")
    assert len(_spans(rules, "Hamas freed three hostages on Monday.")) == 5


def test_empty_matches_are_never_reported_and_the_pattern_is_a_warning(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """A pattern that can match nothing loads with a warning (W304); only non-empty spans."""
    rules = _rules(compile_rules, "all", '"freed"? [lemma=hostage]?')
    assert [w.code for w in rules.warnings] == ["W304"]
    spans = _spans(rules, TEXT)
    assert spans and all(spans)
    assert "freed" in spans


# ---------------------------------------------------------------- against a brute force

WORDS = {"a": "a", "b": "b", "c": "c", "free": "f", "freed": "F", ",": ","}
_LEAVES = {
    '"a"': "a",
    '"b"': "b",
    "[lower in {b, c}]": "[bc]",
    "[!lower=a]": "[^a]",
    "[lemma=free]": "[fF]",
    "[punct]": ",",
    "[!punct]": "[^,]",
    "[]": ".",
}


def _extend(inner: st.SearchStrategy[tuple[str, str]]) -> st.SearchStrategy[tuple[str, str]]:
    quant = st.sampled_from([("?", "?"), ("*", "*"), ("+", "+"), ("{1,2}", "{1,2}"), ("*?", "*")])
    return st.one_of(
        st.tuples(inner, inner).map(lambda t: (f"{t[0][0]} {t[1][0]}", t[0][1] + t[1][1])),
        st.tuples(inner, inner).map(
            lambda t: (f"({t[0][0]} | {t[1][0]})", f"(?:{t[0][1]}|{t[1][1]})")
        ),
        st.tuples(inner, quant).map(lambda t: (f"({t[0][0]}){t[1][0]}", f"(?:{t[0][1]}){t[1][1]}")),
    )


PATTERNS = st.recursive(st.sampled_from(sorted(_LEAVES.items())), _extend, max_leaves=6)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pattern=PATTERNS,
    words=st.lists(st.sampled_from(sorted(WORDS)), min_size=1, max_size=10),
    captured=st.booleans(),
)
def test_all_and_leftmost_find_what_a_full_match_search_finds(
    compile_rules: Callable[..., evx.RuleSet],
    pattern: tuple[str, str],
    words: list[str],
    captured: bool,
) -> None:
    """Every span (s, e) whose tokens the pattern matches exactly, by any path: `all` reports
    all of them, `leftmost` the leftmost-longest non-overlapping ones."""
    evx_pattern, regex = pattern
    if captured:
        evx_pattern = f"x:({evx_pattern})"
    line = "".join(WORDS[w] for w in words)
    spans = {
        (s, e)
        for s in range(len(line))
        for e in range(s + 1, len(line) + 1)
        if re.fullmatch(regex, line[s:e])
    }
    doc = evx.Document.from_tokens(words, sentence_starts=[0])
    for mode in ("all", "leftmost"):
        rules = compile_rules(
            f"event E {{ x: str?  overlap: {mode} }}\nrule r -> E {{ match: {evx_pattern} }}\n"
        )
        got = [(h.start, h.end) for h in rules.annotate(doc).hits["E"]]
        if mode == "all":
            assert sorted(got) == sorted(spans)
        else:
            expected: list[tuple[int, int]] = []
            for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
                if all(e <= ks or s >= ke for ks, ke in expected):
                    expected.append((s, e))
            assert got == sorted(expected)
    assume(spans)


@pytest.mark.parametrize("mode", ["longest", "leftmost", "first", "each", "all"])
def test_every_mode_is_accepted_and_an_unknown_one_is_an_error(
    compile_rules: Callable[..., evx.RuleSet], mode: str
) -> None:
    """The five modes load; anything else is E303 with the list."""
    _rules(compile_rules, mode, '"freed"')
    with pytest.raises(evx.RuleCheckError, match="E303"):
        _rules(compile_rules, "greedy", '"freed"')
