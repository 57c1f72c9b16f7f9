"""The shipped rule packs: their examples hold, they score on the seed gold, and they agree on retold stories."""

from __future__ import annotations

import collections
import functools
import io
from pathlib import Path

import pytest

import evx
from evx.cli import main
from evx.evaluation import Report, evaluate
from evx.tools.examples import run_example

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEEDS = ROOT / "seeds"
GOLD = SEEDS / "gold"

EVENT_TYPES = ("CeasefirePhase", "HostageRelease", "AnonymousSource")
KEY_FIELDS = {
    "CeasefirePhase": ("phase", "duration_days", "status"),
    "HostageRelease": ("count", "status"),
    "AnonymousSource": ("count",),
}


@functools.cache
def rules() -> evx.RuleSet:
    return evx.load(RULES)


@functools.cache
def seed_report() -> Report:
    return evaluate(rules(), [SEEDS], GOLD)


def _examples() -> list[evx.RuleExample]:
    return rules().examples()


@pytest.mark.parametrize(
    "example", _examples(), ids=lambda e: f"{e.rule}@{e.where.rsplit(':', 2)[-2]}"
)
def test_rule_example(example: evx.RuleExample) -> None:
    """Every `example` in the packs fires with its values; every `counter` does not fire."""
    problem = run_example(rules(), example)
    assert problem is None, f"{example.where}: {problem}"


def test_every_rule_has_an_example_and_a_counter() -> None:
    """Each rule and mention carries at least one example and one counter-example."""
    missing = []
    for rule in rules().compiled.rules:
        kinds = {ex.counter for ex in rule.checked.rule.examples}
        if kinds != {True, False}:
            missing.append(rule.qualified_name)
    assert not missing


def test_packs_declare_the_event_fields_of_the_design() -> None:
    """Field names follow EVENTS.md exactly, in order."""
    schemas = rules().compiled.schemas
    assert schemas["CeasefirePhase"].field_names == (
        "phase",
        "duration_days",
        "status",
        "parties",
        "mediators",
    )
    assert schemas["HostageRelease"].field_names == (
        "count",
        "released_by",
        "mode",
        "exchange",
        "exchange_count",
        "status",
    )
    assert schemas["AnonymousSource"].field_names == (
        "source",
        "count",
        "role",
        "affiliation",
        "reason",
    )


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_seed_f1_at_least_093(event_type: str) -> None:
    """On the hand-made seed gold, each event type scores F1 >= 0.93 (issue 12 keeps it there)."""
    report = seed_report()
    assert report.type_score(event_type).f1 >= 0.93, report.render_table()


@pytest.mark.parametrize(
    ("event_type", "field"),
    [(t, f) for t, fields in KEY_FIELDS.items() for f in fields],
)
def test_seed_key_field_accuracy_at_least_085(event_type: str, field: str) -> None:
    """Over matched pairs, count, phase, duration_days and status are right >= 85% of the time."""
    report = seed_report()
    score = report.field_score(event_type, field)
    assert score.n > 0 and score.accuracy >= 0.85, report.render_table()


def _keys(path: Path) -> collections.Counter[tuple[object, ...]]:
    events = rules().extract(path.read_text(encoding="utf-8"), str(path))
    return collections.Counter(
        (e.type, *(e.fields.to_dict()[k] for k in KEY_FIELDS[e.type])) for e in events
    )


def test_retold_story_gives_the_same_events() -> None:
    """Seeds 001 and 002 tell one story in different words: >= 90% of records agree on type
    and key fields (one-to-one, counted as 2 x agreeing / (records of 001 + records of 002))."""
    first = _keys(SEEDS / "001_b0d58523203c84aa.txt")
    second = _keys(SEEDS / "002_ab0ced552b81b7bf.txt")
    agreeing = sum((first & second).values())
    total = sum(first.values()) + sum(second.values())
    assert 2 * agreeing / total >= 0.90, (first - second, second - first)


def test_run_over_the_seeds_gives_all_three_types() -> None:
    """`evx run rules/ seeds/` produces records of the three families, each with provenance."""
    events = list(rules().run([SEEDS]))
    assert {e.type for e in events} == set(EVENT_TYPES)
    for event in events:
        text = Path(event.doc).read_text(encoding="utf-8")
        assert text[event.start : event.end] == event.text
        assert event.text in event.sentence or event.sentence in event.text


# The second set (heldout2) was written and annotated on 2026-12-02 by a helper who had not
# read the rules: 0.857 / 0.889 / 0.828 F1 for sources, truces and releases at first contact.
@pytest.mark.parametrize("folder", ["heldout", "heldout2"])
@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_heldout_f1_stays_above_080(folder: str, event_type: str) -> None:
    """On wire copy from other conflicts (tests/data/heldout and heldout2, gold made without
    seeing the rules), F1 stays >= 0.80 per type: a floor against regressions, below today's
    figures."""
    articles = ROOT / "tests" / "data" / folder
    report = evaluate(rules(), [articles], articles / "gold")
    assert report.type_score(event_type).f1 >= 0.80, report.render_table()


def test_follow_up_sentence_joins_its_source_on_the_seed() -> None:
    """Seed 000: "Three officials acknowledged ... They spoke on condition of anonymity because
    ..." is one AnonymousSource: source "Three officials", count 3, reason from sentence two."""
    path = SEEDS / "000_628063156920c819.txt"
    events = rules().extract(path.read_text(encoding="utf-8"), str(path))
    (record,) = [
        e for e in events if e.type == "AnonymousSource" and e.fields.source == "Three officials"
    ]
    assert record.fields.to_dict() == {
        "source": "Three officials",
        "count": 3,
        "role": "official",
        "affiliation": None,
        "reason": "weren't authorized to discuss the talks",
    }
    assert record.sentence.endswith("because they weren't authorized to discuss the talks.")
    assert "anonymous_sources.rules:anonymity_followup" in record.rules


@pytest.mark.parametrize("command", ["check", "test"])
def test_the_packs_are_clean_under_strict(command: str) -> None:
    """`evx check --strict` and `evx test --strict` pass on the shipped packs: no warning,
    not even W316-W318 (a rule beaten by another, a capture no field reads, an example
    that holds without its own rule)."""
    out, err = io.StringIO(), io.StringIO()
    status = main([command, str(RULES), "--strict", "--no-cache"], out, err)
    assert status == 0, out.getvalue() + err.getvalue()
