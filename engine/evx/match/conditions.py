"""Window conditions (`if before(t, 5) has "not"`): where each `has` pattern matches, found once.

A condition asks whether a pattern matches inside a window of a sentence. Asked for
every match of a rule and every case of a classifier, window by window, that would scan
the same tokens again and again. Instead, the patterns that read no label are scanned
for together, once per document, with a :class:`~evx.match.scan.Scanner`; a query then
looks at the few candidate starts inside its window and confirms the earliest end with
the sentence's memo. A pattern that reads labels (`has @Party`) is scanned for alone,
the first time it is asked: a condition is only evaluated once the labels it reads are
complete (they are labels its rule depends on), so the answer stays true for the rest
of the document. Once the matcher has finished (records are being built: classifiers
ask most conditions), every label is complete, and all the patterns that read labels
are scanned for together, once. Answers are remembered per window.
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
        # each pattern that reads labels gets a scanner of its own, for while the matcher
        # runs; after it, one scanner finds them all
        reading = [p for p in programs if labels_read(p)]
        self.labelled = {id(p): Scanner([(0, p)], classes) for p in reading}
        self.labelled_ids = {id(p): i for i, p in enumerate(reading)}
        self.all_labelled = Scanner(list(enumerate(reading)), classes)


class DocConditions:
    """The answers to window conditions in one document."""

    __slots__ = (
        "_all_labelled",
        "_label_classes",
        "_labelled",
        "_starts",
        "classes",
        "ctx",
        "index",
        "memo",
    )

    def __init__(self, index: ConditionIndex, ctx: DocContext, classes: Sequence[int]) -> None:
        self.index = index
        self.ctx = ctx
        self.classes = classes
        self.memo: dict[tuple[int, int, int], bool] = {}  # (program, lo, hi) -> found
        self._starts: dict[int, dict[int, list[int]]] | None = None
        # program -> sentence -> its starts there, scanned for one sentence at a time: a
        # `where:` asks only in the sentences its rule matched in
        self._labelled: dict[int, dict[int, dict[int, list[int]]]] = {}
        self._label_classes: dict[frozenset[str], list[int]] = {}
        self._all_labelled: dict[int, dict[int, list[int]]] | None = None

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
        if which is None and self.ctx.complete and id(prog) in self.index.labelled_ids:
            which, width = self.index.labelled_ids[id(prog)], 0
            by_sentence = self._every_labelled()
        elif which is None:
            scanner = self.index.labelled.get(id(prog))
            if scanner is None:  # not a pattern of this rule set: try every start
                return any(run.earliest_end(prog, s) <= hi for s in range(lo, hi))
            per_sentence = self._labelled.get(id(prog))
            if per_sentence is None:
                per_sentence = self._labelled[id(prog)] = {}
            sentence = doc.sentence_of[slo]
            if sentence not in per_sentence:
                classes = self._with_labels(scanner.labels)
                found = scanner.starts(classes, doc.sentences, doc.sentence_of, (slo, shi))
                per_sentence[sentence] = found.get(sentence, {})
            which, width, by_sentence = 0, 0, per_sentence
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

    def _with_labels(self, labels: set[str] | frozenset[str]) -> list[int]:
        """The token classes with these labels' atoms: the same for every pattern reading
        the same labels, since a label is complete before any condition reads it."""
        key = frozenset(labels)
        found = self._label_classes.get(key)
        if found is None:
            tables = [(n, self.ctx.labels[n]) for n in key if n in self.ctx.labels]
            found = self.index.classes.with_labels(list(self.classes), tables)
            self._label_classes[key] = found
        return found

    def _every_labelled(self) -> dict[int, dict[int, list[int]]]:
        """Where each pattern that reads labels can start, all found in one scan (once
        every label is complete)."""
        found = self._all_labelled
        if found is None:
            doc = self.ctx.doc
            scanner = self.index.all_labelled
            tables = [(n, self.ctx.labels[n]) for n in scanner.labels if n in self.ctx.labels]
            classes = self.index.classes.with_labels(list(self.classes), tables)
            found = self._all_labelled = scanner.starts(classes, doc.sentences, doc.sentence_of)
        return found


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
