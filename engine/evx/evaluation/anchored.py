"""Scoring against event-level gold: was each event found, are the fields right on the first
record a reader meets of it, and how many records do pages without events produce.

A record counts for a gold event of its type when its evidence sentences contain one of
the event's anchors. An event is found when a record counts for it; a record is correct
when it counts for some event. Field accuracy is read on the first record (in document
order) that counts for each found event, for the fields most consumers filter on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from evx.check.schema import FieldType
from evx.evaluation.alignment import prediction_span, values_agree
from evx.evaluation.gold import GoldEvent
from evx.evaluation.tables import clip, table
from evx.records.events import Event
from evx.text.document import Document

KEY_FIELDS: Final = ("status", "phase", "duration_days", "count", "mode")
"""The fields scored on the first record of each event (those the type declares)."""


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@attrs.frozen
class Detection:
    """Events found and records right, for one event type."""

    type: str
    gold: int  # gold events
    found: int  # gold events some record counts for
    predicted: int  # records
    correct: int  # records that count for some gold event

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@attrs.frozen
class Accuracy:
    """How often the first record of a found event has one field right."""

    type: str
    field: str
    agree: int
    n: int

    @property
    def accuracy(self) -> float:
        return _ratio(self.agree, self.n)


@attrs.frozen
class Finding:
    """One thing behind the numbers: a missed event, a false record or a wrong field."""

    kind: str  # "missed" | "false" | "field"
    type: str
    doc: str
    text: str  # the gold anchor, or the record's text
    detail: str  # what was expected or found


@attrs.frozen
class EventReport:
    """What scoring against event-level gold found."""

    gold_dir: str
    types: tuple[Detection, ...]
    fields: tuple[Accuracy, ...]
    documents: int
    empty_pages: int  # documents whose gold has no event
    false_on_empty: int  # records produced on those pages
    skipped: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def macro_f1(self) -> float:
        """The mean detection F1 over the types with gold events."""
        scored = [t.f1 for t in self.types if t.gold]
        return sum(scored) / len(scored) if scored else 0.0

    @property
    def key_field_accuracy(self) -> float:
        """Agreements over all key fields of all first records."""
        return _ratio(sum(f.agree for f in self.fields), sum(f.n for f in self.fields))

    def to_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """The report as JSON-ready data; ``errors=True`` adds the findings."""
        out: dict[str, Any] = {
            "gold_dir": self.gold_dir,
            "level": "event",
            "documents": self.documents,
            "macro_f1": round(self.macro_f1, 4),
            "key_field_accuracy": round(self.key_field_accuracy, 4),
            "empty_pages": self.empty_pages,
            "false_events_on_empty_pages": self.false_on_empty,
            "types": [
                {
                    **attrs.asdict(t),
                    "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4),
                    "f1": round(t.f1, 4),
                }
                for t in self.types
            ],
            "fields": [{**attrs.asdict(f), "accuracy": round(f.accuracy, 4)} for f in self.fields],
            "skipped": list(self.skipped),
        }
        if errors:
            out["findings"] = [attrs.asdict(f) for f in self.findings]
        return out

    def render_table(self) -> str:
        """Detection per type, field accuracy on first records, and pages without events."""
        lines = [
            f"evx eval (events): {self.documents} documents scored against {self.gold_dir}, "
            f"{len(self.skipped)} skipped (no gold file)",
            "",
        ]
        lines += table(
            ["type", "events", "found", "records", "right", "precision", "recall", "F1"],
            [
                [
                    t.type,
                    str(t.gold),
                    str(t.found),
                    str(t.predicted),
                    str(t.correct),
                    f"{t.precision:.3f}",
                    f"{t.recall:.3f}",
                    f"{t.f1:.3f}",
                ]
                for t in self.types
            ],
            [["macro F1", "", "", "", "", "", "", f"{self.macro_f1:.3f}"]],
        )
        lines += ["", "key fields on the first record of each found event"]
        lines += table(
            ["type", "field", "agree", "n", "accuracy"],
            [[f.type, f.field, str(f.agree), str(f.n), f"{f.accuracy:.3f}"] for f in self.fields],
            [
                [
                    "all key fields",
                    "",
                    str(sum(f.agree for f in self.fields)),
                    str(sum(f.n for f in self.fields)),
                    f"{self.key_field_accuracy:.3f}",
                ]
            ],
        )
        lines += [
            "",
            f"pages without events: {self.empty_pages}, records on them: {self.false_on_empty}",
        ]
        for doc in self.skipped:
            lines.append(f"skipped (no gold file): {doc}")
        return "\n".join(lines) + "\n"

    def render_errors(self) -> str:
        """Every missed event, false record and wrong key field, in document order."""
        lines = []
        for f in self.findings:
            lines.append(f"{f.kind.upper()} {f.type} {f.doc}: {clip(f.text, 200)}")
            lines.append(f"    {f.detail}")
        return "\n".join(lines) + ("\n" if lines else "")


def score_events(
    gold_dir: str,
    scored: Sequence[tuple[Document, Sequence[GoldEvent], Sequence[Event]]],
    type_names: Sequence[str],
    kinds: Mapping[str, Mapping[str, FieldType]],
    skipped: Sequence[str],
) -> EventReport:
    """Score each document's records against its event-level gold."""
    counts = {name: [0, 0, 0, 0] for name in type_names}  # gold, found, predicted, correct
    agree: dict[tuple[str, str], list[int]] = {}
    findings: list[Finding] = []
    empty_pages = false_on_empty = 0
    for doc, gold, predicted in scored:
        if not gold:
            empty_pages += 1
            false_on_empty += len(predicted)
        spans = [prediction_span(doc, event) for event in predicted]
        first: dict[int, int] = {}  # gold index -> first record counting for it
        for pi, event in enumerate(predicted):
            lo, hi = spans[pi]
            hits = [
                gi
                for gi, g in enumerate(gold)
                if g.type == event.type and any(lo <= s and e <= hi for s, e in g.anchors)
            ]
            counts.setdefault(event.type, [0, 0, 0, 0])[2] += 1
            if hits:
                counts[event.type][3] += 1
            else:
                findings.append(
                    Finding("false", event.type, doc.id, event.text, f"rule {event.rule}")
                )
            for gi in hits:
                if gi not in first or (event.start, event.end) < (
                    predicted[first[gi]].start,
                    predicted[first[gi]].end,
                ):
                    first[gi] = pi
        for gi, g in enumerate(gold):
            tally = counts.setdefault(g.type, [0, 0, 0, 0])
            tally[0] += 1
            if gi not in first:
                findings.append(Finding("missed", g.type, doc.id, g.evidence, _fields(g.fields)))
                continue
            tally[1] += 1
            record = predicted[first[gi]].fields.to_dict()
            declared = kinds.get(g.type, {})
            for name in KEY_FIELDS:
                if name not in declared or name not in g.fields:
                    continue
                ok = values_agree(g.fields[name], record.get(name), declared[name].kind)
                slot = agree.setdefault((g.type, name), [0, 0])
                slot[0] += ok
                slot[1] += 1
                if not ok:
                    findings.append(
                        Finding(
                            "field",
                            g.type,
                            doc.id,
                            g.evidence,
                            f"{name}: gold {json.dumps(g.fields[name])}, "
                            f"first record {json.dumps(record.get(name))}",
                        )
                    )
    types = tuple(Detection(name, *counts[name]) for name in sorted(counts))
    fields = tuple(
        Accuracy(t, f, a, n)
        for (t, f), (a, n) in sorted(
            agree.items(), key=lambda kv: (kv[0][0], KEY_FIELDS.index(kv[0][1]))
        )
    )
    return EventReport(
        gold_dir=gold_dir,
        types=types,
        fields=fields,
        documents=len(scored),
        empty_pages=empty_pages,
        false_on_empty=false_on_empty,
        skipped=tuple(skipped),
        findings=tuple(findings),
    )


def _fields(fields: Mapping[str, Any]) -> str:
    return " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
