"""What a rule's expressions see of one match: its captures, their values, windows around them."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from evx.match.automaton import Program
from evx.match.conditions import has, has_in_document
from evx.match.context import DocContext
from evx.match.vm import Match

if TYPE_CHECKING:
    from evx.match.compiler import CompiledRule

_SPACES = re.compile(r"\s+")

# Tokens that close a clause for `clause(x)`: punctuation that separates clauses in news copy.
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", '"', "“", "”", "--"})


class MatchScope:
    """Evaluation scope of one match of one rule (implements ``compiler.Scope``).

    ``overrides`` replaces the spans of a capture (after `resolve:` found its antecedent).
    """

    __slots__ = ("ctx", "match", "overrides", "rule", "shi", "slo")

    def __init__(
        self,
        ctx: DocContext,
        rule: CompiledRule,
        match: Match,
        sentence: tuple[int, int],
        overrides: dict[str, list[tuple[int, int]]] | None = None,
    ) -> None:
        self.ctx = ctx
        self.rule = rule
        self.match = match
        self.slo, self.shi = sentence
        self.overrides = overrides or {}

    # ---------------------------------------------------------------- captures

    def spans(self, capture: str) -> list[tuple[int, int]]:
        if capture == "match":
            return [(self.match.start, self.match.end)]
        override = self.overrides.get(capture)
        if override is not None:
            return override
        return self.match.spans_of(capture)

    def _span_value(self, capture: str, span: tuple[int, int]) -> object:
        start, end = span
        source = self.rule.valuers.get(capture)
        if source is not None:
            for label in source.labels:
                table = self.ctx.labels.get(label)
                found = table.values.get((start, end)) if table is not None else None
                if found is not None:
                    return found
            for lexicon in source.lexicons:
                canonical = lexicon.value_at(self.ctx.doc, start, end)
                if canonical is not None:
                    return canonical
        return self.span_text(start, end)

    def value(self, capture: str) -> object:
        spans = self.spans(capture)
        if not spans:
            return None
        return self._span_value(capture, spans[-1])

    def values(self, capture: str) -> list[object]:
        return [self._span_value(capture, span) for span in self.spans(capture)]

    def span_text(self, start: int, end: int) -> str:
        if end <= start:
            return ""
        return _SPACES.sub(" ", self.ctx.doc.span_text(start, end))

    def text(self, capture: str) -> str | None:
        spans = self.spans(capture)
        if not spans:
            return None
        return self.span_text(*spans[-1])

    def doc_date(self) -> datetime.date | None:
        return self.ctx.doc.meta.date

    # ---------------------------------------------------------------- windows

    def windows(self, kind: str, capture: str, size: int) -> list[tuple[int, int]]:
        spans = self.spans(capture)
        if not spans:
            return []
        start, end = spans[0][0], spans[-1][1]
        lo, hi = self.slo, self.shi
        if kind == "before":
            return [(max(lo, start - size), start)]
        if kind == "after":
            return [(end, min(hi, end + size))]
        if kind == "near":
            return [(max(lo, start - size), start), (end, min(hi, end + size))]
        if kind == "sentence":
            return [(lo, hi)]
        if kind == "inside":
            return [(start, end)]
        if kind == "document":
            return [(0, len(self.ctx.doc))]
        # clause: out from the capture to the nearest clause-breaking punctuation
        words = self.ctx.doc.lower
        left = start
        while left > lo and words[left - 1] not in CLAUSE_BREAKS:
            left -= 1
        right = end
        while right < hi and words[right] not in CLAUSE_BREAKS:
            right += 1
        return [(left, right)]

    def label_values(self, label: str, window: tuple[int, int]) -> list[object]:
        """Values of the spans of `label` lying inside the window, in document order."""
        table = self.ctx.labels.get(label)
        if table is None:
            return []
        lo, hi = window
        starts = table.starts()
        out: list[object] = []
        for at in range(bisect_left(starts, lo), len(starts)):
            start = starts[at]
            if start >= hi:
                break
            for end in reversed(table.by_start[start]):  # kept longest first
                if end <= hi:
                    value = table.values.get((start, end))
                    out.append(value if value is not None else self.span_text(start, end))
        return out

    def has(self, prog: Program, window: tuple[int, int]) -> bool:
        lo, hi = window
        if lo < self.slo or hi > self.shi:  # only `document(x)` reaches past the sentence
            return has_in_document(self.ctx, prog)
        return has(self.ctx, prog, lo, hi, self.slo, self.shi)
