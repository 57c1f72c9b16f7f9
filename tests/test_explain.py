"""`evx explain`: a rule's matches and their fate per sentence, or the near miss."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

import evx
from evx.cli import main
from evx.tools.explain import UnknownRuleError, explain

RULES = """\
event Release { count: str?  status: enum { done }? }
rule freed -> Release {
    match: [lemma in {free, release}] count:[num]? [lemma in {hostage, captive}]
    where: not sentence(match) has "not"
    set: status = done
}
rule short -> Release { match: [lemma=free] }
"""


def test_matches_show_captures_and_their_fate(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """A kept match, a match dropped by `where:` and one lost to a longer overlap are told apart."""
    rules = compile_rules(RULES)
    doc = evx.Document.from_text(
        "Hamas freed three hostages on Monday. Israel will not release 30 captives."
    )
    first, second = explain(rules, doc, "freed")
    (kept,) = first.matches
    assert (kept.text, kept.kept, kept.captures) == (
        "freed three hostages",
        True,
        (("count", "three"),),
    )
    (dropped,) = second.matches
    assert (dropped.where_ok, dropped.kept) == (False, False)
    (shorter, *_rest) = explain(rules, doc, "short")[0].matches
    assert (shorter.text, shorter.kept) == ("freed", False)
    assert "lost to an overlapping match" in explain(rules, doc, "short")[0].render()


def test_near_miss_points_at_the_furthest_token(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """Without a match, the report shows how far the pattern got and what it expected."""
    rules = compile_rules(RULES)
    doc = evx.Document.from_text("Hamas freed three reporters on Monday.")
    (report,) = explain(rules, doc, "freed")
    assert report.matches == ()
    assert report.furthest == 3
    assert report.expected == ("[lemma in {hostage, captive}]",)
    lines = report.render().splitlines()
    assert lines[-2].index("^") == len("    Hamas freed three ")


def test_unknown_rule_is_a_clear_error(compile_rules: Callable[..., evx.RuleSet]) -> None:
    """Asking for a rule that does not exist names the rules there are."""
    rules = compile_rules(RULES)
    with pytest.raises(UnknownRuleError, match="rules: freed, short"):
        explain(rules, evx.Document.from_text("Nothing here."), "fred")


def test_cli_explain(tmp_path: Path) -> None:
    """`evx explain RULES FILE --rule NAME` prints the reports and exits 0."""
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "doc.txt").write_text("Gunmen freed 4 captives.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["explain", str(tmp_path / "r.rules"), str(tmp_path / "doc.txt"), "--rule", "freed"],
        out,
        err,
    )
    assert status == 0, err.getvalue()
    assert "match 'freed 4 captives': kept" in out.getvalue()
