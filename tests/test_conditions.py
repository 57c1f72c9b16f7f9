"""Named conditions: `condition name(param) = cond`, called wherever a condition goes, is its
body written in place with the parameter bound to the capture it is called with."""

from __future__ import annotations

import io
import pickle
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import evx
from evx.cli import main
from evx.lang import ast
from evx.lang.parser import parse_file
from evx.match.compiler import lemmas_needed
from evx.tools.explain import explain

Compile = Callable[..., evx.RuleSet]
ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- a small ceasefire pack

# `ON_TOPIC(x)` and `AGREED(x)` stand for the pack's shared conditions: NAMED calls them
# by name, INLINE writes their bodies out at each place, as the packs did before
PACK = """\
enum CeasefireStatus { agreed, proposed, ended }
event CeasefirePhase {
    status: CeasefireStatus?
    days:   int?
    side:   str?
    relevant: bool?
}
lexicon armed_context = { militia, troops, airstrike, shelling, rebel, army, fighter, "killed" }
lexicon civil_context = { strike, union, league, club, players, tournament, campaign }
lexicon not_news_context = { "multiplayer", "matchmaking", "console", "gameplay" }
lexicon truce_noun = { ceasefire, truce, "cease-fire", cessation of hostilities }
lexicon side_name = { Hamas, Israel, "RSF", "M23", "Sudanese army" -> "Sudan army" }
mention Side = side_name

classify ceasefire_status(t) -> CeasefireStatus {
    ended     when near(t, 4) has { collapse, break down, "violated" }
    agreed    when AGREED(t)
    otherwise proposed
}

rule truce -> CeasefirePhase {
    match: (d:[lower=/^[0-9]+-(day|week)$/])? trigger:truce_noun
    set:   days = duration(d)
           status = ceasefire_status(trigger)
           side = find(@Side, sentence(trigger))
           relevant = true if ON_TOPIC(match)
    where: ON_TOPIC(trigger) and not before(trigger, 3) has { "no", "rules out" }
}

rule sides_agree -> CeasefirePhase {
    match: side:@Side "and" @Side [lemma in { agree, accept }] []{0,4}? trigger:truce_noun
    set:   status = agreed if AGREED(trigger)
           status = proposed
    where: ON_TOPIC(side)
}
"""

ON_TOPIC = (
    "(document(t) has armed_context or not document(t) has civil_context)\n"
    "    and not document(t) has not_news_context"
)
AGREED = 'ON_TOPIC(t) and near(t, 5) has { agree, sign, "took effect" }'

NAMED = (
    "# a report of armed conflict, not of trade, sport or a game\n"
    f"condition on_topic(t) = {ON_TOPIC}\n"
    f"condition agreed_near(t) = {AGREED.replace('ON_TOPIC', 'on_topic')}\n"
    + PACK.replace("ON_TOPIC", "on_topic").replace("AGREED", "agreed_near")
)


def _inline(text: str) -> str:
    """The pack with every call written out as its body, the parameter replaced."""

    def body(template: str) -> Callable[[re.Match[str]], str]:
        return lambda m: "(" + re.sub(r"\bt\b", m.group(1), template) + ")"

    text = re.sub(r"AGREED\((\w+)\)", body(AGREED), text)
    return re.sub(r"ON_TOPIC\((\w+)\)", body(ON_TOPIC), text)


INLINE = _inline(PACK)

# wire copy: two conflicts, a sports "truce", a game's "cease-fire mode", a collapse, a
# refusal, a truce to come
DOCUMENTS = (
    "KHARTOUM (AP) — The Sudanese army and RSF agreed to a seven-day ceasefire on Saturday, "
    "mediators said. Shelling went on in Omdurman, where fighters killed 12 civilians.",
    "Israel and Hamas accepted a 42-day truce that took effect on Sunday. Israeli troops "
    "pulled back from parts of Gaza as the ceasefire held.",
    "The league and the players union agreed a truce in the strike on Friday, ending a month "
    "of cancelled matches for the club.",
    "The console shooter adds a cease-fire mode to its multiplayer matchmaking this season.",
    "The truce collapsed on Tuesday after an airstrike by rebel fighters killed five people "
    "in the north.",
    "Israel rules out a ceasefire, officials said, as troops pressed on in Rafah. M23 and "
    "Israel signed nothing.",
    "Mediators said a 60-day ceasefire between the army and the militia would begin on Monday.",
)


