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
    caret = next(line for line in lines if line.strip() == "^")
    assert caret.index("^") == len("    Hamas freed three ")


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


AID = Path(__file__).parent / "data" / "explain" / "aid.rules"
TRUCKS = "Some 120 aid trucks, carrying flour, entered Gaza on Sunday."


@pytest.fixture(scope="module")
def aid() -> evx.RuleSet:
    return evx.load(AID)


def test_near_miss_comes_from_the_best_start_not_the_last(aid: evx.RuleSet) -> None:
    """The issue's example: the caret sits under the comma after "trucks", not the last token."""
    (report,) = explain(aid, evx.Document.from_text(TRUCKS), "aid_entered")
    assert report.matches == ()
    assert report.words[report.furthest or 0] == ","
    assert (report.start, report.furthest) == (1, 4)  # from "120": "120 aid trucks" matched
    (element,) = report.failed
    assert element.note == "enter_verb"
    assert element.place is not None
    assert (element.place.file, element.place.line) == ("aid.rules", 28)
    assert element.line[element.place.column - 1 :].startswith("enter_verb")
    lines = report.render().splitlines()
    caret_line = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret_line].index("^") == len("    Some 120 aid trucks ")
    assert "token 4 ',' failed:" in report.render()
    assert "aid.rules:28:69: enter_verb" in report.render()


def test_near_miss_from_a_later_start_when_it_gets_further(aid: evx.RuleSet) -> None:
    """A later start that gets further beats an earlier one that stops sooner."""
    doc = evx.Document.from_text("Trucks waited; forty aid trucks entered slowly.")
    (report,) = explain(aid, doc, "aid_entered")
    assert report.start is not None and report.furthest is not None
    assert report.words[report.start] == "forty"
    assert report.words[report.furthest] == "slowly"
    assert report.expected == ("[title]",)


def test_near_miss_at_the_end_of_the_sentence(aid: evx.RuleSet) -> None:
    """A pattern that runs out of sentence says so."""
    (report,) = explain(aid, evx.Document.from_text("Forty aid trucks entered"), "aid_entered")
    assert report.furthest == len(report.words)
    assert "the sentence ended" in report.render()


def test_where_names_the_sub_condition_that_failed(aid: evx.RuleSet) -> None:
    """A match `where:` rejected shows which part of the condition was false, and where."""
    doc = evx.Document.from_text("Forty aid trucks entered Gaza yesterday.")
    (report,) = explain(aid, doc, "aid_entered")
    first = report.matches[0]
    assert not first.where_ok
    texts = [(s.text, s.outcome) for s in first.where]
    assert texts[1:] == [
        ('not after(trigger, 3) has "yesterday"', "false"),
        ('after(trigger, 3) has "yesterday"', "true"),
    ]
    assert first.where[1].place is not None and first.where[1].place.line == 30
    assert 'not sentence(match) has "not"' not in [t for t, _ in texts[1:]]  # it held


def test_captures_show_their_values(aid: evx.RuleSet) -> None:
    """A capture shows its value (a mention's number, a lexicon's canonical), not only its text."""
    (report,) = explain(
        aid, evx.Document.from_text("Forty relief trucks entered Rafah."), "aid_entered"
    )
    values = {c.name: (c.text, c.value) for c in report.matches[0].values}
    assert values["count"] == ("Forty", 40)
    assert values["cargo"] == ("relief", "aid")
    assert "count = 'Forty' -> 40" in report.render()


def test_field_trace_follows_capture_mention_and_normalizer(aid: evx.RuleSet) -> None:
    """--field on a captured field: the capture, the mention with its span, its normalizer."""
    doc = evx.Document.from_text("Forty aid trucks entered Gaza.")
    (report,) = explain(aid, doc, "aid_entered", field="count")
    kept = next(m for m in report.matches if m.kept)
    assert [(s.text, s.outcome) for s in kept.traced] == [
        ("capture `count` = 'Forty'", "value 40"),
        ("the @Quantity mention there", "value 40"),
        ("value: number(match)", "number('Forty') = 40"),
    ]
    assert kept.fields == (("count", "40 (stated at 0-5 'Forty')"),)


