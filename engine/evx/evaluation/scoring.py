"""Score a rule set against gold: run it over the documents, pair, count, and report.

Scores are counted per type, micro-averaged over types and per document; field accuracy
is counted over matched pairs only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from evx.evaluation.alignment import Pair, match_document, prediction_span
from evx.evaluation.anchored import EventReport, score_events
from evx.evaluation.gold import GoldError, GoldEvent, gold_path, load_gold
from evx.evaluation.report import (
    Counts,
    DocumentScore,
    ErrorRecord,
    FieldMismatch,
    FieldScore,
    Report,
    TypeFields,
    TypeScore,
)
from evx.records.events import Event
from evx.ruleset import RuleSet
from evx.text.document import Document
from evx.text.readers import load_document, read_inputs, unreadable

#: Fields reported first in the field-accuracy table: the ones most consumers filter on.
KEY_FIELDS: Final = ("count", "phase", "duration_days", "status")

PathLike = str | os.PathLike[str]


def _field_order(declared: Sequence[str], gold: Iterable[GoldEvent]) -> list[str]:
    """The fields of a type: declared order plus any the gold adds, key fields first."""
    names = list(declared)
    for g in gold:
        names.extend(n for n in g.fields if n not in names)
    return [n for n in KEY_FIELDS if n in names] + [n for n in names if n not in KEY_FIELDS]


@attrs.define
class _Tally:
    """What scoring gathers, document by document, before it is frozen into a Report."""

    counts: dict[str, Counts] = attrs.Factory(dict)
    matched: dict[str, int] = attrs.Factory(dict)
    agree: dict[str, dict[str, int]] = attrs.Factory(dict)
    documents: list[DocumentScore] = attrs.Factory(list)
    errors: list[ErrorRecord] = attrs.Factory(list)
    mismatches: list[FieldMismatch] = attrs.Factory(list)

    def _count(self, type_name: str, counts: Counts) -> None:
        self.counts[type_name] = self.counts.get(type_name, Counts()) + counts

    def add_document(
        self,
        doc: Document,
        gold_file: str,
        result: tuple[list[Pair], list[GoldEvent], list[Event]],
    ) -> None:
        """Count one document's pairs, misses and extras, and keep the errors behind them."""
        pairs, missed, extra = result
        self.documents.append(
            DocumentScore(doc.id, gold_file, Counts(len(pairs), len(extra), len(missed)))
        )
        for pair in pairs:
            self._add_pair(doc.id, pair)
        for g in missed:
            self._count(g.type, Counts(fn=1))
            self.errors.append(
                ErrorRecord(
                    kind="false_negative",
                    type=g.type,
                    doc=doc.id,
                    start=g.start,
                    end=g.end,
                    text=g.evidence,
                    fields=g.fields,
                    gold_line=g.line,
                )
            )
        for event in extra:
            self._count(event.type, Counts(fp=1))
            first, last = prediction_span(doc, event)
            self.errors.append(
                ErrorRecord(
                    kind="false_positive",
                    type=event.type,
                    doc=doc.id,
                    start=event.start,
                    end=event.end,
                    text=doc.text[first:last],
                    fields=event.fields.to_dict(),
                    rule=event.rule,
                    matched_text=event.text,
                )
            )

    def _add_pair(self, doc_id: str, pair: Pair) -> None:
        name = pair.gold.type
        self._count(name, Counts(tp=1))
        self.matched[name] = self.matched.get(name, 0) + 1
        per_field = self.agree.setdefault(name, {})
        for field, ok in pair.agree.items():
            per_field[field] = per_field.get(field, 0) + ok
        if all(pair.agree.values()):
            return
        predicted = pair.predicted.fields.to_dict()
        self.mismatches.append(
            FieldMismatch(
                type=name,
                doc=doc_id,
                gold_line=pair.gold.line,
                rule=pair.predicted.rule,
                evidence=pair.gold.evidence,
                differences={
                    field: (pair.gold.fields.get(field), predicted.get(field))
                    for field, ok in pair.agree.items()
                    if not ok
                },
            )
        )

    def report(
        self,
        gold_dir: str,
        type_names: Sequence[str],
        field_order: Mapping[str, Sequence[str]],
        skipped: Sequence[str],
    ) -> Report:
        """Freeze the tally: types in the order given, errors in document order."""
        rank = {d.doc: i for i, d in enumerate(self.documents)}
        errors = sorted(self.errors, key=lambda e: (rank[e.doc], e.start, e.end, e.kind, e.type))
        types = tuple(TypeScore(name, self.counts.get(name, Counts())) for name in type_names)
        fields = []
        for name in type_names:
            n = self.matched.get(name, 0)
            agree = self.agree.get(name, {})
            scores = tuple(FieldScore(f, agree.get(f, 0), n) for f in field_order.get(name, ()))
            fields.append(TypeFields(name, n, scores))
        return Report(
            gold_dir=gold_dir,
            types=types,
            micro=sum((t.counts for t in types), Counts()),
            fields=tuple(fields),
            documents=tuple(self.documents),
            skipped=tuple(skipped),
            errors=tuple(errors),
            mismatches=tuple(self.mismatches),
        )


