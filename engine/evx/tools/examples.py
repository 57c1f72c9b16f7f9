"""Run the `example` and `counter` clauses of rules as tests, explaining each failure.

An example of rule R holds when a record of R's type that R made (or that R's record was
merged into) has the values it expects. It can hold without testing R: when the records
that satisfy it also rest on other rules (a `merge:` joined R's record to another's, or
R's record took the values from its story), the example is run again on the rules without
R, and if it still holds there, R no longer exercises it (warning W318: R may be shadowed,
broken, or its values all come from the record it joins).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from evx.errors import Diagnostic, source_line
from evx.match.compiler import compile_rules
from evx.records.events import Event
from evx.ruleset import RuleExample, RuleSet
from evx.text.document import Document

__all__ = ["ExampleOutcome", "ExampleRunner", "example_document", "run_example"]

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


@attrs.frozen
class ExampleOutcome:
    """What running one example found: why it fails (None: it holds), that failure as a
    diagnostic (E501, at the clause), and the warning W318 when it holds even without
    its rule."""

    problem: str | None = None
    failure: Diagnostic | None = None
    warning: Diagnostic | None = None


def _describe(event: Event) -> str:
    fields = ", ".join(f"{k} = {v!r}" for k, v in event.fields.to_dict().items())
    return f"{event.type} from {event.rule} on {event.text!r}: {fields}"


def _holds(event: Event, example: RuleExample) -> bool:
    actual = event.fields.to_dict()
    return all(actual.get(name) == want for name, want in example.expect)


def _own(event: Event, example: RuleExample) -> bool:
    """The record is R's alone: R made it, nothing merged into it, and no value it was
    expected to have came from another rule (its story, say)."""
    if event.rules != (example.rule,):
        return False
    return all(
        source.rule == example.rule
        for name, _want in example.expect
        if (source := event.provenance.get(name)) is not None
    )


class ExampleRunner:
    """Runs examples of one rule set; the rule set without a rule, needed to tell whether
    an example still tests its rule, is compiled once per rule that needs it."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._without: dict[str, RuleSet] = {}

    def without(self, qualified_name: str) -> RuleSet:
        """The rule set with one rule left out (compiled again, not checked again)."""
        found = self._without.get(qualified_name)
        if found is None:
            checked = self.rules.compiled.checked
            kept = tuple(r for r in checked.rules if r.qualified_name != qualified_name)
            found = RuleSet(compile_rules(attrs.evolve(checked, rules=kept)))
            self._without[qualified_name] = found
        return found

    def run(self, example: RuleExample, *, warn: bool = True) -> ExampleOutcome:
        """Whether the example holds, why not, and (unless ``warn`` is false) whether it
        still tests its rule."""
        outcome = self._run(example, warn)
        if outcome.problem is None:
            return outcome
        kind = "counter-example" if example.counter else "example"
        head, *rest = outcome.problem.splitlines()
        why = head.rstrip(":") + (": " + "; ".join(rest) if rest else "")
        failure = self._diagnostic(
            "E501", f"{kind} of `{example.rule}` fails: {why}", example, severity="error"
        )
        return attrs.evolve(outcome, failure=failure)

    def _diagnostic(
        self,
        code: str,
        message: str,
        example: RuleExample,
        hint: str | None = None,
        severity: str = "warning",
    ) -> Diagnostic:
        pos = example.pos
        source = self.rules.compiled.checked.sources.get(pos.file) if pos is not None else None
        line = source_line(source, pos.line) if source is not None and pos is not None else None
        return Diagnostic(code, message, pos, hint=hint, source_line=line, severity=severity)

    def _run(self, example: RuleExample, warn: bool) -> ExampleOutcome:
        rules = self.rules
        is_event = rules.compiled.schemas[example.label].is_event
        events = rules.extract(example_document(rules, example.text), mentions=not is_event)
        mine = [e for e in events if example.rule in e.rules and e.type == example.label]
        if example.counter:
            if not mine:
                return ExampleOutcome()
            lines = "\n".join(_describe(e) for e in mine)
            return ExampleOutcome("fired, but this is a counter-example:\n" + lines)
        if not mine:
            return ExampleOutcome(self._why_not(example, events))
        holding = [e for e in mine if _holds(e, example)]
        if not holding:
            best = min(
                (
                    [
                        f"{name}: expected {want!r}, got {e.fields.to_dict().get(name)!r}"
                        for name, want in example.expect
                        if e.fields.to_dict().get(name) != want
                    ]
                    for e in mine
                ),
                key=len,
            )
            return ExampleOutcome("fired with other values:\n" + "\n".join(best))
        if not warn or not is_event or any(_own(e, example) for e in holding):
            return ExampleOutcome()
        return ExampleOutcome(warning=self._unexercised(example, holding[0]))

    def _unexercised(self, example: RuleExample, record: Event) -> Diagnostic | None:
        """W318 when the example holds on the rules without its rule too."""
        others = self.without(example.rule)
        events = others.extract(example_document(others, example.text))
        found = [e for e in events if e.type == example.label and _holds(e, example)]
        if not found:
            return None
        names = list(dict.fromkeys(r for e in found for r in e.rules))
        made_by = ", ".join(f"`{r}`" for r in names)
        how = "is merged into it" if example.rule in record.merged else "takes them from its story"
        return self._diagnostic(
            "W318",
            f"example of `{example.rule}` holds without it: {made_by} "
            f"{'makes' if len(names) == 1 else 'make'} a record with the values it expects "
            f"(`{example.rule}`'s record {how})",
            example,
            hint="give the example a text where this rule states what it expects, or expect "
            "only what this rule itself gives",
        )

    def _why_not(self, example: RuleExample, events: list[Event]) -> str:
        rules = self.rules
        annotation = rules.annotate(example_document(rules, example.text))
        raw = annotation.raw_counts.get(example.rule, 0)
        others = [e for e in events if e.type == example.label]
        instead = [e for e in others if _holds(e, example)]
        note = []
        if instead:
            made_by = ", ".join(f"`{r}`" for r in dict.fromkeys(e.rule for e in instead))
            note = [
                f"the record it expects is made by {made_by}: the example no longer "
                "exercises its own rule"
            ]
        if raw:
            lines = [f"matched {raw} time(s), but lost to overlapping matches of other rules:"]
            lines.extend(_describe(e) for e in others)
            return "\n".join(lines + note)
        lines = ["did not match"]
        if rules.external_mentions or rules.attributes:
            lines[0] += (
                " (an example's text brings no outside mentions, and declared attributes are "
                '"", 0 or false on every token)'
            )
        if others:
            lines.append("other rules found:")
            lines.extend(_describe(e) for e in others)
        return "\n".join(lines + note)


def run_example(rules: RuleSet, example: RuleExample) -> str | None:
    """None when the example holds; otherwise what went wrong, in a few lines."""
    return ExampleRunner(rules).run(example, warn=False).problem