def _records(rules: evx.RuleSet, text: str) -> list[dict[str, Any]]:
    return [e.to_dict() for e in rules.extract(text, "doc")]


def test_a_condition_statement_parses_into_its_node() -> None:
    """`condition name(param) = cond` is a ConditionDef with its body and position; its calls
    are plain calls inside conditions."""
    tree = parse_file(NAMED, "pack.rules")
    first, second = (s for s in tree.statements if isinstance(s, ast.ConditionDef))
    assert (first.name, first.param) == ("on_topic", "t")
    assert isinstance(first.body, ast.CondAnd) and len(first.body.operands) == 2
    assert (first.pos.line, first.pos.column, first.pos.end_line) == (2, 1, 3)
    assert second.name == "agreed_near"
    call = second.body.operands[0] if isinstance(second.body, ast.CondAnd) else None
    assert isinstance(call, ast.CondPresent) and isinstance(call.expr, ast.Call)
    assert call.expr.func == "on_topic"


def test_condition_is_a_reserved_word_but_stays_a_lexicon_word() -> None:
    """`condition` cannot name a rule or capture (E013); inside lexicons and strings it is free."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file('rule condition -> E { match: "a" }', "x.rules")
    assert info.value.code == "E013"
    parse_file('lexicon terms = { condition, "on condition that" }', "x.rules")


def test_a_malformed_condition_statement_says_how_to_write_one() -> None:
    """A condition statement without its parameter or `=` is E021, at the place it went wrong."""
    with pytest.raises(evx.RuleSyntaxError) as info:
        parse_file('condition c(t) sentence(t) has "x"', "x.rules")
    assert info.value.code == "E021"
    assert info.value.pos is not None and (info.value.pos.line, info.value.pos.column) == (1, 16)
    assert "expected `=`" in str(info.value)


def test_a_rule_calling_a_condition_gives_the_records_of_the_rule_written_out(
    compile_rules: Compile,
) -> None:
    """The pack with named conditions and the same pack with their bodies written in place
    give the same records, byte for byte, on wire copy on and off the topic."""
    named = compile_rules(NAMED, "pack.rules")
    inline = compile_rules(INLINE, "pack.rules")
    assert "condition" not in INLINE and "ON_TOPIC" not in INLINE
    found = [_records(named, text) for text in DOCUMENTS]
    assert found == [_records(inline, text) for text in DOCUMENTS]
    # the conditions decided something: conflicts kept, the sports and game stories not
    summary = [
        [(r["rule"].split(":")[1], r["fields"]["status"], r["fields"]["days"]) for r in records]
        for records in found
    ]
    assert summary == [
        [("sides_agree", "agreed", None)],
        [("sides_agree", "agreed", None), ("truce", "proposed", None)],
        [],
        [],
        [("truce", "ended", None)],
        [],
        [("truce", "proposed", 60)],
    ]
    assert [
        r["fields"]["relevant"]
        for records in found
        for r in records
        if r["rule"].endswith(":truce")
    ] == [True] * 3


def test_the_equivalence_test_would_see_a_different_condition(compile_rules: Compile) -> None:
    """A named condition that leaves out one part gives other records (the game story), so
    the comparison above can fail."""
    loose = NAMED.replace("\n    and not document(t) has not_news_context", "")
    assert loose != NAMED
    rules = compile_rules(loose, "pack.rules")
    inline = compile_rules(INLINE, "pack.rules")
    assert _records(rules, DOCUMENTS[3]) != _records(inline, DOCUMENTS[3]) == []


_TOPIC_DEFINITION = re.compile(r"^condition on_topic\(t\) = (.*?)\n(?=\S)", re.M | re.S)


def test_the_shipped_packs_give_the_same_records_with_their_topic_test_written_out(
    tmp_path: Path,
) -> None:
    """The ceasefire pack names its topic test once (`on_topic`) and calls it from six
    rules: written out in place of every call, the packs give the same records on the
    seeds, the held-out articles and the negatives."""
    source = (ROOT / "rules" / "ceasefire.rules").read_text(encoding="utf-8")
    found = _TOPIC_DEFINITION.search(source)
    assert found is not None, "the ceasefire pack no longer defines on_topic"
    body = " ".join(found.group(1).split())
    without = source[: found.start()] + source[found.end() :]
    inline, count = re.subn(
        r"\bon_topic\((\w+)\)",
        lambda m: "(" + re.sub(r"\bt\b", m.group(1), body) + ")",
        without,
    )
    assert count >= 6
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    (tmp_path / "rules" / "ceasefire.rules").write_text(inline, encoding="utf-8")
    named = evx.load(ROOT / "rules")
    written_out = evx.load(tmp_path / "rules")
    assert not written_out.warnings
    data = ROOT / "tests" / "data"
    files = [
        *sorted((ROOT / "seeds").glob("*.txt")),
        *sorted((data / "heldout").glob("*.txt")),
        *sorted((data / "negatives").glob("*.txt")),
    ]
    total = 0
    for path in files:
        doc = evx.Document.from_bytes(path.read_bytes(), path.name)
        expected = [e.to_dict() for e in named.extract(doc)]
        assert [e.to_dict() for e in written_out.extract(doc)] == expected, path.name
        total += sum(1 for e in expected if e["type"] == "CeasefirePhase")
    assert total > 0


# ---------------------------------------------------------------- binding and nesting

EVENT = "event Meeting { a: str?  b: str?  n: int? }\n"


def test_the_parameter_is_bound_to_the_capture_of_each_call(compile_rules: Compile) -> None:
    """One condition called on two captures reads each capture's own words."""
    rules = compile_rules(
        EVENT + "condition named(x) = inside(x) has [title]\n"
        'rule met -> Meeting { match: who:[!punct] "met" whom:[!punct]\n'
        '    set: a = "yes" if named(who)\n'
        '         b = "yes" if named(whom) }\n'
    )
    assert _fields(rules, "Qatar met officials on Monday.") == [("yes", None)]
    assert _fields(rules, "On Monday, officials met Hamas.") == [(None, "yes")]
    assert _fields(rules, "Then they met officials.") == [(None, None)]


