"""Run a compiled rule set over one document: strata in dependency order, overlaps resolved.

Labels (mention or event types) are grouped into strata: a stratum's labels read only
labels of earlier strata. For each sentence, the stratum's scanner (:mod:`evx.match.scan`)
names the rules that can match and the tokens where their matches can start; the VM
(:mod:`evx.match.vm`) finds the match there, or the match is read off directly when the
rule is a plain chain of token tests. `where:` then filters, each label's overlap policy
reduces its matches, and the kept ones become the label's table, which later strata's
`@Label` references read.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

import attrs

from evx.match.compiler import CompiledRule, CompiledRuleSet
from evx.match.conditions import DocConditions
from evx.match.context import DocContext, LabelTable
from evx.match.deps import with_paths
from evx.match.ends import GAVE_UP
from evx.match.paths import ends_from, latest_end, match_ending
from evx.match.scope import MatchScope
from evx.match.supplied import check_columns, external_tables
from evx.match.vm import Match, Run
from evx.text.document import Document


class Hit(NamedTuple):
    """One kept match of one rule: which rule, which sentence, the match, and its value."""

    rule: CompiledRule
    sentence: int
    match: Match
    value: object = None

    @property
    def start(self) -> int:
        return self.match[0]

    @property
    def end(self) -> int:
        return self.match[1]


@attrs.frozen
class Annotation:
    """Everything matching found in one document: kept hits per label, and the label tables."""

    doc: Document
    ctx: DocContext
    hits: dict[str, list[Hit]]
    raw_counts: dict[str, int]  # rule qualified name -> matches before overlap resolution
    _texts: dict[tuple[int, int], str] = attrs.field(factory=dict, eq=False, repr=False)

    def text(self, start: int, end: int) -> str:
        """``doc.text[start:end]``, one string object per span however many records quote
        it: the records of a long sentence share its text instead of copying it each."""
        found = self._texts.get((start, end))
        if found is None:
            found = self._texts[start, end] = self.doc.text[start:end]
        return found


def annotate(compiled: CompiledRuleSet, doc: Document) -> Annotation:
    """Match every rule of the set against the document, stratum by stratum."""
    check_columns(compiled, doc)
    ctx = DocContext(doc)
    ctx.labels.update(external_tables(compiled, doc))
    word_classes = compiled.classes.of(doc)
    if compiled.conditions is not None:
        ctx.conditions = DocConditions(compiled.conditions, ctx, word_classes)
    hits: dict[str, list[Hit]] = {}
    raw_counts: dict[str, int] = dict.fromkeys(compiled.rule_names, 0)

    rules = compiled.rules
    modes = compiled.modes
    for stratum in compiled.strata:
        scanner = stratum.scanner
        classes = word_classes
        if scanner.labels:
            tables = [(name, ctx.labels[name]) for name in scanner.labels if name in ctx.labels]
            classes = compiled.classes.with_labels(word_classes, tables)
        found: dict[int, list[Hit]] = {}
        candidates = scanner.starts(classes, doc.sentences, doc.sentence_of)
        for sentence in sorted(candidates):
            lo, hi = doc.sentences[sentence]
            for rule_id, starts in candidates[sentence].items():
                rule = rules[rule_id]
                mode = modes[rule_id]
                if mode in ALL_PATHS and not rule.fixed:
                    matches = _all_paths(ctx, rule, classes, starts, lo, hi, mode)
                elif rule.fixed:
                    width = rule.fixed
                    matches = [Match(s, s + width, ()) for s in starts]
                elif rule.ends is not None:
                    matches = _plain_matches(ctx, rule, classes, starts, lo, hi)
                else:
                    run = ctx.sentence_run(lo, hi)
                    matches = run.search(rule.program, starts)
                    run.release(rule.program)
                if rule.paths:
                    matches = [with_paths(ctx, rule.paths, m, lo, hi) for m in matches]
                kept = found.get(rule_id)
                if kept is None:
                    kept = found[rule_id] = []
                where = rule.where
                if where is None:
                    kept.extend([Hit(rule, sentence, m) for m in matches])
                    continue
                for match in matches:
                    if where(MatchScope(ctx, rule, match, (lo, hi))):
                        kept.append(Hit(rule, sentence, match))
        by_label: dict[str, list[Hit]] = {}
        for rule_id in sorted(found):
            rule = rules[rule_id]
            raw_counts[rule.qualified_name] = len(found[rule_id])
            by_label.setdefault(rule.label, []).extend(found[rule_id])
        for label in stratum.labels:
            hits[label] = _keep(ctx, compiled, label, by_label.get(label, []))
    ctx.complete = True
    # labels in the checker's order, as the stages list them
    ordered = {label: hits[label] for label, _ in compiled.stages if label in hits}
    return Annotation(doc, ctx, ordered, raw_counts)


ALL_PATHS = frozenset({"all", "leftmost"})
"""Modes that look at every path of a pattern, not just the one each start prefers."""


def _all_paths(
    ctx: DocContext,
    rule: CompiledRule,
    classes: list[int],
    starts: list[int],
    lo: int,
    hi: int,
    mode: str,
) -> list[Match]:
    """`all`: every span any path can match from the starts; `leftmost`: the furthest.
    A plain rule reads its ends off its every-path DFA, with the VM's memo for long walks."""
    prog = rule.program
    finder = rule.ends
    run: Run | None = None
    out: list[Match] = []
    for s in starts:
        ends = finder.all_ends(classes, s, hi) if finder is not None else None
        if ends is None:
            run = run or ctx.sentence_run(lo, hi)
            if mode == "leftmost":  # the furthest end only: no set of ends kept per pair
                furthest = latest_end(run, prog, s)
                ends = [furthest] if furthest > s else []
            else:
                ends = ends_from(run, prog, s)
        if mode == "leftmost":
            ends = ends[-1:]
        if finder is not None:  # plain: no captures to recover
            out.extend(Match(s, e, ()) for e in ends)
            continue
        run = run or ctx.sentence_run(lo, hi)
        for e in ends:
            found = match_ending(run, prog, s, e)
            if found is not None:
                out.append(found)
    if run is not None:
        run.release(prog)
    return out


