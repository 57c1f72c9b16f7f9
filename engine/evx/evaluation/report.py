"""The evaluation report as data: counts and scores per type, field and document, and the
errors behind them, each with its JSON form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from evx.evaluation.tables import render_errors, render_table


def _ratio(num: int, den: int) -> float:
    """num/den, with 0/0 defined as 0 (the counts next to it show why)."""
    return num / den if den else 0.0


@attrs.frozen
class Counts:
    """True positives, false positives and false negatives, with the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        """Gold records: matched plus missed."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Predictions: matched plus extra."""
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0 when there is no gold."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when both are 0, 1 only when both are 1."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, Any]:
        """Counts and scores (rounded to 4 places) as JSON-ready values."""
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@attrs.frozen
class TypeScore:
    """The counts of one event type over all scored documents."""

    type: str
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., "gold": ..., "tp": ..., "precision": ...}``."""
        return {"type": self.type, **self.counts.to_dict()}


@attrs.frozen
class DocumentScore:
    """The counts of one scored document, over all types."""

    doc: str
    gold_file: str
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        """``{"doc": ..., "gold_file": ..., "gold": ..., "tp": ..., ...}``."""
        return {"doc": self.doc, "gold_file": self.gold_file, **self.counts.to_dict()}


@attrs.frozen
class FieldScore:
    """How many matched pairs agree on one field."""

    field: str
    agree: int
    n: int

    @property
    def accuracy(self) -> float:
        """agree / n; 0 when nothing was matched (n shows it)."""
        return _ratio(self.agree, self.n)

    def to_dict(self) -> dict[str, Any]:
        """``{"field": ..., "agree": ..., "n": ..., "accuracy": ...}``."""
        return {
            "field": self.field,
            "agree": self.agree,
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
        }


@attrs.frozen
class TypeFields:
    """Field accuracy of one event type over its matched pairs, key fields first."""

    type: str
    matched: int
    fields: tuple[FieldScore, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., "matched": n, "fields": [...]}``."""
        return {
            "type": self.type,
            "matched": self.matched,
            "fields": [f.to_dict() for f in self.fields],
        }


@attrs.frozen
class ErrorRecord:
    """A false positive (a prediction no gold record took) or a false negative (a missed
    gold record), with what a rule author needs to look at it."""

    kind: str  # "false_positive" | "false_negative"
    type: str
    doc: str
    start: int  # FP: the words the rule matched; FN: the gold evidence
    end: int
    text: str  # FP: the prediction's sentence(s); FN: the gold evidence
    fields: Mapping[str, Any]
    rule: str | None = None  # FP: the rule that fired
    matched_text: str | None = None  # FP: the words the rule matched
    gold_line: int | None = None  # FN: the line in the gold file

    def to_dict(self) -> dict[str, Any]:
        """The record with every key present (null where it does not apply)."""
        return {
            "kind": self.kind,
            "type": self.type,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "fields": dict(self.fields),
            "rule": self.rule,
            "matched_text": self.matched_text,
            "gold_line": self.gold_line,
        }


@attrs.frozen
class FieldMismatch:
    """A matched pair whose fields disagree somewhere: field -> (gold, predicted)."""

    type: str
    doc: str
    gold_line: int
    rule: str
    evidence: str
    differences: Mapping[str, tuple[Any, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The pair's place and ``differences`` as ``{field: {"gold": g, "predicted": p}}``."""
        return {
            "type": self.type,
            "doc": self.doc,
            "gold_line": self.gold_line,
            "rule": self.rule,
            "evidence": self.evidence,
            "differences": {
                name: {"gold": g, "predicted": p} for name, (g, p) in self.differences.items()
            },
        }


@attrs.frozen
class Report:
    """Everything `evx eval` knows: scores per type, micro totals, field accuracy,
    per-document rows, skipped documents, and the errors behind the numbers."""

    gold_dir: str
    types: tuple[TypeScore, ...]
    micro: Counts
    fields: tuple[TypeFields, ...]
    documents: tuple[DocumentScore, ...]
    skipped: tuple[str, ...]  # documents with no gold file: not scored at all
    errors: tuple[ErrorRecord, ...]  # false positives and false negatives, document order
    mismatches: tuple[FieldMismatch, ...]  # matched pairs that disagree on some field

    def type_score(self, name: str) -> Counts:
        """The counts of one event type (all zero for a type the report does not know)."""
        for score in self.types:
            if score.type == name:
                return score.counts
        return Counts()

    def field_score(self, type_name: str, field: str) -> FieldScore:
        """The accuracy of one field of one type (n = 0 if unknown)."""
        for entry in self.fields:
            if entry.type == type_name:
                for score in entry.fields:
                    if score.field == field:
                        return score
        return FieldScore(field, 0, 0)

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The report as JSON-ready data; ``errors=True`` adds ``errors`` and ``mismatches``."""
        out: dict[str, Any] = {
            "gold_dir": self.gold_dir,
            "micro": self.micro.to_dict(),
            "types": [t.to_dict() for t in self.types],
            "fields": [f.to_dict() for f in self.fields],
            "documents": [d.to_dict() for d in self.documents],
            "skipped": list(self.skipped),
        }
        if errors:
            out["errors"] = [e.to_dict() for e in self.errors]
            out["mismatches"] = [m.to_dict() for m in self.mismatches]
        return out

    def render_table(self) -> str:
        """The report for people: P/R/F1 per type with a micro total, field accuracy per
        type with the number of matched pairs, then one row per document."""
        return render_table(self)

    def render_errors(self) -> str:
        """False positives, false negatives and field disagreements, one block each, in
        document order (for `evx eval --errors`)."""
        return render_errors(self)