def _fields(rules: evx.RuleSet, text: str) -> list[tuple[object, object]]:
    return [(e.fields.to_dict()["a"], e.fields.to_dict()["b"]) for e in rules.extract(text)]


def test_nested_conditions_and_classifiers_bind_through_each_call(compile_rules: Compile) -> None:
    """A condition calling a condition, called from a classifier case, from `match` and from a
    mention's `where:`, reads the capture the outermost call passed."""
    rules = compile_rules(
        "enum Tone { hopeful, doubtful }\n"
        "event Talks { tone: Tone  who: str? }\n"
        'condition hedged(x) = before(x, 3) has { "may", "could", "might" }\n'
        "condition doubtful(y) = hedged(y) or sentence(y) has { doubt, skeptical }\n"
        "classify tone(t) -> Tone { doubtful when doubtful(t) otherwise hopeful }\n"
        'mention Mediator { match: who:[title] "mediators"  where: not doubtful(who) }\n'
        'rule talks -> Talks { match: (@Mediator []{0,3})? trigger:"talks"\n'
        "    set: tone = tone(trigger)\n"
        '         who = "someone" if doubtful(match) }\n'
    )
    (plain,) = rules.extract("Egyptian mediators held talks on Monday.")
    assert plain.fields.to_dict() == {"tone": "hopeful", "who": None}
    assert plain.text == "Egyptian mediators held talks"
    (hedged,) = rules.extract("Egyptian mediators said they could resume talks.")
    assert hedged.fields.to_dict() == {"tone": "doubtful", "who": "someone"}
    (doubt,) = rules.extract("Egyptian mediators voiced doubt about the talks.")
    assert doubt.fields.to_dict() == {"tone": "doubtful", "who": "someone"}
    assert doubt.text == "talks"  # the mention's where: called the condition on `who`


