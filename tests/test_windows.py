"""Window semantics as docs/language.md states them: which tokens each window holds, the anchor included or not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import evx

RULES = """\
enum Mode { rescue, other }
event Freed { mode: Mode }
classify mode_near(t) -> Mode {
    rescue when near(t, 3) has { rescue }
    otherwise other
}
classify mode_inside(t) -> Mode {
    rescue when inside(t) has { rescue }
    otherwise other
}
classify mode_clause(t) -> Mode {
    rescue when clause(t) has { rescue }
    otherwise other
}
classify mode_span(t) -> Mode {
    rescue when near(t, 5) has ("were" "rescued" "by")
    otherwise other
}
rule near_rule -> Freed { match: t:{ rescue, free }  set: mode = mode_near(t) }
"""


def _mode(compile_rules: Callable[..., evx.RuleSet], classifier: str, text: str) -> str:
    rules = compile_rules(RULES.replace("mode_near(t) }", f"{classifier}(t) }}"))
    (event,) = [e for e in rules.extract(text) if e.text in ("freed", "rescued")]
    return str(event.fields.to_dict()["mode"])


@pytest.mark.parametrize(
    ("classifier", "text", "mode"),
    [
        ("mode_near", "Soldiers rescued two hostages.", "other"),  # the anchor is left out
        ("mode_near", "A rescue team freed two hostages.", "rescue"),  # another word near it
        ("mode_inside", "Soldiers rescued two hostages.", "rescue"),  # the anchor's own words
        ("mode_clause", "Soldiers rescued two hostages.", "rescue"),  # clause holds the anchor
        ("mode_span", "Hostages were rescued by troops.", "other"),  # a match cannot span it
    ],
)
def test_which_windows_hold_their_anchor(
    compile_rules: Callable[..., evx.RuleSet], classifier: str, text: str, mode: str
) -> None:
    """`near`/`before`/`after` leave the capture out; `inside` and `clause` hold it."""
    assert _mode(compile_rules, classifier, text) == mode


def test_a_window_too_small_for_its_pattern_is_warned(
    compile_rules: Callable[..., evx.RuleSet],
) -> None:
    """A classifier case whose window can never hold its pattern gets W308 at the condition."""
    rules = compile_rules(
        RULES.replace("near(t, 3) has { rescue }", 'near(t, 1) has ("rescue" "team")')
    )
    (warning,) = [w for w in rules.warnings if w.code == "W308"]
    assert warning.pos is not None and (warning.pos.line, warning.pos.column) == (4, 17)
    assert "can never hold" in warning.message
    assert warning.severity == "warning"


def test_the_shipped_packs_have_no_window_warnings() -> None:
    """The shipped packs load without W308."""
    from pathlib import Path

    rules = evx.load(Path(__file__).parent.parent / "rules")
    assert not [w for w in rules.warnings if w.code == "W308"]