def evaluate(
    ruleset: RuleSet, inputs: Iterable[PathLike], gold_dir: PathLike
) -> Report | EventReport:
    """Run ``ruleset`` over ``inputs`` (files, directories of .txt) and score it against
    the gold files in ``gold_dir``.

    A document without a gold file is skipped (listed in ``Report.skipped``, not counted);
    an empty gold file means the document has no events, so every prediction on it is a
    false positive. Raises :class:`GoldError` when the gold directory or a gold file cannot
    be used and :class:`~evx.errors.DocumentError` when a document cannot be read: scores
    over a silently partial set would mislead.

    Gold whose records carry ``anchors`` is event-level (one record per event, see
    ``devset/CONVENTIONS.md``) and is scored by :func:`score_events` instead.
    """
    gold_root = Path(gold_dir)
    if not gold_root.is_dir():
        raise GoldError(gold_root.as_posix(), "gold directory not found")
    # every gold file is read before anything is scored, so a bad one fails fast and the
    # field lists below can include fields only the gold has
    loaded: list[tuple[Document, list[GoldEvent]]] = []
    skipped: list[str] = []
    for item in read_inputs(inputs):
        if not gold_path(gold_root, item.id).is_file():
            skipped.append(item.id)
            continue
        try:
            data = item.read()
        except OSError as exc:
            raise unreadable(item.id, exc) from None
        doc = load_document(data, item.id)
        gold = load_gold(gold_root, item.id, doc.text)
        loaded.append((doc, gold))

    schemas = ruleset.compiled.schemas
    kinds = {name: dict(schemas[name].fields) for name in ruleset.event_types}
    all_gold = [g for _, gold in loaded for g in gold]
    anchored = {bool(g.anchors) for g in all_gold}
    # event-level gold takes fields from the whole text, as records filled from their story
    # do; statement-level gold takes them from the statement alone (docs/annotation.md G4)
    inherit = anchored == {True}
    if anchored == {True, False}:
        raise GoldError(
            gold_root.as_posix(),
            "the gold mixes event-level (anchors) and "
            "statement-level (evidence) records; use one kind",
            "G002",
        )
    scored = [(doc, gold, ruleset.extract(doc, doc.id, inherit=inherit)) for doc, gold in loaded]
    if anchored == {True}:
        return score_events(gold_root.as_posix(), scored, ruleset.event_types, kinds, skipped)
    # the rules' event types and any type only the gold knows (its rows show all FN),
    # sorted by name so that rows keep their place while the rules change
    type_names = sorted(set(ruleset.event_types) | {g.type for g in all_gold})
    field_order = {
        name: _field_order(
            schemas[name].field_names if name in kinds else (),
            (g for g in all_gold if g.type == name),
        )
        for name in type_names
    }
    tally = _Tally()
    for doc, gold, predicted in scored:
        result = match_document(doc, gold, predicted, field_order, kinds)
        tally.add_document(doc, gold_path(gold_root, doc.id).as_posix(), result)
    return tally.report(gold_root.as_posix(), type_names, field_order, skipped)