def test_a_label_read_only_inside_a_condition_runs_first(compile_rules: Compile) -> None:
    """`has @Side` in a condition's body puts Side before the rules that call it (the label
    order sees through the call), and Side is not reported as unused."""
    rules = compile_rules(
        "event Agreement { who: str? }\n"
        "mention Side = { Hamas, Israel }\n"
        "condition between_sides(t) = sentence(t) has (@Side [] @Side)\n"
        'rule deal -> Agreement { match: "deal"  where: between_sides(match) }\n'
    )
    assert not rules.warnings
    assert [e.text for e in rules.extract("Israel and Hamas reached a deal.")] == ["deal"]
    assert rules.extract("Officials reached a deal.") == []


def test_what_a_condition_reads_counts_as_used(compile_rules: Compile) -> None:
    """A lexicon used only in a condition's body is used, and so is a capture passed to it."""
    rules = compile_rules(
        EVENT + "lexicon hedge = { may, might }\n"
        "condition hedged(x) = before(x, 2) has hedge\n"
        'rule r -> Meeting { match: t:"talks"  where: not hedged(t) }\n'
    )
    assert not rules.warnings
    assert len(rules.extract("Talks resumed.")) == 1


def test_an_attribute_tested_in_a_condition_must_be_in_the_document(
    compile_rules: Compile,
) -> None:
    """A document without `pos` fails (D003) a rule whose condition tests it, naming the
    condition."""
    rules = compile_rules(
        EVENT + "condition verbal(x) = after(x, 1) has [pos=VERB]\n"
        'rule r -> Meeting { match: t:"talks"  where: verbal(t) }\n'
    )
    with pytest.raises(evx.DocumentError) as info:
        rules.extract("Talks resumed.")
    assert info.value.code == "D003" and "condition verbal" in str(info.value)


def test_cached_and_pickled_rule_sets_keep_their_conditions(
    compile_rules: Compile, tmp_path: Path
) -> None:
    """The compile cache and pickling store the named conditions, and the lemmas their
    bodies look up: the rule set they give back finds the same records."""
    compile_rules(NAMED, "pack.rules")
    path = tmp_path / "pack.rules"
    fresh = evx.load(path)
    assert "sign" in lemmas_needed(fresh.compiled.checked)  # only in agreed_near's body
    cached = [evx.load(path, cache_dir=tmp_path / "cache") for _ in range(2)][1]
    assert set(cached.compiled.checked.conditions) == {"on_topic", "agreed_near"}
    restored = pickle.loads(pickle.dumps(fresh))
    for text in DOCUMENTS:
        expected = _records(fresh, text)
        assert _records(cached, text) == expected
        assert _records(restored, text) == expected


# ---------------------------------------------------------------- errors and warnings

HEAD = "event Truce { status: enum { agreed, proposed }? }\nlexicon truce_noun = { truce, ceasefire }\n"


def _errors(compile_rules: Compile, text: str) -> list[tuple[str, int, int, str]]:
    with pytest.raises(evx.RuleCheckError) as caught:
        compile_rules(text, "x.rules")
    return [
        (d.code, d.pos.line, d.pos.column, d.message)
        for d in caught.value.diagnostics
        if d.pos is not None
    ]


