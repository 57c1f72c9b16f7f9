"""Hostile and random input: rule files give rules or evx's own errors with a position, and
document bytes give records or a DocumentError, never anything else.

CI runs a bounded number of examples. The long mode multiplies them:
``EVX_FUZZ=100000 python -m pytest tests/test_fuzz.py -p no:cacheprovider`` runs 100,000
rule-file cases per rule-file test (see docs/security.md for the last counts).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import evx
from evx.lang.parser import grammar_text

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
LONG = int(os.environ.get("EVX_FUZZ", "0"))


def _examples(ci: int) -> int:
    return LONG or ci


FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _load_or_rule_error(folder: Path, text: str) -> evx.RuleSet | None:
    """Load one rule file; the only errors allowed are evx's rule errors, with positions."""
    (folder / "f.rules").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return evx.load(folder / "f.rules")
    except evx.RuleSyntaxError as exc:
        assert exc.pos is not None and exc.code.startswith("E")
    except evx.RuleCheckError as exc:
        assert exc.diagnostics
        assert all(d.pos is not None for d in exc.diagnostics), exc.codes
    return None


# ---------------------------------------------------------------- generated from the grammar


@settings(FUZZ, max_examples=_examples(150))
@given(text=from_lark(Lark(grammar_text(), start="start"), start="start"))
def test_text_the_grammar_describes_loads_or_is_a_rule_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Anything the grammar's tokens can spell, odd Unicode and control characters included."""
    _load_or_rule_error(tmp_path_factory.mktemp("gram"), text)


# ---------------------------------------------------------------- mutated from the packs

_STATEMENTS = [
    chunk.strip()
    for path in sorted(RULES.glob("*.rules"))
    for chunk in re.split(
        r"\n(?=rule |mention |event |lexicon |classify |condition |enum )", path.read_text("utf-8")
    )
    if chunk.strip() and not chunk.lstrip().startswith(("import", "#"))
]
_NASTY = [
    "(" * 300,
    ")" * 300,
    "[" + "!" * 2000 + "punct]",
    "(?= " * 500,
    "not " * 1000,
    "join(" * 800,
    "{0,99999999}",
    "{99999999,}",
    "/(a+)+$/",
    "/(x+x+)+y/",
    "/" + "a?" * 300 + "a" * 300 + "/",
    '"\u202e\u0301\u200d"',
    "\x00",
    "\ufeff",
    "@",
    "->",
    "}",
    "{",
    '"',
    "/",
    "?",
    "*",
    "|",
    ":",
    "=",
    "@Party",
    "@Nope",
    "[]*",
]


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    statements = draw(st.lists(st.sampled_from(_STATEMENTS), min_size=1, max_size=3))
    text = "\n".join(statements)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "bytes"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(_NASTY)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "duplicate":
            text = text[:at] + text[at : at + draw(st.integers(1, 200))] * 2 + text[at:]
        else:
            text = text[:at] + draw(st.text(max_size=20)) + text[at:]
    return text


@settings(FUZZ, max_examples=_examples(150))
@given(text=_mutated())
def test_mutated_pack_rules_load_or_are_rule_errors(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """The shipped rules, cut, doubled and spliced with hostile pieces; when they still
    load, they run on wire copy without an error."""
    rules = _load_or_rule_error(tmp_path_factory.mktemp("mut"), text)
    if rules is not None:
        sample = (
            "Hamas freed 3 hostages on Monday, officials said. aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
        )
        for event in rules.extract(sample):
            assert sample[event.start : event.end] == event.text


# ---------------------------------------------------------------- document bytes


@pytest.fixture(scope="module")
def packs() -> evx.RuleSet:
    """The shipped packs, loaded once."""
    return evx.load(RULES)


@settings(FUZZ, max_examples=_examples(300) // 3 or 100)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(
            st.sampled_from(
                [
                    "Hamas",
                    "freed",
                    "3",
                    "hostages",
                    ",",
                    ".",
                    "\n",
                    "“",
                    "—",
                    "ceasefire",
                    "officials",
                    "said",
                    "\u200b",
                    "\u0301",
                    "Ⅻ",
                    "٣",
                    "e\u0301",
                    "\t",
                    "(AP)",
                ]
            ),
            max_size=400,
        ).map(lambda ws: " ".join(ws).encode("utf-8")),
    )
)
def test_any_document_bytes_give_records_or_a_document_error(
    packs: evx.RuleSet, data: bytes
) -> None:
    """Invalid UTF-8, NUL bytes, odd Unicode, wire-copy soup: records whose offsets hold,
    or a coded DocumentError; nothing else escapes."""
    try:
        events = packs.extract(data, "fuzz")
    except evx.DocumentError as exc:
        assert exc.code.startswith("D")
        return
    text = data.decode("utf-8-sig")
    for event in events:
        assert text[event.start : event.end] == event.text
        event.to_json().encode("utf-8")
