"""Explain one rule on one document: where it matched and what became of it, or how far it got.

For every sentence the rule could start in or could not be ruled out for — or every
sentence, on request — the explanation lists the rule's matches with their captures, whether
`where:` kept them and whether they survived the overlap policy; for a sentence without a
match it shows the *near miss*: the furthest token the pattern reached and what it expected
there, read off the same memo the matcher fills (so explaining costs one more run, no more).
"""

from __future__ import annotations

import json

import attrs

from evx.errors import EvxError
from evx.match.compiler import CompiledRule
from evx.match.matcher import Annotation, annotate
from evx.match.scope import MatchScope
from evx.match.vm import Match, Run
from evx.records.events import Event
from evx.ruleset import RuleSet
from evx.text.document import Document
from evx.tools.trace import Element, Rename, Step, Tracer, near_miss


class UnknownRuleError(EvxError):
    """The rule asked for is not in the rule set."""

    code = "X001"


@attrs.frozen
class Capture:
    """One capture of a match: its name, its text and its value (a mention's value, a
    lexicon entry's canonical form, else the text)."""

    name: str
    text: str
    value: object

    def render(self) -> str:
        if self.value == self.text:
            return f"{self.name} = {self.text!r}"
        return f"{self.name} = {self.text!r} -> {json.dumps(self.value, ensure_ascii=False)}"


@attrs.frozen
class MatchReport:
    """One raw match of the rule: its text, captures, and what happened to it."""

    text: str
    captures: tuple[tuple[str, str], ...]
    where_ok: bool
    kept: bool
    # the fields of the record a kept match made, with where each value came from
    fields: tuple[tuple[str, str], ...] = ()
    values: tuple[Capture, ...] = ()  # the captures with their values
    where: tuple[Step, ...] = ()  # how `where:` decided, part by part (when it rejected)
    traced: tuple[Step, ...] = ()  # how the field asked for (--field) got its value

    def render(self, rename: Rename = str) -> list[str]:
        """The match's lines in a report."""
        if self.kept:
            verdict = "kept"
        elif not self.where_ok:
            verdict = "rejected by where:"
        else:
            verdict = "lost to an overlapping match"
        lines = [f"  match {self.text!r}: {verdict}"]
        lines.extend(f"    {c.render()}" for c in self.values)
        if not self.where_ok and self.where:
            lines.append("    where:")
            lines.extend(f"      {step.render(rename)}" for step in self.where)
        if self.fields:
            lines.append("    record:")
            lines.extend(f"      {name} = {how}" for name, how in self.fields)
        if self.traced:
            lines.append("    field:")
            lines.extend(f"      {step.render(rename)}" for step in self.traced)
        return lines


@attrs.frozen
class SentenceReport:
    """What the rule did in one sentence."""

    index: int
    text: str
    words: tuple[str, ...]
    matches: tuple[MatchReport, ...]
    furthest: int | None  # token offset within the sentence the pattern got furthest to
    expected: tuple[str, ...]  # what the pattern wanted there
    start: int | None = None  # token offset within the sentence of the start that got there
    failed: tuple[Element, ...] = ()  # the pattern elements that failed there, with places

    def render(self, rename: Rename = str) -> str:
        """The report as lines for people, with a caret under the near miss; `rename`
        gives rule files the names the user knows them by."""
        lines = [f"sentence {self.index}: {self.text}"]
        for m in self.matches:
            lines.extend(m.render(rename))
        if self.matches:
            return "\n".join(lines)
        if self.furthest is None or self.start is None:
            lines.append("  no match: the pattern's first element never matched")
            return "\n".join(lines)
        words = list(self.words)
        prefix = " ".join(words[: self.furthest])
        caret = " " * (len(prefix) + (1 if prefix else 0)) + "^"
        got = " ".join(words[self.start : self.furthest])
        lines.append(f"  no match; from {words[self.start]!r} it got furthest here ({got!r}):")
        lines.append("    " + " ".join(words))
        lines.append("    " + caret)
        if self.furthest >= len(words):
            lines.append("    the sentence ended; the pattern wanted more:")
        else:
            token = words[self.furthest]
            lines.append(f"    token {self.furthest} {token!r} failed:")
        if self.failed:
            for element in self.failed:
                lines.extend(element.render("      ", rename))
        elif self.expected:
            lines.append("      expected: " + " | ".join(self.expected))
        else:
            lines.append("      (a lookaround or anchor after it failed)")
        return "\n".join(lines)


def find_rule(rules: RuleSet, name: str) -> CompiledRule:
    """A rule by `name` or `file:name`."""
    for rule in rules.compiled.rules:
        if name in (rule.name, rule.qualified_name):
            return rule
    known = ", ".join(r.name for r in rules.compiled.rules)
    raise UnknownRuleError(f"no rule named {name!r}; rules: {known}")


