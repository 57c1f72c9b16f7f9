"""Token regexes run in linear time with Python's syntax and Unicode classes, or are refused."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evx
from evx.lang.regex import RegexError, compile_regex


def test_a_catastrophic_pattern_answers_at_once() -> None:
    """/^(a+)+$/ on a long word: exponential for a backtracking engine, linear here."""
    rx = compile_regex("^(a+)+$")
    word = "a" * 5000 + "b"
    start = time.process_time()
    assert rx.search(word) is None
    assert rx.search("a" * 5000) is not None
    # a generous bound: a backtracking engine would not finish in a lifetime
    assert time.process_time() - start < 5


@pytest.mark.parametrize(
    ("pattern", "word", "found"),
    [
        (r"^\d+$", "٣٤", True),  # Arabic-Indic digits are digits, as for Python
        (r"^\w+$", "Gaza’s"[:4], True),
        (r"^\w+$", "Zaporizhzhia", True),
        (r"^\w+$", "Київ", True),
        (r"^\W$", "—", True),
        (r"^[\w-]+$", "cease-fire", True),
        (r"^\s$", "\u00a0", True),
        (r"^\S+$", "x", True),
        (r"^[^\d]+$", "abc", True),
        (r"n't$", "won't", True),
        (r"^(19|20)\d\d$", "2025", True),
    ],
)
def test_classes_mean_what_they_mean_in_python(pattern: str, word: str, found: bool) -> None:
    """\\w, \\d and \\s are Unicode, as in Python's re (RE2's own are ASCII)."""
    assert (compile_regex(pattern).search(word) is not None) is found
    assert (re.search(pattern, word) is not None) is found


def test_flags_apply() -> None:
    """/.../i ignores case."""
    assert compile_regex("^hamas$", "i").search("HAMAS") is not None
    assert compile_regex("^hamas$").search("HAMAS") is None


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(a)\1", "backreferences"),
        (r"(?=a)a", "lookarounds"),
        (r"\bword\b", "word boundary"),
        (r"[\W\d]", "inside [...]"),
        (r"(unclosed", "missing"),
    ],
)
def test_what_needs_backtracking_is_refused_with_a_reason(pattern: str, why: str) -> None:
    """The error says why, so the checker can report it at the regex's position."""
    with pytest.raises(RegexError, match=re.escape(why) if why != "missing" else "missing"):
        compile_regex(pattern)


def test_a_refused_regex_is_a_rule_error_with_its_position(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """E302 at the token test, not a crash or a hang at run time."""
    with pytest.raises(evx.RuleCheckError) as caught:
        compile_rules('event E { }\nrule r -> E {\n  match: "a" [text=/(x+)\\1/]\n}\n')
    (diag,) = caught.value.diagnostics
    assert diag.code == "E302"
    assert diag.pos is not None and (diag.pos.line, diag.pos.column) == (3, 15)


_PIECES = st.sampled_from(
    ["a", "b", "é", "1", "٣", "-", ".", r"\w", r"\d", r"\s", r"\W", r"\D", r"[\w-]", "[^a]", "."]
)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(_PIECES, st.sampled_from(["", "+", "*", "?", "{1,2}"])), min_size=1, max_size=4
    ),
    anchors=st.sampled_from(["^{}$", "^{}", "{}$", "{}"]),
    word=st.text(alphabet="abé1٣-. \u00a0ZÉ", min_size=0, max_size=8),
    flags=st.sampled_from(["", "i"]),
)
def test_rewritten_regexes_agree_with_python(
    parts: list[tuple[str, str]], anchors: str, word: str, flags: str
) -> None:
    """On patterns both engines accept, RE2 finds a match exactly when Python's re does."""
    pattern = anchors.format("".join(p + q for p, q in parts))
    expected = re.search(pattern, word, re.IGNORECASE if flags else 0) is not None
    assert (compile_regex(pattern, flags).search(word) is not None) is expected