def test_field_trace_follows_set_line_and_classifier_case(aid: evx.RuleSet) -> None:
    """--field on a `set:` field: the line that gave it and the classifier case that held."""
    doc = evx.Document.from_text("Troops blocked 12 aid trucks reaching Rafah.")
    (report,) = explain(aid, doc, "aid_entered", field="status")
    kept = next(m for m in report.matches if m.kept)
    (line, case) = kept.traced
    assert (line.text, line.outcome) == ("set: status = entry_status(trigger)", '"blocked"')
    assert line.place is not None and line.place.line == 29
    assert case.text == "blocked when before(t, 4) has blocked_word"
    assert case.outcome == "holds: chosen"


def test_field_trace_of_a_default(aid: evx.RuleSet) -> None:
    """A classifier that fell through shows each case that did not hold and the `otherwise`."""
    doc = evx.Document.from_text("Forty aid trucks entered Gaza.")
    (report,) = explain(aid, doc, "aid_entered", field="status")
    kept = next(m for m in report.matches if m.kept)
    assert [s.outcome for s in kept.traced[1:]] == ["does not hold", "chosen"]
    assert kept.traced[-1].text == "otherwise entered"


def test_unknown_field_is_a_clear_error(aid: evx.RuleSet) -> None:
    """Asking for a field the rule's type lacks names the fields it has."""
    with pytest.raises(UnknownRuleError, match="fields: count, cargo"):
        explain(aid, evx.Document.from_text("x"), "aid_entered", field="counted")


def test_cli_explain_text_and_field() -> None:
    """`evx explain RULES --text ... --field NAME` needs no file and prints the trace."""
    out, err = io.StringIO(), io.StringIO()
    args = ["explain", str(AID), "--rule", "aid_entered", "--no-cache"]
    status = main([*args, "--text", "Forty aid trucks entered Gaza.", "--field", "count"], out, err)
    assert status == 0, err.getvalue()
    assert "number('Forty') = 40" in out.getvalue()
    status = main([*args, "--text", TRUCKS], out := io.StringIO(), err)
    assert status == 0
    assert "token 4 ',' failed:" in out.getvalue()
    assert f"{AID}:28:69: enter_verb" in out.getvalue()  # the rule file as the user gave it
    status = main([*args, "--text", "x", "--field", "nope"], io.StringIO(), err := io.StringIO())
    assert status == 2 and "no field 'nope'" in err.getvalue()


def test_the_fix_docs_authoring_suggests_makes_the_near_miss_match(tmp_path: Path) -> None:
    """docs/authoring.md's fix (a parenthetical between vehicle and verb) turns the near miss into a kept match."""
    text = AID.read_text(encoding="utf-8")
    fixed = text.replace(
        "vehicle:vehicle trigger:enter_verb",
        "vehicle:vehicle ([punct] [!punct]{1,4} [punct])? trigger:enter_verb",
    )
    assert fixed != text
    (tmp_path / "aid.rules").write_text(fixed, encoding="utf-8")
    rules = evx.load(tmp_path / "aid.rules")
    (report,) = explain(rules, evx.Document.from_text(TRUCKS), "aid_entered")
    kept = [m for m in report.matches if m.kept]
    assert [m.text for m in kept] == ["120 aid trucks, carrying flour, entered Gaza"]


def test_field_trace_of_an_inherited_value_on_the_shipped_packs() -> None:
    """On the seeds, a headline truce's status comes from its story: --field says from which rule and span."""
    root = Path(__file__).parent.parent
    rules = evx.load(root / "rules")
    seed = root / "seeds" / "000_628063156920c819.txt"
    doc = evx.Document.from_bytes(seed.read_bytes(), "seed")
    # the first truce whose status the story gives (which one depends on the packs' cues)
    kept = next(
        m
        for report in explain(rules, doc, "truce", field="status")
        for m in report.matches
        if m.kept and m.traced and m.traced[0].text.startswith("inherited from ")
    )
    step = kept.traced[0]
    assert step.text.startswith("inherited from ceasefire.rules:")
    assert "stated at" in step.outcome
    assert kept.traced[1].text.startswith("set: status")
    assert kept.traced[1].place is not None and kept.traced[1].place.file == "ceasefire.rules"