def explain(
    rules: RuleSet,
    doc: Document,
    rule_name: str,
    every_sentence: bool = False,
    field: str | None = None,
) -> list[SentenceReport]:
    """Per sentence: the rule's matches and their fate, or its near miss; with `field`,
    how that field of each kept match's record got its value."""
    rule = find_rule(rules, rule_name)
    if field is not None and field not in rules.compiled.schemas[rule.label].field_names:
        known = ", ".join(rules.compiled.schemas[rule.label].field_names)
        raise UnknownRuleError(f"{rule.label} has no field {field!r}; fields: {known}")
    annotation = annotate(rules.compiled, doc)
    kept = {(h.start, h.end) for h in annotation.hits.get(rule.label, ()) if h.rule is rule}
    records = [r for r in rules.records(annotation) if rule.qualified_name in r.rules]
    tracer = Tracer(rules.compiled.checked)
    sources = rules.compiled.checked.sources
    reports: list[SentenceReport] = []
    for index, (lo, hi) in enumerate(doc.sentences):
        if not every_sentence and not _could_run(rule, doc, lo, hi, annotation):
            continue
        run = Run(annotation.ctx, lo, hi, lo, hi)
        matches = run.search(rule.program)
        items = tuple(
            _report(annotation, rule, m, (lo, hi), kept, records, tracer, field) for m in matches
        )
        words = tuple(doc.words[lo:hi])
        report = SentenceReport(index, doc.span_text(lo, hi), words, items, None, ())
        if not matches:
            miss = near_miss(annotation.ctx, rule.program, lo, hi, sources)
            if miss is not None:
                report = attrs.evolve(
                    report,
                    furthest=miss.furthest - lo,
                    start=miss.start - lo,
                    expected=tuple(sorted({e.note for e in miss.failed} - {""})),
                    failed=miss.failed,
                )
        reports.append(report)
    return reports


def _could_run(rule: CompiledRule, doc: Document, lo: int, hi: int, annotation: Annotation) -> bool:
    # where the rule could start (its first keys) or could not be ruled out (its required
    # keys): the sentences a near miss is worth showing for
    keys = (rule.first or frozenset()) | (rule.required or frozenset())
    if rule.first is None or (rule.required is None and not keys):
        return True
    for i in range(lo, hi):
        if ("w", doc.lower[i]) in keys or ("l", doc.lemma[i]) in keys:
            return True
    labels = {value for kind, value in keys if kind == "@"}
    return any(
        annotation.ctx.labels.get(label) is not None
        and any(lo <= s < hi for s in annotation.ctx.labels[label].by_start)
        for label in labels
    )


def _report(
    annotation: Annotation,
    rule: CompiledRule,
    match: Match,
    sentence: tuple[int, int],
    kept: set[tuple[int, int]],
    records: list[Event],
    tracer: Tracer,
    field: str | None,
) -> MatchReport:
    doc = annotation.doc
    scope = MatchScope(annotation.ctx, rule, match, sentence)
    where_ok = rule.where is None or rule.where(scope)
    captures = tuple((name, doc.span_text(s, e)) for name, s, e in match.captures)
    values = tuple(
        Capture(name, scope.span_text(s, e), scope._span_value(name, (s, e)))
        for name, s, e in match.captures
    )
    is_kept = (match.start, match.end) in kept
    fields: tuple[tuple[str, str], ...] = ()
    traced: tuple[Step, ...] = ()
    if is_kept:
        start, end = doc.char_span(match.start, match.end)
        record = next((r for r in records if r.start <= start and end <= r.end), None)
        if record is not None:
            fields = _fields(annotation, record)
            if field is not None:
                fields = tuple((n, how) for n, how in fields if n == field)
                traced = tuple(_provenance_steps(annotation, record, field))
                traced += tuple(tracer.field(rule, field, scope))
    where = () if where_ok else tuple(tracer.where(rule, scope))
    return MatchReport(
        doc.span_text(match.start, match.end),
        captures,
        where_ok,
        is_kept,
        fields,
        values,
        where,
        traced,
    )


def _provenance_steps(annotation: Annotation, record: Event, field: str) -> list[Step]:
    """What the record's provenance says of a field that its own match did not state: the
    statement of its story it was inherited from (the steps after it show what this match
    alone gives)."""
    source = record.provenance.get(field)
    if source is None or source.how != "inherited":
        return []
    where = annotation.text(source.start, source.end)
    return [
        Step(
            f"inherited from {source.rule}",
            None,
            f"stated at {source.start}-{source.end} {where!r}; this match alone gives:",
        )
    ]


def _fields(annotation: Annotation, record: Event) -> tuple[tuple[str, str], ...]:
    """Each field of a record with its value and where that came from."""
    out: list[tuple[str, str]] = []
    for name, value in record.fields.to_dict().items():
        source = record.provenance.get(name)
        shown = json.dumps(value, ensure_ascii=False)
        if source is None:
            out.append((name, f"{shown} (nothing stated it)"))
            continue
        where = annotation.text(source.start, source.end)
        if source.how == "inherited":
            note = f"inherited from {source.rule}, stated at {source.start}-{source.end} {where!r}"
        elif source.how == "defaulted":
            note = "defaulted: the classifier's `otherwise`"
        else:
            note = f"stated at {source.start}-{source.end} {where!r}"
        out.append((name, f"{shown} ({note})"))
    return tuple(out)