def _at(text: str, snippet: str, nth: int = 0) -> tuple[int, int]:
    """The line and column of the nth occurrence of a snippet in a rule file's text."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(snippet, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_a_condition_named_like_a_classifier_or_a_builtin_is_e101(compile_rules: Compile) -> None:
    """A condition may not take a classifier's name, another condition's or a built-in's."""
    text = (
        HEAD + "enum S { a, b }\n"
        'classify hedged(t) -> S { a when near(t, 2) has "may" otherwise b }\n'
        'condition hedged(t) = near(t, 2) has "may"\n'
        'condition near(t) = before(t, 2) has "may"\n'
        'condition twice(t) = near(t, 2) has "may"\n'
        'condition twice(t) = near(t, 3) has "may"\n'
        "rule r -> Truce { match: t:truce_noun  where: twice(t)\n"
        "    set: status = agreed if hedged(t) }\n"
    )
    found = _errors(compile_rules, text)
    assert [(c, line, col) for c, line, col, _ in found] == [
        ("E101", *_at(text, "condition hedged")),
        ("E101", *_at(text, "condition near")),
        ("E101", *_at(text, "condition twice", 1)),
    ]
    line, column = _at(text, "classify hedged")
    assert f"has the name of the classifier defined at x.rules:{line}:{column}" in found[0][3]
    assert "named condition `near` has the name of a built-in function" in found[1][3]
    line, column = _at(text, "condition twice")
    assert f"condition `twice` is already defined at x.rules:{line}:{column}" in found[2][3]


def test_a_call_takes_exactly_one_capture(compile_rules: Compile) -> None:
    """No argument, two, a literal (E111) or an unknown capture (E107), each at its call."""
    text = (
        HEAD + 'condition hedged(t) = before(t, 2) has "may"\n'
        "rule r -> Truce { match: t:truce_noun  set: status = agreed if hedged(t)\n"
        '  where: hedged() or hedged(t, t) or hedged("t") or hedged(trigger) }\n'
    )
    found = _errors(compile_rules, text)
    assert [(c, line, col) for c, line, col, _ in found] == [
        ("E111", *_at(text, "hedged()")),
        ("E111", *_at(text, "hedged(t, t)")),
        ("E111", *_at(text, 'hedged("t")')),
        ("E107", *_at(text, "trigger")),
    ]
    assert "`hedged` takes one capture" in found[0][3]
    assert "unknown capture `trigger`" in found[3][3]


def test_a_condition_used_as_a_value_is_e106(compile_rules: Compile) -> None:
    """`set: status = on_topic(trigger)` is refused with a message saying what to write."""
    text = (
        HEAD + 'condition hedged(t) = before(t, 2) has "may"\n'
        "rule r -> Truce { match: t:truce_noun  set: status = hedged(t) }\n"
    )
    [(code, line, column, message)] = _errors(compile_rules, text)
    assert (code, line, column) == ("E106", *_at(text, "hedged(t)", 1))
    assert "`hedged` is a named condition, not a value" in message
    assert "`where: hedged(...)` or `if hedged(...)`" in message


def test_errors_in_a_body_point_into_the_body(compile_rules: Compile) -> None:
    """A body is checked once, with its parameter as the one capture, however many rules
    call it: an unknown lexicon (E103) or a capture of a calling rule (E107) is reported
    where it is written."""
    text = (
        HEAD + "condition hedged(t) = before(t, 2) has hedges or near(trigger, 2) has truce_noun\n"
        "rule r -> Truce { match: trigger:truce_noun  where: hedged(trigger) }\n"
        "rule s -> Truce { match: trigger:truce_noun  where: not hedged(trigger) }\n"
    )
    found = _errors(compile_rules, text)
    assert [(c, line, col) for c, line, col, _ in found] == [
        ("E103", *_at(text, "hedges")),
        ("E107", *_at(text, "trigger")),
    ]


def test_a_condition_calling_itself_is_e113_naming_the_cycle(compile_rules: Compile) -> None:
    """A condition that calls itself, directly, through another, or through a classifier, is
    E113 at the call that closes the cycle, with the cycle in the message."""
    text = (
        HEAD + "enum S { a, b }\n"
        'condition loop(t) = before(t, 2) has "may" or loop(t)\n'
        "condition busy(t) = calm(t) and near(t, 3) has truce_noun\n"
        "condition calm(t) = not busy(t)\n"
        'condition doubt(t) = tone(t) and sentence(t) has "doubt"\n'
        "classify tone(t) -> S { a when doubt(t) otherwise b }\n"
        "rule r -> Truce { match: t:truce_noun\n"
        "  where: loop(t) and busy(t) and doubt(t) }\n"
    )
    found = _errors(compile_rules, text)
    assert [(c, line, col, m.split(": ", 1)[1]) for c, line, col, m in found] == [
        ("E113", *_at(text, "loop(t)", 1), "loop -> loop"),
        ("E113", *_at(text, "busy(t)", 1), "busy -> calm -> busy"),
        ("E113", *_at(text, "tone(t)"), "tone -> doubt -> tone"),
    ]
    assert found[0][3].startswith("named condition `loop` calls itself")
    assert found[1][3].startswith("named conditions call each other in a cycle")
    assert found[2][3].startswith("named conditions and classifiers call each other")


