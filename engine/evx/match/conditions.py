"""Window conditions (`if before(t, 5) has "not"`): where each `has` pattern matches, found once.

A condition asks whether a pattern matches inside a window of a sentence. Asked for
every match of a rule and every case of a classifier, window by window, that would scan
the same tokens again and again. Instead, the patterns that read no label are scanned
for together, once per document, with a :class:`~evx.match.scan.Scanner`; a query then
looks at the few candidate starts inside its window and confirms the earliest end with
the sentence's memo. A pattern that reads labels (`has @Party`) is scanned for alone,
the first time it is asked: a condition is only evaluated once the labels it reads are
complete (they are labels its rule depends on), so the answer stays true for the rest
of the document. Answers are remembered per window.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from evx.match.automaton import Program, fixed_length
from evx.match.classes import TokenClasses
from evx.match.context import DocContext
from evx.match.scan import Scanner, labels_read


class ConditionIndex:
    """The `has` patterns of a rule set, and the scanner that finds where they can start."""

    def __init__(self, programs: Sequence[Program], classes: TokenClasses) -> None:
        self.classes = classes
        plain = [p for p in programs if not labels_read(p)]
        self.ids = {id(p): i for i, p in enumerate(plain)}
        self.fixed = [fixed_length(p) for p in plain]
        self.scanner = Scanner(list(enumerate(plain)), classes)
        # each pattern that reads labels gets a scanner of its own
        self.labelled = {id(p): Scanner([(0, p)], classes) for p in programs if labels_read(p)}


class DocConditions:
    """The answers to window conditions in one document."""

    __slots__ = ("_labelled", "_starts", "classes", "ctx", "index", "memo")

    def __init__(self, index: ConditionIndex, ctx: DocContext, classes: Sequence[int]) -> None:
        self.index = index
        self.ctx = ctx
        self.classes = classes
        self.memo: dict[tuple[int, int, int], bool] = {}  # (program, lo, hi) -> found
        self._starts: dict[int, dict[int, list[int]]] | None = None
        self._labelled: dict[int, dict[int, dict[int, list[int]]]] = {}

    def has(self, prog: Program, lo: int, hi: int, slo: int, shi: int) -> bool:
        """Whether the program matches somewhere inside [lo, hi) of sentence [slo, shi)."""
        key = (id(prog), lo, hi)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._has(prog, lo, hi, slo, shi)
        return found

    def _has(self, prog: Program, lo: int, hi: int, slo: int, shi: int) -> bool:
        run = self.ctx.sentence_run(slo, shi)
        doc = self.ctx.doc
        which = self.index.ids.get(id(prog))
        if which is None:
            found = self._labelled.get(id(prog))
            if found is None:
                scanner = self.index.labelled.get(id(prog))
                if scanner is None:  # not a pattern of this rule set: try every start
                    return any(run.earliest_end(prog, s) <= hi for s in range(lo, hi))
                tables = [(n, self.ctx.labels[n]) for n in scanner.labels if n in self.ctx.labels]
                classes = self.index.classes.with_labels(list(self.classes), tables)
                found = scanner.starts(classes, doc.sentences, doc.sentence_of)
                self._labelled[id(prog)] = found
            which, width, by_sentence = 0, 0, found
        else:
            if self._starts is None:
                self._starts = self.index.scanner.starts(
                    self.classes, doc.sentences, doc.sentence_of
                )
            width, by_sentence = self.index.fixed[which], self._starts
        starts = by_sentence.get(doc.sentence_of[slo], {}).get(which, ())
        for at in range(bisect_left(starts, lo), len(starts)):
            s = starts[at]
            if s >= hi:
                break
            end = s + width if width else run.earliest_end(prog, s)
            if end <= hi:
                return True
        return False


def has(ctx: DocContext, prog: Program, lo: int, hi: int, slo: int, shi: int) -> bool:
    """Whether `prog` matches inside [lo, hi) of sentence [slo, shi), with the document's
    condition index when the matcher attached one."""
    if hi <= lo:
        return False
    conditions = ctx.conditions
    if isinstance(conditions, DocConditions):
        return conditions.has(prog, lo, hi, slo, shi)
    run = ctx.sentence_run(slo, shi)
    return any(run.earliest_end(prog, s) <= hi for s in range(lo, hi))


def has_in_document(ctx: DocContext, prog: Program) -> bool:
    """Whether `prog` matches in some sentence of the document (`document(x) has ...`):
    answered once per document and pattern when the matcher attached a condition index."""
    conditions = ctx.conditions
    sentences = ctx.doc.sentences
    if not isinstance(conditions, DocConditions):
        return any(has(ctx, prog, lo, hi, lo, hi) for lo, hi in sentences)
    key = (id(prog), -1, -1)
    found = conditions.memo.get(key)
    if found is None:
        found = any(conditions.has(prog, lo, hi, lo, hi) for lo, hi in sentences if hi > lo)
        conditions.memo[key] = found
    return found