def _plain_matches(
    ctx: DocContext, rule: CompiledRule, classes: list[int], starts: list[int], lo: int, hi: int
) -> list[Match]:
    """A plain rule's matches from its DFA, with the VM taking over the long walks."""
    assert rule.ends is not None
    end = rule.ends.end
    out: list[Match] = []
    long_walks: list[int] = []
    for s in starts:
        e = end(classes, s, hi)
        if e > 0:
            out.append(Match(s, e, ()))
        elif e == GAVE_UP:
            long_walks.append(s)
    if long_walks:
        run = ctx.sentence_run(lo, hi)
        out.extend(run.search(rule.program, long_walks))
        run.release(rule.program)
        out.sort()
    return out


def _keep(ctx: DocContext, compiled: CompiledRuleSet, label: str, found: list[Hit]) -> list[Hit]:
    """The hits a label keeps under its overlap policy, with values; fills its table."""
    doc = ctx.doc
    spans: list[tuple[int, int, object]] = []
    valued: list[Hit] = []
    read = label in compiled.read_labels
    for hit in resolve_overlaps(found, compiled.schemas[label].overlap):
        value = None
        if hit.rule.value is not None:
            scope = MatchScope(ctx, hit.rule, hit.match, doc.sentences[hit.sentence])
            value = hit.rule.value(scope)
            hit = Hit(hit.rule, hit.sentence, hit.match, value)  # not _replace: hot
        if read:
            spans.append((hit.start, hit.end, value))
        valued.append(hit)
    if read:  # a label no rule reads needs no table
        ctx.labels[label] = LabelTable.build(spans)
    return valued


def resolve_overlaps(hits: list[Hit], policy: str) -> list[Hit]:
    """Apply a label's match mode to its rules' matches; the result is in document order.

    ``longest`` (the default): of the matches each start prefers, keep the longest of any
    that overlap (ties: earlier start, then the rule written first). ``leftmost``: of every
    match by any path, keep the leftmost, and the longest there. ``first``: each rule
    scans left to right, takes the match it prefers and resumes after it. ``each``: the
    match each start prefers, overlapping or not. ``all``: every span any path matches.
    Exact duplicates (the same span from two rules) are kept once, from the rule written
    first. Everything sorts once and sweeps: O(n log n) in the number of matches.
    """
    ordered = sorted(hits, key=_position)
    if policy in ("all", "each"):
        return _distinct(ordered)
    if policy == "first":
        last_end: dict[int, int] = {}
        scanned: list[Hit] = []
        for hit in sorted(hits, key=lambda h: (h.rule.order, h.match[0])):
            order = hit.rule.order
            if hit.start >= last_end.get(order, -1):
                scanned.append(hit)
                last_end[order] = hit.end
        return _distinct(sorted(scanned, key=_position))
    if policy == "leftmost":
        return _sweep(ordered)
    by_length = sorted(ordered, key=lambda h: (h.match[0] - h.match[1], h.match[0], h.rule.order))
    return _sweep(by_length)


def _position(hit: Hit) -> tuple[int, int, int]:
    """Document order: start, longer first, then the rule written first."""
    match = hit.match
    return (match[0], -match[1], hit.rule.order)


def _distinct(ordered: list[Hit]) -> list[Hit]:
    """The hits with each span once (the first of those sharing it)."""
    out: list[Hit] = []
    seen: set[tuple[int, int]] = set()
    for hit in ordered:
        match = hit.match
        span = (match[0], match[1])
        if span not in seen:
            seen.add(span)
            out.append(hit)
    return out


def _sweep(preferred: list[Hit]) -> list[Hit]:
    """Keep each hit, in the order given, that overlaps none kept before it."""
    # the kept spans never overlap, so sorted by start they are sorted by end too: a new
    # span overlaps a kept one only if it overlaps its neighbour on either side
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Hit] = []
    for hit in preferred:
        s, e = hit.start, hit.end
        at = bisect_right(starts, s)
        if at > 0 and ends[at - 1] > s:
            continue
        if at < len(starts) and starts[at] < e:
            continue
        starts.insert(at, s)
        ends.insert(at, e)
        kept.append(hit)
    kept.sort(key=lambda h: (h.start, h.end))
    return kept