def test_a_classifier_calling_itself_is_e113_not_a_crash(compile_rules: Compile) -> None:
    """A classifier whose case calls it (which recursed without end before there were
    named conditions) is E113 too."""
    text = (
        HEAD + "enum S { a, b }\n"
        "classify st(t) -> S { a when st(t) otherwise b }\n"
        "rule r -> Truce { match: t:truce_noun  where: st(t) }\n"
    )
    found = _errors(compile_rules, text)
    assert [(c, line, col) for c, line, col, _ in found] == [("E113", *_at(text, "st(t)", 1))]
    assert "classifier `st` calls itself: st -> st" in found[0][3]


def test_a_ring_of_two_thousand_conditions_is_one_error_found_quickly(
    compile_rules: Compile,
) -> None:
    """Cycle detection walks without recursion: a ring of 2,000 conditions is one E113,
    with the cycle shortened in the message, in well under the time of a stack overflow."""
    n = 2_000
    ring = "".join(f"condition c{i}(t) = c{(i + 1) % n}(t)\n" for i in range(n))
    started = time.perf_counter()
    found = _errors(
        compile_rules, HEAD + ring + "rule r -> Truce { match: t:truce_noun  where: c0(t) }\n"
    )
    assert time.perf_counter() - started < 20
    [(code, line, _col, message)] = found
    assert (code, line) == ("E113", 2 + n)
    assert message.endswith(
        "c0 -> c1 -> c2 -> c3 -> c4 -> ... -> c1998 -> c1999 -> c0 (2000 in all)"
    )


def test_a_chain_of_conditions_nested_too_deep_is_e019_not_a_recursion_error(
    compile_rules: Compile,
) -> None:
    """A chain of 2,000 conditions, each calling the next, stacks its bodies past the nesting
    limit: one E019 where the chain first goes too deep, never a RecursionError."""
    n = 2_000
    chain = "".join(f"condition c{i}(t) = c{i + 1}(t)\n" for i in range(n))
    chain += f'condition c{n}(t) = sentence(t) has "x"\n'
    found = _errors(
        compile_rules, HEAD + chain + "rule r -> Truce { match: t:truce_noun  where: c0(t) }\n"
    )
    [(code, line, _col, message)] = found
    assert code == "E019" and "nests 129 levels deep" in message and "limit 128" in message
    assert line == 2 + n - 62


def test_a_chain_within_the_limit_compiles_runs_and_explains(compile_rules: Compile) -> None:
    """Sixty conditions in a chain under a `where:` of a hundred `not`s: no stage runs out
    of stack."""
    n = 60
    chain = "".join(f"condition c{i}(t) = c{i + 1}(t)\n" for i in range(n))
    chain += f'condition c{n}(t) = sentence(t) has "truce"\n'
    rules = compile_rules(
        HEAD + chain + "rule r -> Truce { match: t:truce_noun  where: " + "not " * 100 + "c0(t) }\n"
    )
    assert len(rules.extract("The truce held.")) == 1
    (report,) = explain(rules, evx.Document.from_text("The ceasefire held."), "r")
    assert report.matches[0].where_ok is False
    assert any(s.text.startswith("condition c60(t), t = t:") for s in report.matches[0].where)


