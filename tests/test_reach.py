"""W317, a capture that never reaches a field: read only by `set:` lines that never run, or
a mention's capture nothing reads; and the lines it calls dead really never run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import evx

PRELUDE = """\
enum Status { completed, expected }
event Release { count: int?  who: str?  status: Status }
lexicon verb = { release, free, "freed" }
mention Quantity: int { match: [shape=d] | [shape=dd]  value: number(match) }
classify st(t) -> Status { expected when near(t, 3) has "will" otherwise completed }
"""

RELEASED = "status:{ released -> completed }"

CASES = [
    # (what, rule or mention text, warned)
    (
        "the field's capture is on every path",
        f"rule r -> Release {{ match: t:verb {RELEASED}  set: status = st(t) }}",
        True,
    ),
    (
        "the field's capture is optional",
        f"rule r -> Release {{ match: t:verb ({RELEASED})?  set: status = st(t) }}",
        False,
    ),
    (
        "the field's capture can be empty",
        "rule r -> Release { match: t:verb status:({ released -> completed })?  set: status = st(t) }",
        False,
    ),
    (
        "in every alternative",
        f"rule r -> Release {{ match: t:verb ({RELEASED} | status:{{ freed -> completed }})  set: status = st(t) }}",
        True,
    ),
    (
        "in one alternative",
        f'rule r -> Release {{ match: t:verb ({RELEASED} | "x")  set: status = st(t) }}',
        False,
    ),
    (
        "in a repeat of at least one",
        f"rule r -> Release {{ match: t:verb ({RELEASED})+  set: status = st(t) }}",
        True,
    ),
    (
        "after a constant",
        "rule r -> Release { match: t:verb  set: status = completed  status = st(t) }",
        True,
    ),
    (
        "after a constant with an if",
        'rule r -> Release { match: t:verb  set: status = completed if inside(t) has "freed"  status = st(t) }',
        False,
    ),
    (
        "before a constant",
        "rule r -> Release { match: t:verb  set: status = st(t)  status = completed }",
        False,
    ),
    (
        "read by where: too",
        'rule r -> Release { match: t:verb  where: not before(t, 2) has "no"  set: status = completed  status = st(t) }',
        False,
    ),
    (
        "read by a line that runs too",
        "rule r -> Release { match: t:verb  set: status = completed  status = st(t)  who = text(t) }",
        False,
    ),
    (
        "a mention's capture nothing reads",
        'mention Freed { match: x:verb "free" }\nrule r -> Release { match: @Freed  set: status = completed }',
        True,
    ),
    (
        "a mention's capture its where: reads",
        'mention Freed { match: x:verb "free"  where: inside(x) has "release" }\nrule r -> Release { match: @Freed  set: status = completed }',
        False,
    ),
    (
        "a mention's capture its value: reads",
        'mention Freed: int { match: "freed" n:@Quantity  value: n }\nrule r -> Release { match: count:@Freed  set: status = completed }',
        False,
    ),
]


@pytest.mark.parametrize(("what", "text", "warned"), CASES, ids=[c[0] for c in CASES])
def test_which_captures_never_reach_a_field(
    compile_rules: Callable[..., evx.RuleSet], what: str, text: str, warned: bool
) -> None:
    """W317 at the capture, exactly when nothing that can run reads it."""
    rules = compile_rules(PRELUDE + text + "\n")
    found = [w for w in rules.warnings if w.code == "W317"]
    assert bool(found) == warned, (what, [w.render() for w in rules.warnings])
    for warning in found:
        assert warning.pos is not None and warning.pos.line == PRELUDE.count("\n") + 1
        assert warning.severity == "warning" and warning.hint


def test_the_lines_it_calls_dead_never_run(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """Where the classifier would say `expected` ("will"), the record still has what the
    capture (or the earlier constant) gave: the warned line never ran."""
    rules = compile_rules(
        PRELUDE + f"event Other {{ status: Status }}\n"
        f"rule captured -> Release {{ match: t:verb {RELEASED}  set: status = st(t) }}\n"
        "rule constant -> Other { match: t:verb  set: status = completed  status = st(t) }\n"
    )
    assert [w.code for w in rules.warnings if w.code.startswith("W31")] == ["W312", "W317", "W317"]
    events = rules.extract("They will free released hostages, and will release more.")
    by_rule = {(e.rule.split(":")[1], e.fields.to_dict()["status"]) for e in events}
    assert by_rule == {("captured", "completed"), ("constant", "completed")}
    assert rules.extract("They will free them.")[0].fields.to_dict()["status"] == "completed"
