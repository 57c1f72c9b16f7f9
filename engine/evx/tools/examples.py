"""Run the `example` and `counter` clauses of rules as tests, explaining each failure."""

from __future__ import annotations

from collections.abc import Sequence

from evx.records.events import Event
from evx.ruleset import RuleExample, RuleSet
from evx.text.document import Document

# what a declared attribute holds in an example's text, which cannot supply one
_NEUTRAL: dict[str, object] = {"str": "", "int": 0, "bool": False}


def example_document(rules: RuleSet, text: str) -> Document:
    """The document of an example's text: declared attributes neutral (``""``, ``0``,
    false) on every token, and no outside mentions."""
    doc = Document.from_text(text, "<example>")
    columns: dict[str, Sequence[object]] = {
        name: [_NEUTRAL[kind]] * len(doc) for name, kind in rules.attributes.items()
    }
    return doc.supplied(mentions=(), **columns) if columns else doc


def _describe(event: Event) -> str:
    fields = ", ".join(f"{k} = {v!r}" for k, v in event.fields.to_dict().items())
    return f"{event.type} from {event.rule} on {event.text!r}: {fields}"


def run_example(rules: RuleSet, example: RuleExample) -> str | None:
    """None when the example holds; otherwise what went wrong, in a few lines."""
    is_event = rules.compiled.schemas[example.label].is_event
    events = rules.extract(example_document(rules, example.text), mentions=not is_event)
    mine = [e for e in events if example.rule in e.rules and e.type == example.label]
    if example.counter:
        if not mine:
            return None
        return "fired, but this is a counter-example:\n" + "\n".join(_describe(e) for e in mine)
    if not mine:
        return _why_not(rules, example, events)
    best: tuple[int, list[str]] | None = None
    for event in mine:
        actual = event.fields.to_dict()
        diffs = [
            f"{name}: expected {want!r}, got {actual.get(name)!r}"
            for name, want in example.expect
            if actual.get(name) != want
        ]
        if not diffs:
            return None
        if best is None or len(diffs) < best[0]:
            best = (len(diffs), diffs)
    assert best is not None
    return "fired with other values:\n" + "\n".join(best[1])


def _why_not(rules: RuleSet, example: RuleExample, events: list[Event]) -> str:
    annotation = rules.annotate(example_document(rules, example.text))
    raw = annotation.raw_counts.get(example.rule, 0)
    if raw:
        winners = [e for e in events if e.type == example.label]
        lines = [f"matched {raw} time(s), but lost to overlapping matches of other rules:"]
        lines.extend(_describe(e) for e in winners)
        return "\n".join(lines)
    lines = ["did not match"]
    if rules.external_mentions or rules.attributes:
        lines[0] += (
            " (an example's text brings no outside mentions, and declared attributes are "
            '"", 0 or false on every token)'
        )
    others = [e for e in events if e.type == example.label]
    if others:
        lines.append("other rules found:")
        lines.extend(_describe(e) for e in others)
    return "\n".join(lines)