def test_a_condition_nothing_calls_is_w319(compile_rules: Compile) -> None:
    """An unused condition is a warning at its statement; one called only by another
    condition is used."""
    rules = compile_rules(
        HEAD + 'condition hedged(t) = before(t, 2) has "may"\n'
        "condition doubtful(t) = hedged(t)\n"
        "rule r -> Truce { match: truce_noun }\n"
    )
    [(code, line, column, message)] = [
        (w.code, w.pos.line, w.pos.column, w.message) for w in rules.warnings if w.pos
    ]
    assert (code, line, column) == ("W319", 4, 1)
    assert message == "named condition `doubtful` is never used"


# ---------------------------------------------------------------- tools


def test_explain_shows_the_verdict_and_the_parts_of_a_named_condition(
    compile_rules: Compile,
) -> None:
    """A `where:` rejected by a named condition shows the call's verdict, then the body's
    parts with the capture bound, pointing at the condition's lines."""
    rules = compile_rules(NAMED, "pack.rules")
    (report,) = explain(rules, evx.Document.from_text(DOCUMENTS[2]), "truce")
    (match,) = report.matches
    assert not match.where_ok
    steps = [(s.text, s.outcome, s.depth, s.place.line if s.place else None) for s in match.where]
    assert steps[1] == ("on_topic(trigger)", "false", 1, _at(NAMED, "on_topic(trigger)")[0])
    header, *parts = steps[2:]
    assert header[0].startswith("condition on_topic(t), t = trigger: (document(t)")
    assert header[1:] == ("false", 2, _at(NAMED, "condition on_topic")[0])
    assert parts[0][:3] == (
        "document(t) has armed_context or not document(t) has civil_context",
        "false",
        3,
    )


def test_explain_field_shows_a_condition_inside_a_classifier_case(compile_rules: Compile) -> None:
    """--field: the classifier case that called a named condition shows what it decided."""
    rules = compile_rules(NAMED, "pack.rules")
    doc = evx.Document.from_text("Rebel fighters and the army signed a truce on Monday.")
    (report,) = explain(rules, doc, "truce", field="status")
    kept = next(m for m in report.matches if m.kept)
    texts = [(s.text, s.outcome) for s in kept.traced]
    assert texts[2] == ("agreed when agreed_near(t)", "holds: chosen")
    assert texts[3][0].startswith("condition agreed_near(t), t = trigger: on_topic(t) and")
    assert texts[3][1] == "true"


def test_cli_explain_prints_the_condition(tmp_path: Path) -> None:
    """`evx explain` on the command line prints the condition's line with its place."""
    (tmp_path / "pack.rules").write_text(NAMED, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = ["explain", str(tmp_path / "pack.rules"), "--rule", "truce", "--no-cache"]
    assert main([*args, "--text", DOCUMENTS[3]], out, err) == 0, err.getvalue()
    assert "condition on_topic(t), t = trigger: " in out.getvalue()
    assert f"({tmp_path / 'pack.rules'}:2:25): false" in out.getvalue()


def test_the_language_server_finds_a_condition(tmp_path: Path) -> None:
    """Go to definition on a condition's name finds its `condition` line."""
    pytest.importorskip("pygls")
    from evx.tools.lsp import definitions

    (tmp_path / "pack.rules").write_text(NAMED, encoding="utf-8")
    where = definitions(tmp_path)["agreed_near"]
    assert (where.range.start.line, where.range.start.character) == (3, 10)


def test_the_highlighter_knows_the_declaration() -> None:
    """Pygments reads `condition name` as a declaration and its name."""
    pytest.importorskip("pygments")
    from pygments.token import Keyword, Name

    from evx.tools.highlight import EvxLexer

    tokens = [(kind, value) for kind, value in EvxLexer().get_tokens(NAMED) if value.strip()]
    assert (Keyword.Declaration, "condition") in tokens
    assert (Name.Class, "on_topic") in tokens


def test_evx_check_passes_on_the_shipped_packs() -> None:
    """The shipped packs still check clean with named conditions in the language."""
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(ROOT / "rules"), "--no-cache"], out, err) == 0, err.getvalue()
    assert out.getvalue().startswith("ok: ")
