"""Run a compiled rule set over one document: labels in dependency order, overlaps resolved.

For each label (mention or event type) in the order the checker computed, the rules that
produce it run only on the sentences their prefilter keys occur in, and only from the
positions their first keys occur at. Their matches are reduced by the label's overlap
policy and become the label's table, which later labels' `@Label` references read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

import attrs

from evx.errors import DocumentError
from evx.match.compiler import CompiledRule, CompiledRuleSet
from evx.match.prefilter import Key
from evx.match.scope import MatchScope
from evx.match.vm import DocContext, LabelTable, Match, Run
from evx.text.document import Document


@attrs.frozen(slots=True)
class Hit:
    """One kept match of one rule: which rule, which sentence, the match, and its value."""

    rule: CompiledRule
    sentence: int
    match: Match
    value: object = None

    @property
    def start(self) -> int:
        return self.match.start

    @property
    def end(self) -> int:
        return self.match.end


@attrs.frozen
class Annotation:
    """Everything matching found in one document: kept hits per label, and the label tables."""

    doc: Document
    ctx: DocContext
    hits: dict[str, list[Hit]]
    raw_counts: dict[str, int]  # rule qualified name -> matches before overlap resolution


class _DocIndex:
    """Token positions of each lower form and lemma in a document, for prefilter lookups."""

    def __init__(self, doc: Document) -> None:
        self.by_lower: dict[str, list[int]] = {}
        self.by_lemma: dict[str, list[int]] = {}
        for i, (lower, lemma) in enumerate(zip(doc.lower, doc.lemma, strict=True)):
            self.by_lower.setdefault(lower, []).append(i)
            self.by_lemma.setdefault(lemma, []).append(i)
        self.by_label: dict[str, list[int]] = {}

    def positions(self, key: Key) -> Sequence[int]:
        kind, value = key
        if kind == "w":
            return self.by_lower.get(value, ())
        if kind == "l":
            return self.by_lemma.get(value, ())
        return self.by_label.get(value, ())


def check_columns(compiled: CompiledRuleSet, doc: Document) -> None:
    """Fail the document clearly when rules need token attributes it does not carry."""
    for attr, rules in compiled.needed_attrs.items():
        if not doc.has_column(attr):
            shown = ", ".join(rules[:3]) + (" ..." if len(rules) > 3 else "")
            raise DocumentError(
                doc.id,
                f"rules ({shown}) test the token attribute `{attr}`, which this document does "
                f"not have; pass it in with Document.from_tokens(..., {attr}=[...])",
                code="D003",
            )


def annotate(compiled: CompiledRuleSet, doc: Document) -> Annotation:
    """Match every rule of the set against the document, label by label."""
    check_columns(compiled, doc)
    ctx = DocContext(doc)
    index = _DocIndex(doc)
    sentence_starts = [lo for lo, _ in doc.sentences]
    hits: dict[str, list[Hit]] = {}
    raw_counts: dict[str, int] = {}
    runs: dict[int, Run] = {}

    def run_for(sentence: int) -> Run:
        found = runs.get(sentence)
        if found is None:
            lo, hi = doc.sentences[sentence]
            found = runs[sentence] = Run(ctx, lo, hi, lo, hi)
        return found

    # the rules that could match this document at all: look its distinct words up in the
    # prefilter index (labels are added as they are found), instead of visiting every rule
    runnable: set[int] = set(compiled.unkeyed)
    key_index = compiled.key_index
    for word in index.by_lower:
        runnable.update(key_index.get(("w", word), ()))
    for lemma in index.by_lemma:
        runnable.update(key_index.get(("l", lemma), ()))

    for label, rule_ids in compiled.stages:
        schema = compiled.schemas[label]
        found: list[Hit] = []
        for rule_id in rule_ids:
            rule = compiled.rules[rule_id]
            count = 0
            if rule_id in runnable:
                for sentence in _candidate_sentences(rule, index, doc, sentence_starts):
                    lo, hi = doc.sentences[sentence]
                    starts = _candidate_starts(rule, index, lo, hi)
                    if starts is not None and not starts:
                        continue
                    for match in run_for(sentence).search(rule.program, starts):
                        if rule.where is not None:
                            scope = MatchScope(ctx, rule, match, doc.sentences[sentence])
                            if not rule.where(scope):
                                continue
                        found.append(Hit(rule, sentence, match))
                        count += 1
            raw_counts[rule.qualified_name] = count
        kept = resolve_overlaps(found, schema.overlap)
        table = LabelTable()
        valued: list[Hit] = []
        for hit in kept:
            value = None
            if hit.rule.value is not None:
                scope = MatchScope(ctx, hit.rule, hit.match, doc.sentences[hit.sentence])
                value = hit.rule.value(scope)
                hit = attrs.evolve(hit, value=value)
            table.add(hit.start, hit.end, value)
            valued.append(hit)
        ctx.labels[label] = table
        index.by_label[label] = sorted({h.start for h in valued})
        if valued:
            runnable.update(key_index.get(("@", label), ()))
        hits[label] = valued
    return Annotation(doc, ctx, hits, raw_counts)


def _candidate_sentences(
    rule: CompiledRule, index: _DocIndex, doc: Document, sentence_starts: list[int]
) -> Iterable[int]:
    if rule.required is None:
        return range(len(doc.sentences))
    sentences: set[int] = set()
    sentence_of = doc.sentence_of
    for key in rule.required:
        for pos in index.positions(key):
            sentences.add(sentence_of[pos])
    return sorted(sentences)


def _candidate_starts(
    rule: CompiledRule, index: _DocIndex, lo: int, hi: int
) -> Sequence[int] | None:
    if rule.first is None:
        return None
    starts: set[int] = set()
    for key in rule.first:
        positions = index.positions(key)
        if not positions:
            continue
        i = bisect_left(positions, lo)
        while i < len(positions) and positions[i] < hi:
            starts.add(positions[i])
            i += 1
    return sorted(starts)


def resolve_overlaps(hits: list[Hit], policy: str) -> list[Hit]:
    """Apply a label's overlap policy; the result is in document order.

    ``longest``: among overlapping matches keep the longest (ties: earlier start, then the
    rule written first). ``all``: keep every match but exact duplicates (same span).
    """
    ordered = sorted(hits, key=lambda h: (h.start, -h.end, h.rule.checked.order))
    if policy == "all":
        out: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        for hit in ordered:
            if (hit.start, hit.end) not in seen:
                seen.add((hit.start, hit.end))
                out.append(hit)
        return out
    by_length = sorted(ordered, key=lambda h: (-(h.end - h.start), h.start, h.rule.checked.order))
    taken: list[tuple[int, int]] = []
    kept: list[Hit] = []
    for hit in by_length:
        if any(hit.start < e and s < hit.end for s, e in taken):
            continue
        taken.append((hit.start, hit.end))
        kept.append(hit)
    kept.sort(key=lambda h: (h.start, h.end))
    return kept
